"""The news pages in a real browser: the list, an article, and an entity link to the park."""

from __future__ import annotations

import pytest

from parklink.news.choices import EntityKind, ReviewStatus
from tests.factories.news import ArticleFactory, mention_for
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.e2e

BODY = (
    "2000年11月25日,中关村生命科学园启动建设。园区建设分为三期,规划核心区占地7.19平方公里。\n"
    "至2010年,其孵化器入住率已高达91%。<script>window.__pwned = 1</script>"
)


@pytest.fixture
def article(transactional_db):
    park = ParkFactory(name="中关村生命科学园", district="昌平区")
    article = ArticleFactory(
        title="从“生命细胞”到创新网络中关村生命科学园二十载裂变", body=BODY, views=46
    )
    mention_for(
        article, "中关村生命科学园", kind=EntityKind.PARK, park=park, status=ReviewStatus.LINKED
    )
    ArticleFactory(title="另一篇关于中关村生命科学园的资讯", body="中关村生命科学园的孵化器扩建。")
    return article


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_news_list_article_and_entity_link_to_park(live_server, page, article, viewport):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/news/")
    page.get_by_role("link", name=article.title).first.click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.locator("h1.article-title").inner_text() == article.title
    assert "47 次浏览" in page.locator(".article .meta").inner_text()
    # The injected script neither ran nor survived.
    assert page.evaluate("window.__pwned === undefined")
    body = page.locator(".article-body")
    assert body.locator("p").count() == 2
    link = body.locator("a.entity-park")
    assert link.inner_text() == "中关村生命科学园"
    link.click()
    page.wait_for_url("**/parks/*/")
    assert "中关村生命科学园" in page.locator("h1").first.inner_text()
    # …and the park page lists the article back ({% park_articles park %}).
    assert page.locator(".park-articles").get_by_role("link", name=article.title).is_visible()
    assert errors == []
