"""The evaluation engine (项目研判): a project against one park's admission rules.

Pure functions over frozen dataclasses (no Django): ``selectors`` builds ``ParkRules`` from
``Park.rules`` and ``ProjectFacts`` from a lead. Every weight and cut-off lives in
``EvaluationConfig`` (versioned); docs/policies.md explains each rule.

- Indicators: 投资强度 investment ÷ 亩, 亩均税收 tax ÷ 亩, 亩均产值 output ÷ 亩, 地均税收
  tax × 10000 ÷ m². The 亩 are the project's ``land_mu``, else its area ÷ 666.67; the m² its
  area, else its land × 666.67. An input that is not known leaves the indicator None.
- Checks, one per rule the park sets, in the order of ``RULE_KEYS``: ``ok`` is True, False,
  or None when the project's figure is not known (never guessed).
- 一票否决: a banned industry or a veto keyword named in the project's industry or description
  (and not negated there) sets ``vetoed``, whatever the score, and the grade is D.
- Score 0–100: the weighted share of the threshold and industry checks earned. A check met
  earns its weight; a threshold missed earns at most half of it, in proportion to how close
  the figure came (nothing below half the threshold); unknown earns nothing.
- A park that sets no scored rule (no industries, no thresholds) cannot rate a project: the
  evaluation is **unrated** (``score`` and ``grade`` null in the JSON; a park with no rule
  at all gets one check ``rules`` with ``ok`` null saying so), never an A; a veto (banned
  industries, veto keywords) still makes it D.
- Grade: A ≥ 90 with no check failed, B ≥ 70, C ≥ 50, else D; vetoed → D.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from parklink.policies.facts import ProjectFacts, floor_m2, land_mu
from parklink.policies.industries import (
    Taxonomy,
    banned_hits,
    default_taxonomy,
    industry_fit,
    keyword_hits,
)

INDICATORS = ("investment_wan_per_mu", "tax_wan_per_mu", "output_wan_per_mu", "tax_yuan_per_m2")
THRESHOLDS = {
    "min_investment_wan_per_mu": "investment_wan_per_mu",
    "min_tax_wan_per_mu": "tax_wan_per_mu",
    "min_output_wan_per_mu": "output_wan_per_mu",
    "min_tax_yuan_per_m2": "tax_yuan_per_m2",
}
RULE_ORDER = (
    "industries",
    "banned_industries",
    "min_investment_wan_per_mu",
    "min_tax_wan_per_mu",
    "min_output_wan_per_mu",
    "min_tax_yuan_per_m2",
    "veto_keywords",
)
GRADES = ("A", "B", "C", "D")
UNRATED_RULE = "rules"  # the check an unrated evaluation carries
_WORDS = {
    "investment_wan_per_mu": ("投资强度", "万元/亩"),
    "tax_wan_per_mu": ("亩均税收", "万元/亩"),
    "output_wan_per_mu": ("亩均产值", "万元/亩"),
    "tax_yuan_per_m2": ("地均税收", "元/平方米"),
}
_INPUTS = {
    "investment_wan_per_mu": "投资总额",
    "tax_wan_per_mu": "预计年纳税",
    "output_wan_per_mu": "预计年产值",
    "tax_yuan_per_m2": "预计年纳税",
}


@dataclass(frozen=True)
class EvaluationConfig:
    """Weights and cut-offs of the score and the grade, with a version."""

    version: str = "evaluation-2026.1"
    weight_industry: float = 30.0
    weight_investment: float = 30.0
    weight_tax_per_mu: float = 30.0
    weight_output_per_mu: float = 20.0
    weight_tax_per_m2: float = 20.0
    shortfall_credit: float = 0.5  # a missed threshold earns at most this share of its weight
    shortfall_floor: float = 0.5  # … and nothing when the figure is below this share of it
    grade_a: float = 90.0  # and no check failed
    grade_b: float = 70.0
    grade_c: float = 50.0

    def weight(self, rule: str) -> float:
        return {
            "industries": self.weight_industry,
            "min_investment_wan_per_mu": self.weight_investment,
            "min_tax_wan_per_mu": self.weight_tax_per_mu,
            "min_output_wan_per_mu": self.weight_output_per_mu,
            "min_tax_yuan_per_m2": self.weight_tax_per_m2,
        }.get(rule, 0.0)


DEFAULT_CONFIG = EvaluationConfig()


@dataclass(frozen=True)
class ParkRules:
    """One park's admission rules (parks/rules.py shape), ready for the engine."""

    park: str
    industries: tuple[str, ...] = ()
    banned_industries: tuple[str, ...] = ()
    min_investment_wan_per_mu: float | None = None
    min_tax_wan_per_mu: float | None = None
    min_output_wan_per_mu: float | None = None
    min_tax_yuan_per_m2: float | None = None
    veto_keywords: tuple[str, ...] = ()

    @classmethod
    def from_rules(
        cls, park: str, rules: Mapping[str, Any] | None, *, tax_yuan_per_m2: float | None = None
    ) -> ParkRules:
        """From a park's stored rules; `tax_yuan_per_m2` (the park's older minimum annual tax
        per m², Park.min_annual_tax_yuan_per_m2) applies when the rules set none."""
        r = rules or {}

        def num(key: str) -> float | None:
            value = r.get(key)
            if value is None:
                return None
            number = float(value)
            return int(number) if number.is_integer() else number

        per_m2 = num("min_tax_yuan_per_m2")
        return cls(
            park=park,
            industries=tuple(r.get("industries") or ()),
            banned_industries=tuple(r.get("banned_industries") or ()),
            min_investment_wan_per_mu=num("min_investment_wan_per_mu"),
            min_tax_wan_per_mu=num("min_tax_wan_per_mu"),
            min_output_wan_per_mu=num("min_output_wan_per_mu"),
            min_tax_yuan_per_m2=per_m2 if per_m2 is not None else tax_yuan_per_m2,
            veto_keywords=tuple(r.get("veto_keywords") or ()),
        )

    def sets(self, rule: str) -> bool:
        value = getattr(self, rule)
        return bool(value) if isinstance(value, tuple) else value is not None


