"""A space (or an organisation) may name its park by an alias that the same import gives
the park: a new park's alias, a new alias of an existing park, in the same file or in
another file of the same `parklink import`."""

from __future__ import annotations

import json

import pytest

from parklink.core import exchange
from parklink.office.management.commands.export import KINDS
from parklink.orgs.models import Organization
from parklink.parks.models import Park, Space
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.django_db

PARK = {"name": "别名测试园", "aliases": ["别测园"], "district": "昌平区"}
SPACE = {"ref": "AL-1", "park": "别测园", "kind": "厂房", "deal": "出租", "area_m2": 800}


def _json(name: str, doc: dict) -> exchange.InputFile:
    return exchange.InputFile(name=name, data=json.dumps(doc, ensure_ascii=False).encode())


@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_a_space_names_a_new_park_by_its_alias_in_the_same_file(dry_run):
    doc = {"parks": [PARK], "spaces": [SPACE], "orgs": [{"name": "别名公司", "park": "别测园"}]}
    result = exchange.import_files([_json("a.json", doc)], KINDS, dry_run=dry_run)
    assert result.counts["spaces"].created == 1
    if not dry_run:
        park = Park.objects.get(name="别名测试园")
        assert Space.objects.get(ref="AL-1").park == park
        assert Organization.objects.get(name="别名公司").park == park


def test_a_space_of_another_file_names_the_park_by_its_alias(run_import, tmp_path):
    parks = tmp_path / "a.json"
    parks.write_text(json.dumps({"parks": [PARK]}, ensure_ascii=False), encoding="utf-8")
    spaces = tmp_path / "b.csv"
    spaces.write_text("编号,所属园区,类型,租售,面积\nAL-1,别测园,厂房,出租,800\n", encoding="utf-8")
    code, _out, err = run_import(spaces, parks)  # the order of the files does not matter
    assert code == 0, err
    assert Space.objects.get(ref="AL-1").park.name == "别名测试园"


def test_a_new_alias_of_an_existing_park_resolves_in_the_same_import():
    park = ParkFactory(name="别名测试园", aliases=["旧别名"])
    doc = {"parks": [{"name": "别名测试园", "aliases": ["旧别名", "别测园"]}], "spaces": [SPACE]}
    result = exchange.import_files([_json("a.json", doc)], KINDS)
    assert result.counts["parks"].updated == 1
    assert Space.objects.get(ref="AL-1").park == park


def test_an_alias_nobody_gives_is_still_refused():
    doc = {"parks": [PARK], "spaces": [{**SPACE, "park": "无此园"}]}
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_files([_json("a.json", doc)], KINDS)
    [problem] = failed.value.problems
    assert 'park="无此园": 园区不存在 / park does not exist' in str(problem)
    assert not Park.objects.exists()
