"""Exchange kinds of the catalogue: parks (园区), park facts (园区事实) and spaces (房源).

See ``parklink.core.exchange`` for the protocol. Cells are converted with
``parklink.zh.units`` (亩, 万平方米, 平方公里 → m²; 元/平方米/月 → 元/平方米/天;
吨/平方米 → kg/m²; MVA → kVA), districts with ``parklink.zh.places``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parklink.core.exchange import (
    Column,
    Counts,
    Report,
    Row,
    check_range,
    choices_text,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
)
from parklink.parks.choices import (
    Deal,
    FactKind,
    FactOrigin,
    FireClass,
    Letting,
    PriceUnit,
    SpaceKind,
    SpaceStatus,
)
from parklink.parks.models import MAX_AREA_M2, Park, ParkFact, Space, SpaceChange
from parklink.parks.rules import RULE_KEYS, normalise_rules
from parklink.parks.services import (
    park_fact_add,
    park_rules_set,
    park_upsert,
    space_bulk_upsert,
    space_check,
    space_upsert,
)
from parklink.zh import units
from parklink.zh.places import BEIJING_DISTRICTS, normalise_district

BEIJING = "北京市"
URL_SPLIT = r"[\s、;；|]+"

# Beyond these a figure is a typo, not a listing (rent per m² per day, sale per m², 万元).
MAX_RENT_DAY = Decimal(100)
MAX_SALE_M2 = Decimal(500000)
MAX_TOTAL_WAN = Decimal(10000000)
MAX_PARK_AREA_M2 = MAX_AREA_M2 * 100


def _area(maximum: Decimal, minimum: Decimal = Decimal(0)):
    def parse(value: Any, unit: str) -> Decimal | None:
        if value is None:
            return None
        m2 = units.parse_area(value, unit)
        if m2 < 0:
            raise ValueError("面积不能为负 / area must not be negative")
        if m2 < minimum:
            raise ValueError("面积必须大于0 / area must be positive")
        if m2 > maximum:
            raise ValueError("面积大得不合理 / area is absurdly large")
        return m2

    return parse


def _quantity(converter, minimum, maximum, what_zh: str, what_en: str):
    def parse(value: Any, unit: str) -> Decimal | None:
        if value is None:
            return None
        number = converter(value, unit)
        if number < minimum or number > maximum:
            raise ValueError(f"{what_zh}超出合理范围 / {what_en} out of range")
        return number

    return parse


def _price(value: Any, unit: str) -> tuple[Decimal, str] | None:
    if value is None:
        return None
    number, canonical = units.parse_price(value, unit)
    if number < 0:
        raise ValueError("价格不能为负 / price must not be negative")
    return number, canonical


def _price_unit(value: Any, unit: str) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    units.price_unit_normalise(text)  # raises for unknown units
    return text


def _district(value: Any, unit: str) -> str | None:
    if value is None:
        return None
    return str(value).strip()


RULES_FIELDS = ("rules", "rules_sources")


def _rules(value: Any, unit: str) -> dict[str, Any] | None:
    """A park's admission rules: a JSON object (or its text in a CSV/XLSX cell)."""
    if value is None:
        return None
    return normalise_rules(value)


# --- Parks ---------------------------------------------------------------------------------


