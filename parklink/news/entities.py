"""Entities in article text: parks and organisations, places and (where needed) people.

1. Catalogue names and aliases through an Aho-Corasick automaton (pyahocorasick) over the
   width-folded simplified text, so traditional script and full-width brackets match too;
   each hit carries its catalogue name as `canonical`.
2. New organisations and parks by the shape of their names (…有限公司, …研究所, …研究院,
   …中心, …医院, …大学, …实验室, …产业园/科技园/基地): from the suffix, walk back over the
   jieba tokens of the clause until a verb or function word (引入, 在, 和 …).
3. Places: Beijing's districts by full and short name (zh/places.py).
4. People: only a name right after a title (区委书记甘靖中主持…), where a sentence needs it.

Overlaps resolve to the longer span; on equal spans the catalogue wins. Offsets index the
original text (the matching form has the same length). Pure: no Django import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from parklink.zh import segment
from parklink.zh.normalise import for_matching
from parklink.zh.places import BEIJING_DISTRICTS

PARK, ORG, PLACE, PERSON = "park", "org", "place", "person"


@dataclass(frozen=True)
class CatalogueName:
    """One surface form the gazetteer knows: a name or alias of a park or organisation."""

    surface: str
    kind: str  # park | org
    canonical: str
    ref_id: int | None = None


@dataclass(frozen=True)
class Entity:
    name: str  # as written in the text
    kind: str  # park | org | place | person
    start: int
    end: int
    canonical: str | None = None
    ref_id: int | None = None
    origin: str = "catalogue"  # catalogue | shape | place | person

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "canonical": self.canonical,
        }


PARK_SUFFIXES = (
    "科学工业园区",
    "工业园区",
    "产业园区",
    "科学园区",
    "科技园区",
    "软件园区",
    "产业园",
    "科技园",
    "科学园",
    "创新园",
    "工业园",
    "软件园",
    "医药园",
    "创业园",
    "孵化园",
    "产业基地",
    "基地",
    "科学城",
    "科技城",
    "生物城",
    "医药城",
    "高新区",
    "经济技术开发区",
    "经济开发区",
    "开发区",
    "产业新城",
    "特色小镇",
    "合作区",
)
ORG_SUFFIXES = (
    "集团股份有限公司",
    "集团有限公司",
    "集团股份公司",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "研究所",
    "研究院",
    "研究中心",
    "中心",
    "医院",
    "大学",
    "学院",
    "实验室",
    "检验所",
    "股份公司",
    "公司",
    "基金",
)
_SUFFIX_RE = re.compile(
    "(?:"
    + "|".join(sorted(PARK_SUFFIXES + ORG_SUFFIXES, key=len, reverse=True))
    + r")(?:\([\u4e00-\u9fff]{2,6}\))?"
)
_ALL_SUFFIXES = tuple(PARK_SUFFIXES + ORG_SUFFIXES)
_LEGAL_FORMS = (
    "集团股份有限公司",
    "集团有限公司",
    "集团股份公司",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "股份公司",
    "集团",
    "公司",
)
# Suffixes that are also plain nouns (a 中心, a 基地, a 实验室, a 基金, a 公司): the name
# needs a head of its own, a place or 国家/中国 …, and a word after it that is not generic
# (北京集成电路产业投资基金, 香港科技园公司); 抗体药物中试基地, 外资研发中心, 北京创新中心 and
# OLED材料实验室 are descriptions, not names.
_WEAK_SUFFIXES = frozenset({"中心", "基地", "实验室", "基金", "公司"})
_PLACE_HEAD = re.compile(
    r"^(?:中国科学院|中科院|中国|国家|首都|北京|上海|天津|重庆|香港|澳门|台湾|深圳|广州|武汉|南京|杭州|"
    r"苏州|成都|西安|合肥|长沙|郑州|济南|青岛|沈阳|大连|厦门|宁波|无锡|东莞|珠海|雄安|"
    r"海淀|朝阳|丰台|石景山|门头沟|房山|通州|顺义|昌平|大兴|怀柔|平谷|密云|延庆|亦庄|中关村|"
    r"[\u4e00-\u9fff]{2}(?:省|市|区|县))"
)
# Words that may sit inside a company's name although they end a name elsewhere
# (北京怀柔科学城建设发展有限公司, …人工智能基础技术研究有限公司).
_NAME_INTERNAL = frozenset(
    {"建设", "投资", "服务", "研究", "合作", "发展", "开发", "管理", "运营"}
    # single characters jieba splits out of a brand (科兴|中|维): inside a company name
    | {"中", "上", "下", "内", "外", "前", "后", "新"}
)
# After a verb of founding, an institute without a head of its own is a description of what
# is planned (共建创新药物研究院), not a name.
_FOUNDING = frozenset({"共建", "设立", "成立", "组建", "筹建", "建设", "打造", "新建", "建立"})
# After these the walk-back has met an anaphor (该医疗器械产业园): no new name.
_ANAPHORS = frozenset({"该", "此", "本", "这", "这个", "这一", "其", "上述", "该项目"})
_INSTITUTE_SUFFIXES = ("研究所", "研究院", "研究中心", "实验室", "中心")
_INSTITUTE_HEAD = re.compile(
    r"^(?:中国|国家|首都|北京|上海|天津|重庆|中国科学院|中科院|[\u4e00-\u9fff]{2}(?:省|市))"
)
_ORG_FORM = re.compile(r"(?:有限公司|有限责任公司|股份公司|集团|公司)")
_OWNED_BY_ORG = re.compile(
    r"(?:有限公司|有限责任公司|股份公司|集团|公司)(?:投资|投建|新建|建设|兴建|旗下|的|在)*"
    r"的$"
)
# Two-character verbs a jieba token may split across a name's first character (用好|中拉…).
_SPLIT_VERBS = frozenset(
    {"用好", "已有", "现有", "共有", "拥有", "利用", "借助", "依托", "新建", "在建"}
)
# A name is made of Han characters, letters, digits and brackets; anything else ends it.
_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()·]+$")


def _words(text: str) -> frozenset[str]:
    """A word list written as text, one space between words (easier to read and extend)."""
    return frozenset(text.split())


# Tokens that end a name when walking back from its suffix: verbs, prepositions, conjunctions
# and words that introduce a list.
_STOP = _words(
    """的 了 在 和 与 及 跟 同 等 是 为 由 把 被 将 对 向 从 于 以 其 如 有 又 也 并 而 或 个 家 所 着 让 使 给 至 到 这 那 该 本 各 每 则 还 已
