"""Filter of the organisation register, shared by the office and the API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from parklink.core.hygiene import parse_id
from parklink.orgs.choices import OrgKind
from parklink.orgs.models import Organization


@dataclass(frozen=True)
class OrgFilter:
    q: str = ""
    kind: str = ""
    industry: str = ""
    park: int | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> OrgFilter:
        kind = str(params.get("kind") or "")
        park = str(params.get("park") or "")
        return cls(
            q=str(params.get("q") or "")[:100],
            kind=kind if kind in OrgKind.values else "",
            industry=str(params.get("industry") or "")[:50],
            park=parse_id(park),
        )

    def apply(self, qs: QuerySet[Organization]) -> QuerySet[Organization]:
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.industry:
            qs = qs.filter(industry=self.industry)
        if self.park is not None:
            qs = qs.filter(park_id=self.park)
        if self.q:
            qs = qs.filter(Q(name__icontains=self.q) | Q(uscc=self.q.upper()))
        return qs