class ParkKind:
    """Parks, upserted by name."""

    name = "parks"
    sheet_names = ("园区", "parks")
    columns = (
        Column("name", "园区名称", required=True, aliases=("园区",), parse=parse_text(100)),
        Column("aliases", "别名", many=True, parse=parse_text(100)),
        Column("english_name", "英文名", parse=parse_text(200)),
        Column("city", "城市", parse=parse_text(20)),
        Column(
            "district",
            "区县",
            aliases=("所在区", "行政区", "区域"),
            parse=_district,
            allowed="北京16区全称(如 昌平区)或其他城市的区县 / a Beijing district (昌平区 …)",
        ),
        Column("address", "地址", parse=parse_text(200)),
        Column("latitude", "纬度", parse=parse_decimal(-90, 90, 6), allowed="-90–90"),
        Column("longitude", "经度", parse=parse_decimal(-180, 180, 6), allowed="-180–180"),
        Column("industries", "主导产业", aliases=("产业",), many=True, parse=parse_text(50)),
        Column(
            "planned_area_m2",
            "规划面积(平方米)",
            aliases=("规划面积",),
            parse=_area(MAX_PARK_AREA_M2),
            allowed="0–10000平方公里;单位 平方米/亩/万平方米/平方公里",
        ),
        Column(
            "building_area_m2",
            "建筑面积(平方米)",
            parse=_area(MAX_PARK_AREA_M2),
            allowed="0–10000平方公里;单位 平方米/亩/万平方米/平方公里",
        ),
        Column(
            "founded",
            "成立时间",
            aliases=("建设时间", "成立/建设时间"),
            parse=parse_text(10),
            allowed="YYYY | YYYY-MM | YYYY-MM-DD",
        ),
        Column("operator", "运营方", aliases=("运营单位",), parse=parse_text(100)),
        Column(
            "min_annual_tax_yuan_per_m2",
            "最低年纳税(元/平方米)",
            aliases=("亩均税收",),
            parse=parse_decimal(0, 100000, 2),
            allowed="0–100000 元/平方米/年",
        ),
        Column("description", "简介", aliases=("介绍",), parse=parse_text()),
        Column("sources", "来源", many=True, split=URL_SPLIT, parse=parse_text(500)),
        Column("is_demo", "演示数据", parse=parse_bool, allowed="是 | 否"),
        Column(
            "rules",
            "准入条件",
            parse=_rules,
            allowed="JSON 对象,键 / a JSON object with keys: " + " | ".join(RULE_KEYS),
        ),
        Column("rules_sources", "准入条件来源", many=True, split=URL_SPLIT, parse=parse_text(500)),
    )

    def pending_keys(self, row: Row) -> list[str]:
        """A park of this import may be named by later kinds (spaces, orgs) by its name or by
        any alias the row gives it, also a new alias of a park that exists."""
        return [str(k) for k in (row.values.get("name"), *(row.values.get("aliases") or [])) if k]

    def import_rows(self, rows: list[Row], *, report: Report, actor: Any) -> Counts:
        counts = Counts()
        seen: dict[str, int] = {}
        # A row that leaves out the city keeps the park's: its district is read in that city.
        cities = dict(Park.objects.values_list("name", "city"))
        for row in rows:
            before = len(report.problems)
            v = row.values
            name = v.get("name") or ""
            if name in seen:
                report.add(
                    row, "name", name, f"与第{seen[name]}行重复 / duplicate of row {seen[name]}"
                )
                continue
            seen[name] = row.number
            data = {k: val for k, val in v.items() if k not in ("industries", *RULES_FIELDS)}
            if "industries" in v:
                data["industries"] = v["industries"] or []
            city = (v.get("city") if "city" in v else cities.get(name)) or BEIJING
            if v.get("district"):
                district = v["district"]
                if city.startswith("北京"):
                    full = normalise_district(district)
                    if full is None:
                        report.add(
                            row,
                            "district",
                            district,
                            "未知的区县 / unknown district",
                            "、".join(BEIJING_DISTRICTS),
                        )
                    else:
                        data["district"] = full
            if v.get("founded"):
                data["founded"] = _partial_date(row, v["founded"], report)
            for key in ("aliases", "sources"):
                if key in v and v[key] is None:
                    data[key] = []
            if len(report.problems) > before:
                continue
            try:
                _park, status = park_upsert(data=data, actor=actor)
                if any(k in v for k in RULES_FIELDS):
                    rules_changed = park_rules_set(
                        park=_park,
                        rules=v.get("rules", _park.rules),
                        sources=v.get("rules_sources") if "rules_sources" in v else None,
                        actor=actor,
                    )
                    if rules_changed and status == "unchanged":
                        status = "updated"
            except ValidationError as exc:
                report.add_validation_error(row, exc)
                continue
            setattr(counts, status, getattr(counts, status) + 1)
        return counts

    def export_rows(self) -> Iterable[dict[str, Any]]:
        for p in Park.objects.prefetch_related("industries").order_by("name"):
            yield {
                "name": p.name,
                "aliases": p.aliases,
                "english_name": p.english_name,
                "city": p.city,
                "district": p.district,
                "address": p.address,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "industries": sorted(i.name for i in p.industries.all()),
                "planned_area_m2": p.planned_area_m2,
                "building_area_m2": p.building_area_m2,
                "founded": p.founded,
                "operator": p.operator,
                "min_annual_tax_yuan_per_m2": p.min_annual_tax_yuan_per_m2,
                "description": p.description,
                "sources": p.sources,
                "is_demo": p.is_demo,
                "rules": p.rules or {},
                "rules_sources": p.rules_sources,
            }


