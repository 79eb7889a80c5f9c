"""`parklink backup` / `parklink restore`: a round trip reproduces every row; restore
needs --force; a bad file is refused and the database is left as it was."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from parklink.core.models import AuditEntry
from parklink.leads.models import FollowUp, Inquiry, Lead
from parklink.news.models import Fact
from parklink.office.backup import FORMAT, backup_models
from parklink.parks.models import Park, Space
from parklink.search.models import SearchDocument
from parklink.search.services import search_reindex
from tests.factories.leads import FollowUpFactory, InquiryFactory, LeadFactory, TagFactory
from tests.factories.news import ArticleFactory, FactFactory
from tests.factories.parks import BuildingFactory, IndustryFactory, ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db(transaction=True)

OLD = datetime(2024, 5, 6, 7, 8, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in backup_models()}


@pytest.fixture
def data(manager, agent):
    park = ParkFactory(name="中关村生命科学园", aliases=["生命园"])
    park.industries.add(IndustryFactory(name="生物医药"))
    space = SpaceFactory(park=park, building=BuildingFactory(park=park), area_m2=Decimal("1234.5"))
    lead = LeadFactory(company="北京某某生物", owner=agent, districts=["昌平区"], budget=None)
    lead.tags.set([TagFactory(name="重点客户"), TagFactory(name="展会")])
    Lead.objects.filter(pk=lead.pk).update(created_at=OLD, updated_at=OLD)
    InquiryFactory(lead=lead, data={"need": "GMP厂房", "area": 1000})
    FollowUpFactory(lead=lead, author=agent)
    article = ArticleFactory(title="生命园二十年")
    FactFactory(article=article)
    AuditEntry.objects.create(actor=manager, action="test.event", detail={"k": "值"})
    search_reindex()
    return {"park": park, "space": space, "lead": lead, "article": article}


def backup(path) -> str:
    out = StringIO()
    call_command("backup", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def restore(path, *args) -> str:
    out = StringIO()
    call_command("restore", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def wipe() -> None:
    call_command("flush", "--no-input", verbosity=0)  # contenttypes are re-created, new ids


def test_backup_restore_round_trip_reproduces_rows(data, tmp_path, agent):
    path = tmp_path / "pl.jsonl.gz"
    before = counts()
    lead = Lead.objects.get(pk=data["lead"].pk)
    assert "backed up" in backup(path)
    with gzip.open(path, "rt", encoding="utf-8") as fp:
        header = json.loads(fp.readline())
    assert header["format"] == FORMAT
    assert header["counts"] == {k: v for k, v in before.items() if v}
    assert list(tmp_path.iterdir()) == [path]  # no snapshot or temp file left

    wipe()
    assert Lead.objects.count() == 0 and User.objects.count() == 0
    assert "restored" in restore(path, "--force")

    assert counts() == before
    got = Lead.objects.get(pk=lead.pk)
    assert (got.company, got.mobile, got.contact) == (lead.company, lead.mobile, lead.contact)
    assert (got.created_at, got.updated_at) == (OLD, OLD)  # auto_now fields kept
    assert got.districts == ["昌平区"] and got.owner.username == agent.username
    assert sorted(got.tags.values_list("name", flat=True)) == ["展会", "重点客户"]
    assert Inquiry.objects.get(lead=got).data == {"need": "GMP厂房", "area": 1000}
    assert FollowUp.objects.get(lead=got).author_id == agent.pk
    assert Space.objects.get(pk=data["space"].pk).area_m2 == Decimal("1234.5")
    park = Park.objects.get(pk=data["park"].pk)
    assert park.aliases == ["生命园"]
    assert list(park.industries.values_list("name", flat=True)) == ["生物医药"]
    assert Fact.objects.get().article_id == data["article"].pk
    assert User.objects.get(username=agent.username).groups.count() == 1
    assert Group.objects.count() == 2
    assert AuditEntry.objects.get(action="test.event").detail == {"k": "值"}
    # the search index is rebuilt from the restored rows
    assert SearchDocument.objects.filter(type="park", object_id=park.pk).exists()
    # sequences continue after the restored ids
    assert LeadFactory().pk > lead.pk
    assert ArticleFactory().pk > data["article"].pk


def test_restore_without_force_changes_nothing(data, tmp_path):
    path = tmp_path / "pl.jsonl.gz"
    backup(path)
    Lead.objects.all().delete()
    after_delete = counts()
    with pytest.raises(CommandError, match="--force"):
        restore(path)
    assert counts() == after_delete


def _truncated(path, tmp_path):
    bad = tmp_path / "truncated.jsonl.gz"
    bad.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return bad


def _row_dropped(path, tmp_path):
    lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    bad = tmp_path / "dropped.jsonl.gz"
    bad.write_bytes(gzip.compress("".join(lines[:-1]).encode()))
    return bad


def _not_gzip(path, tmp_path):
    bad = tmp_path / "plain.json"
    bad.write_text('[{"model": "leads.lead"}]')
    return bad


def _unknown_model(path, tmp_path):
    lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    bad = tmp_path / "unknown.jsonl.gz"
    lines[-1] = json.dumps({"model": "nope.thing", "pk": 1, "fields": {}}) + "\n"
    bad.write_bytes(gzip.compress("".join(lines).encode()))
    return bad


def _bad_value(path, tmp_path):
    lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    for i, line in enumerate(lines[1:], 1):
        row = json.loads(line)
        if row["model"] == "parks.space":
            row["fields"]["area_m2"] = "not a number"
            lines[i] = json.dumps(row, ensure_ascii=False) + "\n"
    bad = tmp_path / "value.jsonl.gz"
    bad.write_bytes(gzip.compress("".join(lines).encode()))
    return bad


def _future_schema(path, tmp_path):
    lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    header = json.loads(lines[0])
    header["migrations"].append("leads.9999_from_the_future")
    lines[0] = json.dumps(header) + "\n"
    bad = tmp_path / "future.jsonl.gz"
    bad.write_bytes(gzip.compress("".join(lines).encode()))
    return bad


def _missing(path, tmp_path):
    return tmp_path / "nothing-here.jsonl.gz"


@pytest.mark.parametrize(
    "make",
    [_truncated, _row_dropped, _not_gzip, _unknown_model, _bad_value, _future_schema, _missing],
)
def test_restore_refuses_a_bad_file_and_leaves_data_untouched(data, tmp_path, make):
    path = tmp_path / "pl.jsonl.gz"
    backup(path)
    LeadFactory(company="备份之后新增")
    before = counts()
    docs = SearchDocument.objects.count()
    with pytest.raises(CommandError) as exc:
        restore(make(path, tmp_path), "--force")
    message = str(exc.value)
    assert "\n" not in message and " / " in message  # one bilingual line
    assert counts() == before
    assert SearchDocument.objects.count() == docs
    assert Lead.objects.filter(company="备份之后新增").exists()


def test_backup_to_a_missing_directory_is_one_line(db, tmp_path):
    with pytest.raises(CommandError, match="no such directory"):
        backup(tmp_path / "missing" / "pl.jsonl.gz")
