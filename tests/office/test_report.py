"""`parklink report`: the weekly figures on a small built data set, both file formats, bad
inputs (one line, exit 1, no file left behind)."""

from __future__ import annotations

import io
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from parklink.core.models import AuditEntry
from parklink.leads.choices import Channel, FollowUpKind, Grade, LostReason, Stage
from parklink.leads.models import FollowUp, Lead
from parklink.leads.services import follow_up_add, lead_release, lead_stage_set
from parklink.news.choices import ReviewStatus
from parklink.news.models import Article, Fact
from parklink.office.reports.weekly import Week, WeekError, week_parse, weekly_report
from parklink.parks.choices import SpaceStatus
from parklink.parks.models import Space, SpaceChange
from parklink.parks.services import space_update
from tests.factories.leads import LeadFactory
from tests.factories.news import ArticleFactory, FactFactory
from tests.factories.parks import SpaceFactory

SH = ZoneInfo("Asia/Shanghai")
WEEK = "2025-W03"  # Monday 2025-01-13 .. Sunday 2025-01-19
THIS = datetime(2025, 1, 15, 10, 0, tzinfo=SH)
LAST = datetime(2025, 1, 8, 10, 0, tzinfo=SH)
NOW = datetime(2025, 1, 20, 9, 0, tzinfo=SH)


def at(model, pk: int, field: str, when: datetime) -> None:
    model.objects.filter(pk=pk).update(**{field: when})


def lead(when: datetime, **kwargs) -> Lead:
    obj = LeadFactory(**kwargs)
    at(Lead, obj.pk, "created_at", when)
    return obj


def audits_at(lead_: Lead, when: datetime) -> None:
    AuditEntry.objects.filter(target_type="leads.Lead", target_id=str(lead_.pk)).update(at=when)


@pytest.fixture
def dataset(manager, agent, agent2):
    # New leads: 3 this week (2 web A, 1 phone B), 1 last week, 1 demo this week (left out).
    won = lead(THIS, channel=Channel.WEB, grade=Grade.A, industry="生物医药", owner=agent)
    lost = lead(THIS, channel=Channel.WEB, grade=Grade.A, industry="生物医药", owner=agent)
    released = lead(THIS, channel=Channel.PHONE, grade=Grade.B, industry="人工智能", owner=agent2)
    lead(LAST, channel=Channel.EVENT, industry="新材料")
    lead(THIS, channel=Channel.WEB, is_demo=True)
    # Boundaries in Asia/Shanghai: Monday 00:30 is this week, Sunday 23:30 the week before.
    lead(datetime(2025, 1, 13, 0, 30, tzinfo=SH), channel=Channel.REFERRAL, industry="物流")
    lead(datetime(2025, 1, 12, 23, 30, tzinfo=SH), channel=Channel.REFERRAL, industry="物流")

    # Pipeline: one signed, one lost for price this week; one stage move last week.
    lead_stage_set(lead=won, actor=manager, stage=Stage.WON)
    lead_stage_set(lead=lost, actor=manager, stage=Stage.LOST, lost_reason=LostReason.PRICE)
    for obj in (won, lost):
        audits_at(obj, THIS)
    older = lead(LAST, owner=agent)
    lead_stage_set(lead=older, actor=manager, stage=Stage.CONFIRMED)
    audits_at(older, LAST)

    # Follow-ups: agent 2 this week, agent2 1 this week; 1 last week.
    ups = [
        follow_up_add(lead=won, actor=agent, kind=FollowUpKind.CALL, note="电话沟通"),
        follow_up_add(lead=lost, actor=agent, kind=FollowUpKind.VISIT, note="带看"),
        follow_up_add(lead=released, actor=agent2, kind=FollowUpKind.CALL, note="电话"),
    ]
    for f in ups:
        at(FollowUp, f.pk, "at", THIS)
    old_up = follow_up_add(lead=older, actor=agent, kind=FollowUpKind.CALL, note="旧")
    at(FollowUp, old_up.pk, "at", LAST)
    AuditEntry.objects.filter(action="lead.follow_up").exclude(at__lt=THIS).update(at=THIS)
    for obj in (won, lost, released, older):  # follow-ups' stage moves land in their week
        audits_at(obj, LAST if obj is older else THIS)

    # Pool: released is handed back this week.
    lead_release(lead=released, actor=agent2)
    audits_at(released, THIS)

    # Spaces: 2 listed this week; one leased and one repriced this week; one stale.
    leased = SpaceFactory()
    repriced = SpaceFactory()
    stale = SpaceFactory()
    space_update(space=leased, data={"status": SpaceStatus.LEASED}, actor=manager)
    space_update(space=repriced, data={"price": 3}, actor=manager)
    for s in (leased, repriced):
        at(Space, s.pk, "created_at", THIS)
    at(Space, stale.pk, "created_at", LAST)
    SpaceChange.objects.update(at=THIS)
    at(Space, stale.pk, "confirmed_at", datetime(2024, 11, 1, tzinfo=SH))

    # News: 2 articles this week (one a duplicate), 1 last week; 1 fact accepted this week.
    first = ArticleFactory()
    dup = ArticleFactory(duplicate_of=first)
    old = ArticleFactory()
    for a in (first, dup):
        at(Article, a.pk, "created_at", THIS)
    at(Article, old.pk, "created_at", LAST)
    fact = FactFactory(article=first, status=ReviewStatus.ACCEPTED)
    at(Fact, fact.pk, "reviewed_at", THIS)
    FactFactory(article=first)
    return {"won": won, "lost": lost}


