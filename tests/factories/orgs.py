from __future__ import annotations

import factory

from parklink.orgs.choices import OrgKind
from parklink.orgs.models import Organization


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试生物科技有限公司{n}")
    kind = OrgKind.ENTERPRISE
    industry = "生物医药"
