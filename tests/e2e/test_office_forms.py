"""Every back-office form saved unchanged, in Chinese and in English, changes nothing in the
database; dates round-trip through `<input type="date">` (ISO YYYY-MM-DD in every language).

The browser submits exactly what the page rendered: a value the browser cannot take (the
Chinese office used to render dates as 2026/12/09, which a date input rejects) is sent back
empty and would erase the field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from parklink.core.models import ApiToken, AuditEntry
from parklink.core.roles import ROLE_MANAGER
from parklink.leads import services
from parklink.leads.models import FollowUp, Lead
from parklink.orgs.models import Organization
from parklink.parks.models import Park, Space, SpaceChange
from parklink.policies.models import Policy
from tests.e2e.office_support import office_page
from tests.factories.leads import InquiryFactory, LeadFactory
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import BuildingFactory, IndustryFactory, ParkFactory, SpaceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FOLLOW_UP = timezone.localdate() + timedelta(days=17)
AVAILABLE = date(2026, 12, 9)  # the date of the issue: rendered 2026/12/09 in Chinese


@dataclass
class Records:
    manager: object
    agent: object
    lead: Lead
    space: Space
    park: Park
    org: Organization
    policy: Policy


@pytest.fixture
def records(django_user_model):
    from django.contrib.auth.models import Group

    manager = django_user_model.objects.create_user("forms-manager", first_name="王经理")
    manager.groups.add(Group.objects.get_or_create(name=ROLE_MANAGER)[0])
    agent = django_user_model.objects.create_user("forms-agent", first_name="张专员")
    agent.groups.add(Group.objects.get_or_create(name="招商专员")[0])
    park = ParkFactory(
        name="往返测试园区",
        aliases=["往返园", "RT Park"],
        english_name="Round Trip Park",
        district="昌平区",
        address="北京市昌平区生命园路 1 号",
        latitude=Decimal("40.095123"),
        longitude=Decimal("116.284567"),
        planned_area_m2=Decimal("2490000"),
        building_area_m2=Decimal("1500000.50"),
        founded="2000",
        operator="往返运营公司",
        min_annual_tax_yuan_per_m2=Decimal("300"),
        description="一行简介\n第二行",
        sources=["https://example.test/park", "年报 2024"],
        rules={
            "industries": ["生物医药"],
            "banned_industries": ["化工"],
            "min_investment_wan_per_mu": 500,
            "min_tax_wan_per_mu": 50,
            "min_output_wan_per_mu": None,
            "min_tax_yuan_per_m2": None,
            "veto_keywords": ["电镀"],
        },
        rules_sources=["https://example.test/rules"],
    )
    park.industries.add(IndustryFactory(name="生物医药"), IndustryFactory(name="医疗器械"))
    space = SpaceFactory(
        ref="RT-SPACE-1",
        park=park,
        building=BuildingFactory(park=park, name="3号楼"),
        title="往返测试 1500㎡ GMP 厂房",
        area_m2=Decimal("1500.50"),
        min_lettable_m2=Decimal("500"),
        price=Decimal("2.80"),
        floor="1-2层",
        ceiling_height_m=Decimal("8.5"),
        floor_load_kg_m2=1500,
        power_kva=800,
        dual_power=True,
        column_spacing_m=Decimal("9.0"),
        freight_lifts=2,
        env_assessment=True,
        gmp=True,
        cleanroom_class="C级",
        available_from=AVAILABLE,
        description="可办环评\n双回路供电",
        photos=["https://example.test/a.jpg"],
    )
    org = OrganizationFactory(
        name="往返测试生物科技有限公司",
        aliases=["往返生物"],
        uscc="91110114MA01ABCD27",
        park=park,
        segments=["研发", "生产"],
        description="做单抗",
        sources=["https://example.test/org"],
    )
    lead = LeadFactory(
        owner=agent,
        company="往返测试客户有限公司",
        contact="李女士",
        mobile="13912340000",
        need="昌平 1000-2000 平米 GMP 厂房",
        use="生物制剂生产",
        kind="厂房",
        deal="出租",
        area_min_m2=Decimal("1000.00"),
        area_max_m2=Decimal("2000.00"),
        annual_tax_wan=Decimal("300.50"),
        districts=["昌平区", "大兴区"],
        industry="生物医药",
        uscc="",
        registered_capital_wan=Decimal("1234.56"),
        founded_year=2012,
        staff=85,
        qualifications=["高新技术企业", "专精特新"],
        project_type="生产",
        total_investment_wan=Decimal("20000"),
        last_year_tax_wan=Decimal("88"),
        last_year_sales_wan=Decimal("9000"),
        expected_sales_wan=Decimal("12000"),
        score_intent=4,
        score_funds=3,
        score_fit=5,
        grade="B",
        stage="已带看",
        next_follow_up=FOLLOW_UP,
    )
    InquiryFactory(lead=lead)
    services.lead_tags_set(lead=lead, actor=agent, names=["重点客户", "展会"])
    policy = Policy.objects.create(
        ref="RT-POLICY",
        title="往返测试落户奖励",
        issuer="往返区商务局",
        region="昌平区",
        valid_from=date(2026, 1, 1),
        valid_to=AVAILABLE,
        industries=["生物医药", "医疗器械"],
        conditions=[
            {"field": "annual_tax_wan", "op": ">=", "value": 300},
            {"field": "is_high_tech", "op": "==", "value": True},
        ],
        benefit="按区级贡献给予奖励\n最高 500 万元",
        amount_wan_max=Decimal("500.50"),
        source="https://example.test/policy",
    )
    return Records(manager, agent, lead, space, park, org, policy)


def _row(model, pk) -> dict:
    obj = model.objects.get(pk=pk)
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}


def snapshot(r: Records) -> dict:
    """Everything a form on these pages could write, timestamps included."""
    lead = Lead.objects.get(pk=r.lead.pk)
    return {
        "lead": _row(Lead, r.lead.pk),
        "tags": sorted(lead.tags.values_list("name", flat=True)),
        "follow_ups": FollowUp.objects.count(),
        "space": _row(Space, r.space.pk),
        "space_changes": SpaceChange.objects.count(),
        "park": _row(Park, r.park.pk),
        "industries": sorted(
            Park.objects.get(pk=r.park.pk).industries.values_list("name", flat=True)
        ),
        "org": model_to_dict(Organization.objects.get(pk=r.org.pk)),
        "org_row": _row(Organization, r.org.pk),
        "policy": _row(Policy, r.policy.pk),
        "counts": {
            m.__name__: m.objects.count()
            for m in (Lead, Space, Park, Organization, Policy, ApiToken)
        },
        # Viewing personal data is audited on every page view; changes are what count here.
        "audit": AuditEntry.objects.exclude(action="lead.view_pii").count(),
    }


# (name, page, form selector): every form that edits a record, on the page that shows it.
FORMS = [
    ("lead-edit", lambda r: f"/office/leads/{r.lead.pk}/edit/", "main form.l-form-grid"),
    ("lead-stage", lambda r: f"/office/leads/{r.lead.pk}/", "form[action$='/stage/']"),
    ("lead-tags", lambda r: f"/office/leads/{r.lead.pk}/", "form[action$='/tags/']"),
    ("lead-assign", lambda r: f"/office/leads/{r.lead.pk}/", "form[action$='/assign/']"),
    ("space-edit", lambda r: f"/office/catalogue/spaces/{r.space.pk}/", "form.catalogue-form"),
    (
        "space-status",
        lambda r: f"/office/catalogue/spaces/{r.space.pk}/",
        "form[action$='/status/']",
    ),
    ("park-edit", lambda r: f"/office/catalogue/parks/{r.park.pk}/", "form.catalogue-form"),
    ("org-edit", lambda r: f"/office/catalogue/orgs/{r.org.pk}/", "form.catalogue-form"),
    ("policy-edit", lambda r: f"/office/policies/{r.policy.pk}/", "form#policy-form"),
    ("park-rules", lambda r: f"/office/policies/parks/{r.park.pk}/rules/", "form#rules-form"),
]
# Forms that create a record: sent as rendered (nothing typed), they create nothing and say
# what is missing, in the page's language.
CREATE_FORMS = [
    ("lead-new", "/office/leads/new/", "main form.l-form-grid"),
    ("space-new", "/office/catalogue/spaces/new/", "form.catalogue-form"),
    ("park-new", "/office/catalogue/parks/new/", "form.catalogue-form"),
    ("org-new", "/office/catalogue/orgs/new/", "form.catalogue-form"),
    ("policy-new", "/office/policies/new/", "form#policy-form"),
    ("token-new", "/office/account/tokens/", "main form.stacked"),
]
# One-click actions on the same pages: they are meant to change something when used.
ACTIONS = ("/reveal/", "/claim/", "/release/", "/reconfirm/", "/logout/", "/setlang/")
ACTIONS += ("/follow-up/", "/recommend/", "/not-interested/", "/erase/", "/delete/")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("name", "url", "selector"), FORMS, ids=[f[0] for f in FORMS])
def test_form_saved_unchanged_changes_nothing(
    browser, live_server, records, lang, name, url, selector
):
    before = snapshot(records)
    with office_page(browser, live_server, records.manager, lang=lang) as page:
        page.goto(live_server.url + url(records))
        form = page.locator(selector)
        assert form.count() == 1, f"{name}: form {selector} not on the page"
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert page.locator(".errorlist").count() == 0, page.locator(".errorlist").all_inner_texts()
        assert page.locator(".msg-error").count() == 0, page.locator(".msg-error").all_inner_texts()
        assert page.console_errors == []
    after = snapshot(records)
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert not changed, f"{name} ({lang}) saved unchanged changed: {changed}"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("name", "url", "selector"), CREATE_FORMS, ids=[f[0] for f in CREATE_FORMS]
)
def test_create_form_sent_empty_creates_nothing(
    browser, live_server, records, lang, name, url, selector
):
    before = snapshot(records)
    with office_page(browser, live_server, records.manager, lang=lang) as page:
        page.goto(live_server.url + url)
        form = page.locator(selector)
        assert form.count() == 1, f"{name}: form {selector} not on the page"
        # The browser's own checks (required) would stop the click: the server must say it too.
        form.evaluate("el => { el.noValidate = true; }")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        errors = " ".join(
            page.locator(".errorlist, .msg-error, .l-errors").all_inner_texts()
        ).strip()
        assert errors, f"{name} ({lang}): no message saying what is missing"
        if lang == "en":
            assert not re.search(r"[\u4e00-\u9fff]", errors), errors
        else:
            assert re.search(r"[\u4e00-\u9fff]", errors), errors
        assert "Traceback" not in page.content()
        # A refused form answers 422, which Chromium logs as a failed resource; nothing else.
        assert [e for e in page.console_errors if "status of 422" not in e] == []
    after = snapshot(records)
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert not changed, f"{name} ({lang}) sent empty changed: {changed}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_form_on_these_pages_is_covered(browser, live_server, records, lang):
    """A form added to these pages later is either saved-unchanged above or a named action."""
    covered = {selector for _name, _url, selector in FORMS + CREATE_FORMS}
    paths = {url(records) for _n, url, _s in FORMS} | {url for _n, url, _s in CREATE_FORMS}
    with office_page(browser, live_server, records.manager, lang=lang) as page:
        for path in sorted(paths):
            page.goto(live_server.url + path)
            for form in page.locator("form[method=post]").all():
                action = form.get_attribute("action") or ""
                if any(action.endswith(a) for a in ACTIONS):
                    continue
                assert any(
                    form.evaluate("(el, s) => el.matches(s)", s.replace("main ", ""))
                    for s in covered
                ), f"{path}: form {action or '(this page)'} is not saved-unchanged tested"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dates_show_and_round_trip_in_the_browser(browser, live_server, records, lang):
    with office_page(browser, live_server, records.agent, lang=lang) as page:
        page.goto(live_server.url + f"/office/leads/{records.lead.pk}/edit/")
        assert page.input_value("#id_next_follow_up") == FOLLOW_UP.isoformat()
        page.goto(live_server.url + f"/office/catalogue/spaces/{records.space.pk}/")
        assert page.input_value("#id_available_from") == AVAILABLE.isoformat()

        # A date typed into the follow-up form is stored as typed.
        page.goto(live_server.url + f"/office/leads/{records.lead.pk}/")
        day = timezone.localdate() + timedelta(days=30)
        follow_up = page.locator("form[action$='/follow-up/']")
        follow_up.locator("[name=note]").fill("浏览器里记的跟进")
        follow_up.locator("[name=next_follow_up]").fill(day.isoformat())
        with page.expect_navigation():
            follow_up.locator("button[type=submit]").click()
        assert FollowUp.objects.get(note="浏览器里记的跟进").next_follow_up == day
        assert Lead.objects.get(pk=records.lead.pk).next_follow_up == day

        # And a changed date on the space form is stored as typed (nothing else changes).
        before = _row(Space, records.space.pk)
        page.goto(live_server.url + f"/office/catalogue/spaces/{records.space.pk}/")
        page.fill("#id_available_from", "2027-03-01")
        with page.expect_navigation():
            page.locator("form.catalogue-form button[type=submit]").click()
        after = _row(Space, records.space.pk)
        assert after["available_from"] == date(2027, 3, 1)
        changed = {k for k in before if before[k] != after[k]}
        assert changed <= {"available_from", "updated_at", "confirmed_at"}