def test_week_parse_accepts_iso_weeks_and_finds_the_previous_one():
    week = week_parse("2025-W03")
    assert (week.first_day.isoformat(), week.last_day.isoformat()) == ("2025-01-13", "2025-01-19")
    assert week.start.utcoffset().total_seconds() == 8 * 3600
    assert week_parse("2025-W01").previous() == Week(2024, 52)
    assert week_parse("2026-W53").label == "2026-W53"


@pytest.mark.parametrize("text", ["2025-W53", "2025-W00", "2025-3", "2025W03", "", "abc"])
def test_week_parse_refuses_what_is_not_an_iso_week(text):
    with pytest.raises(WeekError, match="invalid week"):
        week_parse(text)


@pytest.mark.django_db
def test_report_figures_on_a_built_week(dataset, agent, agent2):
    report = weekly_report(week=week_parse(WEEK), now=NOW)
    m = report.metric
    new = m("leads", "合计", "新增线索")
    assert (new.current, new.previous, new.delta) == (4, 3, 1)
    assert m("leads", "按来源渠道", "网站表单").current == 2
    assert m("leads", "按来源渠道", "电话").current == 1
    assert m("leads", "按来源渠道", "转介绍").current == 1  # Monday 00:30 Shanghai
    assert m("leads", "按来源渠道", "转介绍").previous == 1  # Sunday 23:30 Shanghai
    assert m("leads", "按行业", "生物医药").current == 2
    assert m("leads", "按等级", "A 重点").current == 2

    assert m("pipeline", "合计", "签约").current == 1
    assert m("pipeline", "合计", "流失").current == 1
    assert m("pipeline", "流失原因", "价格不合适").current == 1
    moves = m("pipeline", "合计", "阶段变更次数")
    # this week: 已签约, 已流失, and 新线索→已联系 by the first follow-up of `released`
    # (the others were past 新线索); last week: 需求确认
    assert (moves.current, moves.previous) == (3, 1)
    tables = {t.title: t for t in report.section("pipeline").tables}
    assert [r[2] for r in tables["本周签约"].rows] == [dataset["won"].company]
    assert tables["本周流失"].rows[0][3] == "价格不合适"

    assert m("follow_ups", "合计", "跟进次数").current == 3
    assert m("follow_ups", "合计", "跟进次数").previous == 1
    assert m("follow_ups", "按招商人员", agent.get_full_name() or agent.username).current == 2
    assert m("follow_ups", "按招商人员", agent2.get_full_name() or agent2.username).current == 1

    assert m("pool", "合计", "退回公海").current == 1
    assert m("pool", "退回方式", "主动退回").current == 1

    assert m("spaces", "合计", "新上架房源").current == 2
    assert m("spaces", "合计", "新上架房源").previous == 1
    assert m("spaces", "合计", "已出租").current == 1
    assert m("spaces", "合计", "调价房源").current == 1
    assert m("spaces", "合计", "待重新确认(过期)房源").current == 1
    assert len(report.section("spaces").tables[0].rows) == 1

    assert m("news", "合计", "入库资讯").current == 2
    assert m("news", "合计", "其中重复稿").current == 1
    assert m("news", "合计", "入库资讯").previous == 1
    assert m("news", "合计", "采纳事实").current == 1


