"""English as the second UI language: pages switch with the browser, cookie or set_language;
the catalogue is complete, its placeholders are intact and the committed .mo matches the .po."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories.news import ArticleFactory
from tests.factories.parks import IndustryFactory, ParkFactory, SpaceFactory

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# Apps may keep their own catalogue beside the project's (parklink/<app>/locale/): Django
# merges them at run time, so a string is translated when any of them translates it.
APP_PO_PATHS = sorted(LOCALE_DIR.parent.glob("*/locale/en/LC_MESSAGES/django.po"))

# (path, English strings that must appear, Chinese source strings that must not)
PAGES = [
    (
        "/",
        ["Find factories, R&D buildings, labs and industrial parks", "All parks"],
        ["全部园区"],
    ),
    ("/parks/", ["Industrial parks", "All districts", "1 park"], ["产业园区</h1>"]),
    ("/spaces/", ["Find factories, R&D buildings, labs", "Keywords", "Factory"], ["关键词"]),
    ("/news/", ["Industry news", "You are here", "0 views"], ["当前位置"]),
    ("/inquiry/", ["Submit your space requirement", "Company", "Mobile"], ["提交选址需求"]),
    ("/office/login/", ["Log in to the back office", "Username", "Password"], ["登录招商后台"]),
]


@pytest.fixture
def catalogue(db):
    park = ParkFactory(name="译文测试园区", district="昌平区", planned_area_m2=10000)
    park.industries.add(IndustryFactory(name="生物医药"))
    SpaceFactory(park=park)
    ArticleFactory(views=0)
    return park


def _html_lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "page has no <html lang>"
    return match.group(1)


@pytest.mark.parametrize(("path", "english", "chinese"), PAGES)
def test_page_renders_in_english_with_accept_language(client, catalogue, path, english, chinese):
    resp = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert _html_lang(html) == "en"
    for text in english:
        assert text in html, text
    for text in chinese:
        assert text not in html, text


@pytest.mark.parametrize(
    ("path", "chinese"),
    [
        ("/", "找厂房、研发楼、实验室,找产业园区"),
        ("/parks/", "全部区域"),
        ("/spaces/", "关键词"),
        ("/news/", "当前位置"),
        ("/inquiry/", "提交选址需求"),
        ("/office/login/", "登录招商后台"),
    ],
)
def test_chinese_is_the_default(client, catalogue, path, chinese):
    # Neither a browser preference nor a cookie: the site speaks zh-hans.
    resp = client.get(path)
    html = resp.content.decode()
    assert _html_lang(html) == "zh-hans"
    assert chinese in html
    assert "Log in to the back office" not in html and "All districts" not in html


def test_unsupported_browser_language_falls_back_to_chinese(client, catalogue):
    html = client.get("/parks/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert _html_lang(html) == "zh-hans"
    assert "全部区域" in html


def test_language_cookie_switches_to_english(client, catalogue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/spaces/").content.decode()
    assert _html_lang(html) == "en"
    assert "Keywords" in html
    assert "Find space" in html


def test_set_language_view_switches_and_back(client, catalogue):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/parks/"})
    assert resp.status_code == 302
    assert resp["Location"] == "/parks/"
    html = client.get("/parks/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    # The chosen language beats the browser's preference.
    assert _html_lang(html) == "en"
    assert "All districts" in html
    # The switch button offers the way back to Chinese.
    assert 'value="zh-hans" lang="zh-hans">中文</button>' in html

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/parks/"})
    html = client.get("/parks/").content.decode()
    assert _html_lang(html) == "zh-hans"
    assert "全部区域" in html


def test_english_plural_forms(client, catalogue):
    ParkFactory(name="译文测试园区二")
    html = client.get("/parks/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 parks" in html


def test_lead_form_fields_and_choices_are_english(client, catalogue):
    resp = client.post("/inquiry/", {"need": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 400
    html = resp.content.decode()
    assert _html_lang(html) == "en"
    assert '<label for="id_uscc">Unified social credit code (optional):</label>' in html
    assert ">Factory</option>" in html
    assert "Expected annual tax (10k yuan)" in html


# --- strings that used to be hard-coded Chinese ---------------------------------------

LEAD_POST = {"need": "厂房", "contact": "", "mobile": "", "consent": "on"}


def test_lead_form_errors_show_the_english_half_in_english(client, db):
    html = client.post("/inquiry/", LEAD_POST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "contact is required" in html and "mobile is required" in html
    assert "请填写手机号" not in html and "请填写联系人" not in html


def test_lead_form_errors_show_the_chinese_half_by_default(client, db):
    resp = client.post("/inquiry/", LEAD_POST)
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "请填写手机号" in html and "请填写联系人" in html
    assert "mobile is required" not in html


def test_portal_refusal_follows_the_language(client, db, settings):
    settings.PARKLINK_LEAD_MAX_BYTES = 10
    en = client.post("/inquiry/", LEAD_POST, HTTP_ACCEPT_LANGUAGE="en")
    zh = client.post("/inquiry/", LEAD_POST)
    assert en.status_code == zh.status_code == 413
    assert "request too large" in en.content.decode()
    assert "提交内容过大" not in en.content.decode()
    assert "提交内容过大" in zh.content.decode()


def test_api_lead_errors_stay_bilingual_in_english(client, db):
    resp = client.post(
        "/api/v1/leads",
        {"need": "厂房", "contact": "王先生", "mobile": "", "consent": True},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert resp.status_code == 422
    mobile = {e["field"]: e for e in resp.json()["fields"]}["mobile"]
    assert mobile["message"] == "请填写手机号 / mobile is required"


def test_space_search_sort_labels_follow_the_language(client, catalogue):
    en = client.get("/spaces/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Recently updated" in en and "Unit price: lowest first" in en
    # The price filter's unit; facet labels (parks/selectors.py) are not covered here.
    assert '<span class="muted small">yuan/m²/day</span>' in en
    assert "最近更新" not in en and "单价从低到高" not in en
    zh = client.get("/spaces/").content.decode()
    assert "最近更新" in zh and "单价从低到高" in zh and "Recently updated" not in zh


def test_space_detail_units_and_yes_no_are_english(client, catalogue):
    space = SpaceFactory(
        park=catalogue, ceiling_height_m=8, floor_load_kg_m2=1500, gmp=True, env_assessment=False
    )
    en = client.get(space.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "8 m</td>" in en and "1500 kg/m²</td>" in en
    assert "<td>No</td>" in en and "<td>Yes" in en
    assert "yuan/m²/day" in en and "Factory · For rent" in en
    for chinese in ("米</td>", "公斤/㎡", "<td>是", "<td>否", "元/平方米/天"):
        assert chinese not in en, chinese
    zh = client.get(space.get_absolute_url()).content.decode()
    assert "8 米</td>" in zh and "<td>否</td>" in zh


def test_office_follow_up_message_and_timeline_are_english(agent_client, agent):
    from tests.factories.leads import LeadFactory

    lead = LeadFactory(owner=agent)
    resp = agent_client.post(
        f"/office/leads/{lead.pk}/follow-up/",
        {"kind": "电话", "note": "约了下周看厂房"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    html = resp.content.decode()
    assert "Follow-up recorded" in html
    assert "Follow-up (Phone)" in html
    assert "跟进已记录" not in html and "跟进(" not in html
    zh = agent_client.get(f"/office/leads/{lead.pk}/").content.decode()
    assert "跟进(电话)" in zh


# --- the catalogue itself -------------------------------------------------------------


def _unquote(token: str) -> str:
    return ast.literal_eval(token)


def parse_po(text: str) -> list[dict]:
    """A small .po reader: one dict per entry with msgctxt, msgid, msgid_plural, msgstr
    (a list, one item per plural form), flags and source references."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry: dict = {"flags": set(), "refs": [], "msgstr": {}, "obsolete": False}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",") if f.strip()}
            elif line.startswith("#:"):
                entry["refs"] += line[2:].split()
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if isinstance(key, int):
                    entry["msgstr"][key] += _unquote(line)
                else:
                    entry[key] += _unquote(line)
            else:
                keyword, _, value = line.partition(" ")
                match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                if match or keyword == "msgstr":
                    key = int(match.group(1)) if match else 0
                    entry["msgstr"][key] = _unquote(value)
                else:
                    key = keyword
                    entry[key] = _unquote(value)
        if "msgid" in entry:
            entry["msgstr"] = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
            entries.append(entry)
    return entries


