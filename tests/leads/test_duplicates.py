"""Duplicates (issue 11): the folded company key (table-driven), intake merging by USCC,
mobile and folded name, and the manual merge and split that keep every Inquiry and the
audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from parklink.core.models import AuditEntry
from parklink.leads import services
from parklink.leads.choices import Channel
from parklink.leads.models import FollowUp, Inquiry, Lead
from parklink.leads.selectors import lead_scope
from parklink.zh.company import company_core, company_key
from tests.factories.leads import FollowUpFactory, InquiryFactory, LeadFactory, TagFactory

SAME = [
    ("华芯半导体", "北京华芯半导体有限公司"),
    ("北京华芯半导体有限公司", "華芯半導體(北京)有限公司"),
    ("华芯半导体", "Huaxin Bandaoti Co., Ltd."),
    ("北京华康生物科技有限公司", "北京市海淀区华康生物科技股份有限公司"),
    ("华康生物科技有限公司", "（北京）华康生物科技有限公司"),
    ("上海联影医疗科技股份有限公司", "联影医疗科技有限公司"),
    ("ＡＢＣ科技有限公司", "abc科技"),
    ("Siemens Healthineers GmbH", "siemens healthineers"),
    ("深圳市华大基因股份有限公司", "华大基因"),
]
DIFFERENT = [
    ("北京银行", "中国银行"),  # the region is the name here: never folded to 银行
    ("华芯半导体", "华康生物科技"),
    ("Tesco PLC", "Tes"),  # "co" of Tesco is not a legal form
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_company_key_folds_variants(a, b):
    assert company_key(a) and company_key(a) == company_key(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_company_key_keeps_different_companies_apart(a, b):
    assert company_key(a) != company_key(b)


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("北京华芯半导体有限公司", "华芯半导体"),
        ("北京银行", "北京银行"),
        ("華芯半導體(北京)有限公司", "华芯半导体"),
    ],
)
def test_company_core(name, core):
    assert company_core(name) == core


@pytest.mark.parametrize("name", ["", "有限公司", "北京有限公司", "A", "北京市"])
def test_names_too_vague_get_no_key(name):
    assert company_key(name) == ""


def submit(valid_data, **change):
    return services.lead_submit(data={**valid_data, **change}, channel=Channel.WEB)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"company": "华康生物", "uscc": "91110108MA01ABCD1E", "mobile": "13900000001"},
        {"company": "華康生物科技(北京)有限公司", "mobile": "13900000002"},
        {"company": "Huakang Shengwu Keji", "mobile": "13900000003"},
        {"company": "完全不同的名字有限公司", "mobile": "138-0013-8000"},
    ],
    ids=["uscc", "traditional-and-brackets", "pinyin", "mobile"],
)
def test_intake_merges_duplicates(valid_data, change):
    valid_data = {**valid_data, "uscc": "91110108MA01ABCD1E"}
    if "uscc" not in change:
        valid_data.pop("uscc")
    first = submit(valid_data)
    second = submit(valid_data, **change)
    assert second.pk == first.pk
    assert Lead.objects.count() == 1 and Inquiry.objects.count() == 2


@pytest.mark.django_db
def test_intake_keeps_different_companies_apart(valid_data):
    submit(valid_data)
    submit(valid_data, company="北京华芯半导体有限公司", mobile="13900000009")
    assert Lead.objects.count() == 2


@pytest.fixture
def pair(agent):
    target = LeadFactory(owner=agent, company="北京华芯半导体有限公司", uscc="", industry="")
    source = LeadFactory(
        owner=agent, company="华芯半导体", uscc="91110108MA01ABCD1E", industry="集成电路"
    )
    for lead in (target, source):
        InquiryFactory(lead=lead)
        InquiryFactory(lead=lead)
    FollowUpFactory(lead=source, author=agent)
    source.tags.add(TagFactory(name="展会"))
    return target, source


@pytest.mark.django_db
def test_manual_merge_keeps_every_inquiry_and_the_trail(pair, agent):
    target, source = pair
    services.lead_update(lead=source, actor=agent, data={"need": "改过的需求"})
    trail_before = AuditEntry.objects.filter(target_id=str(source.pk)).count()
    inquiries = set(Inquiry.objects.values_list("pk", flat=True))
    merged = services.lead_merge(target=target, source=source, actor=agent)
    assert set(merged.inquiries.values_list("pk", flat=True)) == inquiries
    assert Inquiry.objects.count() == 4
    assert FollowUp.objects.get().lead == merged
    assert list(merged.tags.values_list("name", flat=True)) == ["展会"]
    assert merged.uscc == "91110108MA01ABCD1E" and merged.industry == "集成电路"
    assert merged.company == "北京华芯半导体有限公司"  # nothing on the target overwritten
    source.refresh_from_db()
    assert source.merged_into == merged
    assert source not in lead_scope(viewer=agent)  # a tombstone, listed nowhere
    # The source's own trail is intact, and both sides of the merge are recorded.
    assert AuditEntry.objects.filter(target_id=str(source.pk)).count() == trail_before + 1
    entry = AuditEntry.objects.get(action="lead.merge_manual")
    assert entry.actor == agent and entry.detail["from"] == source.pk
    assert sorted(entry.detail["inquiries"]) == sorted(
        Inquiry.objects.filter(pk__in=entry.detail["inquiries"]).values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_merge_refused_outside_scope_and_into_itself(pair, agent2, agent):
    target, source = pair
    with pytest.raises(PermissionDenied):
        services.lead_merge(target=target, source=source, actor=agent2)
    with pytest.raises(services.LeadStateError):
        services.lead_merge(target=target, source=target, actor=agent)
    assert Lead.objects.filter(merged_into__isnull=False).count() == 0


@pytest.mark.django_db
def test_split_moves_chosen_inquiries_to_a_new_lead(valid_data, agent):
    lead = submit(valid_data)
    other = submit(valid_data, company="另一家科技有限公司", contact="李女士")
    assert other.pk == lead.pk  # merged by mobile: a wrong merge to undo
    lead.owner = agent
    lead.save()
    wrong = Inquiry.objects.filter(data__contact="李女士").get()
    new = services.lead_split(lead=lead, actor=agent, inquiry_ids=[wrong.pk])
    assert new.pk != lead.pk and new.owner == agent
    assert new.company == "另一家科技有限公司" and new.contact == "李女士"
    assert list(new.inquiries.values_list("pk", flat=True)) == [wrong.pk]
    assert lead.inquiries.count() == 1 and Inquiry.objects.count() == 2
    assert AuditEntry.objects.filter(action="lead.split", target_id=str(lead.pk)).exists()
    assert AuditEntry.objects.filter(action="lead.split_from", target_id=str(new.pk)).exists()


@pytest.mark.django_db
def test_split_refuses_taking_every_inquiry(valid_data, agent):
    lead = submit(valid_data)
    lead.owner = agent
    lead.save()
    ids = list(lead.inquiries.values_list("pk", flat=True))
    with pytest.raises(services.LeadStateError):
        services.lead_split(lead=lead, actor=agent, inquiry_ids=ids)
    assert Lead.objects.count() == 1


@pytest.mark.django_db
def test_duplicates_listed_within_scope(agent, agent2):
    lead = LeadFactory(owner=agent, company="北京华芯半导体有限公司")
    mine = LeadFactory(owner=agent, company="華芯半導體")
    pool = LeadFactory(mobile=lead.mobile)
    LeadFactory(owner=agent2, company="华芯半导体")  # another agent's: not offered
    LeadFactory(owner=agent, company="无关公司有限公司")
    found = services.lead_duplicates(lead=lead, viewer=agent)
    assert {d.pk for d in found} == {mine.pk, pool.pk}
