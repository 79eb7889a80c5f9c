"""Wishes without a number: biosafety levels, "cheaper", access to transport, industries to
stay away from.

- Biosafety: "P2实验室", "P3级别", "BSL-2", "ABSL-3", "生物安全二级" → `biosafety_level`
  (listings do not state one: shown as to be confirmed, never filtered).
- Price: "便宜点", "预算有限", "价格低一些", "性价比高", "cheap", "budget is tight" → `cheaper`,
  a soft wish: cheaper listings score higher.
- Access: "近地铁", "尽量靠近高速", "交通方便", "near a metro station", "good transport links"
  → `access` (metro | highway | transport), a soft wish shown in the reasons.
- Industries to stay away from: "不要化工", "远离化工园区", "no chemical industry" →
  `excluded_industries` (parks leading in them are left out).
"""

from __future__ import annotations

import re

from parklink.matching.grammar.reading import Reading, add

_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
BIOSAFETY_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:A?BSL|P)\s*[-‐–]?\s*(?P<a>[1-4])(?![0-9])"
    r"(?:\s*(?:级别?|级|实验室|车间|lab|laboratory))?"
    r"|生物安全(?:防护)?(?:等级)?\s*(?P<b>[1-4一二三四])\s*级"
    r"|(?:biosafety|bio-safety)\s+level\s*(?P<c>[1-4])",
    re.I,
)
# A "P2" only means biosafety in a sentence with a lab, biology or level word.
_BIO_CTX = re.compile(r"实验|级|生物|病毒|疫苗|细胞|检测|lab|bsl|biosafety|洁净|生物安全", re.I)
# What "不要…" says when it asks for good access ("不要太偏", "太远的不要").
REMOTE_RE = re.compile(r"(?:太|很|特别|过于)?(?:偏|偏远|偏僻|远)(?:的)?")
# What "不要…" says when it asks for a cheaper listing ("不要太贵", "太贵的不考虑").
PRICEY_RE = re.compile(
    r"(?:太|很|特别|那么|过于)?贵(?:的)?|(?:价格|租金|价钱|房租|售价)(?:太|过)?高(?:的)?|太高"
)
_NOT_BIO_AFTER = re.compile(r"\s*(?:栋|号|楼|座|层|区|停车|车位|地块|期)")
CHEAPER_RE = re.compile(
    r"便宜(?:一)?(?:点儿?|些|的)?|价格(?:低|便宜|实惠|优惠)(?:一)?(?:点儿?|些)?|租金(?:低|便宜)(?:一)?(?:点儿?|些)?"
    r"|低价|实惠(?:一)?(?:点|些)?|性价比(?:高|好)?|预算(?:有限|不多|紧张|比较紧|不高|少)|价格敏感|"
    r"省钱|越便宜越好|价低|别太贵|不能太贵|不用太贵|不贵"
    r"|(?<![A-Za-z])(?:cheap(?:er|est)?|low[\s\-]cost|affordable|inexpensive|budget[\s\-]friendly|"
    r"(?:limited|tight|small|low)\s+budget|budget\s+(?:is\s+)?(?:tight|limited|low)|"
    r"cost[\s\-]sensitive|"
    r"price[\s\-]sensitive|good\s+value)(?![A-Za-z])",
    re.I,
)
ACCESS_WORDS: dict[str, str] = {
    "地铁": "metro",
    "轨道交通": "metro",
    "地铁站": "metro",
    "高速": "highway",
    "高速路": "highway",
    "高速公路": "highway",
    "高速口": "highway",
    "环路": "highway",
    "五环": "highway",
    "六环": "highway",
    "交通": "transport",
    "公交": "transport",
}
ACCESS_RE = re.compile(
    r"(?P<w2>地铁站?|高速(?:公路|路|口)?)\s*(?:步行|开车|车程)?\s*\d+\s*(?:分钟|公里|km|米)|"
    r"(?:靠近|临近|挨着|紧邻|离|距离|近|接近|邻近|方便到|方便去|方便上)?"
    r"(?P<w>地铁站?|轨道交通|高速(?:公路|路|口)?|[五六]环|环路|公交)"
    r"(?:站|口)?(?:近|附近|旁边|边上|周边|沿线|方便|便利|比较近|近一些|近点)?"
    r"|(?P<t>交通)(?:要|比较|很|特别)?(?:方便|便利|便捷|好|发达)"
    r"|(?<![A-Za-z])(?:near|close\s+to|next\s+to|access\s+to|walking\s+distance\s+(?:to|of))\s+"
    r"(?:a\s+|the\s+)?(?P<en>metro|subway|underground|highway|motorway|expressway|freeway)"
    r"(?:\s+(?:station|stop|exit|access))?"
    r"|(?P<en2>good|easy|convenient)\s+(?:transport(?:ation)?|access|traffic)(?:\s+links)?"
    r"|(?P<en3>metro|subway|highway|motorway|expressway)\s+(?:station\s+)?(?:access|nearby|"
    r"close\s+by|within\s+walking\s+distance)",
    re.I,
)
# Must be said as a wish ("近", "附近", "方便", "near"): a bare "高速" in "高速发展" is no place.
_ACCESS_WISH = re.compile(
    r"\d\s*(?:分钟|公里|km|米)|沿线|靠近|临近|挨着|紧邻|离|距离|近|附近|旁边|边上|周边|方便|"
    r"便利|便捷|好|发达|near|close|next|access|walking|good|easy|convenient",
    re.I,
)
_FAR_OK = re.compile(r"\s*(?:远|较远|稍远|远一?点|无所谓|不重要|没关系)")
_ACCESS_EN = {
    "metro": "metro",
    "subway": "metro",
    "underground": "metro",
    "highway": "highway",
    "motorway": "highway",
    "expressway": "highway",
    "freeway": "highway",
}
ACCESS_ZH = {"metro": "地铁", "highway": "高速", "transport": "交通便利"}