def _messages(entries: list[dict]) -> list[dict]:
    return [e for e in entries if e["msgid"] and not e["obsolete"]]


def _describe(entries: list[dict]) -> str:
    return "\n".join(f"{e['msgid']!r} ({' '.join(e['refs'][:2])})" for e in entries)


def _untranslated(entries: list[dict]) -> list[dict]:
    return [e for e in _messages(entries) if "fuzzy" in e["flags"] or not all(e["msgstr"])]


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}", text))


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def app_po_entries() -> dict[Path, list[dict]]:
    return {path: parse_po(path.read_text(encoding="utf-8")) for path in APP_PO_PATHS}


def _translated_ids(*catalogues: list[dict]) -> set[tuple[str, str]]:
    return {
        (e.get("msgctxt", ""), e["msgid"])
        for entries in catalogues
        for e in _messages(entries)
        if "fuzzy" not in e["flags"] and all(e["msgstr"])
    }


def test_parse_po_reads_plurals_and_continuations():
    text = (
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        "#: a.html:1\n#, fuzzy, python-format\n"
        'msgid "共 %(n)s 个"\nmsgid_plural "共 %(n)s 个"\nmsgstr[0] "%(n)s "\n"park"\n'
        'msgstr[1] ""\n'
    )
    header, entry = parse_po(text)
    assert header["msgstr"] == ["Language: en\n"]
    assert entry["msgstr"] == ["%(n)s park", ""]
    assert entry["flags"] == {"fuzzy", "python-format"}
    assert _untranslated([header, entry]) == [entry]


