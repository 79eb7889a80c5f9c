"""The back office's lead pages speak their users' language: the lead page (inquiries,
timeline, click-to-call), the board (lead age, query count), lists and the dashboard; forms
saved unchanged write nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parklink.core.models import AuditEntry
from parklink.leads import services
from parklink.leads.choices import Channel, Stage
from parklink.leads.models import Lead
from tests.factories.leads import InquiryFactory, LeadFactory

pytestmark = pytest.mark.django_db

# A field name, a Python dict/list literal or `key=value` in rendered text.
RAW = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\{'|'\}|': |\bNone\b|\b[a-z_]+=\S")


def _visible_text(html: str) -> str:
    """The page's text as a reader sees it: no tags, attributes, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _section(html: str, anchor: str) -> str:
    start = html.index(">", html.index(f'id="{anchor}"')) + 1
    return html[start : html.index("</section>", start)]


def _submit(**data) -> Lead:
    base = {"contact": "王先生", "mobile": "13912345678", "consent": True}
    return services.lead_submit(data={**base, **data}, channel=Channel.WEB)


@pytest.fixture
def worked_lead(agent, manager):
    """A lead with a merged second inquiry, edits, a stage change, tags and a follow-up."""
    lead = _submit(
        need="昌平 1000-2000 平米 GMP 厂房",
        company="北京页面测试生物科技有限公司",
        kind="厂房",
        area_m2="1000-2000",
        annual_tax_wan="300",
    )
    lead = services.lead_assign(lead=lead, actor=manager, owner=agent)
    _submit(need="另需大兴 300 平米研发楼", company="北京页面测试生物科技有限公司", kind="研发楼")
    lead = Lead.objects.get(pk=lead.pk)
    services.lead_update(
        lead=lead,
        actor=agent,
        data={"area_max_m2": "2500", "score_intent": "4", "registered_capital_wan": "5000"},
    )
    services.follow_up_add(
        lead=Lead.objects.get(pk=lead.pk),
        actor=agent,
        kind="电话",
        note="约了下周看厂",
        next_follow_up=timezone.localdate() + timedelta(days=5),
    )
    services.lead_stage_set(lead=Lead.objects.get(pk=lead.pk), actor=agent, stage=Stage.VISITED)
    services.lead_tags_set(lead=Lead.objects.get(pk=lead.pk), actor=agent, names=["重点客户"])
    return Lead.objects.get(pk=lead.pk)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_lead_page_has_no_raw_field_names_or_dicts(client, agent, worked_lead, lang):
    client.force_login(agent)
    html = client.get(worked_lead.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    text = _visible_text(html)
    for anchor in ("inquiries", "timeline"):
        part = _visible_text(_section(html, anchor))
        assert not RAW.search(part), RAW.search(part).group(0)
    if lang == "zh-hans":
        assert "agent1 将阶段从 已联系 改为 已带看" in text
        assert "最大面积:2,000 ㎡ → 2,500 ㎡" in text
        assert "合并的新咨询" in text and "另需大兴 300 平米研发楼" in text
    else:
        assert "agent1 changed stage from Contacted to Viewing done" in text
        assert "Maximum area: 2,000 m² → 2,500 m²" in text
        assert "merged inquiry" in text and "Differs from the lead as it stands" in text


def test_merged_inquiry_is_shown_with_its_need_on_the_lead_page(client, agent, worked_lead):
    client.force_login(agent)
    resp = client.get(worked_lead.get_absolute_url())
    html = resp.content.decode()
    section = _section(html, "inquiries")
    assert len(re.findall(r'<li class="inquiry[ "]', section)) == 2
    assert "另需大兴 300 平米研发楼" in section and "昌平 1000-2000 平米 GMP 厂房" in section
    assert "与线索当前信息不同" in section
    assert "载体类型:本次提交 研发楼,线索当前 厂房" in section
    assert "2 次咨询" in html


def test_mobile_is_a_tel_link_only_where_shown_unmasked(client, agent, agent2):
    own = LeadFactory(owner=agent, mobile="13900001111", company="自己的客户有限公司")
    pool = LeadFactory(mobile="13900002222", company="公海客户有限公司")
    client.force_login(agent)
    detail = client.get(own.get_absolute_url()).content.decode()
    assert '<a class="l-mono l-tel" href="tel:+8613900001111" id="lead-mobile"' in detail
    pooled = client.get(pool.get_absolute_url()).content.decode()
    assert "139****2222" in pooled and "tel:+8613900002222" not in pooled
    revealed = client.post(reverse("office:lead-reveal", args=[pool.pk])).content.decode()
    assert 'href="tel:+8613900002222"' in revealed
    listing = client.get(reverse("office:lead-list")).content.decode()
    assert 'href="tel:+8613900001111"' in listing
    assert "139****2222" in listing and "tel:+8613900002222" not in listing
    assert "tel:" not in client.get(reverse("office:lead-pool")).content.decode()


def test_board_cards_show_the_lead_age(client, agent):
    old = LeadFactory(owner=agent, company="三天前的客户有限公司")
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    LeadFactory(owner=agent, company="今天的客户有限公司")
    client.force_login(agent)
    zh = client.get(reverse("office:lead-board")).content.decode()
    assert re.search(r'class="lead-age"[^>]*>3天<', zh)
    assert re.search(r'class="lead-age"[^>]*>今天<', zh)
    en = client.get(reverse("office:lead-board"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'class="lead-age"[^>]*>3 days<', en)


def test_board_offers_every_stage_and_a_way_to_reach_it(client, agent):
    LeadFactory(owner=agent, stage=Stage.WON)
    client.force_login(agent)
    html = client.get(reverse("office:lead-board")).content.decode()
    jumps = re.findall(r'<a href="#(board-col-\d+)" data-stage="([^"]+)"', html)
    assert [stage for _, stage in jumps] == list(Stage.values)
    for anchor, _stage in jumps:
        assert f'id="{anchor}"' in html


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_board_query_count_does_not_grow_with_leads(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("office:lead-board")).status_code == 200
        return len(ctx.captured_queries)

    def lead(stage):
        return LeadFactory(owner=user, stage=stage, lost_reason="价格" if stage == "已流失" else "")

    for stage in Stage.values:
        InquiryFactory(lead=lead(stage))
    few = queries()
    for stage in Stage.values * 4:
        one = lead(stage)
        InquiryFactory(lead=one)
        services.lead_tags_set(lead=one, actor=user, names=["标签A", "标签B"])
    assert queries() == few
    assert few <= 10


def test_dashboard_counts_use_stage_labels(client, agent):
    LeadFactory(owner=agent, stage=Stage.CONTACTED)
    client.force_login(agent)
    en = client.get(reverse("office:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    panel = en[en.index("l-counts") :]
    assert "Contacted 1" in panel and "已联系" not in panel


def _writes() -> int:
    """Audit entries that record a change (viewing personal data is audited too)."""
    return AuditEntry.objects.exclude(action="lead.view_pii").count()


def _snapshot(lead: Lead) -> dict:
    lead.refresh_from_db()
    return {f.attname: getattr(lead, f.attname) for f in Lead._meta.concrete_fields}


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_edit_form_saved_unchanged_writes_nothing(client, agent, lang):
    lead = LeadFactory(
        owner=agent,
        area_min_m2="1000.00",
        area_max_m2="2000.00",
        annual_tax_wan="300.00",
        registered_capital_wan="1234.50",
        founded_year=2012,
        staff=80,
        score_intent=4,
        districts=["昌平区", "大兴区"],
        qualifications=["高新技术企业"],
        next_follow_up=timezone.localdate() + timedelta(days=9),
        kind="厂房",
        deal="出租",
    )
    client.force_login(agent)
    url = reverse("office:lead-edit", args=[lead.pk])
    form = client.get(url, HTTP_ACCEPT_LANGUAGE=lang).context["form"]
    iso = lead.next_follow_up.isoformat()
    assert f'value="{iso}"' in str(form["next_follow_up"])
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        data[name] = value if isinstance(value, list) else field.widget.format_value(value) or ""
    before, audits = _snapshot(lead), _writes()
    resp = client.post(url, data, HTTP_ACCEPT_LANGUAGE=lang, follow=True)
    assert resp.status_code == 200
    assert _snapshot(lead) == before
    assert _writes() == audits
    assert ("没有修改" if lang == "zh-hans" else "No changes") in resp.content.decode()


def test_stage_and_owner_saved_unchanged_write_nothing(client, manager, agent):
    lead = LeadFactory(owner=agent, stage=Stage.CONTACTED)
    client.force_login(manager)
    before, audits = _snapshot(lead), _writes()
    client.post(reverse("office:lead-stage", args=[lead.pk]), {"stage": Stage.CONTACTED})
    client.post(reverse("office:lead-assign", args=[lead.pk]), {"owner": agent.pk})
    client.post(reverse("office:lead-tags", args=[lead.pk]), {"tags": ""})
    assert _snapshot(lead) == before
    assert _writes() == audits
    # A real change still goes through.
    client.post(reverse("office:lead-stage", args=[lead.pk]), {"stage": Stage.VISITED})
    assert Lead.objects.get(pk=lead.pk).stage == Stage.VISITED
