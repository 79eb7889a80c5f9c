"""Article extraction: title, meta, body and related list from an HTML page or a text dump.

HTML goes through a chain chosen by measurement on the 62 GNE pages (docs/news.md):
1. our own extractor: prune scripts/navigation/link lists, score each block element by the
   prose it holds (text outside links, Chinese punctuation, <p> children: the GNE-style
   text/symbol density idea), take the best block, split it into lines and run the same
   line-level boilerplate filter as for text dumps; title from <h1>/<title>/og:title agreement,
   date from meta tags and the dated line near the title;
2. trafilatura as the fallback when our block is too short to be an article.
Plain text goes through news/boilerplate.py.

Pure: no Django import. `extract(page_text, is_html=..., fetched_at=...) -> Extracted`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from lxml import etree

from parklink.news.boilerplate import (
    BREADCRUMB,
    RELATED_MARKER,
    Meta,
    Related,
    find_copyright,
    find_outlet,
    is_boilerplate,
    keep_prose,
    parse_breadcrumb,
    parse_meta,
    strip_frames,
    strip_text_page,
)
from parklink.zh.dates import find_dates
from parklink.zh.normalise import clean_whitespace


@dataclass(frozen=True)
class ExtractConfig:
    version: int = 2
    min_body_chars: int = 120  # below this our block is not trusted: fall back
    fallback: bool = True  # trafilatura after our own extractor
    # A block the page's description opens wins when it scores at least this share of the best.
    description_reach: float = 0.05


CONFIG = ExtractConfig()


class NoArticle(Exception):
    """The page holds no article (a list page, an error page, a login wall)."""


@dataclass(frozen=True)
class Extracted:
    title: str
    body: str
    meta: Meta = field(default_factory=Meta)
    related: tuple[Related, ...] = ()
    copyright: str = ""
    breadcrumb: tuple[str, ...] = ()
    method: str = ""  # text | own | trafilatura


_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "form",
    "button",
    "select",
    "textarea",
    "input",
    "svg",
    "canvas",
    "object",
    "embed",
    "template",
)
_NOISE_ATTR = re.compile(
    r"(^|[\s_-])(nav|menu|footer|foot|header|sidebar|side|aside|breadcrumb|crumb|share|comment|"
    r"copyright|related|recommend|hot|rank|ad|ads|advert|banner|login|toolbar|tags|pager|"
    r"pagination|gotop|search|friend|links?)([\s_-]|$)",
    re.IGNORECASE,
)
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "td",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "br",
    "tr",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
    "figure",
    "figcaption",
    "center",
    "main",
    "font",
}
_HTML_SPACE = re.compile(r"[\r\n\t]+")
SIGN_OFF = re.compile(
    r"^\s*(?:采写|撰稿|采访|文字|记者|作者|文|编译|整理)\s*[:：/|丨]\s*\S{2,}.{0,30}$|"
    r"[(（]\s*完\s*[)）]\s*$"
)
_SPACE_ALL = re.compile(r"\s+")
_SENTENCE_PUNCT = re.compile(r"[，。；！？、“”,;!?]")
_PUNCT = re.compile(r"[，。；：！？、“”,.;!?]")
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜–—]|\s-\s|-{1,2}(?=[^\d])|_)\s*")
_LABELLED_DATE = re.compile(
    r"(?:发布|发表|更新|时间|日期)\s*[:：]\s*(\S{5,12}(?:\s\d{1,2}:\d{2})?)"
)
_AUTHOR_META = ("author", "article:author", "dc.creator")


# lxml.html's parser, without its element-class lookup (a Python call for every element
# touched; the extractor needs plain elements only).
_PARSER = etree.HTMLParser()
_CLOSE_DOC = re.compile(r"</\s*(?:html|body)\s*>", re.IGNORECASE)


def _document(html: str) -> etree._Element:
    """lxml.html.document_fromstring with plain elements. A stray </html> or </body> in the
    middle of a page (an included header template) makes libxml2 drop everything after it,
    so closing html/body tags are removed: the parser closes them at the end."""
    root = etree.fromstring(_CLOSE_DOC.sub("", html), _PARSER)
    if root is None:
        raise etree.ParserError("Document is empty")
    return root


def _drop_tree(el: etree._Element) -> None:
    """lxml.html's drop_tree: remove the element and its children, keep its tail."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def _text(el: etree._Element) -> str:
    return "".join(el.itertext())


