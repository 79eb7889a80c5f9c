"""Space kinds, deals and technical needs in a requirement text."""

from __future__ import annotations

import re

from parklink.matching.grammar.reading import Reading, add

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
    "土地": "土地",
    "地块": "土地",
    "拿地": "土地",
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
}
DEAL_RE = re.compile(
    r"(?P<sale>购买|购置|求购|买下|想买|要买|买|出售|产权|全款|总价|售价|拿地)"
    r"|(?P<rent>租赁|承租|求租|出租|租金|租用|想租|要租|租)"
)
GMP_RE = re.compile(r"GMP|药品生产质量管理规范|ＧＭＰ", re.I)
ENV_RE = re.compile(r"环评|环境影响评价|排污许可")
DUAL_RE = re.compile(r"双回路|双路供电|双电源|双路电")
CLEAN_RE = re.compile(r"洁净|净化车间|无尘|(?:百|千|万|十万)级")
BASEMENT_RE = re.compile(r"地下室|地下|负一层|负二层|B1|B2")
KIND_RE = re.compile("|".join(re.escape(w) for w in sorted(KIND_WORDS, key=len, reverse=True)))


def read_specs(text: str, acc: Reading) -> None:
    """Kinds, deals and technical needs (GMP, 环评, 双回路, cleanroom) said in the text."""
    for m in KIND_RE.finditer(text):
        kind = KIND_WORDS[m.group(0)]
        if kind not in acc.excluded_kinds:
            add(acc.kinds, kind)
        acc.spans.append((m.start(), m.end()))
    for m in DEAL_RE.finditer(text):
        acc.deals_seen.add("出售" if m.lastgroup == "sale" else "出租")
        acc.spans.append((m.start(), m.end()))
    for regex, attr in ((GMP_RE, "gmp"), (ENV_RE, "env"), (DUAL_RE, "dual")):
        m = regex.search(text)
        if m:
            setattr(acc, attr, True)
            acc.spans.append((m.start(), m.end()))
    m = CLEAN_RE.search(text)
    if m:
        acc.cleanroom = True
        acc.spans.append((m.start(), m.end()))
