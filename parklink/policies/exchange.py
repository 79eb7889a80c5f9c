"""Exchange kind `policies` (政策): the exchange format's policies in and out of `parklink
import` and `parklink export` (protocol: parklink.core.exchange), upserted by `ref`.

Fields, exactly those of the format: ref, title, issuer, region (a district or 北京市),
valid_from, valid_to, industries, conditions ([{"field", "op", "value"}]), benefit,
amount_wan_max, source. In CSV/XLSX `conditions` is one cell of JSON (a list, or objects
one after another).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from parklink.core.exchange import Column, Counts, Report, Row, parse_date, parse_text
from parklink.policies.eligibility import OPS, ConditionError, normalise_conditions
from parklink.policies.facts import CONDITION_FIELDS
from parklink.policies.models import Policy
from parklink.policies.services import conditions_from_text, policy_upsert, region_normalise

CONDITIONS_ALLOWED = (
    '[{"field", "op", "value"}];field: ' + " | ".join(CONDITION_FIELDS) + ";op: " + " ".join(OPS)
)


def _region(value: Any, unit: str) -> str | None:
    if value is None:
        return None
    return region_normalise(value)


def _conditions(value: Any, unit: str) -> list[dict[str, Any]] | None:
    if value is None:
        return None
    if isinstance(value, str):
        errors: dict[str, str] = {}
        value = conditions_from_text(value, errors)
        if errors:
            raise ValueError(errors["conditions"])
    if isinstance(value, dict):
        value = [value]
    try:
        return [c.to_dict() for c in normalise_conditions(value)]
    except ConditionError as exc:
        raise ValueError(str(exc)) from None


def _amount(value: Any, unit: str) -> Decimal | None:
    if value is None:
        return None
    from parklink.core.exchange import check_range, to_decimal

    number = to_decimal(value)
    if unit and unit.strip() in ("亿元", "亿"):
        number *= 10000
    elif unit and unit.strip() == "元":
        number /= 10000
    return check_range(number, 0, Decimal("10000000")).quantize(Decimal("0.01"))


class PolicyKind:
    """Policies, upserted by ``ref`` through ``policy_upsert``."""

    name = "policies"
    sheet_names = ("政策", "policies")
    columns = (
        Column("ref", "编号", required=True, aliases=("政策编号",), parse=parse_text(64)),
        Column("title", "政策名称", required=True, aliases=("名称", "标题"), parse=parse_text(200)),
        Column("issuer", "发布机构", aliases=("发文单位", "发布单位"), parse=parse_text(100)),
        Column(
            "region",
            "适用地区",
            aliases=("地区", "区域"),
            parse=_region,
            allowed="北京市 | 区县全称(如 昌平区) / 北京市 or a district",
        ),
        Column(
            "valid_from", "生效日期", aliases=("施行日期",), parse=parse_date, allowed="YYYY-MM-DD"
        ),
        Column(
            "valid_to", "截止日期", aliases=("有效期至",), parse=parse_date, allowed="YYYY-MM-DD"
        ),
        Column("industries", "适用产业", aliases=("产业",), many=True, parse=parse_text(50)),
        Column(
            "conditions",
            "申报条件",
            aliases=("条件",),
            parse=_conditions,
            allowed=CONDITIONS_ALLOWED,
        ),
        Column("benefit", "支持内容", aliases=("扶持内容", "政策内容"), parse=parse_text(4000)),
        Column(
            "amount_wan_max",
            "最高金额(万元)",
            aliases=("最高金额", "最高奖励"),
            parse=_amount,
            allowed="0–10000000 万元",
        ),
        Column("source", "来源", aliases=("来源链接", "原文链接"), parse=parse_text(500)),
    )

    def import_rows(self, rows: list[Row], *, report: Report, actor: Any) -> Counts:
        counts = Counts()
        seen: dict[str, int] = {}
        for row in rows:
            v = row.values
            ref = v.get("ref") or ""
            if ref in seen:
                report.add(
                    row, "ref", ref, f"与第{seen[ref]}行编号重复 / duplicate of row {seen[ref]}"
                )
                continue
            seen[ref] = row.number
            existing = Policy.objects.filter(ref=ref).first()
            data = {c.field: _current(existing, c.field) for c in self.columns} if existing else {}
            data.update({k: val for k, val in v.items()})
            if existing is not None:
                data["is_demo"] = existing.is_demo
            try:
                _policy, status = policy_upsert(data=data, actor=actor)
            except ValidationError as exc:
                report.add_validation_error(row, exc)
                continue
            setattr(counts, status, getattr(counts, status) + 1)
        return counts

    def export_rows(self) -> Iterable[dict[str, Any]]:
        for p in Policy.objects.order_by("ref"):
            yield {c.field: _current(p, c.field) for c in self.columns}


def _current(policy: Policy | None, name: str) -> Any:
    if policy is None:
        return None
    value = getattr(policy, name)
    return list(value or []) if name == "conditions" else value


POLICIES = PolicyKind()
