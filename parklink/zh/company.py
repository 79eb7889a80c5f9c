"""Company names reduced to a key for duplicate detection.

`华芯半导体`, `北京华芯半导体有限公司`, `華芯半導體(北京)有限公司` and `Huaxin Bandaoti Co., Ltd.`
are one enterprise written four ways. `company_key` folds them to one key:

1. width folded and traditional → simplified (OpenCC), lower case;
2. bracketed parts removed (`(北京)`, `（中国）`, `[筹]`), spaces and punctuation dropped;
3. legal-form suffixes removed (有限公司, 股份有限公司, 集团, Co., Ltd., Inc., GmbH …);
4. region prefixes removed (北京市, 北京, 上海, 海淀区, 中国 …) — but only while what remains
   is still a name (≥ 3 characters), so 北京银行 stays 北京银行 and never becomes 银行;
5. Han characters spelt in toneless pinyin (pypinyin), so a name typed in pinyin folds onto
   its Chinese form.

Pure: no Django import. pypinyin (its phrase dictionary takes ~0.3 s to load) is imported on
the first key, not with this module: commands that never compare company names (a space
import) start without it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from parklink.zh.normalise import for_matching
from parklink.zh.places import BEIJING_DISTRICTS

MAX_KEY = 200
MIN_KEY = 4  # shorter keys (after folding) are too vague to merge on

# Longest first: 股份有限公司 before 有限公司 before 公司.
LEGAL_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "股份有限公司",
            "有限责任公司",
            "集团有限公司",
            "集团股份有限公司",
            "控股有限公司",
            "有限公司",
            "股份公司",
            "总公司",
            "分公司",
            "公司",
            "集团",
            "控股",
        },
        key=len,
        reverse=True,
    )
)

_PROVINCES = [
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
]
_CITIES = [
    "深圳",
    "广州",
    "杭州",
    "南京",
    "苏州",
    "武汉",
    "成都",
    "西安",
    "青岛",
    "大连",
    "宁波",
    "厦门",
    "无锡",
    "长沙",
    "郑州",
    "济南",
    "合肥",
    "福州",
    "沈阳",
    "长春",
    "哈尔滨",
    "石家庄",
    "太原",
    "昆明",
    "南宁",
    "贵阳",
    "南昌",
    "兰州",
    "海口",
    "珠海",
    "东莞",
    "佛山",
    "常州",
    "南通",
    "烟台",
    "廊坊",
    "保定",
    "雄安",
]
_REGION_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "中国",
            "中华人民共和国",
            *(f"{p}省" for p in _PROVINCES),
            *(f"{p}市" for p in _PROVINCES),
            *(f"{c}市" for c in _CITIES),
            *_PROVINCES,
            *_CITIES,
            *BEIJING_DISTRICTS,
            *(d[:-1] for d in BEIJING_DISTRICTS),
            "内蒙古自治区",
            "广西壮族自治区",
            "西藏自治区",
            "宁夏回族自治区",
            "新疆维吾尔自治区",
            "香港特别行政区",
            "澳门特别行政区",
        },
        key=len,
        reverse=True,
    )
)
_REGION_SET = frozenset(_REGION_PREFIXES)
# The prefixes by their first character, each list longest first as above: a name is tried
# only against the prefixes that can match it (a few, not all ~200 on every pass).
_REGION_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _prefix in _REGION_PREFIXES:
    _REGION_BY_FIRST[_prefix[0]] = (*_REGION_BY_FIRST.get(_prefix[0], ()), _prefix)
_LEGAL_WORDS = frozenset({*LEGAL_SUFFIXES, "有限", "股份", "有限责任", "责任", "集团有限"})
MIN_CORE = 3  # characters a name must keep after a region prefix is removed

# Latin legal forms, as whole words at the end (so "Tesco" keeps its "co").
_LATIN_FORMS = re.compile(
    r"(?:[\s.,&]*\b(?:co|company|corp|corporation|inc|incorporated|ltd|limited|llc|plc|gmbh"
    r"|ag|sa|bv|srl|spa|kk|group|holdings?)\b\.?)+[\s.,]*$"
)
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|《[^《》]*》")
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff]")


def company_core(name: str) -> str:
    """The name without brackets, punctuation, legal form and region prefix (Chinese kept,
    simplified, lower case): 北京华芯半导体有限公司 → 华芯半导体."""
    text = unicodedata.normalize("NFKC", for_matching(name or "")).lower()
    text = text.replace("(", "(").replace(")", ")")
    previous = None
    while previous != text:  # nested or repeated brackets
        previous = text
        text = _BRACKETS.sub("", text)
    stripped = _LATIN_FORMS.sub("", text)
    text = stripped if len(_DROP.sub("", stripped)) >= 2 else text
    text = _DROP.sub("", text)
    text = _strip_suffixes(text)
    text = _strip_prefixes(text)
    return _strip_suffixes(text)


def _strip_suffixes(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in LEGAL_SUFFIXES:
            if text.endswith(suffix) and len(text) - len(suffix) >= 2:
                text = text[: -len(suffix)]
                changed = True
                break
    return text


def _strip_prefixes(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in _REGION_BY_FIRST.get(text[:1], ()):
            if text.startswith(prefix) and len(text) - len(prefix) >= MIN_CORE:
                text = text[len(prefix) :]
                changed = True
                break
    return text


def company_key(name: str) -> str:
    """The duplicate-detection key of a company name ("" when too short to merge on):
    北京华芯半导体有限公司 → huaxinbandaoti; 華芯半導體 and Huaxin Bandaoti alike."""
    core = company_core(name)
    if not core or core in _REGION_SET or core in _LEGAL_WORDS:
        return ""
    key = _DROP.sub("", pinyin_text(core).lower()) if _HAN.search(core) else core
    key = key[:MAX_KEY]
    return key if len(key) >= MIN_KEY else ""


@functools.cache
def _pinyin() -> Any:
    from pypinyin.converter import UltimateConverter
    from pypinyin.core import Pinyin

    return Pinyin(UltimateConverter())  # what ``lazy_pinyin`` builds on every call


@functools.lru_cache(maxsize=1 << 16)
def _word_pinyin(word: str) -> str:
    from pypinyin import Style

    return "".join(_pinyin().lazy_pinyin([word], style=Style.NORMAL, errors="default"))


def pinyin_text(text: str) -> str:
    """``"".join(lazy_pinyin(text, style=Style.NORMAL, errors="default"))``, word by word:
    pypinyin cuts the text into Han runs and other runs, the Han runs into dictionary words
    (``Pinyin.seg``), and converts each word on its own; the words of company names recur
    (科技, 有限, 生物, 医药…), so each word's pinyin is memoised. Same result (tested)."""
    return "".join(_word_pinyin(word) for word in _pinyin().seg(text))
