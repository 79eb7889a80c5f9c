"""Exchange kind `leads` (线索): the exchange format's leads in and out of `parklink import`
and `parklink export` (protocol: parklink.core.exchange).

Imported rows go through `lead_submit` like any submission (validated, stored as an
Inquiry, merged into the open lead with the same mobile or company), marked with the
channel 导入 and their consent basis (业务往来 unless the file names one). Importing the
same file twice changes nothing: a row already imported (same content) is left alone.

Exports follow the lead list's rule (``export_rows(scope=)``): the viewer's scope from
``lead_scope(viewer=)``, mobiles masked exactly as ``access.mobile_for`` shows them; the
framework audit-logs each export with its actor, rows and full numbers written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from parklink.core.exchange import (
    Column,
    Counts,
    ExportScope,
    Report,
    Row,
    parse_bool,
    parse_choice,
    parse_decimal,
    parse_int,
    parse_text,
)
from parklink.leads import access, services
from parklink.leads.choices import BudgetUnit, Channel, ConsentBasis
from parklink.leads.models import Lead
from parklink.leads.selectors import lead_requirement_data, lead_scope
from parklink.parks.choices import Deal, SpaceKind
from parklink.zh.units import MU_M2, area_to_m2, load_to_kg_m2
from parklink.zh.validators import mask_mobile

REQUIRES = ("gmp", "ceiling_height_m", "floor_load_kg_m2", "power_kva")


def _area(value: Any, unit: str) -> Decimal | None:
    if value is None:
        return None
    return area_to_m2(value, unit or "m2")


def _load(value: Any, unit: str) -> Decimal | None:
    if value is None:
        return None
    return load_to_kg_m2(value, unit or "kg/m2")


def _requires(value: Any, unit: str) -> dict[str, Any] | None:
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return value
    try:
        parsed = json.loads(str(value))
    except ValueError:
        raise ValueError('应为 JSON 对象,如 {"gmp": true} / must be a JSON object') from None
    if not isinstance(parsed, dict):
        raise ValueError('应为 JSON 对象,如 {"gmp": true} / must be a JSON object')
    return parsed


def _mu(value: Any, unit: str) -> Decimal | None:
    """Land in 亩 (a header may name another area unit: 用地面积(平方米))."""
    if value is None:
        return None
    if not unit or unit.strip() == "亩":
        return parse_decimal(0)(value, "")
    return (area_to_m2(value, unit) / MU_M2).quantize(Decimal("0.01"))


def _yes_no(value: Any, unit: str) -> bool | None:
    """是/否, or blank/不确定 for unknown (never read as 否)."""
    if value is None or str(value).strip() in ("不确定", "未知", "unknown"):
        return None
    return parse_bool(value, unit)


class LeadKindExchange:
    name = "leads"
    personal_data = True  # exported through the viewer's scope (core.exchange.ExportScope)
    sheet_names = ("线索", "leads")
    columns = (
        Column("ref", "编号", aliases=("线索编号",), parse=parse_text(64)),
        Column("company", "公司", aliases=("企业名称", "公司名称"), parse=parse_text(200)),
        Column("contact", "联系人", required=True, aliases=("姓名",), parse=parse_text(50)),
        Column(
            "mobile",
            "手机号",
            required=True,
            aliases=("手机", "电话", "联系电话"),
            parse=parse_text(30),
            allowed="中国大陆手机号 / a mainland China mobile number",
        ),
        Column("need", "需求", aliases=("需求描述",), parse=parse_text(2000)),
        Column(
            "kind",
            "载体类型",
            aliases=("类型",),
            parse=parse_choice(SpaceKind.choices),
            allowed=" | ".join(SpaceKind.values),
        ),
        Column(
            "deal",
            "租售",
            aliases=("租售方式",),
            parse=parse_choice(Deal.choices),
            allowed=" | ".join(Deal.values),
        ),
        Column("area_min_m2", "最小面积(平方米)", aliases=("最小面积",), parse=_area),
        Column("area_max_m2", "最大面积(平方米)", aliases=("最大面积",), parse=_area),
        Column("budget", "预算", parse=parse_decimal(0)),
        Column(
            "budget_unit",
            "预算单位",
            parse=parse_choice(BudgetUnit.choices),
            allowed=" | ".join(BudgetUnit.values),
        ),
        Column("districts", "意向区域", many=True, parse=parse_text(20)),
        Column("parks", "意向园区", many=True, parse=parse_text(100)),
        Column("industry", "行业", parse=parse_text(50)),
        Column("use", "用途", parse=parse_text(200)),
        Column(
            "annual_tax_wan", "预计年纳税(万元)", aliases=("税收", "年纳税"), parse=parse_decimal(0)
        ),
        Column("requires", "硬性条件", parse=_requires),
        Column("gmp", "GMP", parse=parse_bool, allowed="是 | 否"),
        Column("ceiling_height_m", "层高(米)", aliases=("层高",), parse=parse_decimal(0)),
        Column("floor_load_kg_m2", "承重(公斤/平方米)", aliases=("承重",), parse=_load),
        Column("power_kva", "配电(kVA)", aliases=("配电",), parse=parse_decimal(0)),
        Column("uscc", "统一社会信用代码", aliases=("信用代码",), parse=parse_text(30)),
        Column(
            "channel",
            "来源渠道",
            aliases=("来源",),
            parse=parse_choice(Channel.choices),
            allowed=" | ".join(Channel.values),
        ),
        Column(
            "consent_basis",
            "个人信息处理依据",
            aliases=("授权依据",),
            parse=parse_choice(ConsentBasis.choices),
            allowed=" | ".join(ConsentBasis.values),
        ),
        Column("is_demo", "演示数据", parse=parse_bool, allowed="是 | 否"),
        Column(
            "total_investment_wan", "投资总额(万元)", aliases=("总投资",), parse=parse_decimal(0)
        ),
        Column("land_mu", "用地面积(亩)", aliases=("占地面积", "用地面积", "占地"), parse=_mu),
        Column(
            "annual_output_wan",
            "预计年产值(万元)",
            aliases=("年产值", "产值"),
            parse=parse_decimal(0),
        ),
        Column("is_high_tech", "高新技术企业", parse=_yes_no, allowed="是 | 否 | 不确定"),
        Column(
            "is_specialized",
            "专精特新",
            aliases=("专精特新企业",),
            parse=_yes_no,
            allowed="是 | 否 | 不确定",
        ),
        Column("founded_year", "成立年份", parse=parse_int(1900, 2100), allowed="1900–2100"),
        Column("staff", "员工人数", aliases=("人数",), parse=parse_int(0, 2000000)),
    )

    def import_rows(self, rows: list[Row], *, report: Report, actor: Any) -> Counts:
        counts = Counts()
        for row in rows:
            data = {k: v for k, v in row.values.items() if v is not None}
            requires = dict(data.pop("requires", None) or {})
            for key in REQUIRES:
                if key in data:
                    requires[key] = data.pop(key)
            if requires:
                data["requires"] = requires
            data = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in data.items()}
            is_demo = bool(data.pop("is_demo", False))
            try:
                _lead, status = services.lead_submit_status(
                    data=data,
                    channel=Channel.IMPORT,
                    actor=actor,
                    consent_basis=data.get("consent_basis") or ConsentBasis.CONTRACT,
                    is_demo=is_demo,
                )
            except ValidationError as exc:
                report.add_validation_error(row, exc)
                continue
            if status == "created":
                counts.created += 1
            elif status == "merged":
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    def export_rows(self, *, scope: ExportScope) -> Iterable[dict[str, Any]]:
        """The leads ``scope`` allows, masked as on screen (see ExportScope): a viewer gets
        ``lead_scope(viewer=)`` with each mobile as ``access.mobile_for`` shows it; the
        operator every live lead, masked unless ``--unmasked``. Counts full numbers."""
        if scope.viewer is not None:
            leads = lead_scope(viewer=scope.viewer)
        elif scope.operator:
            leads = Lead.objects.filter(merged_into__isnull=True)
        else:
            leads = Lead.objects.none()
        for lead in leads.order_by("ref").iterator(chunk_size=2000):
            if scope.viewer is not None:
                full = access.can_see_mobile(scope.viewer, lead)
            else:
                full = scope.unmasked
            mobile = lead.mobile if full else mask_mobile(lead.mobile)
            if full and lead.mobile:
                scope.unmasked_count += 1
            requirement = lead_requirement_data(lead)
            requires = requirement.pop("requires")
            row: dict[str, Any] = {
                "ref": lead.ref,
                "company": lead.company,
                "contact": lead.contact,
                "mobile": mobile,
                **requirement,
                "uscc": lead.uscc,
                "channel": lead.channel,
                "consent_basis": lead.consent_basis,
                "is_demo": lead.is_demo,
                "total_investment_wan": lead.total_investment_wan,
                "land_mu": lead.land_mu,
                "annual_output_wan": lead.annual_output_wan,
                "is_high_tech": lead.is_high_tech,
                "is_specialized": lead.is_specialized,
                "founded_year": lead.founded_year,
                "staff": lead.staff,
            }
            for key in REQUIRES:
                row[key] = requires.get(key)
            yield row


LEADS = LeadKindExchange()
