"""Extraction, fixture-driven: cases/<name>.html + cases/<name>.expected.json."""

import json
from datetime import date

import pytest

from parklink.news.extract import NoArticle, extract, extract_html
from parklink.news.fetch import Fetched, to_page

from .conftest import CASES

HTML_CASES = sorted(p.stem for p in CASES.glob("*.html"))


@pytest.mark.parametrize("name", HTML_CASES)
def test_html_case(name):
    expected = json.loads((CASES / f"{name}.expected.json").read_text(encoding="utf-8"))
    page = to_page(Fetched(ref=name, data=(CASES / f"{name}.html").read_bytes()))
    result = extract(page.text, is_html=page.is_html)
    assert result.title == expected["title"]
    assert (result.meta.published.isoformat() if result.meta.published else None) == expected[
        "published"
    ]
    assert result.body.startswith(expected["body_first"])
    assert result.body.endswith(expected["body_last"])
    for text in expected["forbidden"]:
        assert text not in result.body, text


def test_html_meta_line_and_related_list():
    html = (CASES / "div-utf8.html").read_text(encoding="utf-8")
    result = extract_html(html)
    assert result.meta.author == "李明"
    assert result.meta.views == 356
    assert [r.title for r in result.related] == [
        "中关村生命科学园加速成长为医药产业高地",
        "区领导带队到中关村生命科学园调研",
    ]
    assert result.method == "own"


def test_relative_date_in_html_resolves_against_fetch_date():
    body = "".join(
        f"<p>第{i}段正文内容写在这里，园区新增企业若干家，发展势头良好。</p>" for i in range(4)
    )
    html = f"<html><body><h1>园区新增企业</h1><div>3天前</div><div>{body}</div></body></html>"
    result = extract_html(html, fetched_at=date(2025, 5, 3))
    assert result.meta.published == date(2025, 4, 30)


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><ul>"
        + "".join(f"<li><a href='/{i}'>链接{i}</a></li>" for i in range(30))
        + "</ul></body></html>",
        "<html><head><title>登录</title></head><body><form>用户名 密码</form></body></html>",
        "<html><body></body></html>",
    ],
)
def test_pages_without_article_raise(html):
    with pytest.raises(NoArticle):
        extract(html, is_html=True)


def test_broken_html_still_extracts_what_is_there():
    body = "".join(f"<p>第{i}段正文，园区建设稳步推进，企业陆续入驻。" for i in range(6))
    html = f"<html><head><title>残缺页面的标题</title><body><div><h1>残缺页面的标题<div>{body}</td></tr></span>"
    result = extract(html, is_html=True)
    assert result.title == "残缺页面的标题"
    assert result.body.count("园区建设稳步推进") == 6
