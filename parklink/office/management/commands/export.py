"""`parklink export KIND --format xlsx|csv|json -o FILE`: the catalogue in the exchange format.

``KINDS`` is the one registry of exchange kinds, in import order (parks before the spaces and
organisations that name them). The import command and the back office use it too. A new kind
is one line here (see ``parklink.core.exchange`` for the protocol).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parklink.core import exchange
from parklink.leads.exchange import LEADS
from parklink.leases.exchange import LEASES
from parklink.orgs.exchange import ORGS
from parklink.parks.exchange import FACTS, PARKS, SPACES
from parklink.policies.exchange import POLICIES

KINDS: dict[str, exchange.ExchangeKind] = {
    "parks": PARKS,
    "facts": FACTS,
    "spaces": SPACES,
    "orgs": ORGS,
    "leads": LEADS,
    "policies": POLICIES,
    "leases": LEASES,
}


def kinds_for(name: str) -> list[exchange.ExchangeKind]:
    """The kinds an export of ``name`` holds ("all" is every kind)."""
    if name == "all":
        return list(KINDS.values())
    kind = KINDS.get(name)
    if kind is None:
        for k in KINDS.values():
            if name in k.sheet_names:
                kind = k
    if kind is None:
        raise CommandError(
            f"未知类型 {name} / unknown kind {name} (允许/allowed: all | {' | '.join(KINDS)})"
        )
    return [kind]


class Command(BaseCommand):
    help = "导出目录数据 / export catalogue data (exchange format: json, csv, xlsx)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", help=f"all | {' | '.join(KINDS)}")
        parser.add_argument("--format", choices=exchange.FORMATS, default=None)
        parser.add_argument("-o", "--output", required=True, help="output file")
        parser.add_argument(
            "--headers",
            choices=("zh", "en"),
            default="zh",
            help="CSV/XLSX column headers in Chinese (default) or English",
        )

    def handle(self, *args, **options) -> None:
        out = Path(options["output"])
        fmt = options["format"] or out.suffix.lower().lstrip(".")
        if fmt not in exchange.FORMATS:
            raise CommandError(
                f"未知格式 {fmt} / unknown format {fmt} (允许/allowed: json | csv | xlsx)"
            )
        kinds = kinds_for(options["kind"])
        if fmt == "csv" and len(kinds) != 1:
            raise CommandError("CSV 只能导出一种数据 / a CSV holds one kind: name it")
        try:
            with out.open("wb") as fp:
                counts = exchange.export_file(kinds, fmt, fp, lang=options["headers"])
        except OSError as exc:
            raise CommandError(f"无法写入 {out} / cannot write {out}: {exc.strerror}") from exc
        summary = ", ".join(f"{k}: {n}" for k, n in counts.items())
        self.stdout.write(f"已导出 / exported {summary} → {out}")