def _prune(root: etree._Element) -> None:
    for bad in root.xpath("//comment()|//processing-instruction()"):
        parent = bad.getparent()
        if parent is not None:
            parent.remove(bad)
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    for el in list(root.iter("nav", "footer", "aside", "header")):
        if el.getparent() is not None and el.tag != "header":
            _drop_tree(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.tag in ("html", "body", "article", "main"):
            continue
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        if attrs.strip() and _NOISE_ATTR.search(attrs):
            # Only drop what is not itself prose-heavy (a class 'ad' on a body wrapper…).
            text = _text(el)
            if len(_PUNCT.findall(text)) < 10 or _link_ratio(el) > 0.5:
                _drop_tree(el)
        elif el.get("style") and re.search(r"display\s*:\s*none", el.get("style", ""), re.I):
            _drop_tree(el)


def _link_ratio(el: etree._Element) -> float:
    total = len(_text(el).strip())
    if not total:
        return 1.0
    linked = sum(len(_text(a).strip()) for a in el.iter("a"))
    return min(1.0, linked / total)


def _score_blocks(root: etree._Element, *, description: str = "") -> etree._Element | None:
    """The element holding the article: prose (text outside links, punctuation) per block,
    credited to parents and grandparents as readability and GNE do. When the page's own
    description (meta description / og:description, usually the article's lead) opens a
    block that scores within reach of the best, that block wins: the page said so."""
    scores: dict[etree._Element, float] = {}
    for el in root.iter("p", "div", "td", "section", "article", "li", "span", "font", "pre"):
        own = (el.text or "") + "".join((c.tail or "") for c in el)
        if el.tag in ("p", "pre"):
            own = _text(el)
        own = own.strip()
        if len(own) < 10:
            continue
        punct = len(_PUNCT.findall(own))
        if punct == 0 and len(own) < 40:
            continue
        score = 1 + punct + min(len(own) / 60, 5)
        parent = el.getparent() if el.tag in ("p", "pre", "span", "font") else el
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + score
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + score / 2
    ranked = sorted(
        ((score * (1 - _link_ratio(el)), el) for el, score in scores.items()),
        key=lambda x: -x[0],
    )
    if not ranked or ranked[0][0] <= 0:
        return None
    lead = _SPACE_ALL.sub("", description)[:24]
    if len(lead) >= 16 and lead not in _SPACE_ALL.sub("", _text(ranked[0][1]))[:400]:
        for adjusted, el in ranked[1:40]:
            if adjusted < ranked[0][0] * CONFIG.description_reach:
                break
            if lead in _SPACE_ALL.sub("", _text(el))[:400]:
                return el
    return ranked[0][1]


def _lines(el: etree._Element) -> list[str]:
    """Text of an element split at block boundaries, links kept only inside prose."""
    blocks: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            blocks.append("".join(buf))
            buf.clear()

    def walk(node: etree._Element, pre: bool = False) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        pre = pre or tag == "pre"
        if tag in _BLOCK_TAGS:
            flush()
        if node.text:
            # A line break in the markup is white space, not a paragraph (except in <pre>).
            buf.append(node.text if pre else _HTML_SPACE.sub(" ", node.text))
        for child in node:
            walk(child, pre)
            if child.tail:
                buf.append(child.tail if pre else _HTML_SPACE.sub(" ", child.tail))
        if tag in _BLOCK_TAGS:
            flush()

    walk(el)
    flush()
    # One clean_whitespace over the blocks joined by newlines gives the same non-blank lines
    # as cleaning each block alone.
    return [x for x in clean_whitespace("\n".join(blocks)).split("\n") if x.strip()]


def _trim(lines: list[str]) -> list[str]:
    """Drop boilerplate lines; trim short non-prose lines off both ends."""
    kept = [
        strip_frames(keep_prose(ln) if is_boilerplate(ln) and len(ln) < 150 else ln) for ln in lines
    ]
    kept = [ln for ln in kept if ln.strip()]
    cut = next((i for i, ln in enumerate(kept) if RELATED_MARKER.match(ln)), None)
    if cut is not None and cut > len(kept) // 3:
        kept = kept[:cut]
    # A sign-off (（完）, 采写：…, 记者 …) in the last part ends the article: what follows
    # is the page's teaser of another story.
    total = sum(len(ln) for ln in kept)
    seen = 0
    for i, ln in enumerate(kept):
        seen += len(ln)
        if i + 1 < len(kept) and seen > total * 0.6 and SIGN_OFF.search(ln):
            kept = kept[: i + 1]
            break

    def prose(ln: str) -> bool:
        # A colon alone does not make a sentence ("相关新闻：", "发布会：谈色彩").
        return (len(_SENTENCE_PUNCT.findall(ln)) >= 1 and len(ln) >= 8) or len(ln) >= 30

    while kept and not prose(kept[0]):
        kept.pop(0)
    while kept and not prose(kept[-1]):
        kept.pop()
    return kept


def _meta(root: etree._Element, names: tuple[str, ...]) -> str:
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key in names and el.get("content"):
            return el.get("content", "").strip()
    return ""


def _json_ld_date(root: etree._Element) -> str:
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError):
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if isinstance(item, dict) and item.get("datePublished"):
                return str(item["datePublished"])
    return ""


