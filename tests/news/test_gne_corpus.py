"""Extraction accuracy on the 62 GNE pages against our own annotations (corpus read from
../shared; skipped where absent). The floor is what the chain scored when it was chosen
(docs/news.md), minus a little slack for platform differences; it must not fall below."""

import pytest

from .gne_eval import EXPECTATIONS, evaluate, ours

FLOOR_FULL = 56  # of 62 pages fully right (measured: 60); gne 0.4.3 scores 30
FLOOR_TITLE = 59
FLOOR_CLEAN = 60

pytestmark = pytest.mark.corpus


def test_annotations_cover_every_page(gne_dir):
    import json

    pages = json.loads(EXPECTATIONS.read_text(encoding="utf-8"))["pages"]
    on_disk = {str(p.relative_to(gne_dir)) for p in gne_dir.rglob("*.html")}
    assert set(pages) == on_disk
    assert all(p["title"] and p["first"] and p["last"] for p in pages.values())


def test_our_extractor_stays_above_its_floor(gne_dir):
    score, misses = evaluate(gne_dir, ours)
    assert score.pages == 62
    assert score.full >= FLOOR_FULL, "\n".join(misses)
    assert score.title >= FLOOR_TITLE
    assert score.clean >= FLOOR_CLEAN


def test_our_extractor_beats_gne_on_the_same_annotations(gne_dir):
    pytest.importorskip("gne")
    from .gne_eval import gne_package

    ours_score, _ = evaluate(gne_dir, ours)
    gne_score, _ = evaluate(gne_dir, gne_package)
    assert ours_score.full >= gne_score.full
