"""Reads of the organisation register."""

from __future__ import annotations

from django.db.models import QuerySet

from parklink.orgs.filters import OrgFilter
from parklink.orgs.models import Organization


def org_list(filters: OrgFilter | None = None) -> QuerySet[Organization]:
    qs = Organization.objects.select_related("park").order_by("name")
    return filters.apply(qs) if filters is not None else qs


def org_get(pk: int) -> Organization:
    return Organization.objects.select_related("park").get(pk=pk)