def _partial_date(row: Row, value: Any, report: Report) -> str:
    text = str(value).strip()
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    text = text.replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-")
    text = text.replace(".", "-").strip("-")
    parts = text.split("-")
    if text.isdecimal() and len(text) == 4:
        return text
    if len(parts) in (2, 3) and all(p.isdecimal() for p in parts) and len(parts[0]) == 4:
        return "-".join([parts[0], *(p.zfill(2) for p in parts[1:])])
    report.add(
        row, "founded", value, "日期格式不正确 / malformed date", "YYYY | YYYY-MM | YYYY-MM-DD"
    )
    return text


def park_lookup() -> dict[str, Park]:
    """Every park by its name and by each alias (names win over aliases)."""
    lookup: dict[str, Park] = {}
    parks = list(Park.objects.all())
    for p in parks:
        for alias in p.aliases:
            lookup.setdefault(str(alias).strip(), p)
    for p in parks:
        lookup[p.name] = p
    return lookup


# --- Park facts ------------------------------------------------------------------------------


class ParkFactKind:
    """Sourced facts of parks; a fact is identified by park, kind, label, as-of and value."""

    name = "facts"
    sheet_names = ("园区事实", "facts")
    columns = (
        Column("park", "园区名称", required=True, aliases=("园区",), parse=parse_text(100)),
        Column(
            "kind",
            "事实类型",
            required=True,
            parse=parse_choice(FactKind.choices),
            allowed=choices_text(FactKind.choices),
        ),
        Column("label", "说明", parse=parse_text(200)),
        Column("value", "数值", parse=parse_decimal(places=4)),
        Column("value_text", "原文数值", parse=parse_text(200)),
        Column("unit", "单位", parse=parse_text(16)),
        Column("as_of", "时点", parse=parse_text(10)),
        Column("source_url", "来源链接", parse=parse_text(500)),
        Column("source_title", "来源", parse=parse_text(300)),
        Column("source_text", "原文句子", parse=parse_text()),
        Column(
            "origin",
            "来源类型",
            parse=parse_choice(FactOrigin.choices),
            allowed=choices_text(FactOrigin.choices),
        ),
        Column("uncertain", "存疑", parse=parse_bool, allowed="是 | 否"),
    )

    KEY = ("kind", "label", "as_of", "value_text", "source_url")

    def import_rows(self, rows: list[Row], *, report: Report, actor: Any) -> Counts:
        counts = Counts()
        parks = park_lookup()
        for row in rows:
            v = row.values
            park = parks.get(v.get("park") or "")
            if park is None:
                report.add(
                    row, "park", v.get("park"), "园区不存在 / park does not exist", "已有园区名称"
                )
                continue
            data = {k: (val if val is not None else _fact_default(k)) for k, val in v.items()}
            data.pop("park")
            key = {k: data.get(k, "") for k in self.KEY}
            if ParkFact.objects.filter(park=park, **key).exists():
                counts.unchanged += 1
                continue
            try:
                park_fact_add(park=park, data=data, actor=actor)
            except ValidationError as exc:
                report.add_validation_error(row, exc)
                continue
            counts.created += 1
        return counts

    def export_rows(self) -> Iterable[dict[str, Any]]:
        for f in ParkFact.objects.select_related("park").order_by("park__name", "pk"):
            yield {
                "park": f.park.name,
                **{c.field: getattr(f, c.field) for c in self.columns if c.field != "park"},
            }


