"""Demo data of the news area: the seed page, then a small news set of our own writing
(data/demo/*.txt, each marked 【演示】 and saying it is fictitious) about the demo parks, so
hot headlines, related articles by entities and the innovation network are populated.

The seed stays the first article: it is ingested first, in the same batch as the demo set.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TextIO

DATA = Path(__file__).resolve().parent / "data"
SEED_FILE = DATA / "seed" / "zgc-life-science-park-20-years.txt"
DEMO_DIR = DATA / "demo"
# The seed page says "6个月前 (11-03)"; the demo resolves it against this fetch date.
SEED_FETCHED_AT = "2025-05-03"
# The source as the article records it: stable across checkouts (not a machine path).
SEED_REF = "parklink/news/data/seed/zgc-life-science-park-20-years.txt"


def demo_files() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.txt"))


def load(stdout: TextIO) -> None:
    """Ingest the seed page and the demo set; a second run finds them unchanged and writes
    nothing."""
    from parklink.news.models import Article
    from parklink.news.services import article_ingest

    files = [SEED_FILE, *demo_files()]
    options = {
        "refs": [str(f) for f in files],
        "fetched_at": date.fromisoformat(SEED_FETCHED_AT),
        "source_refs": {str(f): f"parklink/news/data/{f.parent.name}/{f.name}" for f in files},
    }
    # A dry run first, so an unchanged set leaves no trace (not even a run record).
    results = article_ingest(dry_run=True, **options).results
    if any(r.status not in ("unchanged", "failed") for r in results):
        results = article_ingest(is_demo=True, **options).results
    for r in results:
        if r.status == "failed":
            stdout.write(f"资讯 news: 导入失败 / failed: {r.ref}: {r.error}\n")
    seed = results[0]
    if seed.status == "failed":
        return
    article = Article.objects.get(pk=seed.article_id)
    stdout.write(
        f"资讯 news: {article.title} ({seed.status}); "
        f"{article.mentions.count()} 实体 mentions, {article.facts.count()} 事实 facts; "
        f"演示资讯 demo articles: {len(results) - 1}\n"
    )
