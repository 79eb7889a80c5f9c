"""`parklink occupancy`: leasable, leased and vacant area per park on a day (from leases)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from parklink.leases import selectors
from parklink.leases.management.commands._common import day_arg, dumps, park_arg


class Command(BaseCommand):
    help = "园区出租率(按租约)/ occupancy per park, from the leases"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--park", metavar="NAME", help="one park (name or alias)")
        parser.add_argument("--on", metavar="YYYY-MM-DD", help="the day (default: today)")
        parser.add_argument("--json", action="store_true", help="JSON on stdout")

    def handle(self, *args, **options) -> None:
        day = day_arg(options["on"])
        park = park_arg(options["park"])
        rows = selectors.occupancy(on=day, park=park)
        if options["json"]:
            self.stdout.write(dumps({"on": day.isoformat(), "parks": rows}))
            return
        self.stdout.write(f"{day:%Y-%m-%d} 出租率 / occupancy")
        for r in rows:
            self.stdout.write(
                f"{r['park']}: {r['leased_area_m2']}/{r['area_m2']}㎡ = {r['occupancy']:.1%}, "
                f"空置 {r['vacant_area_m2']}㎡, 90天内到期 {r['expiring_90d_area_m2']}㎡, "
                f"年租金 {r['annual_rent_yuan']}元 ({r['leased_spaces']}/{r['spaces']} 套)"
            )
