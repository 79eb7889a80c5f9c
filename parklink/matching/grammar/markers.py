"""Words that make a criterion a wish, a must, or a place to be near.

"顺义优先", "最好有双回路", "生命园附近", "preferably in Shunyi", "near the airport" make what
they touch a soft preference (scored, never filtered); "必须", "一定要", "只考虑", "must" make
it a hard constraint. A marker said before an item reaches forward, one said after it reaches
back, each within its clause and at most a few words, and never across a verb that starts the
next part of the sentence ("最好在顺义租2000平厂房": only 顺义 is a wish).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SOFT, NEAR, HARD = "soft", "near", "hard"

_PRE = {
    SOFT: (
        r"最好是|最好能|最好在|最好|尽量|尽可能|优先考虑|优先选择?|倾向于|倾向|首选|如果可以|"
        r"可以的话|如有可能|有条件的话|偏好|"
        r"\bpreferably\b|\bideally\b|\bwould prefer\b|\bprefer(?:ably)?\b|\bif possible\b|"
        r"\bnice to have\b"
    ),
    NEAR: (
        r"靠近|临近|挨着|紧邻|离|距离|"
        r"\bnear(?:by)?\b|\bclose to\b|\bnext to\b|\bclose by\b|\bnot far from\b|"
        r"\bin the vicinity of\b|\bwithin reach of\b"
    ),
    HARD: (
        r"必须要?|一定要|一定得|务必|只要|只考虑|只能|仅限|只看|只找|非要|硬性要求|"
        r"\bmust(?: be| have)?\b|\bhas to be\b|\bhave to be\b|\bonly\b|\bstrictly\b|"
        r"\brequired?\b|\bmandatory\b|\bessential\b"
    ),
}
_POST = {
    SOFT: (
        r"优先考虑|优先|为佳|为宜|就更好了|更好|最好|最佳|加分|更佳|"
        r"\bpreferred\b|\bif possible\b|\bis a plus\b|\ba plus\b|\bwould be nice\b|"
        r"\bideally\b|\bpreferably\b"
    ),
    NEAR: r"附近|周边|一带|旁边|边上|周围|那边|那一带|那片|左近|沿线|\bnearby\b|\bsurroundings\b",
    HARD: (
        r"是硬性要求|是硬指标|必须满足|是必须的|必须的|是必须|硬性要求|必备|"
        r"\bis a must\b|\bis required\b|\bis mandatory\b|\bmandatory\b|\brequired\b|\bmust\b"
    ),
}
_PRE_RE = re.compile("|".join(f"(?P<{k}>{v})" for k, v in _PRE.items()), re.I)
_POST_RE = re.compile("|".join(f"(?P<{k}>{v})" for k, v in _POST.items()), re.I)
_BREAK = re.compile(r"[,，。;；!！?？\n]")
_BREAK_ZH = re.compile(r"[,，。;；!！?？\n\s]")
# Words that start the next part of a sentence: a marker's reach stops there.
_BOUNDARY = re.compile(
    r"租|买|购|需要|要求|面积|预算|租金|价格|做|生产|研发|入驻|层高|承重|配电|"
    r"\b(?:rent|lease|buy|purchase|budget|for|need|needs|looking)\b",
    re.I,
)
_REACH_ZH, _REACH_EN = 10, 40


@dataclass(frozen=True, slots=True)
class Scope:
    start: int
    end: int
    kind: str


def _reach(text: str, pos: int, forward: bool) -> int:
    """How far a marker at `pos` reaches: to the clause end, a boundary word, or a limit."""
    ascii_run = text[pos : pos + 8] if forward else text[max(0, pos - 8) : pos]
    chinese = not ascii_run.isascii()
    limit = _REACH_EN if not chinese else _REACH_ZH
    # In Chinese a space separates the items of a typed list ("厂房2000平 经开区优先"): it
    # ends a marker's reach like a comma, once past the spaces right beside the marker.
    brk = _BREAK_ZH if chinese else _BREAK
    if forward:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        end = min(len(text), pos + limit)
        m = brk.search(text, pos, end)
        end = m.start() if m else end
        b = _BOUNDARY.search(text, pos, end)
        # a boundary right at the marker ("优先租") does not cut the reach to nothing
        if b and b.start() > pos:
            end = b.start()
        return end
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    start = max(0, pos - limit)
    for m in brk.finditer(text, start, pos):
        start = m.end()
    last = None
    for b in _BOUNDARY.finditer(text, start, pos):
        if b.end() < pos:
            last = b
    return last.end() if last else start


def find_scopes(text: str) -> list[Scope]:
    """The stretches of `text` each marker reaches, with the marker's kind."""
    out: list[Scope] = []
    for m in _PRE_RE.finditer(text):
        out.append(Scope(m.end(), _reach(text, m.end(), True), m.lastgroup or SOFT))
    for m in _POST_RE.finditer(text):
        out.append(Scope(_reach(text, m.start(), False), m.start(), m.lastgroup or SOFT))
    return out


def kinds_at(scopes: list[Scope], start: int, end: int) -> set[str]:
    """Marker kinds whose reach covers the item text[start:end]."""
    return {s.kind for s in scopes if s.start <= start and end <= s.end}