都 就 中 上 下 里 内 外 前 后 后来 今年 去年 近日 日前 目前 引入 引进 入驻 入选 包括 成立 设立 落户 联合 携手 吸引 聚集 汇聚 集聚 建设 打造 依托 通过
作为 其中 以及 还有 拥有 位于 来自 签约 合作 共建 组建 举办 主办 承办 协办 指导 支持 带队 走进 调研 参观 代表 今天 已经 正式 成功 宣布 获得 发布 同时 此外
另外 以下简称 简称 包含 涵盖 坐落 坐落于 毗邻 相继 先后 分别 陆续 开展 建成 启动 成为 形成 推动 助力 服务 服务于 围绕 面向 加快 积极 提供 支撑 了解 实地
我国 国内 全国 园区 企业 机构 单位 项目 一批 多家 一家 三大 两大 四大 五大 重点 重大 主要 新 多个 有如 例如 比如 诸如 像 如同 进入 迁入 搬入 设在 位在
为主 之一 等等 计划 拟 将在 来到 参加 出席 会见 会上 会议 听取 研究 召开
已有 现有 共有 用好 用 利用 借助 发挥 新建 在建 扩建 筹建 改建 投资 投建 兴建 推进 加快推进 鼓励 引导 落地 旗下 下属 所属
余家 多家 数家 近百家 上百家 几家 这家 该家 各家
要 需 需要 应 应当 优化 提升 完善 加强 强化 做好 建好 用好 管好 抓好 深化 全力 大力 努力 着力 进一步 持续 不断"""
)
# A name never starts with these (a verb or quantifier the walk-back kept: 已有…, 由…).
_LEADING = re.compile(
    r"^(?:已有|现有|共有|拥有|用好|利用|借助|依托|新建|在建|扩建|筹建|建设|打造|推动|推进|支持|"
    r"引进|引入|吸引|围绕|服务|发挥|联合|携手|通过|经过|由|经|将|把|被|让|使|向|为|对|与|和|同|及|"
    r"在|从|于|以|是|有|的|等|要|优化|提升|完善|加强|做好|建好|用好|管好|"
    r"第[一二三四五六七八九十百0-9]+[届次期])+"
)
# Words that alone do not make a name before a suffix (全国科技创新中心 is a policy phrase).
_GENERIC = _words(
    """综合 交通 会展 商业 展览 体育 会议 计算 枢纽 应急 安全 城市 生活 社区 便民 市民 政务服务 客户 售后 营运 运维 配送 仓储 数据处理 全国 国际 世界 全球 科技 创新 服务 研发 产业 技术 工程 数据 运营 金融 综合 公共 孵化 管理 发展 研究 科学 生物 医药 医疗 健康 国家级 市级 区级 大型 科研
