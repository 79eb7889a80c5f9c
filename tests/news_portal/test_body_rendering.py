"""render_body: paragraphs, entity links from offsets, sanitisation (no database)."""

from __future__ import annotations

from types import SimpleNamespace

from parklink.news.choices import ReviewStatus
from parklink.news.templatetags.news_tags import entity_links, render_body


class _Park(SimpleNamespace):
    def get_absolute_url(self) -> str:
        return f"/parks/{self.pk}/"


def _mention(body: str, text: str, *, occurrence: int = 0, status=ReviewStatus.LINKED, pk=1):
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(text, start + 1)
    park = _Park(pk=pk, name=text)
    return SimpleNamespace(
        text=text,
        start=start,
        end=start + len(text),
        status=status,
        park=park,
        park_id=pk,
        org=None,
        org_id=None,
    )


def test_plain_text_becomes_escaped_paragraphs():
    out = render_body("第一段 a<b,b>c,<script>x</script>\n\n\n  第二段 & 更多\r\n", [])
    assert out == (
        "<p>第一段 a&lt;b,b&gt;c,&lt;script&gt;x&lt;/script&gt;</p>\n<p>第二段 &amp; 更多</p>"
    )


def test_link_inside_a_paragraph_keeps_the_surrounding_text():
    body = "前文中关村生命科学园后文\n第二段中关村生命科学园"
    out = render_body(
        body, [_mention(body, "中关村生命科学园"), _mention(body, "中关村生命科学园", occurrence=1)]
    )
    assert out.startswith('<p>前文<a class="entity entity-park"')
    assert out.count("<a ") == 1 and "后文</p>" in out and "<p>第二段中关村生命科学园</p>" in out


def test_html_body_is_not_linked_inside_tags_or_existing_links():
    body = '<p><a href="https://x.test/">中关村生命科学园</a>与<img alt="中关村生命科学园">中关村生命科学园</p>'
    mentions = [_mention(body, "中关村生命科学园", occurrence=i) for i in range(3)]
    out = render_body(body, mentions)
    # Not inside the existing link, not inside the alt attribute: at the free-standing text.
    assert out.count('href="/parks/1/"') == 1
    assert out.endswith(">中关村生命科学园</a></p>")
    assert 'href="https://x.test/"' in out and 'alt="中关村生命科学园"' in out


def test_overlapping_and_unresolved_mentions_are_skipped():
    body = "北京生命科学研究所与北京"
    long = _mention(body, "北京生命科学研究所", pk=1)
    inner = _mention(body, "生命科学", pk=2)
    proposed = _mention(body, "北京", occurrence=1, status=ReviewStatus.PROPOSED, pk=3)
    links = entity_links(body, [inner, long, proposed])
    assert [(link.start, link.end) for link in links] == [(0, 9)]
