"""The industry taxonomy (data/industries.yaml) and the matching rules built on it.

Pure Python (no Django). One rule decides every industry question of this app:

- an allowed, banned or policy industry **covers** itself and every industry below it
  (生物医药 covers 创新药, 医疗器械, 体外诊断 …); names outside the taxonomy are compared as
  text (one contains the other);
- a project industry the taxonomy does not know (and no list entry contains as text) is
  **unknown**, not outside: it cannot be placed;
- a project whose industry is **broader** than the list (it says 生物医药, the park admits only
  医疗器械) is unknown, not a failure: its line decides;
- words in a description count unless negated in their clause ("不涉及电镀工序", "无危化品").

Entry points: ``default_taxonomy()``, ``Taxonomy.find(text)``, ``industry_fit(...)``,
``banned_hits(...)``, ``keyword_hits(...)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from parklink.zh.normalise import for_matching

TAXONOMY_FILE = Path(__file__).resolve().parent / "data" / "industries.yaml"

# A word is negated when one of these opens its clause before it ("无电镀、喷涂工序").
_NEGATION = re.compile(
    r"(?:不涉及|不包括|不包含|不含|不使用|不产生|不排放|不存在|不会|不属于|不是|不从事|不做|不搞|"
    r"不生产|不经营|没有|"
    r"未使用|未涉及|杜绝|禁止使用|零排放|零污染|非(?![常凡])|无(?![人锡线菌尘机论]))"
)
_CLAUSE = re.compile(r"[,，。;；!！?？\n]")
_ASCII = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Hit:
    """An industry named in a text: the canonical name and where (offsets into the text)."""

    industry: str
    word: str
    start: int
    end: int
    negated: bool = False


@dataclass(frozen=True)
class Taxonomy:
    version: int
    names: tuple[str, ...]
    parents: Mapping[str, tuple[str, ...]]
    words: Mapping[str, str]  # folded alias → canonical name
    pattern: re.Pattern[str] | None
    # Texts already read (industry names repeat: every policy's list, every lead's field).
    _found: dict[str, tuple[Hit, ...]] = field(default_factory=dict, compare=False, repr=False)

    def canonical(self, word: str) -> str | None:
        return self.words.get(_fold(word))

    def ancestors(self, name: str) -> frozenset[str]:
        """The industry and every broader one it belongs to."""
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo.extend(self.parents.get(current, ()))
        return frozenset(seen)

    def covers(self, broad: str, narrow: str) -> bool:
        """Whether industry `broad` covers `narrow` (equal, or `narrow` lies below it)."""
        return broad in self.ancestors(narrow)

    def find(self, text: str) -> list[Hit]:
        """Industries named in `text`, longest word first, non-overlapping, in order."""
        if not text or self.pattern is None:
            return []
        cached = self._found.get(text)
        if cached is None:
            if len(self._found) > 20_000:
                self._found.clear()
            cached = self._found[text] = tuple(self._scan(text))
        return list(cached)

    def _scan(self, text: str) -> list[Hit]:
        folded = _fold(text)
        hits: list[Hit] = []
        for m in self.pattern.finditer(folded):
            word = m.group(0)
            if _ASCII.match(word) and not _bounded(folded, m.start(), m.end()):
                continue
            hits.append(
                Hit(
                    industry=self.words[word],
                    word=text[m.start() : m.end()],
                    start=m.start(),
                    end=m.end(),
                    negated=_negated(folded, m.start()),
                )
            )
        return hits

    def industries_in(self, text: str, *, keep_negated: bool = False) -> tuple[str, ...]:
        """The distinct canonical industries named in `text`, in order of appearance."""
        found = [h.industry for h in self.find(text) if keep_negated or not h.negated]
        return tuple(dict.fromkeys(found))


def _fold(text: str) -> str:
    return for_matching(text).lower()


def _bounded(text: str, start: int, end: int) -> bool:
    """ASCII words (AI, IC, CRO) only count on their own, not inside CHAIN or ICU."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def _negated(folded: str, start: int) -> bool:
    """A negation between the start of the word's clause (at most 12 characters back) and it."""
    floor = max(0, start - 12)
    clause = folded[floor:start]
    cut = [m.end() for m in _CLAUSE.finditer(clause)]
    if cut:
        clause = clause[cut[-1] :]
    return bool(_NEGATION.search(clause))


def negated_at(text: str, start: int) -> bool:
    """Whether a word found at `start` of `text` is negated in its clause."""
    return _negated(_fold(text), start)


def build_taxonomy(data: Mapping[str, Any]) -> Taxonomy:
    """A Taxonomy from the parsed YAML; an alias naming two industries or a parent that is
    not an industry raises ValueError."""
    names: list[str] = []
    parents: dict[str, tuple[str, ...]] = {}
    words: dict[str, str] = {}
    for raw in data.get("industries") or []:
        name = str(raw["name"]).strip()
        names.append(name)
        parents[name] = tuple(str(p) for p in raw.get("parents") or ())
        for word in (name, *(str(a) for a in raw.get("aliases") or ())):
            key = _fold(word.strip())
            if key in words and words[key] != name:
                raise ValueError(f"alias {word!r} names both {words[key]} and {name}")
            words[key] = name
    unknown = {p for ps in parents.values() for p in ps} - set(names)
    if unknown:
        raise ValueError(f"unknown parent industries: {sorted(unknown)}")
    ordered = sorted(words, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in ordered)) if ordered else None
    return Taxonomy(
        version=int(data.get("version", 1)),
        names=tuple(names),
        parents=parents,
        words=words,
        pattern=pattern,
    )