def _fact_default(field: str) -> Any:
    if field == "value":
        return None
    if field == "uncertain":
        return False
    if field == "origin":
        return FactOrigin.MANUAL
    return ""


# --- Spaces ----------------------------------------------------------------------------------

AREA_ALLOWED = "1–100000000 平方米;单位 平方米/亩/万平方米/平方公里"


class SpaceKindExchange:
    """Spaces (listings), upserted by ``ref``; their park must exist (by name or alias)."""

    name = "spaces"
    sheet_names = ("房源", "spaces")
    columns = (
        Column("ref", "编号", required=True, aliases=("房源编号",), parse=parse_text(64)),
        Column(
            "park",
            "所属园区",
            required=True,
            aliases=("园区", "园区名称"),
            parse=parse_text(100),
            allowed="已有园区的名称或别名 / an existing park's name or alias",
        ),
        Column("building", "楼栋", parse=parse_text(100)),
        Column("title", "标题", parse=parse_text(200)),
        Column(
            "kind",
            "类型",
            required=True,
            aliases=("房源类型", "载体类型"),
            parse=parse_choice(SpaceKind.choices),
            allowed=choices_text(SpaceKind.choices),
        ),
        Column(
            "deal",
            "租售",
            required=True,
            aliases=("租售类型",),
            parse=parse_choice(Deal.choices),
            allowed=choices_text(Deal.choices),
        ),
        Column(
            "letting",
            "租赁方式",
            parse=parse_choice(Letting.choices),
            allowed=choices_text(Letting.choices),
        ),
        Column(
            "min_lettable_m2",
            "最小可租面积(平方米)",
            parse=_area(MAX_AREA_M2, Decimal(1)),
            allowed=AREA_ALLOWED,
        ),
        Column(
            "area_m2",
            "面积(平方米)",
            required=True,
            aliases=("面积", "建筑面积"),
            parse=_area(MAX_AREA_M2, Decimal(1)),
            allowed=AREA_ALLOWED,
        ),
        Column(
            "price",
            "价格",
            aliases=("租金", "售价"),
            parse=_price,
            allowed="出租 0–100 元/平方米/天(可写 元/平方米/月);出售 元/平方米 或 万元",
        ),
        Column(
            "price_unit",
            "价格单位",
            parse=_price_unit,
            allowed="元/平方米/天 | 元/平方米/月 | 元/平方米 | 万元",
        ),
        Column("floor", "楼层", parse=parse_text(20)),
        Column(
            "ceiling_height_m",
            "层高(米)",
            aliases=("净高",),
            parse=_quantity(units.parse_length, Decimal("1.5"), Decimal(60), "层高", "height"),
            allowed="1.5–60 米",
        ),
        Column(
            "floor_load_kg_m2",
            "承重(公斤/平方米)",
            aliases=("荷载", "楼面荷载"),
            parse=_quantity(units.parse_load, 0, 20000, "承重", "floor load"),
            allowed="0–20000 公斤/平方米(可写 吨/平方米)",
        ),
        Column(
            "power_kva",
            "配电(kVA)",
            aliases=("电力", "供电", "配电容量"),
            parse=_quantity(units.parse_power, 0, 1000000, "配电", "power"),
            allowed="0–1000000 kVA",
        ),
        Column("dual_power", "双回路", parse=parse_bool, allowed="是 | 否"),
        Column(
            "column_spacing_m",
            "柱距(米)",
            parse=_quantity(units.parse_length, 1, 100, "柱距", "column spacing"),
            allowed="1–100 米",
        ),
        Column("freight_lifts", "货梯数量", aliases=("货梯",), parse=parse_int(0, 100)),
        Column(
            "fire_class",
            "消防等级",
            parse=parse_choice(
                [*FireClass.choices, *((v, f"{v}类") for v, _label in FireClass.choices)]
            ),
            allowed=choices_text(FireClass.choices),
        ),
        Column("env_assessment", "可办环评", parse=parse_bool, allowed="是 | 否"),
        Column("gmp", "GMP", aliases=("是否GMP", "GMP厂房"), parse=parse_bool, allowed="是 | 否"),
        Column("cleanroom_class", "洁净等级", parse=parse_text(20)),
        Column(
            "available_from",
            "可入驻日期",
            aliases=("入驻时间", "可租日期"),
            parse=parse_date,
            allowed="YYYY-MM-DD",
        ),
        Column(
            "status",
            "状态",
            parse=parse_choice(SpaceStatus.choices),
            allowed=choices_text(SpaceStatus.choices),
        ),
        Column("description", "描述", aliases=("备注", "说明"), parse=parse_text()),
        Column("photos", "图片", many=True, split=URL_SPLIT, parse=parse_text(500)),
        Column("is_demo", "演示数据", parse=parse_bool, allowed="是 | 否"),
    )

    catalogue = True
    batch_size = 500

    def import_rows(self, rows: list[Row], *, report: Report, actor: Any) -> Counts:
        """Row by row through ``space_upsert`` (kept for callers outside the import)."""
        counts = Counts()
        parks = park_lookup()
        existing = _existing([r.values.get("ref") for r in rows])
        leased, held = _lease_holds([s.pk for s in existing.values()], timezone.localdate())
        seen: dict[str, int] = {}
        for row in rows:
            before = len(report.problems)
            data = self._clean(row, parks, report, seen)
            if data is None or len(report.problems) > before:
                continue
            current = existing.get(data["ref"])
            if current is not None and current.pk in leased:
                _lease_status(data, current, held=current.pk in held)
            try:
                with transaction.atomic():
                    _space, status = space_upsert(data=data, actor=actor)
            except ValidationError as exc:
                report.add_validation_error(row, exc)
                continue
            setattr(counts, status, getattr(counts, status) + 1)
        _statuses_follow_leases([r.values.get("ref") for r in rows], actor=actor, journal=None)
        return counts

    # The batched import (parklink.core.exchange.import_files): plan validates every row
    # without writing; write upserts one batch in a few queries.

    def plan(
        self, rows: list[Row], *, report: Report, actor: Any, pending: dict[str, set[str]]
    ) -> list[tuple[Row, dict[str, Any], str]]:
        parks = park_lookup()
        future = pending.get("parks", set()) - set(parks)
        existing = _existing([r.values.get("ref") for r in rows])
        leased, held = _lease_holds([s.pk for s in existing.values()], timezone.localdate())
        seen: dict[str, int] = {}
        plan: list[tuple[Row, dict[str, Any], str]] = []
        for row in rows:
            before = len(report.problems)
            data = self._clean(row, parks, report, seen, future=future)
            if data is None or len(report.problems) > before:
                continue
            current = existing.get(data["ref"])
            if current is not None and current.pk in leased:
                _lease_status(data, current, held=current.pk in held)
            try:
                changed = space_check(data=data, existing=current)
            except ValidationError as exc:
                report.add_validation_error(row, exc)
                continue
            park = data["park"]
            if current is not None and isinstance(park, Park) and current.park_id != park.pk:
                changed.append("park")
            status = "created" if current is None else ("updated" if changed else "unchanged")
            if current is not None and "building" in data and status == "unchanged":
                status = "updated"  # decided when written (the building may be new)
            plan.append((row, data, status))
        return plan

    def plan_counts(self, plan: list[tuple[Row, dict[str, Any], str]]) -> Counts:
        counts = Counts()
        for _row, _data, status in plan:
            setattr(counts, status, getattr(counts, status) + 1)
        return counts

    def plan_batches(self, plan: list[tuple[Row, dict[str, Any], str]], size: int):
        for i in range(0, len(plan), size):
            yield plan[i : i + size]

    def write(self, chunk: list[tuple[Row, dict[str, Any], str]], *, actor: Any, journal: Any):
        parks = park_lookup()
        items = []
        for _row, data, _status in chunk:
            park = data["park"]
            if not isinstance(park, Park):
                if park not in parks and getattr(journal, "simulated", False):
                    continue  # a dry run: the park's row was refused (reported there)
                park = parks[park]
            items.append({**data, "park": park})
        done = space_bulk_upsert(items=items, actor=actor, journal=journal)
        # A new listing has no lease yet: only the listings that existed may be held.
        _statuses_follow_leases(
            [d["ref"] for _row, d, status in chunk if status != "created"],
            actor=actor,
            journal=journal,
        )
        return Counts(done["created"], done["updated"], done["unchanged"])

    def _clean(
        self,
        row: Row,
        parks: dict[str, Park],
        report: Report,
        seen: dict[str, int],
        *,
        future: set[str] | None = None,
    ) -> dict[str, Any] | None:
        v = row.values
        ref = v.get("ref") or ""
        if ref in seen:
            report.add(row, "ref", ref, f"与第{seen[ref]}行编号重复 / duplicate of row {seen[ref]}")
            return None
        seen[ref] = row.number
        data = {k: val for k, val in v.items() if k not in ("price", "price_unit")}
        park: Park | str | None = parks.get(v.get("park") or "")
        if park is None and future and (v.get("park") or "") in future:
            park = v["park"]  # created by this import before its spaces are written
        if park is None:
            report.add(
                row,
                "park",
                v.get("park"),
                "园区不存在 / park does not exist",
                "已有园区的名称或别名(先导入园区) / an existing park (import parks first)",
            )
            return None
        data["park"] = park
        for key in ("photos",):
            if key in v and v[key] is None:
                data[key] = []
        if "price" in v or "price_unit" in v:
            price = v.get("price")
            written_unit = v.get("price_unit") or ""
            if price is None:
                data["price"], data["price_unit"] = None, ""
            else:
                number, canonical = price
                if not canonical:
                    try:
                        number, canonical = (
                            units.normalise_price(number, written_unit)
                            if written_unit
                            else (number, _default_price_unit(v.get("deal")))
                        )
                    except ValueError as exc:
                        report.add(row, "price_unit", written_unit, str(exc))
                        return None
                if not _price_plausible(number, canonical, v.get("deal")):
                    report.add(
                        row,
                        "price",
                        None,
                        "价格不合理 / price is implausible",
                        f"出租 ≤ {MAX_RENT_DAY} 元/平方米/天;出售 ≤ {MAX_SALE_M2} 元/平方米 "
                        f"或 ≤ {MAX_TOTAL_WAN} 万元",
                    )
                    return None
                data["price"], data["price_unit"] = number, canonical
        return data

    def export_rows(self) -> Iterable[dict[str, Any]]:
        qs = Space.objects.select_related("park", "building").order_by("ref")
        for s in qs.iterator(chunk_size=2000):
            row = {c.field: getattr(s, c.field) for c in self.columns}
            row["park"] = s.park.name
            row["building"] = s.building.name if s.building_id else ""
            yield row