专业 行业 转化 成果 交流 展示 营销 物流 商务 培训 检测 信息 文化 活动 政务 指挥 调度 控制 体验 创业 新兴 高端 原始 自主 协同 示范 中 一 全 新
上市 龙头 头部 子 母 分 合资 外资 独资 民营 国有 平台 投资 初创 联合 外资企业 验证 适配 测试 认证 材料 中试 生产 制造 产业化 共享"""
)
_PERSON = re.compile(
    r"(?:书记|副书记|区长|市长|主任|院长|所长|董事长|总经理|总裁|教授|院士|研究员|局长|部长|主席)"
    r"(?P<name>[\u4e00-\u9fff]{2,3}?)"
    r"(?=主持|带队|出席|表示|介绍|说|指出|强调|参加|讲话|会见|调研|一行|[,，、。])"
)
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "甘冷倪柳葛"
)


_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9&.\- ]{1,39}")


def _inside_latin_word(text: str, start: int, end: int) -> bool:
    """True when a Latin name found at text[start:end] is part of a longer Latin word."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    return bool(before and before.isascii() and before.isalnum()) or bool(
        after and after.isascii() and after.isalpha() and text[end - 1].isalpha()
    )


class Gazetteer:
    """Aho-Corasick over catalogue names and aliases (matching form → CatalogueName)."""

    def __init__(self, names: Iterable[CatalogueName]) -> None:
        self._automaton = ahocorasick.Automaton()
        self.size = 0
        for entry in names:
            cleaned = segment.clean_name(entry.surface)
            if not cleaned and _LATIN_NAME.fullmatch(entry.surface.strip()):
                cleaned = " ".join(entry.surface.split())  # IC PARK: a Latin alias with spaces
            key = for_matching(cleaned)
            if len(key) < 2:
                continue
            existing = self._automaton.get(key, None)
            # A name wins over another record's alias for the same surface.
            if existing is None or (
                entry.surface == entry.canonical and existing[1].surface != existing[1].canonical
            ):
                self._automaton.add_word(key, (len(key), entry))
                self.size += existing is None
        if self.size:
            self._automaton.make_automaton()

    def find(self, text_m: str) -> list[tuple[int, int, CatalogueName]]:
        if not self.size:
            return []
        out = []
        for end, (key_len, entry) in self._automaton.iter(text_m):
            start = end - key_len + 1
            if (
                text_m[start].isascii()
                and text_m[start].isalnum()
                and _inside_latin_word(text_m, start, end + 1)
            ):
                continue  # "IC PARK" inside "MAGIC PARKING" is no mention
            out.append((start, end + 1, entry))
        return out