def _title(root: etree._Element) -> tuple[str, etree._Element | None]:
    head_title = (
        clean_whitespace(_text(root.find(".//title"))) if root.find(".//title") is not None else ""
    )
    og = _meta(root, ("og:title", "twitter:title"))
    candidates: list[tuple[float, str, etree._Element | None]] = []
    for el in root.xpath("//h1|//h2|//h3|//*[contains(@class,'title') or contains(@id,'title')]"):
        t = clean_whitespace(_text(el)).replace("\n", " ")
        if not 4 <= len(t) <= 120 or (_link_ratio(el) > 0.9 and el.tag != "h1"):
            continue
        score = 0.0
        if head_title and t in head_title:
            score += 3 + len(t) / 50
        elif head_title and head_title.startswith(t[:12]):
            score += 1  # a container holding the title and more (date, source …)
        if og and (t == og or t in og):
            score += 2
        score += {"h1": 1.5, "h2": 0.8, "h3": 0.3}.get(el.tag, 0.5)
        if re.search(r"title", el.get("class", "") + el.get("id", ""), re.I):
            score += 0.5
        candidates.append((score, t, el))
    if candidates:
        score, t, el = max(candidates, key=lambda c: c[0])
        if score >= 3 or not head_title:
            return t, el
    if og:
        return og, None
    if head_title:
        parts = [p for p in _TITLE_SPLIT.split(head_title) if p.strip()]
        return (max(parts[:2], key=len) if parts else head_title), None
    return "", None


def _heading_before(root: etree._Element, block: etree._Element) -> str:
    last = ""
    for el in root.iter():
        if el is block:
            return last
        if not isinstance(el.tag, str):
            continue
        is_heading = el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or re.search(
            r"title", f"{el.get('class', '')} {el.get('id', '')}", re.I
        )
        if is_heading:
            t = clean_whitespace(_text(el)).replace("\n", " ")
            if 6 <= len(t) <= 80 and _link_ratio(el) < 0.5:
                last = t
    return ""


def _following_text(el: etree._Element | None, limit: int = 600) -> str:
    """Text right after the title element (where the date line usually is)."""
    if el is None:
        return ""
    out: list[str] = []
    size = 0
    started = False
    for node in el.getroottree().getroot().iter():
        if node is el:
            started = True
            continue
        if not started or not isinstance(node.tag, str):
            continue
        if el in node.iterancestors():
            continue
        chunk = (node.text or "") + " " + (node.tail or "")
        out.append(chunk)
        size += len(chunk)
        if size > limit:
            break
    return " ".join(out)


# Page metadata naming the publication time, most specific first (Open Graph / article:,
# Dublin Core, portal CMS fields). Update times come last: better than nothing.
_DATE_META_PUBLISHED = (
    "article:published_time",
    "og:release_date",
    "datepublished",
    "publishdate",
    "publish_date",
    "publishtime",
    "pubdate",
    "pubtime",
    "release_date",
    "firstpublishedtime",
    "dc.date.issued",
    "dcterms.issued",
    "og:time",
    "apub:time",
    "weibo: article:create_at",
    "sitemap:pubdate",
    "parsely-pub-date",
)
_DATE_META_OTHER = ("dc.date", "date", "dateupdate", "lastmodifiedtime", "weibo: article:update_at")
# Publication times the page's scripts carry: WeChat's `var ct = "1581517074"` (Unix time),
# `publish_time: '2019-09-08 11:42:03'`, `"pubtime": "2019-09-07 19:02:26"`, `ptime="…"`.
_SCRIPT_EPOCH = re.compile(
    r"""\b(?:var\s+ct|ct|publish_time|create_time)\s*[=:]\s*["']?(1[3-9]\d{8})\b"""
)
_SCRIPT_DATE = re.compile(
    r"""["']?\b(?:publish_?time|pub_?time|pubDate|publishDate|publish_?date|ptime|datePublished|"""
    r"""firstPublishTime|releaseTime|publishedAt|pub_date)["']?\s*[=:]\s*["']"""
    r"""((?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}[^"'<]{0,12})["']""",
    re.IGNORECASE,
)
_URL_DATE = re.compile(
    r"/(?:[a-z]{1,2}|(?:19|20)\d\d[-_]?(?:0[1-9]|1[0-2])/[a-z]{0,2})?"
    r"((?:19|20)\d\d)[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|\d{0,12}[/_.])"
)
CHINA_TZ = timezone(timedelta(hours=8))