@pytest.mark.django_db
def test_report_counts_demo_data_only_when_asked(dataset):
    week = week_parse(WEEK)
    without = weekly_report(week=week, now=NOW).metric("leads", "合计", "新增线索")
    with_demo = weekly_report(week=week, now=NOW, include_demo=True)
    assert with_demo.metric("leads", "合计", "新增线索").current == without.current + 1


@pytest.mark.django_db
def test_report_command_writes_xlsx_with_one_sheet_per_section_and_no_personal_data(
    dataset, tmp_path
):
    out = tmp_path / "week.xlsx"
    stdout = StringIO()
    call_command("report", "--week", WEEK, "-o", str(out), stdout=stdout)
    assert "2025-W03" in stdout.getvalue()
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "概要",
        "新增线索",
        "商机推进",
        "跟进情况",
        "公海线索",
        "房源动态",
        "资讯与知识库",
        "租赁与出租",
    ]
    cells = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v]
    assert dataset["won"].company in cells
    personal = {x for obj in Lead.objects.all() for x in (obj.contact, obj.mobile)}
    assert not [c for c in cells if any(p in c for p in personal)]
    assert list(tmp_path.iterdir()) == [out]


@pytest.mark.django_db
def test_report_command_writes_a_pdf_with_pages(dataset, tmp_path):
    out = tmp_path / "week.pdf"
    call_command("report", "--week", WEEK, "-o", str(out), stdout=StringIO())
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"/Type /Page" in data
    assert b"STSong-Light" in data
    assert list(tmp_path.iterdir()) == [out]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "2025-W60", "-o", "{tmp}/r.pdf"], "invalid week"),
        (["--week", "last week", "-o", "{tmp}/r.xlsx"], "invalid week"),
        (["--week", WEEK, "-o", "{tmp}/r.docx"], "unknown file type"),
        (["--week", WEEK, "-o", "{tmp}/r"], "unknown file type"),
        (["--week", WEEK, "-o", "{tmp}/missing/r.pdf"], "no such directory"),
        (["--week", WEEK, "-o", "{tmp}/taken.xlsx"], "cannot write"),
    ],
)
def test_report_command_refuses_bad_input_and_leaves_no_file(args, message, tmp_path):
    (tmp_path / "taken.xlsx").mkdir()  # a directory where the file should go
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(CommandError, match=message) as exc:
        call_command("report", *[a.format(tmp=tmp_path) for a in args], stdout=StringIO())
    assert "\n" not in str(exc.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "taken.xlsx").is_dir()


@pytest.mark.django_db
def test_a_team_managers_report_counts_only_the_leads_the_team_may_see(
    dataset, manager, agent, agent2, django_user_model, client
):
    """The lead scope applies to the report as to every page: manager1 leads a team of
    agent1 only, so agent2's lead (handed back to the pool this week, i.e. now unowned and
    visible) counts, but a lead agent2 still owns does not, and neither do its follow-ups."""
    from parklink.core.models import Team

    Team.objects.create(name="招商一组").members.add(manager, agent)
    manager = django_user_model.objects.get(pk=manager.pk)  # the scope is cached per user object
    hidden = lead(THIS, channel=Channel.PHONE, industry="集成电路", owner=agent2)
    up = follow_up_add(lead=hidden, actor=agent2, kind=FollowUpKind.CALL, note="电话")
    at(FollowUp, up.pk, "at", THIS)
    lead_stage_set(lead=hidden, actor=agent2, stage=Stage.WON)
    audits_at(hidden, THIS)
    week = week_parse(WEEK)

    everything = weekly_report(week=week, now=NOW)
    team = weekly_report(week=week, now=NOW, viewer=manager)
    new = ("leads", "合计", "新增线索")
    assert team.metric(*new).current == everything.metric(*new).current - 1
    signed = {t.title: t for t in team.section("pipeline").tables}["本周签约"].rows
    assert hidden.company not in [r[2] for r in signed]
    assert dataset["won"].company in [r[2] for r in signed]
    ups = ("follow_ups", "合计", "跟进次数")
    assert team.metric(*ups).current == everything.metric(*ups).current - 1

    client.force_login(manager)
    xlsx = client.get("/office/reports/weekly/", {"week": WEEK, "format": "xlsx"})
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = {str(c.value) for ws in book for row in ws.iter_rows() for c in row}
    assert hidden.company not in cells