_PLACE_NAMES: dict[str, str] = {"北京": "北京市", "北京市": "北京市"}
for _d in BEIJING_DISTRICTS:
    _PLACE_NAMES[_d] = _d
    _PLACE_NAMES[_d[:-1]] = _d
_PLACE_NAMES["亦庄"] = "大兴区"
_PLACES = Gazetteer(CatalogueName(s, PLACE, c) for s, c in _PLACE_NAMES.items())


def _shape_candidates(text_m: str) -> list[Entity]:
    found: list[Entity] = []
    for m in _SUFFIX_RE.finditer(text_m):
        s = m.start()
        suffix = m[0].split("(")[0]
        nxt = text_m[m.end() : m.end() + 1]
        if (suffix in ORG_SUFFIXES and nxt and nxt in "城路街") or (
            suffix == "中心" and nxt == "区"
        ):
            continue  # 沙河大学城, 学院路, 商务中心区: a place named after an institution
        # The clause before the suffix (at most 25 name characters).
        left = text_m[max(0, s - 25) : s]
        run = _NAME_CHARS.search(left)
        if not run:
            continue
        prefix = run[0]
        tokens = segment.cut(prefix)
        # Where each token starts in the prefix (the tokens drop brackets: 科技(北京)有限公司).
        starts: list[int] = []
        cursor = 0
        for token in tokens:
            at = prefix.find(token, cursor)
            starts.append(at if at >= 0 else cursor)
            cursor = (at if at >= 0 else cursor) + len(token)
        kept: list[str] = []
        stopped_by = ""
        legal = suffix in _LEGAL_FORMS
        i = len(tokens) - 1
        while i >= 0:
            token = tokens[i]
            if token in ("与", "和") and kept and suffix in _INSTITUTE_SUFFIXES:
                # 中国科学院遗传与发育生物学研究所, 北京脑科学与类脑研究中心: an institute's
                # name may join two fields with 与 when what comes before is no name itself.
                left_part: list[str] = []
                j = i - 1
                while j >= 0 and tokens[j] not in _STOP and not tokens[j].isdecimal():
                    left_part.insert(0, tokens[j])
                    j -= 1
                chunk = "".join(left_part)
                if _INSTITUTE_HEAD.match(chunk) and not chunk.endswith(_ALL_SUFFIXES):
                    kept = [*left_part, token, *kept]
                    break
            if (
                (legal or suffix == "基金")
                and token in _NAME_INTERNAL
                and i > 0
                and tokens[i - 1] not in _STOP
                and not tokens[i - 1].isdecimal()
            ):
                kept.insert(0, token)  # …科学城建设发展有限公司: part of the company's name
                i -= 1
                continue
            if token in _STOP or token.isdecimal():
                stopped_by = token
                break
            kept.insert(0, token)
            i -= 1
        if not kept or (stopped_by.isdecimal() and not legal):
            continue  # 12英寸晶圆制造基地: a quantity phrase, not a name
        if stopped_by in _ANAPHORS and not legal:
            continue  # 该医疗器械产业园 refers back to a park named before
        # A name starts with its own token; a lone leading character is a clause remnant.
        while kept and len(kept[0]) == 1 and kept[0] in _STOP:
            kept.pop(0)
        name_part = prefix[starts[len(tokens) - len(kept)] :]  # kept is the tail of tokens
        lead = _LEADING.match(name_part)
        if lead and len(name_part) - lead.end() >= 2:
            name_part = name_part[lead.end() :]
            kept = segment.cut(name_part)
        if len(name_part) < 2 or all(t in _GENERIC for t in kept):
            continue
        if (
            stopped_by in _FOUNDING
            and suffix in (*_INSTITUTE_SUFFIXES, "研究院")
            and not _PLACE_HEAD.match(name_part)
        ):
            continue
        if suffix in _WEAK_SUFFIXES:
            head = _PLACE_HEAD.match(name_part)
            rest = segment.cut(name_part[head.end() :]) if head else []
            if not head or not rest or all(t in _GENERIC for t in rest):
                continue
        if suffix not in _LEGAL_FORMS and _ORG_FORM.search(name_part):
            # "…有限公司…制造基地", "…股份有限公司华北研发中心": a company followed by its
            # project or unit is neither a park nor another organisation; the company is
            # found by its own (legal-form) suffix.
            continue
        if not prefix.endswith(name_part):
            continue
        start = s - len(name_part)
        if text_m[start - 1 : start + 1] in _SPLIT_VERBS and len(name_part) >= 3:
            name_part, start = name_part[1:], start + 1
        kind = PARK if suffix in PARK_SUFFIXES else ORG
        if kind == PARK and _OWNED_BY_ORG.search(text_m[max(0, start - 14) : start]):
            continue  # 某某有限公司投资的疫苗制造基地: the company's project
        found.append(Entity("", kind, start, m.end(), None, None, "shape"))
    return found


