"""The back office's import report in a real browser, Chinese and English: one line per defect
naming the row and the column as the file writes it, what is wrong and what is allowed; no
internal field name, code or dict; a corrupt file is one plain sentence; nothing is written.
The export menu names the kinds of data in the page's language."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group

from parklink.core.roles import ROLE_MANAGER
from parklink.parks.models import Park, Space
from tests.e2e.office_support import office_page, screenshot
from tests.factories.parks import ParkFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What an operator must never read in a report: snake_case keys, reprs, exception texts.
RAW = re.compile(
    r"\b[a-z]+_[a-z0-9_]+\b|\{'|'\}|\bNone\b|Traceback|File is not a zip file|"
    r"\bkind=|\bdeal=|Errno|Exception"
)

SPACES_CSV = (
    "编号,园区,类型,租售,面积(平方米),价格\n"
    "R-1,导入报告测试园,工厂,出租,1500,2.5\n"  # 工厂 is not a kind
    "R-2,导入报告测试园,厂房,出借,abc,2.5\n"  # two defects on one row
    "R-3,没有这个园区,厂房,出租,800,2.5\n"  # unknown park
).encode()


@pytest.fixture
def manager(django_user_model):
    user = django_user_model.objects.create_user("import-manager", first_name="王经理")
    user.groups.add(Group.objects.get_or_create(name=ROLE_MANAGER)[0])
    ParkFactory(name="导入报告测试园")
    return user


def _upload(page, live_server, name: str, data: bytes, mime: str) -> list[str]:
    page.goto(live_server.url + "/office/catalogue/exchange/")
    page.set_input_files(
        "input[type=file]", files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    with page.expect_navigation():
        page.locator("form[enctype] button[type=submit]").click()
    return page.locator(".import-problems li").all_inner_texts()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_import_report_reads_as_plain_language(browser, live_server, manager, lang):
    spaces = Space.objects.count()
    with office_page(browser, live_server, manager, lang=lang) as page:
        lines = _upload(page, live_server, "房源.csv", SPACES_CSV, "text/csv")
        screenshot(page, f"import-report-{lang}")
        assert len(lines) >= 4, lines
        assert len(lines) == len(set(lines)), f"a defect reported twice: {lines}"
        for line in lines:
            assert not RAW.search(line), (RAW.search(line).group(0), line)
            assert re.search(r"\d", line), f"no row number: {line}"
        text = "\n".join(lines)
        # The column as the file names it, and the allowed values.
        assert "类型" in text and "工厂" in text and "厂房" in text, text
        assert "面积(平方米)" in text and "abc" in text, text
        # One line per defective cell, however many checks the cell failed.
        row_word = "第 2 行" if lang == "zh" else "row 2"
        assert sum(row_word in line and "类型" in line for line in lines) == 1, lines
        assert len(lines) == 4, lines
        if lang == "en":
            assert "允许" not in text and "列" not in text, text
            assert "row 3" in text and "allowed" in text, text
        else:
            assert "第 3 行" in text and "允许" in text, text

        corrupt = _upload(
            page,
            live_server,
            "园区.xlsx",
            b"PK\x03\x04 not really a workbook",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        assert len(corrupt) == 1, corrupt
        assert not RAW.search(corrupt[0]), corrupt[0]
        assert page.console_errors == []
    assert Space.objects.count() == spaces
    assert Park.objects.filter(name="没有这个园区").count() == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_menu_names_kinds_in_the_page_language(browser, live_server, manager, lang):
    with office_page(browser, live_server, manager, lang=lang) as page:
        page.goto(live_server.url + "/office/catalogue/exchange/")
        options = page.locator("select[name=kind] option").all_inner_texts()
        assert len(options) >= 4, options
        if lang == "zh":
            assert all(re.search(r"[\u4e00-\u9fff]", o) for o in options), options
        else:
            assert not any(re.search(r"[\u4e00-\u9fff]", o) for o in options), options
            assert not any(re.fullmatch(r"[a-z_]+", o) for o in options), options
