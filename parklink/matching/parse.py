"""From a lead's fields and/or one Chinese sentence to a `Requirement`.

Pure (no Django): park aliases and industry profiles are passed in. Entry points::

    parse_text(text, *, aliases=None, profiles=None, config=DEFAULT_CONFIG) -> Requirement
    parse_lead(data, *, aliases=None, profiles=None, config=DEFAULT_CONFIG) -> Requirement
    validate(req, config) -> None            # raises RequirementError naming the field
    missing(req) -> list[str]                # what a usable requirement still lacks

The parser keeps what was said (area_target_m2, budget caps, `stated` snippets) next to what
it derives (area_min_m2/area_max_m2), marks every value filled from an industry profile in
`defaults`, and lists the clauses it could not understand in `unparsed`. It is a fixed set
of linear regexes plus dictionary look-ups: 10,000 characters take a few milliseconds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from parklink.matching.config import DEFAULT_CONFIG, MatchConfig
from parklink.matching.profiles import Profile, ProfileTable, default_profiles
from parklink.zh.places import BEIJING_DISTRICTS, DISTRICT_ALIASES, normalise_district
from parklink.zh.quantities import Quantity, find_quantities

KINDS = ("厂房", "土地", "研发楼", "写字楼", "实验室", "仓库")
DEALS = ("出租", "出售")
DAYS_PER_MONTH = 30.42


class RequirementError(ValueError):
    """A requirement refused: `field` names the offending field, the message is bilingual."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(f"{field}: {zh} / {en}")
        self.field = field
        self.zh = zh
        self.en = en

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass(frozen=True)
class Requirement:
    """What an enterprise needs, normalised: areas in m², rent in 元/㎡/天, sale in 元/㎡ or
    a total in 万元, tax in 万元 per year, loads in kg/m², power in kVA."""

    kinds: tuple[str, ...] = ()
    deal: str | None = None
    area_target_m2: float | None = None
    area_min_m2: float | None = None
    area_max_m2: float | None = None
    rent_max_yuan_m2_day: float | None = None
    price_max_yuan_m2: float | None = None
    total_max_wan: float | None = None
    districts: tuple[str, ...] = ()
    excluded_districts: tuple[str, ...] = ()
    parks: tuple[str, ...] = ()
    industry: str | None = None
    profile: str | None = None
    park_industries: tuple[str, ...] = ()
    use: str | None = None
    annual_tax_wan: float | None = None
    gmp: bool | None = None
    cleanroom: bool | None = None
    env_assessment: bool | None = None
    dual_power: bool | None = None
    ceiling_height_m: float | None = None
    floor_load_kg_m2: float | None = None
    power_kva: float | None = None
    no_basement: bool = False
    # What was said, by field ("area": "一千五百平左右", "budget": "每天不超过3块" …).
    stated: tuple[tuple[str, str], ...] = ()
    # Fields filled from the industry profile (visible, overridable defaults).
    defaults: tuple[str, ...] = ()
    # Negated wishes that are not a known criterion ("不要西晒"): shown, not checked.
    excludes: tuple[str, ...] = ()
    # Clauses of the text that were not understood.
    unparsed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["stated"] = dict(self.stated)
        for key, value in list(d.items()):
            if isinstance(value, tuple):
                d[key] = list(value)
            elif isinstance(value, float):
                d[key] = _round(value)
        return d

    @property
    def has_area(self) -> bool:
        return self.area_min_m2 is not None or self.area_max_m2 is not None

    @property
    def has_budget(self) -> bool:
        return any(
            v is not None
            for v in (self.rent_max_yuan_m2_day, self.price_max_yuan_m2, self.total_max_wan)
        )

    @property
    def has_technical(self) -> bool:
        return any(
            v is not None
            for v in (
                self.cleanroom,
                self.env_assessment,
                self.dual_power,
                self.ceiling_height_m,
                self.floor_load_kg_m2,
                self.power_kva,
            )
        )

    def stated_text(self, key: str) -> str | None:
        return dict(self.stated).get(key)


