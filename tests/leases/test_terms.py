"""The pure arithmetic of a lease: states by day, the effective end, annual rent, schedule."""

from datetime import date
from decimal import Decimal

import pytest

from parklink.leases import terms

D = date


@pytest.mark.parametrize(
    ("start", "end", "terminated", "on", "expected"),
    [
        (D(2025, 1, 1), D(2026, 6, 30), None, D(2024, 12, 31), "待生效"),
        (D(2025, 1, 1), D(2026, 6, 30), None, D(2025, 1, 1), "生效"),
        (D(2025, 1, 1), D(2026, 6, 30), None, D(2026, 6, 30), "生效"),  # last day included
        (D(2025, 1, 1), D(2026, 6, 30), None, D(2026, 7, 1), "已到期"),
        (D(2025, 1, 1), D(2026, 6, 30), D(2025, 8, 31), D(2025, 8, 31), "生效"),
        (D(2025, 1, 1), D(2026, 6, 30), D(2025, 8, 31), D(2025, 9, 1), "已退租"),
        # a termination on or after the end is an ordinary expiry
        (D(2025, 1, 1), D(2026, 6, 30), D(2026, 6, 30), D(2026, 7, 1), "已到期"),
        (D(2025, 1, 1), D(2026, 6, 30), D(2027, 1, 1), D(2026, 7, 1), "已到期"),
        # terminated before it began (a cancelled reservation)
        (D(2026, 1, 1), D(2028, 12, 31), D(2026, 1, 1), D(2026, 1, 2), "已退租"),
    ],
)
def test_status_on(start, end, terminated, on, expected):
    assert terms.status_on(start, end, terminated, on) == expected
    assert terms.is_active(start, end, terminated, on) == (expected == "生效")


@pytest.mark.parametrize(
    ("rent", "unit", "area", "expected"),
    [
        ("5", "元/平方米/天", "1000", "1825000.00"),
        ("150", "元/平方米/月", "300", "540000.00"),
        ("1800", "元/平方米/年", "100", "180000.00"),
        ("30000", "元/月", "999", "360000.00"),
        ("250000", "元/年", "1", "250000.00"),
        ("160", "万元/年", "3000", "1600000.00"),
        ("2.35", "元/平方米/天", "333.33", "285913.81"),
    ],
)
def test_annual_rent(rent, unit, area, expected):
    assert terms.annual_rent(Decimal(rent), unit, Decimal(area)) == Decimal(expected)


def test_daily_rent_per_m2_from_monthly():
    assert terms.daily_rent_per_m2(Decimal("150"), "元/平方米/月", Decimal("300")) == Decimal(
        "4.9315"
    )


def test_schedule_escalates_yearly_and_stops_at_termination():
    t = terms.Terms(
        start=D(2024, 3, 1),
        end=D(2027, 2, 28),
        area_m2=Decimal(100),
        rent=Decimal(10000),
        rent_unit="元/年",
        escalation_pct=Decimal(5),
        terminated_on=D(2026, 5, 31),
    )
    years = terms.schedule(t)
    assert [(y.number, y.start, y.end, y.annual_rent_yuan) for y in years] == [
        (1, D(2024, 3, 1), D(2025, 2, 28), Decimal("10000.00")),
        (2, D(2025, 3, 1), D(2026, 2, 28), Decimal("10500.00")),
        (3, D(2026, 3, 1), D(2026, 5, 31), Decimal("11025.00")),
    ]


def test_schedule_of_a_leap_day_start():
    t = terms.Terms(
        start=D(2024, 2, 29),
        end=D(2026, 2, 27),
        area_m2=Decimal(1),
        rent=Decimal(1),
        rent_unit="元/年",
    )
    assert [y.start for y in terms.schedule(t)] == [D(2024, 2, 29), D(2025, 2, 28)]


def test_overlaps():
    assert terms.overlaps(D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31), D(2026, 1, 5))
    assert not terms.overlaps(D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 5))