def test_catalogue_is_english_and_has_plural_forms(po_entries):
    header = po_entries[0]["msgstr"][0]
    assert "Language: en\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header
    assert len(_messages(po_entries)) > 500


def test_catalogue_has_no_untranslated_or_fuzzy_entries(po_entries, app_po_entries):
    for path, entries in [(PO_PATH, po_entries), *app_po_entries.items()]:
        missing = _untranslated(entries)
        assert not missing, f"untranslated or fuzzy in {path}:\n" + _describe(missing)


def test_translations_keep_placeholders_and_drop_chinese(po_entries, app_po_entries):
    # Bilingual sources ("面积必须大于0 / area must be positive") keep only the English half.
    broken = [
        e
        for e in _messages(
            [e for entries in (po_entries, *app_po_entries.values()) for e in entries]
        )
        for text in e["msgstr"]
        if _placeholders(text) != _placeholders(e["msgid"]) or re.search(r"[\u4e00-\u9fff]", text)
    ]
    assert not broken, "placeholders differ or Chinese left in:\n" + _describe(broken)


@pytest.mark.parametrize("po_path", [PO_PATH, *APP_PO_PATHS], ids=str)
def test_committed_mo_matches_the_po(po_path):
    # Machines without gettext run from the committed .mo: it must not lag the .po.
    with po_path.with_suffix(".mo").open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    stale = []
    for e in _messages(parse_po(po_path.read_text(encoding="utf-8"))):
        if "msgid_plural" in e:
            got = [mo.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        elif "msgctxt" in e:
            got = [mo.pgettext(e["msgctxt"], e["msgid"])]
        else:
            got = [mo.gettext(e["msgid"])]
        if got != e["msgstr"]:
            stale.append(e)
    assert not stale, "run compilemessages; the .mo lags for:\n" + _describe(stale)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext not installed")
def test_every_marked_string_in_the_code_is_translated(tmp_path, monkeypatch, settings):
    """Extract the strings of the current tree (as `make messages` does, on a copy) and
    require each to have an English translation: new strings cannot slip through."""
    package = LOCALE_DIR.parent
    copy = tmp_path / package.name
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    # Point makemessages at the copy only: the real catalogue is never written.
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    # makemessages writes a file's strings into the catalogue of the nearest app that has
    # one, the rest into the project's; any catalogue may hold the translation.
    extracted = [
        e
        for path in copy.glob("**/locale/en/LC_MESSAGES/django.po")
        for e in parse_po(path.read_text(encoding="utf-8"))
    ]
    translated = _translated_ids(
        parse_po(PO_PATH.read_text(encoding="utf-8")),
        *(parse_po(path.read_text(encoding="utf-8")) for path in APP_PO_PATHS),
    )
    missing = [
        e for e in _messages(extracted) if (e.get("msgctxt", ""), e["msgid"]) not in translated
    ]
    assert not missing, (
        "strings without an English translation (run `make messages`, translate them in "
        "parklink/locale/en/LC_MESSAGES/django.po, compile):\n" + _describe(missing)
    )


@pytest.mark.django_db
def test_space_search_facets_in_english(client):
    from tests.factories.parks import SpaceFactory

    SpaceFactory(area_m2=150)
    body = client.get("/spaces/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Under 200 m²" in body
    assert "200㎡以下" not in body
    zh = client.get("/spaces/").content.decode()
    assert "200㎡以下" in zh


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_amounts_are_grouped_by_thousands_in_both_languages(lang):
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load humanize %}{{ n|intcomma }} {{ x|floatformat:'1g' }}")
    with translation.override(lang):
        text = template.render(Context({"n": 181126841, "x": 51126.3}))
    assert text == "181,126,841 51,126.3"