def _meta_date(root: etree._Element, names: tuple[str, ...], fetched_at: date | None) -> DateFound:
    wanted = {n: i for i, n in enumerate(names)}
    best: tuple[int, str] | None = None
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key in wanted and el.get("content") and (best is None or wanted[key] < best[0]):
            best = (wanted[key], el.get("content", ""))
    if best is None:
        return None
    found = find_dates(best[1].replace("T", " "), fetched_at=fetched_at)
    return (found[0].value, found[0].text) if found else None


def _script_date(html_head: str, fetched_at: date | None) -> DateFound:
    m = _SCRIPT_EPOCH.search(html_head)
    if m:
        moment = datetime.fromtimestamp(int(m[1]), tz=CHINA_TZ)
        return moment.date(), m[0]
    m = _SCRIPT_DATE.search(html_head)
    if m:
        found = find_dates(m[1], fetched_at=fetched_at)
        if found:
            return found[0].value, found[0].text
    return None


def _url_date(root: etree._Element, url: str) -> DateFound:
    urls = [url]
    for el in root.iter("link", "meta"):
        if el.get("rel") == "canonical" or (el.get("property") or "").lower() == "og:url":
            urls.append(el.get("href") or el.get("content") or "")
    for u in urls:
        m = _URL_DATE.search(u or "")
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3])), m[0]
            except ValueError:
                continue
    return None


DateFound = tuple[date, str] | None


def _date(
    root: etree._Element,
    title_el: etree._Element | None,
    fetched_at: date | None,
    *,
    html: str = "",
    url: str = "",
) -> tuple[date | None, str]:
    """The publication date from the signals a page carries, most reliable first: JSON-LD
    datePublished and publication meta tags, the scripts' publish time (WeChat's Unix `ct`),
    the labelled date line under the title, <time>, a labelled date anywhere, update-time
    meta tags, and last the date in the URL."""

    def near_title() -> DateFound:
        near = clean_whitespace(_following_text(title_el)).replace("\n", " ")
        labelled = re.search(r"(?:发布|发表|更新|时间|日期)[^\d]{0,6}(.{6,40})", near)
        for text in (labelled[1] if labelled else "", near[:300]):
            found = find_dates(text, fetched_at=fetched_at)
            if found:
                return found[0].value, found[0].text
        return None

    def json_ld() -> DateFound:
        raw = _json_ld_date(root)
        found = find_dates(raw.replace("T", " "), fetched_at=fetched_at) if raw else []
        return (found[0].value, found[0].text) if found else None

    def time_el() -> DateFound:
        for el in root.iter("time"):
            found = find_dates(el.get("datetime", "") or _text(el), fetched_at=fetched_at)
            if found:
                return found[0].value, found[0].text
        return None

    def labelled_anywhere() -> DateFound:
        body = root.find("body")
        page_text = " ".join(_text(body if body is not None else root).split())
        for m in _LABELLED_DATE.finditer(page_text[:20000]):
            found = find_dates(m[1], fetched_at=fetched_at)
            if found:
                return found[0].value, found[0].text
        return None

    signals = (
        json_ld,
        lambda: _meta_date(root, _DATE_META_PUBLISHED, fetched_at),
        lambda: _script_date(html, fetched_at),
        near_title,
        time_el,
        labelled_anywhere,
        lambda: _meta_date(root, _DATE_META_OTHER, fetched_at),
        lambda: _url_date(root, url),
    )
    for signal in signals:
        found = signal()
        if found is not None and (fetched_at is None or found[0] <= fetched_at):
            return found
    return None, ""