@dataclass(frozen=True)
class Check:
    rule: str
    ok: bool | None
    value: Any
    threshold: Any
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "ok": self.ok,
            "value": _jsonable(self.value),
            "threshold": _jsonable(self.threshold),
            "text": self.text,
        }


@dataclass(frozen=True)
class Veto:
    rule: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "text": self.text}


@dataclass(frozen=True)
class Evaluation:
    park: str
    score: float | None  # None: unrated (the park sets no scored rule)
    grade: str | None
    vetoed: bool
    veto: tuple[Veto, ...]
    indicators: Mapping[str, float | None]
    checks: tuple[Check, ...]
    config_version: str = DEFAULT_CONFIG.version
    credits: Mapping[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Exactly the shape of ``parklink evaluate --json``."""
        return {
            "park": self.park,
            "score": self.score,
            "grade": self.grade,
            "vetoed": self.vetoed,
            "veto": [v.to_dict() for v in self.veto],
            "indicators": {k: self.indicators.get(k) for k in INDICATORS},
            "checks": [c.to_dict() for c in self.checks],
        }

    @property
    def rated(self) -> bool:
        return self.grade is not None

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.ok is False)

    @property
    def unknown(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.ok is None)


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def indicators(facts: ProjectFacts) -> dict[str, float | None]:
    """The four per-亩 / per-m² figures, unrounded (None when an input is unknown)."""
    mu = land_mu(facts)
    m2 = floor_m2(facts)

    def per_mu(amount: float | None) -> float | None:
        return amount / mu if amount is not None and mu else None

    return {
        "investment_wan_per_mu": per_mu(facts.total_investment_wan),
        "tax_wan_per_mu": per_mu(facts.annual_tax_wan),
        "output_wan_per_mu": per_mu(facts.annual_output_wan),
        "tax_yuan_per_m2": (
            facts.annual_tax_wan * 10000 / m2 if facts.annual_tax_wan is not None and m2 else None
        ),
    }


def _denominator_text(facts: ProjectFacts) -> str:
    if facts.land_mu:
        return f"用地{_fmt(facts.land_mu)}亩"
    if facts.area_m2:
        return f"面积{_fmt(facts.area_m2)}平方米÷666.67={_fmt(facts.area_m2 / 666.67)}亩"
    return ""


def _threshold_check(
    rule: str, threshold: float, raw: float | None, facts: ProjectFacts
) -> tuple[Check, float]:
    indicator = THRESHOLDS[rule]
    name, unit = _WORDS[indicator]
    limit = f"{_fmt(threshold)}{unit}"
    if raw is None:
        missing = []
        amount = {
            "investment_wan_per_mu": facts.total_investment_wan,
            "tax_wan_per_mu": facts.annual_tax_wan,
            "output_wan_per_mu": facts.annual_output_wan,
            "tax_yuan_per_m2": facts.annual_tax_wan,
        }[indicator]
        if amount is None:
            missing.append(_INPUTS[indicator])
        if not (facts.land_mu or facts.area_m2):
            missing.append("面积" if indicator == "tax_yuan_per_m2" else "用地面积")
        text = f"{name}未知(缺少{'、'.join(missing)}),要求不低于{limit}"
        return Check(rule, None, None, threshold, text), 0.0
    value = _round(raw)
    basis = _denominator_text(facts)
    if raw >= threshold:
        text = f"{name}{_fmt(raw)}{unit},达到不低于{limit}的要求({basis})"
        return Check(rule, True, value, threshold, text), 1.0
    ratio = raw / threshold if threshold else 1.0
    text = f"{name}{_fmt(raw)}{unit},低于{limit}的要求,仅为{ratio:.0%}({basis})"
    return Check(rule, False, value, threshold, text), ratio


def evaluate(
    facts: ProjectFacts,
    rules: ParkRules,
    *,
    config: EvaluationConfig = DEFAULT_CONFIG,
    taxonomy: Taxonomy | None = None,
) -> Evaluation:
    """The evaluation of one project against one park's rules."""
    tax = taxonomy or default_taxonomy()
    raw = indicators(facts)
    checks: list[Check] = []
    vetoes: list[Veto] = []
    credits: dict[str, float] = {}
    texts = facts.texts
    for rule in RULE_ORDER:
        if not rules.sets(rule):
            continue
        if rule == "industries":
            fit = industry_fit(
                facts.industry, rules.industries, description=facts.description, taxonomy=tax
            )
            allowed = "、".join(rules.industries)
            shown = facts.industry or None
            if fit.ok is True:
                text = f"行业“{facts.industry}”属于准入产业“{fit.matched}”"
            elif fit.ok is False:
                text = f"行业“{facts.industry}”不在准入产业({allowed})内"
            elif fit.reason == "unrecognised":
                text = f"行业“{facts.industry}”不在产业分类中,无法判断是否属于准入产业({allowed})"
            elif fit.reason == "broader":
                text = f"行业“{facts.industry}”比准入产业“{fit.matched}”宽,需确认细分方向"
            else:
                text = f"行业未知,准入产业为 {allowed}"
            checks.append(Check(rule, fit.ok, shown, list(rules.industries), text))
            credits[rule] = 1.0 if fit.ok else 0.0
        elif rule == "banned_industries":
            hits = banned_hits(texts, rules.banned_industries, taxonomy=tax)
            for h in hits:
                vetoes.append(Veto(rule, f"涉及禁止类产业“{h.entry}”(一票否决):“{h.excerpt}”"))
            listed = "、".join(rules.banned_industries)
            if hits:
                ok: bool | None = False
                text = f"涉及禁止类产业:{'、'.join(h.entry for h in hits)}"
            elif texts:
                ok, text = True, f"未涉及禁止类产业({listed})"
            else:
                ok, text = None, f"行业与项目描述未知,无法核对禁止类产业({listed})"
            checks.append(
                Check(rule, ok, [h.entry for h in hits], list(rules.banned_industries), text)
            )
        elif rule == "veto_keywords":
            hits = keyword_hits(texts, rules.veto_keywords, taxonomy=tax)
            for h in hits:
                vetoes.append(Veto(rule, f"项目描述含一票否决项“{h.entry}”:“{h.excerpt}”"))
            listed = "、".join(rules.veto_keywords)
            if hits:
                ok, text = False, f"含一票否决项:{'、'.join(h.entry for h in hits)}"
            elif texts:
                ok, text = True, f"未发现一票否决项({listed})"
            else:
                ok, text = None, f"行业与项目描述未知,无法核对一票否决项({listed})"
            checks.append(Check(rule, ok, [h.entry for h in hits], list(rules.veto_keywords), text))
        else:
            threshold = float(getattr(rules, rule))
            check, ratio = _threshold_check(rule, threshold, raw[THRESHOLDS[rule]], facts)
            checks.append(check)
            credits[rule] = _credit(check.ok, ratio, config)
    vetoed = bool(vetoes)
    score: float | None = _score(credits, config)
    grade: str | None
    if score is None and not checks:
        checks.insert(
            0,
            Check(
                UNRATED_RULE,
                None,
                None,
                None,
                "园区未设定准入产业或亩均指标,无法评级(unrated)",
            ),
        )
    if score is None:
        grade = "D" if vetoed else None
    else:
        grade = grade_for(
            score, failed=any(c.ok is False for c in checks), vetoed=vetoed, config=config
        )
    return Evaluation(
        park=rules.park,
        score=score,
        grade=grade,
        vetoed=vetoed,
        veto=tuple(vetoes),
        indicators={k: _round(v) for k, v in raw.items()},
        checks=tuple(checks),
        config_version=config.version,
        credits=credits,
    )


def _credit(ok: bool | None, ratio: float, config: EvaluationConfig) -> float:
    if ok is True:
        return 1.0
    if ok is None:
        return 0.0
    floor = config.shortfall_floor
    share = max(0.0, (ratio - floor) / (1.0 - floor)) if floor < 1 else 0.0
    return config.shortfall_credit * min(1.0, share)


def _score(credits: Mapping[str, float], config: EvaluationConfig) -> float | None:
    """The weighted share earned; None when no scored rule applies (unrated)."""
    total = sum(config.weight(rule) for rule in credits)
    if total <= 0:
        return None
    earned = sum(config.weight(rule) * c for rule, c in credits.items())
    return round(100.0 * earned / total, 1)


def grade_for(
    score: float,
    *,
    failed: bool = False,
    vetoed: bool = False,
    config: EvaluationConfig = DEFAULT_CONFIG,
) -> str:
    """A ≥ grade_a with no failed check, B ≥ grade_b, C ≥ grade_c, else D; a veto is D."""
    if vetoed:
        return "D"
    if score >= config.grade_a and not failed:
        return "A"
    if score >= config.grade_b:
        return "B"
    if score >= config.grade_c:
        return "C"
    return "D"


def rank(evaluations: list[Evaluation]) -> list[Evaluation]:
    """Best first: not vetoed, then grade (unrated after D), then score, then park name."""
    return sorted(
        evaluations,
        key=lambda e: (
            e.vetoed,
            GRADES.index(e.grade) if e.grade in GRADES else len(GRADES),
            -(e.score if e.score is not None else -1.0),
            e.park,
        ),
    )
