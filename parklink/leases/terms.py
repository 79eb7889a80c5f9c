"""The arithmetic of a lease, pure (no Django): which state it is in on a day, when it
really ends, what it brings in a year and its rent schedule.

Dates are calendar days in the site's time zone (Asia/Shanghai): ``start`` is the first day
of the term, ``end`` and ``terminated_on`` the last day occupied (both inclusive). A lease
is active on day D when start <= D <= min(end, terminated_on). The caller turns "now" into
a day with ``django.utils.timezone.localdate()``, so a lease ending 2026-06-30 is still
active at 23:59 Beijing time and expired at 00:00 on 07-01, whatever the UTC date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

TERMS_VERSION = "1"
DAYS_PER_YEAR = Decimal(365)
MONTHS_PER_YEAR = Decimal(12)
CENT = Decimal("0.01")

FUTURE, ACTIVE, EXPIRED, TERMINATED = "待生效", "生效", "已到期", "已退租"

# The days a read may ask about (``on``, ``--on``) and the longest window after one: the
# windows (``on`` + days, + 90 days, + 12 months) then stay inside what ``date`` holds.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
MAX_DAYS = 36500


def day_error(on: date) -> str:
    """The bilingual complaint about ``on`` outside FIRST_DAY..LAST_DAY, or ""."""
    if FIRST_DAY <= on <= LAST_DAY:
        return ""
    return (
        f"日期超出范围:{on.isoformat()}(应在 {FIRST_DAY} 至 {LAST_DAY} 之间)/ date out of "
        f"range: {on.isoformat()} (from {FIRST_DAY} to {LAST_DAY})"
    )


def days_error(days: object) -> str:
    """The bilingual complaint about a window of ``days`` days outside 0..MAX_DAYS, or ""."""
    if isinstance(days, int) and not isinstance(days, bool) and 0 <= days <= MAX_DAYS:
        return ""
    return (
        f"天数应为 0 至 {MAX_DAYS} 之间的整数:{days} / DAYS must be a whole number from 0 "
        f"to {MAX_DAYS}: {days}"
    )


# Rent unit → (multiplier per year, whether it is per m²).
RENT_UNITS: dict[str, tuple[Decimal, bool]] = {
    "元/平方米/天": (DAYS_PER_YEAR, True),
    "元/平方米/月": (MONTHS_PER_YEAR, True),
    "元/平方米/年": (Decimal(1), True),
    "元/月": (MONTHS_PER_YEAR, False),
    "元/年": (Decimal(1), False),
    "万元/年": (Decimal(10000), False),
}


@dataclass(frozen=True)
class Terms:
    start: date
    end: date
    area_m2: Decimal
    rent: Decimal
    rent_unit: str
    terminated_on: date | None = None
    escalation_pct: Decimal = Decimal(0)
    free_rent_months: Decimal = Decimal(0)


def effective_end(start: date, end: date, terminated_on: date | None) -> date:
    """The last day the space is held: the contract end, or the earlier termination."""
    if terminated_on is not None and terminated_on < end:
        return terminated_on
    return end


def status_on(start: date, end: date, terminated_on: date | None, on: date) -> str:
    """待生效 before the start, 生效 through the (effective) last day, then 已退租 when it was
    terminated early and 已到期 otherwise."""
    if on < start:
        return FUTURE
    last = effective_end(start, end, terminated_on)
    if on <= last:
        return ACTIVE
    if terminated_on is not None and terminated_on < end:
        return TERMINATED
    return EXPIRED


def is_active(start: date, end: date, terminated_on: date | None, on: date) -> bool:
    return start <= on <= effective_end(start, end, terminated_on)


def annual_rent(rent: Decimal, rent_unit: str, area_m2: Decimal) -> Decimal:
    """The contract's base rent for one year, in 元 (365 days; 12 months): escalation and
    free-rent months are not in it (they are in the schedule)."""
    multiplier, per_m2 = RENT_UNITS[rent_unit]
    value = rent * multiplier * (area_m2 if per_m2 else Decimal(1))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def daily_rent_per_m2(rent: Decimal, rent_unit: str, area_m2: Decimal) -> Decimal | None:
    """The rent as 元/平方米/天 (the unit the catalogue quotes), or None without an area."""
    if not area_m2:
        return None
    return (annual_rent(rent, rent_unit, area_m2) / area_m2 / DAYS_PER_YEAR).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class ScheduleYear:
    number: int
    start: date
    end: date
    annual_rent_yuan: Decimal


def schedule(terms: Terms) -> list[ScheduleYear]:
    """The rent of each lease year: the base rent raised by ``escalation_pct`` compounding
    from the second year on. Free-rent months are not deducted (they are shown apart)."""
    base = annual_rent(terms.rent, terms.rent_unit, terms.area_m2)
    last = effective_end(terms.start, terms.end, terms.terminated_on)
    years: list[ScheduleYear] = []
    n = 0
    while True:
        begin = _add_years(terms.start, n)
        if begin > last or n >= 100:
            break
        finish = min(last, date.fromordinal(_add_years(terms.start, n + 1).toordinal() - 1))
        factor = (1 + terms.escalation_pct / 100) ** n
        years.append(ScheduleYear(n + 1, begin, finish, (base * factor).quantize(CENT)))
        n += 1
    return years


def days_left(end: date, on: date) -> int:
    return (end - on).days


def overlaps(a_start: date, a_last: date, b_start: date, b_last: date) -> bool:
    return a_start <= b_last and b_start <= a_last