def _own(html: str, fetched_at: date | None, url: str = "") -> Extracted:
    try:
        root = _document(html)
    except (etree.ParserError, ValueError) as exc:
        raise NoArticle("HTML 无法解析 / HTML cannot be parsed") from exc
    title, title_el = _title(root)
    published, published_text = _date(root, title_el, fetched_at, html=html, url=url)
    description = _meta(root, ("description", "og:description", "twitter:description"))
    author = _meta(root, _AUTHOR_META)
    all_lines = _lines(root.find("body") if root.find("body") is not None else root)
    breadcrumb: tuple[str, ...] = ()
    for ln in all_lines[:40]:
        if BREADCRUMB.search(ln):
            breadcrumb = parse_breadcrumb(ln)
            break
    copyright_line = find_copyright(all_lines[-40:])
    related = _related(root)
    near = (
        clean_whitespace(_following_text(title_el)).split("\n")[0] if title_el is not None else ""
    )
    meta = parse_meta(near[:200], fetched_at=fetched_at) if near else Meta()
    _prune(root)
    best = _score_blocks(root, description=description)
    lines = _trim(_lines(best)) if best is not None else []
    if title_el is None and best is not None and len(title) < 15:
        # No heading agreed with <title> (whose text may be only the site's name): the
        # heading right before the article's block is its title.
        title = _heading_before(root, best) or title
    if lines and title and lines[0].strip() == title:
        lines = lines[1:]
    body = "\n\n".join(lines)
    return Extracted(
        title=title,
        body=body,
        meta=Meta(
            author=meta.author or author,
            category=meta.category or (breadcrumb[-1] if breadcrumb else ""),
            views=meta.views,
            published=published,
            published_text=published_text,
            source_name=meta.source_name or find_outlet(all_lines),
        ),
        related=tuple(related),
        copyright=copyright_line,
        breadcrumb=breadcrumb,
        method="own",
    )


def _related(root: etree._Element) -> list[Related]:
    """A list of links under a related-articles heading."""
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        own = (el.text or "").strip()
        if own and RELATED_MARKER.match(own):
            container = el.getparent()
            if container is None:
                continue
            titles = []
            for a in container.iter("a"):
                t = clean_whitespace(_text(a))
                if 6 <= len(t) <= 80 and t not in titles:
                    titles.append(t)
            if titles:
                return [Related(title=t, excerpt="") for t in titles[:10]]
    return []


def _trafilatura(html: str, fetched_at: date | None) -> Extracted | None:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, fast=True
    )
    if doc is None:
        return None
    text = getattr(doc, "text", None) or ""
    lines = _trim([ln for ln in clean_whitespace(text).split("\n") if ln.strip()])
    raw_date = getattr(doc, "date", None) or ""
    found = find_dates(raw_date, fetched_at=fetched_at) if raw_date else []
    return Extracted(
        title=(getattr(doc, "title", None) or "").strip(),
        body="\n\n".join(lines),
        meta=Meta(
            author=(getattr(doc, "author", None) or "").strip()[:100],
            published=found[0].value if found else None,
            published_text=raw_date,
        ),
        method="trafilatura",
    )


def extract_html(
    html: str, *, fetched_at: date | None = None, config: ExtractConfig = CONFIG, url: str = ""
) -> Extracted:
    own = _own(html, fetched_at, url)
    if len(own.body) >= config.min_body_chars or not config.fallback:
        return own
    other = _trafilatura(html, fetched_at)
    if other is None or len(other.body) <= len(own.body):
        return own
    return Extracted(
        title=own.title or other.title,
        body=other.body,
        meta=own.meta if own.meta.published else other.meta,
        related=own.related,
        copyright=own.copyright,
        breadcrumb=own.breadcrumb,
        method="own+trafilatura",
    )


def extract_text(text: str, *, fetched_at: date | None = None) -> Extracted:
    page = strip_text_page(text, fetched_at=fetched_at)
    return Extracted(
        title=page.title,
        body=page.body,
        meta=page.meta,
        related=page.related,
        copyright=page.copyright,
        breadcrumb=page.breadcrumb,
        method="text",
    )


def extract(
    text: str, *, is_html: bool, fetched_at: date | None = None, url: str = ""
) -> Extracted:
    """Extract the article; raises NoArticle when there is none worth keeping."""
    result = (
        extract_html(text, fetched_at=fetched_at, url=url)
        if is_html
        else extract_text(text, fetched_at=fetched_at)
    )
    if len(result.body) < 40 or (not result.title and len(result.body) < 200):
        raise NoArticle("页面中没有文章 / no article found on the page")
    return result


__all__ = ["CONFIG", "Extracted", "NoArticle", "extract", "extract_html", "extract_text"]