@cache
def default_taxonomy() -> Taxonomy:
    """The taxonomy shipped in data/industries.yaml (read once per process)."""
    return build_taxonomy(yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8")))


# --- The three questions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """Whether a project's industry is within a list: ok True/False/None (unknown), the list
    entry it matched (or was broader than), and why in words."""

    ok: bool | None
    matched: str | None
    reason: str


def industry_fit(
    industry: str,
    allowed: Sequence[str],
    *,
    description: str = "",
    taxonomy: Taxonomy | None = None,
) -> Fit:
    """Is a project of `industry` inside the `allowed` list? The description is read only
    when the industry is blank. An empty list admits everything."""
    tax = taxonomy or default_taxonomy()
    wanted = [a for a in (s.strip() for s in allowed) if a]
    if not wanted:
        return Fit(True, None, "any")
    text = (industry or "").strip()
    project = list(tax.industries_in(text)) if text else []
    if not text:
        project = list(tax.industries_in(description or ""))
        if not project:
            return Fit(None, None, "unknown")
    broader: str | None = None
    for entry in wanted:
        entry_nodes = tax.industries_in(entry, keep_negated=True)
        for p in project:
            if any(tax.covers(e, p) for e in entry_nodes):
                return Fit(True, entry, "covered")
        if text and _text_contains(entry, text):
            return Fit(True, entry, "text")
        if broader is None and any(tax.covers(p, e) for p in project for e in entry_nodes):
            broader = entry
    if broader is not None:
        return Fit(None, broader, "broader")
    if not project:
        # The taxonomy does not know the project's industry: it cannot be placed inside or
        # outside the list, so it is unknown (never a guessed "no").
        return Fit(None, None, "unrecognised")
    return Fit(False, None, "outside")


def _text_contains(a: str, b: str) -> bool:
    fa, fb = _fold(a), _fold(b)
    return bool(fa and fb) and (fa in fb or fb in fa)


@dataclass(frozen=True)
class Match:
    """A banned industry or veto keyword found in the project: what and the words around it."""

    entry: str
    word: str
    excerpt: str


def _excerpt(text: str, start: int, end: int, width: int = 14) -> str:
    lo, hi = max(0, start - width), min(len(text), end + width)
    return ("…" if lo else "") + text[lo:hi].replace("\n", " ") + ("…" if hi < len(text) else "")


def banned_hits(
    texts: Iterable[str], banned: Sequence[str], *, taxonomy: Taxonomy | None = None
) -> list[Match]:
    """Banned industries the project's industry or description names (not negated): by the
    taxonomy (化工 bans 精细化工, 危化品) or as text."""
    tax = taxonomy or default_taxonomy()
    found: list[Match] = []
    for entry in (b.strip() for b in banned):
        if not entry:
            continue
        entry_nodes = tax.industries_in(entry, keep_negated=True)
        hit = None
        for text in texts:
            if not text:
                continue
            for h in tax.find(text):
                if not h.negated and any(tax.covers(e, h.industry) for e in entry_nodes):
                    hit = Match(entry, h.word, _excerpt(text, h.start, h.end))
                    break
            if hit is None:
                hit = _first_plain(text, entry)
            if hit is not None:
                break
        if hit is not None:
            found.append(hit)
    return found


def keyword_hits(
    texts: Iterable[str], keywords: Sequence[str], *, taxonomy: Taxonomy | None = None
) -> list[Match]:
    """Veto keywords found in the texts as words (width, script and case folded), unless
    negated in their clause. A keyword that names an industry of the taxonomy also finds its
    other names and what lies below it (危险化学品 finds 危化品)."""
    tax = taxonomy or default_taxonomy()
    texts = [t for t in texts if t]
    found: list[Match] = []
    for entry in (k.strip() for k in keywords):
        if not entry:
            continue
        hit = next((h for h in (_first_plain(t, entry) for t in texts) if h is not None), None)
        canonical = tax.canonical(entry)
        if hit is None and canonical is not None:
            for text in texts:
                h = next(
                    (
                        h
                        for h in tax.find(text)
                        if not h.negated and tax.covers(canonical, h.industry)
                    ),
                    None,
                )
                if h is not None:
                    hit = Match(entry, h.word, _excerpt(text, h.start, h.end))
                    break
        if hit is not None:
            found.append(hit)
    return found


def _first_plain(text: str, entry: str) -> Match | None:
    folded, key = _fold(text), _fold(entry)
    if not key:
        return None
    start = folded.find(key)
    while start >= 0:
        end = start + len(key)
        ascii_ok = not _ASCII.match(key) or _bounded(folded, start, end)
        if ascii_ok and not _negated(folded, start):
            return Match(entry, text[start:end], _excerpt(text, start, end))
        start = folded.find(key, start + 1)
    return None
