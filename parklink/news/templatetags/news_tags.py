"""Template tags of the news area.

- `{% latest_articles 8 %}`: the latest-articles block on the portal home.
- `{% park_articles park %}`: articles mentioning a park, for the park page.
- `{% article_body article %}`: the body as safe HTML with links on recognised parks and
  organisations (from the Mention offsets).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

import nh3
from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from parklink.news import selectors
from parklink.news.models import Article, Mention

register = template.Library()


@register.inclusion_tag("portal/partials/latest_articles.html")
def latest_articles(limit: int = 8) -> dict[str, object]:
    return {"articles": list(selectors.article_list()[: int(limit)])}


@register.inclusion_tag("portal/news/park_articles.html")
def park_articles(park, limit: int = 6) -> dict[str, object]:
    """Articles that mention `park` (a Park or its id), newest first."""
    return {"park": park, "articles": selectors.park_article_list(park=park, limit=int(limit))}


# --- Body rendering -------------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "br", "a", "strong", "b", "em", "i", "u", "sub", "sup", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "img", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "data-kind"},
    "img": {"src", "alt", "width", "height"},
    "span": {"class"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAGS = r"(p|div|br|span|a|strong|b|em|i|table|tr|td|ul|ol|li|h\d|img|section|article)"
# A body is HTML when it holds a whole tag (<p>, <br/>, <a href=…>, </div>), not merely "<b".
_LOOKS_HTML = re.compile(rf"<{_BLOCK_TAGS}(\s[^<>]*)?/?>|</{_BLOCK_TAGS}\s*>", re.I)


def sanitise(fragment: str) -> str:
    """nh3 with the tags an article may use; scripts, styles and event handlers go, and
    only http(s)/mailto and relative links stay."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
    )


@dataclass(frozen=True)
class EntityLink:
    start: int
    end: int
    href: str
    kind: str
    title: str


def entity_links(
    body: str,
    mentions: Iterable[Mention],
    allowed: Callable[[int, int], bool] | None = None,
) -> list[EntityLink]:
    """The first linkable occurrence of each recognised park/organisation whose offsets
    match the body (and fall where `allowed` says a link may go), without overlaps, in body
    order."""
    links: list[EntityLink] = []
    seen: set[tuple[str, int]] = set()
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if m.status not in selectors.RESOLVED_STATUSES:
            continue
        target = m.park if m.park_id else (m.org if m.org_id else None)
        if target is None or body[m.start : m.end] != m.text or not m.text:
            continue
        key = ("park" if m.park_id else "org", target.pk)
        if key in seen or (links and m.start < links[-1].end):
            continue
        if allowed is not None and not allowed(m.start, m.end):
            continue
        href = url_of(target) if m.park_id else org_url(target)
        if not href:
            continue
        seen.add(key)
        links.append(EntityLink(m.start, m.end, href, key[0], target.name))
    return links


def url_of(obj) -> str:
    """The portal page of a record, or "" when it has none (yet)."""
    get_url = getattr(obj, "get_absolute_url", None)
    if get_url is None:
        return ""
    try:
        return get_url()
    except NoReverseMatch:  # the page of that kind of record is not published (yet)
        return ""


def org_url(org) -> str:
    """An organisation's page; until the catalogue publishes organisation pages, the portal
    search for its name (articles, parks and listings that name it)."""
    own = url_of(org)
    if own:
        return own
    try:
        return f"{reverse('portal:search')}?{urlencode({'q': org.name})}"
    except NoReverseMatch:
        return ""


def _anchor(link: EntityLink, text: str) -> str:
    return (
        f'<a class="entity entity-{link.kind}" data-kind="{link.kind}" '
        f'href="{html.escape(link.href)}" title="{html.escape(link.title)}">{text}</a>'
    )


def render_body(body: str, mentions: Iterable[Mention]) -> str:
    """The body as sanitised HTML. Plain text becomes paragraphs (one per non-empty line);
    HTML is kept as far as nh3 allows. Recognised entities become links wherever their
    offsets fall inside text (never inside a tag or an existing link)."""
    if _LOOKS_HTML.search(body):
        runs = _free_text_runs(body)
        links = entity_links(
            body, mentions, allowed=lambda s, e: any(a <= s and e <= b for a, b in runs)
        )
        return sanitise(_link_html(body, links))
    return sanitise(_link_text(body, entity_links(body, mentions)))


def _link_text(body: str, links: list[EntityLink]) -> str:
    out: list[str] = []
    para: list[str] = []
    pos = 0
    marks = [(link.start, link) for link in links]
    i = 0

    def flush() -> None:
        text = "".join(para).strip()
        if text:
            out.append(f"<p>{text}</p>")
        para.clear()

    while pos < len(body):
        nxt = marks[i][0] if i < len(marks) else len(body)
        chunk = body[pos:nxt]
        lines = chunk.split("\n")
        for j, line in enumerate(lines):
            if j:
                flush()
            para.append(html.escape(line.replace("\r", "")))
        pos = nxt
        if i < len(marks):
            link = marks[i][1]
            para.append(_anchor(link, html.escape(body[link.start : link.end])))
            pos = link.end
            i += 1
    flush()
    return "\n".join(out)


def _free_text_runs(body: str) -> list[tuple[int, int]]:
    """Spans of an HTML body that are text outside any tag and outside any <a> element
    (or <script>/<style>, which nh3 drops anyway)."""
    runs: list[tuple[int, int]] = []
    depth = 0  # inside <a>, <script> or <style>
    pos = 0
    for m in _TAG.finditer(body):
        if m.start() > pos and depth == 0:
            runs.append((pos, m.start()))
        tag = m.group(0).lower()
        if re.match(r"<(a|script|style)\b", tag):
            depth += 1
        elif re.match(r"</(a|script|style)\s*>", tag):
            depth = max(0, depth - 1)
        pos = m.end()
    if pos < len(body) and depth == 0:
        runs.append((pos, len(body)))
    return runs


def _link_html(body: str, links: list[EntityLink]) -> str:
    out: list[str] = []
    pos = 0
    for link in links:
        out.append(body[pos : link.start])
        out.append(_anchor(link, body[link.start : link.end]))
        pos = link.end
    out.append(body[pos:])
    return "".join(out)


@register.simple_tag
def article_body(article: Article) -> SafeString:
    """The article body, sanitised, with entity links (uses prefetched mentions)."""
    # render_body's output has been through nh3: safe to mark.
    return mark_safe(render_body(article.body, article.mentions.all()))


@register.filter
def excerpt(text: str, length: int = 120) -> str:
    """The first `length` characters of a body as plain text (tags stripped)."""
    return selectors.plain_excerpt(text, int(length))


@register.simple_tag
def news_review_counts() -> selectors.ReviewCounts:
    """What waits in the news review queue (for the back-office dashboard panel)."""
    return selectors.review_counts()
