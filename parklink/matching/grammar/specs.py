"""Space kinds, deals and technical needs in a requirement text: GMP, cleanroom classes
(百级 … 三十万级, ISO 5–9, FS 209E "class 10,000", GMP grades A–D) compared as levels,
环评, 双回路, basements."""

from __future__ import annotations

import re

from parklink.matching.grammar.reading import HARD, NEAR, SOFT, Reading, add

KIND_WORDS: dict[str, str] = {
    "标准厂房": "厂房",
    "独栋厂房": "厂房",
    "厂房": "厂房",
    "车间": "厂房",
    "工厂": "厂房",
    "生产基地": "厂房",
    "生产用房": "厂房",
    "工业用地": "土地",
    "产业用地": "土地",
    "工业土地": "土地",
    "土地": "土地",
    "地块": "土地",
    "拿地": "土地",
    "买地": "土地",
    "块地": "土地",
    "亩地": "土地",
    "空地": "土地",
    "研发楼": "研发楼",
    "研发用房": "研发楼",
    "研发办公": "研发楼",
    "研发空间": "研发楼",
    "科研楼": "研发楼",
    "写字楼": "写字楼",
    "办公楼": "写字楼",
    "办公室": "写字楼",
    "办公空间": "写字楼",
    "办公用房": "写字楼",
    "实验室": "实验室",
    "实验楼": "实验室",
    "湿实验": "实验室",
    "仓库": "仓库",
    "库房": "仓库",
    "冷库": "仓库",
    "物流仓": "仓库",
    "仓储用房": "仓库",
}
DEAL_RE = re.compile(
    r"(?P<sale>购买|购置|求购|买下|想买|要买|买|出售|产权|全款|总价|售价|拿地)"
    r"|(?P<rent>租赁|承租|求租|出租|租金|租用|想租|要租|租期|租)"
)
GMP_RE = re.compile(r"GMP|药品生产质量管理规范", re.I)
ENV_RE = re.compile(r"环评|环境影响评价|排污许可")
DUAL_RE = re.compile(r"双回路|双路供电|双电源|双路电")
# A cleanroom said with or without its class.
CLEAN_RE = re.compile(
    r"(?:三十万|十万|百万|万|千|百|30万|10万|1万)级(?:洁净|净化|无尘)?(?:车间|厂房|区|间)?"
    r"|[ABCD]级(?:洁净|净化)区?"
    r"|ISO\s*(?:class\s*)?[5-9](?:\.5)?(?:级)?(?:洁净)?"
    r"|(?:class|Class|CLASS)\s*(?:100|1,?000|10,?000|100,?000)(?!\d|,\d)"
    r"|洁净|净化车间|无尘",
    re.I,
)
TOP_FLOOR_RE = re.compile(r"顶层|顶楼|最高层|top\s+floors?|top\s+storey|penthouse", re.I)
BASEMENT_RE = re.compile(r"地下室|地下|负一层|负二层|B1|B2|basement", re.I)
KIND_RE = re.compile("|".join(re.escape(w) for w in sorted(KIND_WORDS, key=len, reverse=True)))

# ISO 14644-1 class of each way of naming a cleanroom class; a lower class is cleaner.
_LEVELS_ZH = {"百": 5.0, "千": 6.0, "万": 7.0, "1万": 7.0, "十万": 8.0, "10万": 8.0}
_LEVELS_ZH |= {"三十万": 8.5, "30万": 8.5, "百万": 9.0}
_GMP_GRADE = {"A": 5.0, "B": 5.0, "C": 7.0, "D": 8.0}  # EU/China GMP grades, at rest
_FS209 = {"100": 5.0, "1000": 6.0, "10000": 7.0, "100000": 8.0}
_LEVEL_RE = re.compile(
    r"(?P<zh>三十万|十万|百万|30万|10万|1万|万|千|百)级"
    r"|(?P<grade>[ABCD])级(?=洁净|净化)"
    r"|ISO\s*(?:class\s*)?(?P<iso>[5-9](?:\.5)?)"
    r"|class\s*(?P<fs>100|1,?000|10,?000|100,?000)(?!\d|,\d)",
    re.I,
)


def cleanroom_level(text: str) -> float | None:
    """The ISO class named in `text` ("万级" → 7, "ISO 8" → 8, "D级洁净区" → 8, "class
    100" → 5); None when no class is named (a bare "洁净" is a cleanroom of any class)."""
    m = _LEVEL_RE.search(text or "")
    if m is None:
        return None
    if m.group("zh"):
        return _LEVELS_ZH[m.group("zh")]
    if m.group("grade"):
        return _GMP_GRADE[m.group("grade").upper()]
    if m.group("iso"):
        return float(m.group("iso"))
    return _FS209[m.group("fs").replace(",", "")]


def level_name(iso: float) -> str:
    """ "ISO 7(万级)" for a requirement or a reason."""
    zh = {5.0: "百级", 6.0: "千级", 7.0: "万级", 8.0: "十万级", 8.5: "三十万级", 9.0: "百万级"}
    num = f"{iso:g}"
    return f"ISO {num}({zh[iso]})" if iso in zh else f"ISO {num}"


def read_specs(text: str, acc: Reading) -> None:
    """Kinds, deals and technical needs (GMP, 环评, 双回路, cleanroom) said in the text."""
    for m in KIND_RE.finditer(text):
        kind = KIND_WORDS[m.group(0)]
        how = acc.strength(m.start(), m.end())
        if kind not in acc.excluded_kinds:
            if (SOFT in how or NEAR in how) and HARD not in how:
                add(acc.preferred_kinds, kind)
            else:
                add(acc.kinds, kind)
        acc.spans.append((m.start(), m.end()))
    for m in DEAL_RE.finditer(text):
        acc.deals_seen.add("出售" if m.lastgroup == "sale" else "出租")
        acc.spans.append((m.start(), m.end()))
    for regex, attr, criterion in (
        (GMP_RE, "gmp", "gmp"),
        (ENV_RE, "env", "env_assessment"),
        (DUAL_RE, "dual", "dual_power"),
    ):
        m = regex.search(text)
        if m and getattr(acc, attr) is None:
            setattr(acc, attr, True)
            acc.mark(criterion, m.start(), m.end())
            acc.spans.append((m.start(), m.end()))
    for m in CLEAN_RE.finditer(text):
        if acc.cleanroom is False:
            break
        acc.cleanroom = True
        level = cleanroom_level(m.group(0))
        if level is not None and (acc.clean_iso is None or level < acc.clean_iso):
            acc.clean_iso = level
            acc.stated["cleanroom"] = acc.said(m.start(), m.end())
        acc.mark("cleanroom", m.start(), m.end())
        acc.spans.append((m.start(), m.end()))
