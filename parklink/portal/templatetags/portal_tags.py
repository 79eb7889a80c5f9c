"""Template tags of the public portal: lead capture on every page (the contact card, the
lead form pre-filled from what the visitor is looking at, the phone call bar), QR codes,
English display names and humanised figures.

None of these runs a query: they read what the page's context already holds (the park,
the space, the search filters), so a list page's query count does not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

import segno
from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _lazy

from parklink.core.site import site_contact
from parklink.leads.forms import CONSENT_LABEL, LeadForm
from parklink.parks import english, humanize
from parklink.parks.photos import thumb_url

register = template.Library()


def _is_en() -> bool:
    return (get_language() or "").startswith("en")


# --- Names and figures ------------------------------------------------------------------------


@register.filter
def display_name(obj: Any) -> str:
    """The name in the active language: a park's, an industry's or an organisation's stored
    English name in the English UI (composed from its Chinese name when none is stored)."""
    if obj is None:
        return ""
    if isinstance(obj, str):
        return english.english_name(obj) if _is_en() else obj
    if isinstance(obj, dict):  # a row a selector made for a chart or a map
        name = str(obj.get("name", "") or "")
        return (obj.get("english_name") or english.english_name(name)) if _is_en() else name
    name = getattr(obj, "name", "") or ""
    if not _is_en():
        return name
    stored = getattr(obj, "english_name", "") or getattr(obj, "name_en", "")
    if stored:
        return stored
    if obj.__class__.__name__ == "Industry":
        return english.industry_en(name)
    return english.english_name(name)


HAN = re.compile(r"[\u4e00-\u9fff]")

# The 栏目 portals commonly file articles under (named here so makemessages keeps them).
NEWS_CATEGORIES = {
    "园区动态": _lazy("园区动态"),
    "北京产业信息": _lazy("北京产业信息"),
    "产业资讯": _lazy("产业资讯"),
    "行业资讯": _lazy("行业资讯"),
    "行业动态": _lazy("行业动态"),
    "政策解读": _lazy("政策解读"),
    "政策法规": _lazy("政策法规"),
    "招商信息": _lazy("招商信息"),
    "新闻动态": _lazy("新闻动态"),
    "园区新闻": _lazy("园区新闻"),
}


@register.filter
def category_name(name: str) -> str:
    """A news category (a site's 栏目, data) in the UI language: the catalogue knows the
    common ones; any other stays as the source wrote it."""
    if name and _is_en() and name in NEWS_CATEGORIES:
        return str(NEWS_CATEGORIES[name])
    return name or ""


@register.filter
def lang_attr(text: Any) -> SafeString:
    """` lang="zh-hans"` on an element whose text stays Chinese in the English UI (a title,
    a name, a quotation): screen readers and translators then know what it is."""
    return mark_safe(' lang="zh-hans"') if _is_en() and HAN.search(str(text or "")) else ""


# The exchange kinds (parklink export KIND) as the operator calls them.
EXCHANGE_KINDS = {
    "parks": _lazy("园区"),
    "facts": _lazy("园区数据"),
    "spaces": _lazy("房源"),
    "orgs": _lazy("机构"),
    "leads": _lazy("线索"),
    "policies": _lazy("政策"),
    "leases": _lazy("租约"),
}
CATCH_ALL = {"其他": _lazy("其他"), "未填写": _lazy("未填写"), "未分配": _lazy("未分配")}
FACT_UNITS = {"m2": "㎡", "kg/m2": "kg/㎡", "kva": "kVA", "yuan": _lazy("元"), "count": ""}


@register.filter
def fact_kind(kind: str) -> str:
    """A fact's kind as its label (planned_area → 规划面积 / Planned area); a kind the
    catalogue does not know (news facts may carry free words) is shown as written."""
    from parklink.parks.choices import FactKind

    try:
        return str(FactKind(kind).label)
    except ValueError:
        return kind or ""


@register.filter
def fact_unit(unit: str) -> str:
    """A normalised unit as people write it (m2 → ㎡, count → nothing)."""
    return str(FACT_UNITS.get(unit, unit or ""))


@register.filter
def can_manage(user: Any) -> bool:
    """Whether the office shows `user` the managers' pages (links an agent would meet as 403)."""
    from parklink.core.roles import is_manager

    return bool(user and user.is_authenticated and is_manager(user))


@register.filter
def exchange_kind(kind: str) -> str:
    """An exchange kind's name for the export menu (spaces → 房源 / Spaces)."""
    return str(EXCHANGE_KINDS.get(kind, kind))


@register.filter
def record_label(value: Any) -> Any:
    """A value that names something as a chart column or row (a lead channel or stage, an
    industry, a park) in the UI language; anything else (numbers, dates) unchanged."""
    if not _is_en() or not isinstance(value, str) or not HAN.search(value):
        return value
    from parklink.leads.choices import Channel, Stage

    for choices in (Channel, Stage):
        try:
            return str(choices(value).label)
        except ValueError:
            continue
    if value in CATCH_ALL:
        return str(CATCH_ALL[value])
    return english.industry_en(value)


@register.filter
def industry_names(names: Any) -> str:
    """A list of industry names joined as the UI language writes lists (生物医药、医疗器械 /
    Biomedicine, Medical devices)."""
    items = [str(n) for n in names or [] if n]
    if _is_en():
        return ", ".join(english.industry_en(n) for n in items)
    return "、".join(items)


@register.filter
def district_name(name: str) -> str:
    return english.district_en(name) if _is_en() else (name or "")


@register.filter
def area_h(value: Any, kind: str = "") -> str:
    """An area in m² as people write it (150 平方公里, 522 万㎡, 1,500 ㎡); ``kind`` "land"
    reads areas from one km² in 平方公里."""
    if value in (None, ""):
        return ""
    try:
        v = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return humanize.area(v, "en" if _is_en() else "zh", land=kind == "land")


@register.filter
def money_h(value: Any) -> str:
    if value in (None, ""):
        return ""
    return humanize.money(Decimal(str(value)), "en" if _is_en() else "zh")


@register.filter
def num(value: Any, places: int = 2) -> str:
    if value in (None, ""):
        return ""
    return humanize.number(Decimal(str(value)), int(places))


@register.filter
def qr_data_uri(data: str) -> str:
    """A QR code of ``data`` as an SVG data URI, made here (segno): no network, no script."""
    if not data:
        return ""
    return segno.make(str(data), error="m").svg_data_uri(scale=4, border=2)


@register.filter
def tel_href(number: str) -> str:
    """'400-000-0000' → 'tel:4000000000'; '400-000-0000 转 812' → 'tel:4000000000,812'
    (the phone dials the extension after a pause)."""
    parts = re.split(r"转|ext\.?|x", number or "", maxsplit=1, flags=re.I)
    main, ext = parts[0], parts[1] if len(parts) > 1 else ""
    digits = re.sub(r"[^\d+]", "", main)
    ext_digits = re.sub(r"\D", "", ext)
    if not digits:
        return ""
    return f"tel:{digits},{ext_digits}" if ext_digits else f"tel:{digits}"


# --- The contact card and the lead capture --------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """Whom a visitor calls: the park's 招商 agent, else the site's service line."""

    name: str
    photo: str
    hotline: str
    mobile: str
    wechat: str
    park_name: str = ""

    @property
    def phone(self) -> str:
        """The number the call buttons dial: the hotline, else the mobile."""
        return self.hotline or self.mobile

    @property
    def wechat_qr(self) -> str:
        return qr_data_uri(self.wechat) if self.wechat else ""


def contact_for(park: Any = None) -> Contact:
    site = site_contact()
    if park is not None and any(
        getattr(park, f, "") for f in ("agent_name", "agent_hotline", "agent_mobile")
    ):
        return Contact(
            name=park.agent_name or site["name"],
            photo=getattr(park, "agent_photo", "") or "",
            hotline=park.agent_hotline or site["hotline"],
            mobile=park.agent_mobile or "",
            wechat=park.agent_wechat or "",
            park_name=display_name(park),
        )
    return Contact(
        name=site["name"],
        photo="",
        hotline=site["hotline"],
        mobile=site["mobile"],
        wechat=site["wechat"],
    )


def _context_park(context: Any) -> Any:
    for key in ("space", "park", "org"):
        obj = context.get(key)
        if obj is None:
            continue
        if key == "park" and hasattr(obj, "agent_name"):
            return obj
        park = getattr(obj, "park", None)
        if park is not None and hasattr(park, "agent_name"):
            return park
    return None


def _plain_number(value: Any) -> str:
    """A form value: digits without thousands separators (1500, 2.5)."""
    return humanize.number(value, 2).replace(",", "")


def _range_text(lo: Any, hi: Any) -> str:
    lo_t = _plain_number(lo) if lo is not None else ""
    hi_t = _plain_number(hi) if hi is not None else ""
    if lo_t and hi_t:
        return f"{lo_t}-{hi_t}"
    return lo_t or (f"0-{hi_t}" if hi_t else "")


def lead_initial(context: Any) -> tuple[dict[str, object], str]:
    """The lead form's pre-filled values from the page: the space or park being read, the
    space search's filters (kind, deal, districts, area), the park list's district and
    industry, or the search words. Returns (initial, a short line saying what was taken)."""
    initial: dict[str, object] = {}
    about: list[str] = []
    space = context.get("space")
    park = _context_park(context)
    if space is not None and getattr(space, "ref", None):
        initial.update(space=space.ref, kind=space.kind, deal=space.deal)
        if getattr(space, "area_m2", None):
            initial["area_m2"] = _plain_number(space.area_m2)
        about.append(getattr(space, "title", "") or space.ref)
    if park is not None:
        initial["park"] = park.pk
        if not about:
            about.append(display_name(park))
        if getattr(park, "district", ""):
            initial["districts"] = park.district
    article = context.get("article")
    if article is not None and getattr(article, "pk", None) and hasattr(article, "body"):
        initial["article"] = article.pk  # the article this form is sent from
    filters = context.get("filters")
    if filters is not None and space is None:
        kinds = list(getattr(filters, "kinds", ()) or ())
        if kinds and kinds[0]:
            initial["kind"] = kinds[0]
        if getattr(filters, "deal", ""):
            initial["deal"] = filters.deal
        districts = list(getattr(filters, "districts", ()) or ())
        district = getattr(filters, "district", "")
        if districts or district:
            initial["districts"] = "、".join(districts) if districts else district
        area = _range_text(getattr(filters, "area_min", None), getattr(filters, "area_max", None))
        if area:
            initial["area_m2"] = area
        industry = getattr(filters, "industry", "")
        if industry:
            initial["industry"] = industry
        words = [
            str(initial.get("districts", "")),
            *kinds[:1],
            str(initial.get("deal", "")),
            f"{area}㎡" if area else "",
            industry,
            getattr(filters, "q", "") or "",
        ]
        need = " ".join(w for w in words if w)
        if need:
            initial["need"] = need
            about.append(need)
    query = context.get("search_query")
    if query and "need" not in initial:
        initial["need"] = query
        about.append(query)
    return initial, " · ".join(a for a in about if a)


@register.inclusion_tag("portal/partials/contact_card.html", takes_context=True)
def contact_card(context: Any, park: Any = None) -> dict[str, object]:
    return {"contact": contact_for(park or _context_park(context))}


@register.inclusion_tag("portal/partials/lead_capture.html", takes_context=True)
def lead_capture(context: Any, layout: str = "band") -> dict[str, object]:
    """The contact card and the compact lead form, pre-filled from the page (see
    ``lead_initial``); ``layout`` "band" (full width, end of page) or "side" (a sidebar)."""
    initial, about = lead_initial(context)
    park = _context_park(context)
    return {
        "form": LeadForm(initial=initial, auto_id="lc_%s"),
        "about": about,
        "contact": contact_for(park),
        "layout": layout,
        "space": context.get("space"),
        "park": park,
        "consent_label": CONSENT_LABEL,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("portal/partials/call_bar.html", takes_context=True)
def call_bar(context: Any) -> dict[str, object]:
    """The sticky bar of phones: call (tel:), inquire (the form on the page), WeChat."""
    return {"contact": contact_for(_context_park(context)), "request": context.get("request")}


@register.filter
def photo_thumb(url: str) -> str:
    return thumb_url(url or "")


@register.filter
def source_name(url: str) -> str:
    """A cited web page by its site: 'www.caixin.com/…' → 'caixin.com'."""
    host = urlsplit(url or "").hostname or ""
    return re.sub(r"^(www|m|wap)\.", "", host) or url


@register.filter
def has_links(sources: Any) -> bool:
    return any(str(s).startswith("http") for s in sources or [])
