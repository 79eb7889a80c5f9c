"""Scoring of extractors against our annotations of the GNE pages (gne_expectations.json).

A page counts as fully right when the title, the date (where the page states one), the first
and last sentence of the body are right and no page furniture leaked into the body. Used by
tests/news/test_gne_corpus.py (a floor) and bench/ingest.py (the table in benchmarks.md).
"""

from __future__ import annotations

import json
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from parklink.news.extract import extract_html
from parklink.news.fetch import decode
from parklink.zh.dates import find_dates
from parklink.zh.normalise import clean_whitespace

EXPECTATIONS = Path(__file__).resolve().parent / "gne_expectations.json"
WINDOW = 150  # the first/last sentence must lie this close to the body's start/end
_SPACE = re.compile(r"\s+")


def _n(text: str) -> str:
    return _SPACE.sub("", text or "")


@dataclass
class Score:
    pages: int = 0
    title: int = 0
    date: int = 0
    first: int = 0
    last: int = 0
    clean: int = 0
    full: int = 0
    seconds: float = 0.0

    def row(self, name: str) -> str:
        return (
            f"| {name} | {self.full}/{self.pages} | {self.title} | {self.date} | {self.first} | "
            f"{self.last} | {self.clean} | {1000 * self.seconds / max(self.pages, 1):.0f} ms | "
            f"{self.pages / max(self.seconds, 1e-9):.0f} |"
        )


# html, fetched_at → (title, YYYY-MM-DD, body)
Extractor = Callable[[str, date | None], tuple[str, str | None, str]]


def ours(html: str, fetched_at: date | None = None) -> tuple[str, str | None, str]:
    """What `parklink ingest --json` prints for the page (title and body as stored)."""
    r = extract_html(html, fetched_at=fetched_at)
    return (
        clean_whitespace(r.title).replace("\n", " "),
        r.meta.published.isoformat() if r.meta.published else None,
        clean_whitespace(r.body),
    )


def trafilatura_alone(html: str, fetched_at: date | None = None) -> tuple[str, str | None, str]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if doc is None:
        return "", None, ""
    found = find_dates(doc.date or "", fetched_at=fetched_at)
    return doc.title or "", found[0].value.isoformat() if found else None, doc.text or ""


def gne_package(html: str, fetched_at: date | None = None) -> tuple[str, str | None, str]:
    from gne import GeneralNewsExtractor

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = GeneralNewsExtractor().extract(html)
    found = find_dates(str(r.get("publish_time") or ""), fetched_at=fetched_at)
    return (
        r.get("title") or "",
        found[0].value.isoformat() if found else None,
        r.get("content") or "",
    )


def readability_alone(html: str, fetched_at: date | None = None) -> tuple[str, str | None, str]:
    """readability-lxml: body only (it has no date); its HTML summary as text lines."""
    from lxml import html as lxml_html
    from readability import Document

    doc = Document(html)
    root = lxml_html.fromstring(doc.summary(html_partial=True) or "<div></div>")
    lines = [" ".join(el.text_content().split()) for el in root.iter("p", "li", "h2", "h3")]
    body = "\n".join(x for x in lines if x) or root.text_content()
    return doc.short_title() or doc.title() or "", None, body


EXTRACTORS: dict[str, Extractor] = {
    "ParkLink (ours)": ours,
    "trafilatura": trafilatura_alone,
    "gne": gne_package,
    "readability-lxml": readability_alone,
}


def _any(exp: dict, key: str) -> list[str]:
    return [_n(x) for x in exp.get(f"{key}_any", [exp[key]])]


def evaluate(corpus: Path, extractor: Extractor) -> tuple[Score, list[str]]:
    data = json.loads(EXPECTATIONS.read_text(encoding="utf-8"))
    pages, generic = data["pages"], data.get("generic_forbidden", [])
    score = Score()
    misses: list[str] = []
    for rel, exp in sorted(pages.items()):
        path = corpus / rel
        if not path.exists():
            continue
        html, _ = decode(path.read_bytes())
        start = time.perf_counter()
        fetched = exp.get("fetched_at")
        try:
            title, day, body = extractor(html, date.fromisoformat(fetched) if fetched else None)
        except Exception:  # an extractor crashing on a page scores nothing for it
            title, day, body = "", None, ""
        score.seconds += time.perf_counter() - start
        b = _n(body)
        checks = {
            "title": _n(title) in {_n(t) for t in exp.get("title_any", [exp["title"]])},
            "date": exp["date"] is None or day == exp["date"],
            "first": any(f in b[: WINDOW + len(f)] for f in _any(exp, "first")),
            "last": any(x in b[-WINDOW - len(x) :] for x in _any(exp, "last")),
            "clean": bool(b) and not any(_n(f) in b for f in [*exp["forbidden"], *generic]),
        }
        score.pages += 1
        for key, ok in checks.items():
            setattr(score, key, getattr(score, key) + ok)
        if all(checks.values()):
            score.full += 1
        else:
            misses.append(f"{rel}: " + ", ".join(k for k, ok in checks.items() if not ok))
    return score, misses
