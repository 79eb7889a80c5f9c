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
from pathlib import Path

from parklink.news.extract import extract_html
from parklink.news.fetch import decode
from parklink.zh.dates import find_dates

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
            f"{self.last} | {self.clean} | {1000 * self.seconds / max(self.pages, 1):.0f} ms |"
        )


Extractor = Callable[[str], tuple[str, str | None, str]]  # html → (title, YYYY-MM-DD, body)


def ours(html: str) -> tuple[str, str | None, str]:
    r = extract_html(html)
    return r.title, r.meta.published.isoformat() if r.meta.published else None, r.body


def trafilatura_alone(html: str) -> tuple[str, str | None, str]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if doc is None:
        return "", None, ""
    found = find_dates(doc.date or "")
    return doc.title or "", found[0].value.isoformat() if found else None, doc.text or ""


def gne_package(html: str) -> tuple[str, str | None, str]:
    from gne import GeneralNewsExtractor

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = GeneralNewsExtractor().extract(html)
    found = find_dates(str(r.get("publish_time") or ""))
    return (
        r.get("title") or "",
        found[0].value.isoformat() if found else None,
        r.get("content") or "",
    )


def evaluate(corpus: Path, extractor: Extractor) -> tuple[Score, list[str]]:
    pages = json.loads(EXPECTATIONS.read_text(encoding="utf-8"))["pages"]
    score = Score()
    misses: list[str] = []
    for rel, exp in sorted(pages.items()):
        path = corpus / rel
        if not path.exists():
            continue
        html, _ = decode(path.read_bytes())
        start = time.perf_counter()
        try:
            title, date, body = extractor(html)
        except Exception:  # an extractor crashing on a page scores nothing for it
            title, date, body = "", None, ""
        score.seconds += time.perf_counter() - start
        b = _n(body)
        checks = {
            "title": _n(title) in {_n(t) for t in exp.get("title_any", [exp["title"]])},
            "date": exp["date"] is None or date == exp["date"],
            "first": _n(exp["first"]) in b[: WINDOW + len(_n(exp["first"]))],
            "last": _n(exp["last"]) in b[-WINDOW - len(_n(exp["last"])) :],
            "clean": bool(b) and not any(_n(f) in b for f in exp["forbidden"]),
        }
        score.pages += 1
        for key, ok in checks.items():
            setattr(score, key, getattr(score, key) + ok)
        if all(checks.values()):
            score.full += 1
        else:
            misses.append(f"{rel}: " + ", ".join(k for k, ok in checks.items() if not ok))
    return score, misses
