from datetime import date

import pytest

from parklink.zh.dates import add_months, find_dates, parse_date

FETCHED = date(2025, 5, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-05-18", date(2023, 5, 18)),
        ("2023/5/18 10:20", date(2023, 5, 18)),
        ("2023.05.18", date(2023, 5, 18)),
        ("2023年5月18日", date(2023, 5, 18)),
        ("发布时间：2019年12月25日 10:00", date(2019, 12, 25)),
        ("二〇二三年五月十八日", date(2023, 5, 18)),
        ("20230518", date(2023, 5, 18)),
    ],
)
def test_absolute_dates_need_no_fetch_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6个月前 (11-03)", date(2024, 11, 3)),
        ("admin6个月前 (11-03)北京产业信息46", date(2024, 11, 3)),
        ("6个月前", date(2024, 11, 3)),
        ("3天前", date(2025, 4, 30)),
        ("5小时前", date(2025, 5, 3)),
        ("2周前", date(2025, 4, 19)),
        ("1年前", date(2024, 5, 3)),
        ("昨天 10:20", date(2025, 5, 2)),
        ("前天", date(2025, 5, 1)),
        ("刚刚", date(2025, 5, 3)),
        ("11-03", date(2024, 11, 3)),  # no year: the latest such day not after the fetch
        ("5月2日", date(2025, 5, 2)),
    ],
)
def test_relative_and_yearless_dates_resolve_against_fetch_date(text, expected):
    assert parse_date(text, fetched_at=FETCHED) == expected


def test_relative_dates_without_fetch_date_are_not_guessed():
    assert parse_date("3天前") is None
    assert parse_date("昨天") is None


def test_month_day_hint_never_lands_after_the_fetch_date():
    # "1个月前 (05-20)" fetched 2025-05-03: 2025-05-20 is in the future, so 2024.
    assert parse_date("1个月前 (05-20)", fetched_at=FETCHED) == date(2024, 5, 20)


def test_find_dates_reports_offsets_in_order():
    text = "2000年11月25日启动建设，2010年5月1日建成"
    found = find_dates(text)
    assert [d.value for d in found] == [date(2000, 11, 25), date(2010, 5, 1)]
    assert text[found[0].start : found[0].end] == "2000年11月25日"


def test_invalid_calendar_dates_are_skipped():
    assert parse_date("2023-02-30") is None


def test_add_months_clamps_to_month_end():
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
