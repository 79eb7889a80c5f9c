"""Exchange kind of the organisation register (机构), upserted by name.

See ``parklink.core.exchange`` for the protocol.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from parklink.core.exchange import (
    Column,
    Counts,
    Report,
    Row,
    parse_bool,
    parse_choice,
    parse_text,
)
from parklink.orgs.choices import OrgKind
from parklink.orgs.models import Organization
from parklink.orgs.services import org_upsert
from parklink.parks.exchange import URL_SPLIT, park_lookup
from parklink.zh.validators import normalise_uscc


def _uscc(value: Any, unit: str) -> str | None:
    if value is None:
        return None
    return normalise_uscc(str(value))


class OrgKindExchange:
    name = "orgs"
    sheet_names = ("机构", "orgs")
    columns = (
        Column(
            "name",
            "机构名称",
            required=True,
            aliases=("企业名称", "单位名称"),
            parse=parse_text(200),
        ),
        Column("aliases", "别名", many=True, parse=parse_text(200)),
        Column(
            "kind",
            "机构类型",
            aliases=("类型",),
            parse=parse_choice(OrgKind.choices),
            allowed=" | ".join(f"{label}/{value}" for value, label in OrgKind.choices),
        ),
        Column(
            "uscc",
            "统一社会信用代码",
            aliases=("信用代码", "社会信用代码"),
            parse=_uscc,
            allowed="18位,GB 32100-2015 校验 / 18 characters with a valid check character",
        ),
        Column("industry", "行业", aliases=("所属行业",), parse=parse_text(50)),
        Column(
            "park",
            "所在园区",
            aliases=("园区",),
            parse=parse_text(100),
            allowed="已有园区的名称或别名 / an existing park's name or alias",
        ),
        Column("segments", "产业链环节", many=True, parse=parse_text(100)),
        Column("description", "简介", parse=parse_text()),
        Column("sources", "来源", many=True, split=URL_SPLIT, parse=parse_text(500)),
        Column("is_demo", "演示数据", parse=parse_bool, allowed="是 | 否"),
    )

    def import_rows(self, rows: list[Row], *, report: Report, actor: Any) -> Counts:
        counts = Counts()
        parks = park_lookup()
        seen: dict[str, int] = {}
        usccs: dict[str, int] = {}
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
            data = dict(v)
            if v.get("uscc"):
                if v["uscc"] in usccs:
                    report.add(
                        row,
                        "uscc",
                        v["uscc"],
                        f"与第{usccs[v['uscc']]}行信用代码重复 / same USCC as row {usccs[v['uscc']]}",
                    )
                usccs[v["uscc"]] = row.number
            if "park" in v:
                if v["park"]:
                    park = parks.get(v["park"])
                    if park is None:
                        report.add(
                            row,
                            "park",
                            v["park"],
                            "园区不存在 / park does not exist",
                            "已有园区的名称或别名 / an existing park's name or alias",
                        )
                    data["park"] = park
                else:
                    data["park"] = None
            if "kind" in v and v["kind"] is None:
                data["kind"] = OrgKind.ENTERPRISE
            for key in ("aliases", "segments", "sources"):
                if key in v and v[key] is None:
                    data[key] = []
            if len(report.problems) > before:
                continue
            try:
                _org, status = org_upsert(data=data, actor=actor)
            except ValidationError as exc:
                report.add_validation_error(row, exc)
                continue
            setattr(counts, status, getattr(counts, status) + 1)
        return counts

    def export_rows(self) -> Iterable[dict[str, Any]]:
        for o in Organization.objects.select_related("park").order_by("name"):
            yield {
                "name": o.name,
                "aliases": o.aliases,
                "kind": o.kind,
                "uscc": o.uscc,
                "industry": o.industry,
                "park": o.park.name if o.park_id else "",
                "segments": o.segments,
                "description": o.description,
                "sources": o.sources,
                "is_demo": o.is_demo,
            }


ORGS = OrgKindExchange()