# Industries a requirement stays away from, said after a negation.
EXCLUDED_INDUSTRY_WORDS: dict[str, str] = {
    "化工": "化工",
    "化学工业": "化工",
    "石化": "石化",
    "石油化工": "石化",
    "危化品": "危化品",
    "危化": "危化品",
    "危险化学品": "危化品",
    "重污染": "重污染",
    "电镀": "电镀",
    "印染": "印染",
    "冶炼": "冶金",
    "冶金": "冶金",
    "钢铁": "冶金",
    "铸造": "铸造",
    "重工业": "重工业",
    "养殖": "养殖",
    "垃圾处理": "垃圾处理",
}
EXCLUDED_INDUSTRY_RE = re.compile(
    "|".join(re.escape(w) for w in sorted(EXCLUDED_INDUSTRY_WORDS, key=len, reverse=True))
)
EXCLUDED_INDUSTRY_EN = {
    "petrochemical": "石化",
    "chemical": "化工",
    "chemicals": "化工",
    "heavy industry": "重工业",
    "heavy industrial": "重工业",
    "hazardous chemicals": "危化品",
    "electroplating": "电镀",
    "steel": "冶金",
    "smelting": "冶金",
    "polluting": "重污染",
    "heavy pollution": "重污染",
}
EXCLUDED_INDUSTRY_EN_RE = re.compile(
    r"(?<![A-Za-z])(?:"
    + "|".join(
        re.escape(w).replace(r"\ ", r"\s+")
        for w in sorted(EXCLUDED_INDUSTRY_EN, key=len, reverse=True)
    )
    + r")(?![A-Za-z])",
    re.I,
)
# "远离化工", "避开化工园区": a negation that the general negation patterns do not cover.
AWAY_RE = re.compile(
    r"(?:远离|避开|别挨着|不挨着|不能挨着|不要挨着|不要靠近|不靠近|不能靠近|周边不能有|周边不要有|"
    r"旁边不能有|旁边不要有|附近不能有|附近不要有)\s*(?P<what>[^,，。;；!！?？\n\s]{1,10})"
)


def excluded_industries(what: str) -> list[str]:
    """Industries named in a negated phrase ("化工园区" → 化工, "chemical parks" → 化工)."""
    out = [EXCLUDED_INDUSTRY_WORDS[m.group(0)] for m in EXCLUDED_INDUSTRY_RE.finditer(what)]
    out += [
        EXCLUDED_INDUSTRY_EN[re.sub(r"\s+", " ", m.group(0).lower())]
        for m in EXCLUDED_INDUSTRY_EN_RE.finditer(what)
    ]
    return list(dict.fromkeys(out))


def read_wishes(text: str, acc: Reading) -> None:
    """Biosafety level, the wish for a cheaper listing and for access to transport."""
    for m in BIOSAFETY_RE.finditer(text):
        level = m.group("a") or m.group("b") or m.group("c")
        # "P2" is a biosafety level in a sentence about a lab or biology, never a building
        # or a car park ("P2栋", "P3停车场")
        if (
            m.group("a")
            and m.group(0).upper().startswith("P")
            and (_NOT_BIO_AFTER.match(text, m.end()) or not _BIO_CTX.search(text))
        ):
            continue
        value = int(level) if level.isdecimal() else _CN_DIGIT[level]
        if acc.biosafety is None or value > acc.biosafety:
            acc.biosafety = value
            acc.stated["biosafety"] = acc.said(m.start(), m.end()).strip()
        acc.spans.append((m.start(), m.end()))
    for m in CHEAPER_RE.finditer(text):
        acc.cheaper = True
        acc.stated.setdefault("cheaper", acc.said(m.start(), m.end()).strip())
        acc.spans.append((m.start(), m.end()))
    for m in ACCESS_RE.finditer(text):
        if not _ACCESS_WISH.search(m.group(0)) or _FAR_OK.match(text, m.end()):
            continue  # "离地铁远点没关系": no wish at all
        word = m.group("w") or m.group("w2")
        if word:
            kind = ACCESS_WORDS.get(word.rstrip("站口"), ACCESS_WORDS.get(word))
            kind = kind or ("highway" if "高速" in word else "metro")
        elif m.group("t") or m.group("en2"):
            kind = "transport"
        else:
            kind = _ACCESS_EN[(m.group("en") or m.group("en3")).lower()]
        add(acc.access, kind)
        acc.stated.setdefault("access", acc.said(m.start(), m.end()).strip())
        acc.spans.append((m.start(), m.end()))


__all__ = [
    "ACCESS_ZH",
    "AWAY_RE",
    "PRICEY_RE",
    "REMOTE_RE",
    "excluded_industries",
    "read_wishes",
]
