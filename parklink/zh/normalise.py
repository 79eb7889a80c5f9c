"""Normalise Chinese text for matching and search while the original is kept.

- `to_simplified`: traditional → simplified (OpenCC t2s), one character for one character so
  offsets found in the simplified text point into the original.
- `fold_width`: full-width ASCII letters, digits and symbols (ＡＢＣ１２３（）％) to half-width,
  keeping the Chinese sentence punctuation (，。；：！？) that has no half-width meaning.
- `for_matching`: both, length-preserving (the form gazetteers and dedupe work on).
- `clean_whitespace`: collapse runs of spaces (incl. U+3000, NBSP) inside lines, strip lines,
  keep at most one blank line between paragraphs.

Pure: no Django import.
"""

from __future__ import annotations

import re
import threading
import unicodedata

import opencc

# Chinese punctuation that reads as sentence structure: folding it to ASCII would change the
# text's look for no matching benefit, so it stays full-width.
_KEEP_FULLWIDTH = set("，。；：！？、")
_WIDTH_TABLE: dict[int, str] = {}
for _code in range(0xFF01, 0xFF5F):
    _ch = chr(_code)
    if _ch not in _KEEP_FULLWIDTH:
        _WIDTH_TABLE[_code] = chr(_code - 0xFEE0)
_WIDTH_TABLE[0x3000] = " "  # ideographic space
_WIDTH_TABLE[0x00A0] = " "  # no-break space

_converter: opencc.OpenCC | None = None
_lock = threading.Lock()


def _t2s() -> opencc.OpenCC:
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                _converter = opencc.OpenCC("t2s")
    return _converter


# The characters `_WIDTH_TABLE` folds, as one class: the regex finds the few in a text at C
# speed, where str.translate looked every character up in the dict (a tenth of indexing).
_WIDE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_WIDTH_TABLE)) + "]")


def fold_width(text: str) -> str:
    """Full-width ASCII forms to half-width (same length)."""
    return _WIDE.sub(lambda m: _WIDTH_TABLE[ord(m[0])], text)


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese, same length as the input.

    OpenCC's phrase tables may change a phrase's length in rare cases; then the text is
    converted character by character so offsets keep pointing at the original.
    """
    if not text:
        return text
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    conv = _t2s().convert
    out = []
    for ch in text:
        c = conv(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


def for_matching(text: str) -> str:
    """Width-folded, simplified text of the same length as `text` (offsets carry over)."""
    return to_simplified(fold_width(text))


# Homophone typos of input methods seen in requirements typed after a call, each replaced by
# a word of the same length (offsets carry over). Only words that mean nothing else in a
# space requirement are folded.
TYPOS: dict[str, str] = {
    "厂方": "厂房",
    "场房": "厂房",
    "长房": "厂房",
    "平放米": "平方米",
    "平房米": "平方米",
    "评米": "平米",
    "瓶米": "平米",
    "平密": "平米",
    "研发搂": "研发楼",
    "写字搂": "写字楼",
    "办工楼": "办公楼",
    "办工室": "办公室",
    "仓酷": "仓库",
    "食验室": "实验室",
    "试验室": "实验室",
    "层搞": "层高",
    "曾高": "层高",
    "成重": "承重",
    "环平": "环评",
    "双回炉": "双回路",
    "租经": "租金",
    "大星": "大兴",
    "顺意": "顺义",
    "通洲": "通州",
    "海定": "海淀",
    "朝杨": "朝阳",
    "昌平去": "昌平区",
    "亦装": "亦庄",
    "义庄": "亦庄",
    "易庄": "亦庄",
    "怀揉": "怀柔",
}
_TYPO_RE = re.compile("|".join(re.escape(w) for w in sorted(TYPOS, key=len, reverse=True)))


def fold_typos(text: str) -> str:
    """`text` with the common homophone typos of `TYPOS` corrected, same length."""
    return _TYPO_RE.sub(lambda m: TYPOS[m.group(0)], text)


def is_traditional(text: str) -> bool:
    """True when converting to simplified changes a noticeable share of the Han characters."""
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return False
    simplified = to_simplified("".join(han))
    changed = sum(1 for a, b in zip(han, simplified, strict=True) if a != b)
    return changed >= max(2, len(han) // 50)


_SPACES = re.compile(r"[ \t\f\v\u3000\u00a0\u2002\u2003\u2009\u200b]+")
_BLANKS = re.compile(r"\n{3,}")


def clean_whitespace(text: str) -> str:
    """Collapse spaces inside lines, strip each line, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def normalise(text: str) -> str:
    """Whitespace cleaned and width folded: the stored form of extracted text (original
    script kept; use `for_matching` for the simplified form)."""
    return fold_width(clean_whitespace(text))
