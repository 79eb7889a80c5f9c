"""One page through the pure stages: extract → normalise → segment → entities → facts →
dedupe signature. No database: services.article_ingest stores what this returns.

    page (fetch.Page) → analyse(page, gazetteer=…, fetched_at=…) → Analysed
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from parklink.news.boilerplate import Related
from parklink.news.dedupe import Signature, signature
from parklink.news.entities import Entity, Gazetteer, find_entities
from parklink.news.extract import Extracted, extract
from parklink.news.facts import FactFound, find_facts
from parklink.news.fetch import Page
from parklink.zh import segment
from parklink.zh.normalise import clean_whitespace, for_matching, is_traditional


@dataclass(frozen=True)
class Analysed:
    ref: str
    url: str
    title: str
    author: str
    category: str
    views: int | None
    published: date | None
    body: str  # as published: only whitespace cleaned (original script and width kept)
    body_simplified: str
    language: str  # zh-hans | zh-hant
    outlet: str  # the original outlet the page names (来源：新华网)
    related: tuple[Related, ...]
    copyright: str
    entities: tuple[Entity, ...]
    facts: tuple[FactFound, ...]
    signature: Signature
    tokens: str
    method: str

    def as_json(self, *, duplicate_of: int | str | None = None) -> dict[str, object]:
        """The object `parklink ingest --json` prints (DESIGN.md, Command line)."""
        return {
            "source": self.ref,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "author": self.author,
            "outlet": self.outlet,
            "category": self.category,
            "body": self.body,
            "duplicate_of": duplicate_of,
            "entities": [e.as_json() for e in self.entities],
            "facts": [f.as_json() for f in self.facts],
            "related": [{"title": r.title, "excerpt": r.excerpt} for r in self.related],
        }


def analyse(page: Page, *, gazetteer: Gazetteer | None, fetched_at: date | None) -> Analysed:
    """Raises extract.NoArticle when the page holds no article."""
    extracted: Extracted = extract(
        page.text, is_html=page.is_html, fetched_at=fetched_at, url=page.url or page.ref
    )
    # The stored body reads as published (full-width brackets, traditional script kept); the
    # analysed copy is width-folded and simplified, character for character, so every offset
    # found in it (entities, facts) points into the stored body as well.
    body = clean_whitespace(extracted.body)
    title = clean_whitespace(extracted.title).replace("\n", " ")
    simplified = for_matching(body)
    entities = find_entities(body, gazetteer, text_m=simplified)
    facts = find_facts(body, entities, published=extracted.meta.published, text_m=simplified)
    tokens = " ".join(segment.cut(for_matching(title) + "\n" + simplified, hmm=False))
    return Analysed(
        ref=page.ref,
        url=page.url,
        title=title,
        author=extracted.meta.author,
        category=extracted.meta.category,
        views=extracted.meta.views,
        published=extracted.meta.published,
        body=body,
        body_simplified=simplified,
        language="zh-hant" if is_traditional(body) else "zh-hans",
        outlet=extracted.meta.source_name[:100],
        related=extracted.related,
        copyright=extracted.copyright,
        entities=tuple(entities),
        facts=tuple(facts),
        signature=signature(body),
        tokens=tokens,
        method=extracted.method,
    )
