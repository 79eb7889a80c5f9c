"""Template filters of the back office's lead pages: a lead's age and click-to-call."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parklink.leads import humanize
from parklink.leads.choices import Stage

register = template.Library()


@register.filter
def lead_age(created_at: datetime | None, today: date | None = None) -> str:
    """How long ago a lead came in, for a card: "今天", "3天"."""
    if created_at is None:
        return ""
    days = ((today or timezone.localdate()) - timezone.localdate(created_at)).days
    if days <= 0:
        return _("今天")
    return ngettext("%(n)s天", "%(n)s天", days) % {"n": days}


@register.filter
def tel_href(mobile: Any) -> str:
    """`tel:` URL of a full mainland mobile number (+86 prefix); "" for a masked one."""
    digits = "".join(ch for ch in str(mobile or "") if ch.isdecimal())
    if "*" in str(mobile or "") or len(digits) != 11 or not digits.startswith("1"):
        return ""
    return f"tel:+86{digits}"


@register.filter
def stage_label(value: str) -> str:
    """A pipeline stage by its label in the UI language (the stored value is Chinese)."""
    try:
        return str(Stage(value).label)
    except ValueError:
        return str(value)


@register.filter
def lead_value(value: Any, name: str) -> str:
    """A lead field's value as people read it: `{{ lead.annual_tax_wan|lead_value:"annual_tax_wan" }}`
    → "1,200 万元" ("12 million yuan" in English)."""
    return humanize.value_text(name, value)


@register.filter
def lead_area(lead: Any) -> str:
    """The lead's area range: "1,000–2,000 ㎡"."""
    return humanize.area_range(lead.area_min_m2, lead.area_max_m2)


@register.filter
def lead_budget(lead: Any) -> str:
    return humanize.budget_text(lead.budget, lead.budget_unit)