def _existing(refs: list[Any]) -> dict[str, Space]:
    """The listings with these refs, by ref (one query per 900)."""
    wanted = [r for r in refs if r]
    existing: dict[str, Space] = {}
    for i in range(0, len(wanted), 900):
        for s in Space.objects.filter(ref__in=wanted[i : i + 900]):
            existing[s.ref] = s
    return existing


# --- A space's status follows its leases ---------------------------------------------------
#
# The rule is the leases app's (``leases.services.space_status_sync``): a listing for rent
# held by a lease today is 已租 whatever status it was given (可租 …); one whose leases all
# ended is 可租 again if it still says 已租; a withdrawn (下架) listing and one without leases
# keep the status typed. tests/exchange/test_import_leased_spaces.py checks that the plan's
# status is the one ``space_status_sync`` then leaves, case by case.
# An import of spaces keeps to it in the same transaction: the plan applies it to the rows
# (so a re-imported catalogue whose status cells say 可租 for a held listing is unchanged,
# and writes no history or audit entry), and each batch then asks ``space_status_sync`` for
# the listings of it that have leases (the authority, e.g. for a lease written meanwhile).
# The leases app sits above parks (a lease names a space), hence the imports in the
# functions: only an import that touches listings with leases needs it.


def _lease_holds(space_ids: list[int], today: date) -> tuple[set[int], set[int]]:
    """(the spaces with any lease, those a lease holds on ``today``) among ``space_ids``:
    one query per 900 spaces, a second only for a chunk with leases."""
    from parklink.leases.models import Lease

    leased: set[int] = set()
    held: set[int] = set()
    for i in range(0, len(space_ids), 900):
        chunk = set(
            Lease.objects.filter(space_id__in=space_ids[i : i + 900])
            .order_by()  # the default ordering's columns would join the DISTINCT
            .values_list("space_id", flat=True)
            .distinct()
        )
        if chunk:
            leased |= chunk
            held.update(
                Lease.objects.filter(space_id__in=chunk)
                .active_on(today)
                .values_list("space_id", flat=True)
            )
    return leased, held


