"""Imported text obeys the input hygiene of every other outside text
(parklink.core.hygiene.clean_text): NUL characters and lone surrogates never reach the
database, whatever the format and whether the file comes from the command line or an
upload in the back office."""

from __future__ import annotations

import io
import json

import pytest

from parklink.core import exchange
from parklink.leads.models import Inquiry, Lead
from parklink.office.management.commands.export import KINDS
from parklink.parks.models import Space

pytestmark = pytest.mark.django_db

DIRTY = "交通\x00便利\ud800,可办环评"
CLEAN = "交通便利,可办环评"


def _json(doc) -> bytes:
    # ensure_ascii escapes the NUL and the lone surrogate as \u0000 and \ud800, as any JSON
    # writer may; the bytes themselves are valid UTF-8.
    return json.dumps(doc).encode()


def _space(**extra):
    return {"ref": "H-1", "park": "中关村生命科学园", "kind": "厂房", "deal": "出租",
            "area_m2": 500, "description": DIRTY, **extra}  # fmt: skip


def test_json_escapes_are_cleaned(park):
    data = _json({"spaces": [_space(building="1号\x00楼")]})
    exchange.import_files([exchange.InputFile(name="s.json", data=data)], KINDS)
    space = Space.objects.get()
    assert space.description == CLEAN
    assert space.building.name == "1号楼"


def test_csv_nul_bytes_are_cleaned(park):
    text = "编号,所属园区,类型,租售,面积(平方米),描述\r\nH-1,中关村生命科学园,厂房,出租,500,交通\x00便利\r\n"
    exchange.import_files([exchange.InputFile(name="s.csv", data=text.encode("utf-8"))], KINDS)
    assert Space.objects.get().description == "交通便利"


def test_lead_text_and_verbatim_inquiry_are_cleaned():
    row = {"company": "净化\x00测试\ud83d有限公司", "contact": "王\x00先生",
           "mobile": "13900001111", "need": "需要500平米厂房\x00"}  # fmt: skip
    data = _json({"leads": [row]})
    exchange.import_files([exchange.InputFile(name="l.json", data=data)], KINDS)
    lead = Lead.objects.get()
    assert lead.company == "净化测试有限公司"
    assert lead.contact == "王先生"
    stored = json.dumps(Inquiry.objects.get().data, ensure_ascii=False)
    assert "\x00" not in stored and "\\u0000" not in stored
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in stored)


def test_office_upload_is_cleaned(manager_client, park):
    upload = io.BytesIO(_json({"spaces": [_space()]}))
    upload.name = "spaces.json"
    resp = manager_client.post("/office/catalogue/exchange/", {"file": upload})
    assert resp.status_code == 200
    assert Space.objects.get().description == CLEAN