def _short_forms(text_m: str, shapes: list[Entity]) -> list[Entity]:
    """A new park named in full (平谷马坊物流基地) and later without its leading place
    (马坊物流基地): the short form is a mention of a park too."""
    out: list[Entity] = []
    seen: set[str] = set()
    for e in shapes:
        if e.kind != PARK:
            continue
        full = text_m[e.start : e.end]
        head = _PLACE_HEAD.match(full)
        if not head or len(full) - head.end() < 4:
            continue
        short = full[head.end() :]
        if short in seen:
            continue
        seen.add(short)
        at = text_m.find(short)
        while at >= 0:
            if not (e.start <= at < e.end):
                out.append(Entity("", PARK, at, at + len(short), None, None, "shape"))
            at = text_m.find(short, at + len(short))
    return out


def _person_candidates(text_m: str) -> list[Entity]:
    out = []
    for m in _PERSON.finditer(text_m):
        if m["name"][0] in _SURNAMES:
            out.append(Entity("", PERSON, m.start("name"), m.end("name"), None, None, "person"))
    return out


_PRIORITY = {"catalogue": 0, "shape": 1, "place": 2, "person": 3}


def find_entities(
    text: str, gazetteer: Gazetteer | None = None, *, text_m: str | None = None
) -> list[Entity]:
    """Entities in `text`, non-overlapping, in text order, with offsets into `text`.
    `text_m` is for_matching(text) when the caller already has it."""
    if text_m is None or len(text_m) != len(text):
        text_m = for_matching(text)
    candidates: list[Entity] = []
    if gazetteer is not None:
        for s, e, entry in gazetteer.find(text_m):
            candidates.append(Entity("", entry.kind, s, e, entry.canonical, entry.ref_id))
    shapes = _shape_candidates(text_m)
    candidates.extend(shapes)
    candidates.extend(_short_forms(text_m, shapes))
    for s, e, entry in _PLACES.find(text_m):
        candidates.append(Entity("", PLACE, s, e, entry.canonical, None, "place"))
    candidates.extend(_person_candidates(text_m))

    candidates.sort(key=lambda c: (-(c.end - c.start), _PRIORITY[c.origin], c.start))
    taken = bytearray(len(text) + 1)
    chosen: list[Entity] = []
    for c in candidates:
        if any(taken[c.start : c.end]):
            continue
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        chosen.append(
            Entity(text[c.start : c.end], c.kind, c.start, c.end, c.canonical, c.ref_id, c.origin)
        )
    chosen.sort(key=lambda c: c.start)
    return chosen


def catalogue_names(
    parks: Iterable[tuple[int | None, str, list[str]]],
    orgs: Iterable[tuple[int | None, str, list[str]]],
) -> list[CatalogueName]:
    """Gazetteer entries from (id, name, aliases) rows of parks and organisations."""
    out: list[CatalogueName] = []
    for kind, rows in ((PARK, parks), (ORG, orgs)):
        for ref_id, name, aliases in rows:
            out.append(CatalogueName(name, kind, name, ref_id))
            for alias in aliases or []:
                if isinstance(alias, str) and alias.strip():
                    out.append(CatalogueName(alias, kind, name, ref_id))
    return out