def _lease_status(data: dict[str, Any], current: Space, *, held: bool) -> None:
    """Make the row's status the one its leases give (``space_status_sync``'s rule), for an
    existing listing with leases."""
    deal = data.get("deal") or current.deal
    # The status the row leaves: its own (an empty cell: the deal's default) or the current.
    status = (data["status"] or _default_status(deal)) if "status" in data else current.status
    if deal != Deal.RENT or status == SpaceStatus.WITHDRAWN:
        return  # a listing for sale, or withdrawn (the operator's decision): as the row says
    if held:
        wanted = SpaceStatus.LEASED
    elif status == SpaceStatus.LEASED:
        wanted = SpaceStatus.FOR_RENT
    else:
        return
    data["status"] = wanted


def _statuses_follow_leases(refs: list[Any], *, actor: Any, journal: Any) -> None:
    """Re-derive from their leases the status of the listings ``refs`` that have leases,
    in the caller's transaction (one query finds them; none with leases, no more)."""
    refs = [r for r in refs if r]
    if not refs:
        return
    from parklink.core.import_journal import recording_saves
    from parklink.leases.models import Lease
    from parklink.leases.services import space_status_sync

    ids: set[int] = set()
    for i in range(0, len(refs), 900):
        ids.update(
            Lease.objects.filter(space__ref__in=refs[i : i + 900])
            .order_by()
            .values_list("space_id", flat=True)
            .distinct()
        )
    if not ids:
        return
    if journal is None:
        space_status_sync(space_ids=ids, actor=actor)
        return
    # What the sync changes is undone with the import: its prior state (as this batch left
    # it) in a later undo record than the batch's own, so it is restored first; its history
    # rows (bulk-created, so no save to record) by their ids.
    journal.flush()
    last = SpaceChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with recording_saves(journal):
        changed = space_status_sync(space_ids=ids, actor=actor)
    if changed:
        journal.created(SpaceChange.objects.filter(space_id__in=ids, pk__gt=last).only("pk"))


def _default_status(deal: str | None) -> str:
    return SpaceStatus.FOR_SALE if deal == Deal.SALE else SpaceStatus.FOR_RENT


def _default_price_unit(deal: str | None) -> str:
    return PriceUnit.YUAN_M2 if deal == Deal.SALE else PriceUnit.YUAN_M2_DAY


def _price_plausible(number: Decimal, unit: str, deal: str | None) -> bool:
    limit = {
        PriceUnit.YUAN_M2_DAY: MAX_RENT_DAY,
        PriceUnit.YUAN_M2: MAX_SALE_M2,
        PriceUnit.WAN_TOTAL: MAX_TOTAL_WAN,
    }.get(unit)
    try:
        check_range(number, 0, limit)
    except ValueError:
        return False
    return True


PARKS = ParkKind()
FACTS = ParkFactKind()
SPACES = SpaceKindExchange()