def _round(value: float) -> float:
    return float(f"{value:.6g}") if value and math.isfinite(value) else value


# --- Park alias table -------------------------------------------------------------------------


@dataclass(frozen=True)
class AliasTable:
    """Park names and aliases → canonical park name (生命园 → 中关村生命科学园), compiled once
    by whoever owns the catalogue (matching.index builds it from the parks table)."""

    names: Mapping[str, str]
    pattern: re.Pattern[str] | None = None

    @classmethod
    def build(cls, mapping: Mapping[str, str]) -> AliasTable:
        names = {k.strip(): v for k, v in mapping.items() if k and len(k.strip()) >= 2}
        words = sorted(names, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None
        return cls(names=names, pattern=pattern)

    def canonical(self, name: str) -> str | None:
        return self.names.get(name.strip())


EMPTY_ALIASES = AliasTable.build({})

# --- Vocabulary -------------------------------------------------------------------------------

_KIND_WORDS: dict[str, str] = {
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
_DEAL_RE = re.compile(
    r"(?P<sale>购买|购置|求购|买下|想买|要买|买|出售|产权|全款|总价|售价|拿地)"
    r"|(?P<rent>租赁|承租|求租|出租|租金|租用|想租|要租|租)"
)
_USE_WORDS: dict[str, str] = {
    "生产": "生产",
    "加工": "生产",
    "制造": "生产",
    "量产": "生产",
    "研发": "研发",
    "实验": "研发",
    "中试": "研发",
    "办公": "办公",
    "总部": "办公",
    "仓储": "仓储",
    "存储": "仓储",
    "物流": "仓储",
}
_GMP_RE = re.compile(r"GMP|药品生产质量管理规范|ＧＭＰ", re.I)
_ENV_RE = re.compile(r"环评|环境影响评价|排污许可")
_DUAL_RE = re.compile(r"双回路|双路供电|双电源|双路电")
_CLEAN_RE = re.compile(r"洁净|净化车间|无尘|(?:百|千|万|十万)级")
_BASEMENT_RE = re.compile(r"地下室|地下|负一层|负二层|B1|B2")
_NEG_RE = re.compile(
    r"(?:不要|不需要|不用|无需|不考虑|不接受|不想要|不能是|不能在|拒绝|排除|别给|别要|别)"
    r"(?P<what>[^,，。;；!！?？\n]{1,16})"
)
_CLAUSE_RE = re.compile(r"[^,，。;；!！?？\n]+")
_FILLER_RE = re.compile(
    r"你好|您好|谢谢|麻烦|请|尽快|联系我?|急需?|了解一下|看看|帮忙|推荐|一下|我们|我|公司|需要|想|的|了|吧|呢|啊|哈|嗯|和|及|还有|以及|另外|其他|等|有|是|要|在|找|个|能|可以|最好|希望|\s|[、:：·\-—()（）\"“”'‘’]"
)
_TAX_CTX = re.compile(r"纳税|税收|缴税|交税|税额|年税|税")
_TOTAL_CTX = re.compile(r"总价|总预算|预算|总共|一共|全款|总额|购买|买|以内买")
_YEAR_RENT_CTX = re.compile(r"年租金|租金每年|一年租金|每年租金|租金一年")
_MONTH_RENT_CTX = re.compile(r"月租金|每月租金|租金每月|一个月租金")
_RENT_CTX = re.compile(r"租|每天|一天|日|天")
_IGNORE_MONEY_CTX = re.compile(r"注册资本|注册资金|营收|产值|投资|融资|销售额|收入|利润|年产")
_HEIGHT_CTX = re.compile(r"层高|净高|挑高|檐高|高度|高")
_PHONE_RE = re.compile(r"\d{7,}")
_TAIL_RE = re.compile(r"[^,，。;；!！?？\n]*$")

_MASK = "□"


def _district_pattern() -> re.Pattern[str]:
    words = sorted({*BEIJING_DISTRICTS, *DISTRICT_ALIASES}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


_DISTRICT_RE = _district_pattern()
_KIND_RE = re.compile("|".join(re.escape(w) for w in sorted(_KIND_WORDS, key=len, reverse=True)))
_USE_RE = re.compile("|".join(re.escape(w) for w in sorted(_USE_WORDS, key=len, reverse=True)))


# --- Text parsing -----------------------------------------------------------------------------


@dataclass
class _Acc:
    """Mutable accumulator while reading a text; frozen into a Requirement at the end."""

    kinds: list[str] = field(default_factory=list)
    excluded_kinds: list[str] = field(default_factory=list)
    deal: str | None = None
    deals_seen: set[str] = field(default_factory=set)
    area: Quantity | None = None
    rent: float | None = None
    price: float | None = None
    total_wan: float | None = None
    year_rent_wan: float | None = None
    districts: list[str] = field(default_factory=list)
    excluded_districts: list[str] = field(default_factory=list)
    parks: list[str] = field(default_factory=list)
    industry: str | None = None
    profile: Profile | None = None
    use: str | None = None
    tax_wan: float | None = None
    gmp: bool | None = None
    cleanroom: bool | None = None
    env: bool | None = None
    dual: bool | None = None
    height: float | None = None
    load: float | None = None
    power: float | None = None
    no_basement: bool = False
    excludes: list[str] = field(default_factory=list)
    stated: dict[str, str] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)


def _add(seq: list[str], value: str) -> None:
    if value not in seq:
        seq.append(value)


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + _MASK * (end - start) + text[end:]


def _read_negations(text: str, acc: _Acc) -> str:
    """Negated wishes ("不要地下室", "不考虑通州") recorded and masked out of the text."""
    out = text
    for m in _NEG_RE.finditer(text):
        what = m.group("what")
        acc.spans.append((m.start(), m.end()))
        known = False
        for d in _DISTRICT_RE.finditer(what):
            full = normalise_district(d.group(0))
            if full:
                _add(acc.excluded_districts, full)
                known = True
        for k in _KIND_RE.finditer(what):
            _add(acc.excluded_kinds, _KIND_WORDS[k.group(0)])
            known = True
        if _BASEMENT_RE.search(what):
            acc.no_basement = True
            known = True
        if _GMP_RE.search(what):
            acc.gmp = False
            known = True
        if _ENV_RE.search(what):
            acc.env = False
            known = True
        if _DUAL_RE.search(what):
            acc.dual = False
            known = True
        if _CLEAN_RE.search(what):
            acc.cleanroom = False
            known = True
        if not known:
            _add(acc.excludes, what.strip())
        out = _mask(out, m.start(), m.end())
    return out


def _read_words(text: str, acc: _Acc, aliases: AliasTable, profiles: ProfileTable) -> str:
    if aliases.pattern is not None:
        for m in aliases.pattern.finditer(text):
            _add(acc.parks, aliases.names[m.group(0)])
            acc.spans.append((m.start(), m.end()))
            text = _mask(text, m.start(), m.end())
    for m in _DISTRICT_RE.finditer(text):
        full = normalise_district(m.group(0))
        if full and full not in acc.excluded_districts:
            _add(acc.districts, full)
            acc.spans.append((m.start(), m.end()))
    for m in _KIND_RE.finditer(text):
        kind = _KIND_WORDS[m.group(0)]
        if kind not in acc.excluded_kinds:
            _add(acc.kinds, kind)
        acc.spans.append((m.start(), m.end()))
    for m in _DEAL_RE.finditer(text):
        acc.deals_seen.add("出售" if m.lastgroup == "sale" else "出租")
        acc.spans.append((m.start(), m.end()))
    for m in _USE_RE.finditer(text):
        if acc.use is None:
            acc.use = _USE_WORDS[m.group(0)]
        acc.spans.append((m.start(), m.end()))
    for regex, attr in ((_GMP_RE, "gmp"), (_ENV_RE, "env"), (_DUAL_RE, "dual")):
        m = regex.search(text)
        if m:
            setattr(acc, attr, True)
            acc.spans.append((m.start(), m.end()))
    m = _CLEAN_RE.search(text)
    if m:
        acc.cleanroom = True
        acc.spans.append((m.start(), m.end()))
    profile, word = profiles.find(text, acc.use)
    if profile is not None and word is not None:
        acc.profile = profile
        acc.industry = word
        for m in re.finditer(re.escape(word), text, re.I):
            acc.spans.append((m.start(), m.end()))
    return text


def _before(text: str, start: int, n: int = 10) -> str:
    m = _TAIL_RE.search(text, max(0, start - n), start)
    return m.group() if m else ""


def _read_quantities(text: str, acc: _Acc) -> None:
    for q in find_quantities(text):
        before = _before(text, q.start)
        after = text[q.end : q.end + 4]
        used = True
        if q.dimension == "area":
            if acc.area is None:
                acc.area = q
                acc.stated["area"] = q.text
        elif q.dimension == "rent":
            if q.qualifier != "min":
                acc.rent = q.value if q.high is None else q.high
                acc.stated["budget"] = q.text
        elif q.dimension == "unit_price":
            if "租" in before and q.value <= 300:
                acc.rent = q.value if q.value <= 10 else q.value / DAYS_PER_MONTH
            else:
                acc.price = q.high or q.value
            acc.stated["budget"] = q.text
        elif q.dimension == "money":
            used = _read_money(q, before, acc)
        elif q.dimension == "length":
            if _HEIGHT_CTX.search(before) or after.startswith(("层高", "净高", "高")):
                if q.qualifier != "max":
                    acc.height = q.value
                    acc.stated["ceiling_height"] = q.text
            else:
                used = "柱距" in before or "跨度" in before
        elif q.dimension == "load":
            acc.load = q.value
            acc.stated["floor_load"] = q.text
        elif q.dimension == "power":
            acc.power = q.value
            acc.stated["power"] = q.text
        else:
            used = False
        if used:
            acc.spans.append((q.start, q.end))


def _read_money(q: Quantity, before: str, acc: _Acc) -> bool:
    value = q.high if q.high is not None and q.qualifier == "range" else q.value
    if _IGNORE_MONEY_CTX.search(before):
        return True  # understood (registered capital, output …) but not a criterion
    if _TAX_CTX.search(before):
        acc.tax_wan = value / 1e4
        acc.stated["annual_tax"] = q.text
        return True
    if _YEAR_RENT_CTX.search(before):
        acc.year_rent_wan = value / 1e4
        acc.stated["budget"] = q.text
        acc.deals_seen.add("出租")
        return True
    if _MONTH_RENT_CTX.search(before) and value > 300:
        acc.year_rent_wan = value * 12 / 1e4
        acc.stated["budget"] = q.text
        acc.deals_seen.add("出租")
        return True
    if value <= 50 and (_RENT_CTX.search(before) or "出租" in acc.deals_seen or value <= 20):
        acc.rent = value  # "租金每天不超过3块", "2块8": colloquial rent per m² per day
        acc.stated["budget"] = q.text
        return True
    if value >= 1e5 or _TOTAL_CTX.search(before):
        acc.total_wan = value / 1e4
        acc.stated["budget"] = q.text
        return True
    return False


def _unparsed(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Clauses of the text that no recogniser touched (fillers like 您好/谢谢 ignored)."""
    spans.sort()
    starts = [s for s, _ in spans]
    out: list[str] = []
    import bisect

    for m in _CLAUSE_RE.finditer(text):
        s, e = m.start(), m.end()
        i = bisect.bisect_left(starts, e)
        # any span starting before the clause end and ending after its start?
        touched = False
        j = i - 1
        while j >= 0:
            if spans[j][1] > s:
                touched = True
                break
            if spans[j][0] < s - 64:  # spans are short: nothing further back can reach
                break
            j -= 1
        if touched:
            continue
        clause = m.group().strip()
        if len(_FILLER_RE.sub("", clause)) < 2:
            continue
        out.append(_PHONE_RE.sub("***", clause)[:60])
        if len(out) >= 20:
            break
    return out


def _area_range(
    q_value: float, qualifier: str | None, high: float | None, cfg: MatchConfig
) -> tuple[float, float, float]:
    """(target, min, max) in m² from a stated area and what was meant by it."""
    if qualifier == "range" and high is not None:
        return (q_value + high) / 2, q_value, high
    if qualifier == "min":
        return q_value, q_value, q_value * (1 + cfg.area_min_only_above)
    if qualifier == "max":
        return q_value, q_value * (1 - cfg.area_max_only_below), q_value
    return q_value, q_value * (1 - cfg.area_below), q_value * (1 + cfg.area_above)


def parse_text(
    text: str,
    *,
    aliases: AliasTable | Mapping[str, str] | None = None,
    profiles: ProfileTable | None = None,
    config: MatchConfig = DEFAULT_CONFIG,
    apply_defaults: bool = True,
) -> Requirement:
    """The requirement said in one Chinese text (a phone note, a form's 需求 field)."""
    table = _aliases(aliases)
    profiles = profiles or default_profiles()
    acc = _Acc()
    text = text or ""
    work = _read_negations(text, acc)
    work = _read_words(work, acc, table, profiles)
    _read_quantities(work, acc)
    req = _freeze(acc, config)
    req = replace(req, unparsed=tuple(_unparsed(text, acc.spans)))
    return with_profile_defaults(req, profiles) if apply_defaults else req


def _freeze(acc: _Acc, cfg: MatchConfig) -> Requirement:
    deal = next(iter(acc.deals_seen)) if len(acc.deals_seen) == 1 else None
    if deal is None and not acc.deals_seen:
        if acc.rent is not None or acc.year_rent_wan is not None:
            deal = "出租"
        elif acc.price is not None or acc.total_wan is not None:
            deal = "出售"
    target = lo = hi = None
    if acc.area is not None:
        target, lo, hi = _area_range(acc.area.value, acc.area.qualifier, acc.area.high, cfg)
    rent = acc.rent
    if rent is None and acc.year_rent_wan is not None and target:
        rent = acc.year_rent_wan * 1e4 / target / 365
    return Requirement(
        kinds=tuple(acc.kinds),
        deal=deal,
        area_target_m2=target,
        area_min_m2=lo,
        area_max_m2=hi,
        rent_max_yuan_m2_day=rent,
        price_max_yuan_m2=acc.price,
        total_max_wan=acc.total_wan,
        districts=tuple(acc.districts),
        excluded_districts=tuple(acc.excluded_districts),
        parks=tuple(acc.parks),
        industry=acc.industry,
        profile=acc.profile.name if acc.profile else None,
        park_industries=acc.profile.park_industries if acc.profile else (),
        use=acc.use or (acc.profile.use if acc.profile else None),
        annual_tax_wan=acc.tax_wan,
        gmp=acc.gmp,
        cleanroom=acc.cleanroom,
        env_assessment=acc.env,
        dual_power=acc.dual,
        ceiling_height_m=acc.height,
        floor_load_kg_m2=acc.load,
        power_kva=acc.power,
        no_basement=acc.no_basement,
        stated=tuple(acc.stated.items()),
        excludes=tuple(acc.excludes),
    )


def _aliases(aliases: AliasTable | Mapping[str, str] | None) -> AliasTable:
    if aliases is None:
        return EMPTY_ALIASES
    if isinstance(aliases, AliasTable):
        return aliases
    return AliasTable.build(aliases)


# --- Industry profile defaults ----------------------------------------------------------------

_NEED_ATTR = {
    "gmp": "gmp",
    "cleanroom": "cleanroom",
    "env_assessment": "env_assessment",
    "dual_power": "dual_power",
    "ceiling_height_m": "ceiling_height_m",
    "floor_load_kg_m2": "floor_load_kg_m2",
    "power_kva": "power_kva",
}


def with_profile_defaults(req: Requirement, profiles: ProfileTable | None = None) -> Requirement:
    """Fill what the requirement leaves open from its industry profile; every filled field is
    named in `defaults` (shown as 行业默认 and overridable)."""
    if not req.profile:
        return req
    profile = (profiles or default_profiles()).by_name(req.profile)
    if profile is None:
        return req
    changes: dict[str, Any] = {}
    filled: list[str] = list(req.defaults)
    for key, value in profile.needs:
        attr = _NEED_ATTR[key]
        if getattr(req, attr) is None:
            changes[attr] = (
                float(value)
                if isinstance(value, int | float) and not isinstance(value, bool)
                else bool(value)
            )
            filled.append(attr)
    if not req.kinds and profile.kinds:
        changes["kinds"] = profile.kinds
        filled.append("kinds")
    if req.use is None and profile.use:
        changes["use"] = profile.use
        filled.append("use")
    if not changes:
        return req
    return replace(req, defaults=tuple(dict.fromkeys(filled)), **changes)


def override(req: Requirement, **changes: Any) -> Requirement:
    """The agent's overrides: set fields and drop them from `defaults`."""
    defaults = tuple(d for d in req.defaults if d not in changes)
    return replace(req, defaults=defaults, **changes)


# --- Structured fields (the exchange format's lead) --------------------------------------------


def _num(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RequirementError(key, "应为数字", "must be a number")
    try:
        out = float(str(value).replace(",", ""))
    except ValueError:
        raise RequirementError(key, "应为数字", "must be a number") from None
    if not math.isfinite(out):
        raise RequirementError(key, "应为有限数字", "must be a finite number")
    return out


def _strs(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [p for p in re.split(r"[,，、/;；\s]+|或者|或", value) if p]
    if isinstance(value, Iterable):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _bool(data: Mapping[str, Any], key: str) -> bool | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "y", "是", "需要", "要", "有"}:
        return True
    if text in {"0", "false", "no", "n", "否", "不需要", "不要", "无"}:
        return False
    raise RequirementError(key, "应为 是/否", "must be yes/no")


def parse_lead(
    data: Mapping[str, Any],
    *,
    aliases: AliasTable | Mapping[str, str] | None = None,
    profiles: ProfileTable | None = None,
    config: MatchConfig = DEFAULT_CONFIG,
) -> Requirement:
    """A lead in the exchange format (structured fields and/or `need` free text) → its
    requirement. Structured fields win over what the text says. Validated: raises
    RequirementError naming the field for contradictory or absurd values."""
    table = _aliases(aliases)
    profiles = profiles or default_profiles()
    req = parse_text(
        str(data.get("need") or ""),
        aliases=table,
        profiles=profiles,
        config=config,
        apply_defaults=False,
    )
    changes: dict[str, Any] = {}
    stated = dict(req.stated)
    unparsed = list(req.unparsed)

    kinds = _strs(data.get("kind"))
    if kinds:
        bad = [k for k in kinds if k not in KINDS]
        if bad:
            raise RequirementError(
                "kind", f"未知类型 {bad[0]}(可选:{'、'.join(KINDS)})", f"unknown kind {bad[0]}"
            )
        changes["kinds"] = tuple(dict.fromkeys(kinds))
    deal = str(data.get("deal") or "").strip()
    if deal:
        deal = {"租": "出租", "租赁": "出租", "售": "出售", "购买": "出售", "买": "出售"}.get(
            deal, deal
        )
        if deal not in DEALS:
            raise RequirementError("deal", "租售应为 出租 或 出售", "deal must be 出租 or 出售")
        changes["deal"] = deal

    amin, amax = _num(data, "area_min_m2"), _num(data, "area_max_m2")
    for key, v in (("area_min_m2", amin), ("area_max_m2", amax)):
        if v is not None and v <= 0:
            raise RequirementError(key, "面积必须大于0", "area must be positive")
        if v is not None and v > config.max_area_m2:
            raise RequirementError(
                key, f"面积 {v:g} 超出合理范围", f"area {v:g} is absurd (> 100 km²)"
            )
    if amin is not None and amax is not None and amin > amax:
        raise RequirementError(
            "area_min_m2",
            f"最小面积 {amin:g} 大于最大面积 {amax:g}",
            f"area_min_m2 {amin:g} is greater than area_max_m2 {amax:g}",
        )
    if amin is not None or amax is not None:
        if amin is not None and amax is not None:
            target, lo, hi = (amin + amax) / 2, amin, amax
        elif amin is not None:
            target, lo, hi = _area_range(amin, "min", None, config)
        else:
            assert amax is not None
            target, lo, hi = _area_range(amax, "max", None, config)
        changes.update(area_target_m2=target, area_min_m2=lo, area_max_m2=hi)
        stated["area"] = f"{amin or ''}–{amax or ''}㎡".replace("None", "")

    budget = _num(data, "budget")
    if budget is not None:
        unit = str(data.get("budget_unit") or "").strip()
        _apply_budget(budget, unit, changes, req, config)
        stated["budget"] = f"{budget:g} {unit}".strip()

    districts, parks = [], []
    for name in _strs(data.get("districts")):
        full = normalise_district(name)
        park = table.canonical(name)
        if full:
            districts.append(full)
        elif park:
            parks.append(park)
        else:
            districts.append(name)  # another city's district: kept as given
    if districts:
        changes["districts"] = tuple(dict.fromkeys(districts))
    for name in _strs(data.get("parks")):
        park = table.canonical(name)
        if park is None:
            unparsed.append(f"未知园区 {name}")
        parks.append(park or name)
    if parks:
        changes["parks"] = tuple(dict.fromkeys(parks))

    industry = str(data.get("industry") or "").strip()
    use = str(data.get("use") or "").strip()
    if use:
        m = _USE_RE.search(use)
        changes["use"] = _USE_WORDS[m.group(0)] if m else use
    if industry:
        profile, _word = profiles.find(industry, changes.get("use") or req.use)
        changes["industry"] = industry
        if profile is not None:
            changes["profile"] = profile.name
            changes["park_industries"] = profile.park_industries
        else:
            changes["profile"] = None
            changes["park_industries"] = (industry,)
    elif use and req.industry:
        profile, _word = profiles.find(req.industry, changes["use"])
        if profile is not None:
            changes["profile"] = profile.name
            changes["park_industries"] = profile.park_industries

    tax = _num(data, "annual_tax_wan")
    if tax is not None:
        changes["annual_tax_wan"] = tax
        stated["annual_tax"] = f"{tax:g}万元/年"

    requires = data.get("requires") or {}
    if not isinstance(requires, Mapping):
        raise RequirementError("requires", "应为对象", "must be an object")
    for key in ("gmp", "cleanroom", "env_assessment", "dual_power"):
        b = _bool(requires, key)
        if b is not None:
            changes[key] = b
    for key in ("ceiling_height_m", "floor_load_kg_m2", "power_kva"):
        v = _num(requires, key)
        if v is not None:
            changes[key] = v
    req = replace(req, stated=tuple(stated.items()), unparsed=tuple(unparsed), **changes)
    req = with_profile_defaults(req, profiles)
    validate(req, config)
    return req


def _apply_budget(
    budget: float, unit: str, changes: dict[str, Any], req: Requirement, cfg: MatchConfig
) -> None:
    if budget <= 0:
        raise RequirementError("budget", "预算必须大于0", "budget must be positive")
    unit = unit.replace("㎡", "平方米").replace("m2", "平方米").replace("平米", "平方米")
    if unit in ("元/平方米/天", "元/平方米·天"):
        changes["rent_max_yuan_m2_day"] = budget
        changes.setdefault("deal", "出租")
    elif unit == "元/平方米/月":
        changes["rent_max_yuan_m2_day"] = budget / DAYS_PER_MONTH
        changes.setdefault("deal", "出租")
    elif unit == "元/平方米":
        changes["price_max_yuan_m2"] = budget
        changes.setdefault("deal", "出售")
    elif unit in ("万元", "万元(总价)", "万"):
        changes["total_max_wan"] = budget
        changes.setdefault("deal", "出售")
    elif unit == "万元/年":
        target = changes.get("area_target_m2") or req.area_target_m2
        if not target:
            raise RequirementError(
                "budget_unit",
                "按 万元/年 给出租金预算时需要面积",
                "a yearly rent budget needs an area",
            )
        changes["rent_max_yuan_m2_day"] = budget * 1e4 / target / 365
        changes.setdefault("deal", "出租")
    else:
        raise RequirementError(
            "budget_unit",
            "预算单位应为 元/平方米/天、元/平方米/月、元/平方米、万元 或 万元/年",
            "budget_unit must be 元/平方米/天, 元/平方米/月, 元/平方米, 万元 or 万元/年",
        )


# --- Validation ---------------------------------------------------------------------------------


def validate(req: Requirement, config: MatchConfig = DEFAULT_CONFIG) -> None:
    """Refuse contradictory or absurd requirements; the error names the field."""
    if (
        req.area_min_m2 is not None
        and req.area_max_m2 is not None
        and req.area_min_m2 > req.area_max_m2
    ):
        raise RequirementError(
            "area_min_m2", "最小面积大于最大面积", "area_min_m2 is greater than area_max_m2"
        )
    checks = (
        ("area_min_m2", req.area_min_m2, config.max_area_m2, "面积", "area"),
        ("area_max_m2", req.area_max_m2, config.max_area_m2, "面积", "area"),
        ("budget", req.rent_max_yuan_m2_day, config.max_rent_yuan_m2_day, "租金预算", "rent"),
        ("budget", req.price_max_yuan_m2, config.max_price_yuan_m2, "单价预算", "unit price"),
        ("budget", req.total_max_wan, config.max_total_wan, "总价预算", "total budget"),
        ("ceiling_height_m", req.ceiling_height_m, config.max_height_m, "层高", "ceiling height"),
        ("floor_load_kg_m2", req.floor_load_kg_m2, config.max_load_kg_m2, "承重", "floor load"),
        ("power_kva", req.power_kva, config.max_power_kva, "配电", "power"),
        ("annual_tax_wan", req.annual_tax_wan, config.max_annual_tax_wan, "年纳税", "annual tax"),
    )
    for key, value, limit, zh, en in checks:
        if value is None:
            continue
        if key == "annual_tax_wan":
            if value < 0:
                raise RequirementError(key, f"{zh}不能为负", f"{en} cannot be negative")
        elif value <= 0:
            raise RequirementError(key, f"{zh}必须大于0", f"{en} must be positive")
        if value > limit:
            raise RequirementError(
                key, f"{zh} {value:g} 超出合理范围(≤ {limit:g})", f"{en} {value:g} is absurd"
            )


def missing(req: Requirement) -> list[str]:
    """What a requirement lacks to be matched at all (empty when usable)."""
    usable = (
        req.kinds
        or req.has_area
        or req.has_budget
        or req.districts
        or req.parks
        or req.park_industries
        or req.has_technical
        or req.gmp
    )
    if usable:
        return []
    return [
        "类型 kind (厂房/研发楼/写字楼/实验室/仓库/土地)",
        "面积 area (如 1500平)",
        "区域或园区 district/park (如 大兴、亦庄、生命园)",
        "预算 budget (如 每天3元/平)",
        "行业 industry (如 生物药生产)",
    ]
