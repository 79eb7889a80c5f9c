"""`parklink export KIND --format xlsx|csv|json -o FILE [--as USER | --unmasked]`: the
catalogue in the exchange format.

Leads hold personal data. By default the command exports as the operator: every live lead
with its mobile masked (138****2222). `--as USER` exports exactly what USER sees in the
office (their scope, their masking); `--unmasked` writes every full number. Each run is
audit-logged (actor or the machine login, kinds, rows, full numbers written).

``KINDS`` is the one registry of exchange kinds, in import order (parks before the spaces and
organisations that name them). The import command and the back office use it too. A new kind
is one line here (see ``parklink.core.exchange`` for the protocol).
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
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
        who = parser.add_mutually_exclusive_group()
        who.add_argument(
            "--as",
            dest="as_user",
            metavar="USER",
            help="export what USER sees in the office (their leads, masked as on screen)",
        )
        who.add_argument(
            "--unmasked",
            action="store_true",
            help="write every lead's full mobile number (audit-logged)",
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
        scope = self._scope(options)
        try:
            with out.open("wb") as fp:
                counts = exchange.export_file(kinds, fmt, fp, lang=options["headers"], scope=scope)
        except OSError as exc:
            raise CommandError(f"无法写入 {out} / cannot write {out}: {exc.strerror}") from exc
        summary = ", ".join(f"{k}: {n}" for k, n in counts.items())
        self.stdout.write(f"已导出 / exported {summary} → {out}")
        if any(getattr(k, "personal_data", False) for k in kinds):
            self.stdout.write(
                f"完整手机号 {scope.unmasked_count} 个(已记入审计日志)/ "
                f"{scope.unmasked_count} full mobile numbers written (audit-logged)"
                + (
                    ";其余已打码,完整号码需 --unmasked / others masked: --unmasked for all"
                    if scope.mode == "operator"
                    else ""
                )
            )

    @staticmethod
    def _scope(options) -> exchange.ExportScope:
        name = options.get("as_user")
        if name:
            user = get_user_model().objects.filter(username=name, is_active=True).first()
            if user is None:
                raise CommandError(f"没有该用户 {name} / no active user {name}")
            return exchange.ExportScope(viewer=user, via="cli")
        return exchange.ExportScope(
            operator=True, unmasked=bool(options.get("unmasked")), via="cli"
        )
