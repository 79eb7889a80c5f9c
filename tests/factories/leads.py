from __future__ import annotations

import factory
from django.utils import timezone

from parklink.leads.choices import Channel, ConsentBasis, FollowUpKind
from parklink.leads.models import FollowUp, Inquiry, Lead, Tag
from parklink.leads.services import company_key


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    ref = factory.Sequence(lambda n: f"LT{n:06d}")
    company = factory.Sequence(lambda n: f"北京测试生物科技有限公司{n}")
    company_key = factory.LazyAttribute(lambda o: company_key(o.company))
    contact = "王先生"
    mobile = factory.Sequence(lambda n: f"1701{n:07d}")
    need = "需要1000平米GMP厂房"
    channel = Channel.WEB
    consent_basis = ConsentBasis.FORM
    last_inquiry_at = factory.LazyFunction(timezone.now)


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    lead = factory.SubFactory(LeadFactory)
    channel = Channel.WEB
    data = factory.LazyAttribute(lambda o: {"need": o.lead.need})
    digest = factory.Sequence(lambda n: f"{n:064d}")


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    lead = factory.SubFactory(LeadFactory)
    kind = FollowUpKind.CALL
    note = "电话沟通需求"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"标签{n}")
