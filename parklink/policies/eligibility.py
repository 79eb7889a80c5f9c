"""Policy matching (政策匹配): which policies a project may get, and why.

Pure functions over frozen dataclasses (no Django). A policy's conditions are
``{"field", "op", "value"}`` with ``field`` one of the project facts or ``district`` and ``op``
one of ``>= > <= < == in``; its ``industries`` (when any) are one more condition,
``{"field": "industry", "op": "in", "value": industries}``, decided by the taxonomy
(policies/industries.py: 生物医药 covers 创新药).

Each condition is met (True), unmet (False) or unknown (None: the project's figure is not
known, its industry is broader than the list, or it names districts both inside and outside
the list). A policy is **eligible** when every condition is met, **possible** when none is
unmet but some are unknown, **ineligible** otherwise. Policies outside their validity on the
day asked are left out; the rest come best first: eligible, possible, ineligible, then the
larger maximum amount, then the reference.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from parklink.policies.facts import (
    BOOLEAN_FIELDS,
    CONDITION_FIELDS,
    LABELS,
    UNITS,
    ProjectFacts,
)
from parklink.policies.industries import Taxonomy, default_taxonomy, industry_fit
from parklink.zh.places import BEIJING_DISTRICTS, normalise_district

OPS = (">=", ">", "<=", "<", "==", "in")
# Regions that apply to every Beijing district (a policy of the city, or with no region).
CITY_WIDE = frozenset({"", "北京市", "北京", "全市", "全国"})
ELIGIBLE, POSSIBLE, INELIGIBLE = "eligible", "possible", "ineligible"
STATUS_ORDER = (ELIGIBLE, POSSIBLE, INELIGIBLE)
TEXT_FIELDS = ("industry", "district")
NUMBER_FIELDS = tuple(f for f in CONDITION_FIELDS if f not in (*TEXT_FIELDS, *BOOLEAN_FIELDS))
_OP_WORDS = {">=": "不低于", ">": "高于", "<=": "不超过", "<": "低于", "==": "为", "in": "属于"}
_OP_ALIASES = {"≥": ">=", "=>": ">=", "≤": "<=", "=<": "<=", "=": "==", "IN": "in"}


class ConditionError(ValueError):
    """A malformed condition; the message is bilingual."""


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any  # a number, a bool, a text, or a tuple for "in"

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"field": self.field, "op": self.op, "value": value}

    @property
    def text(self) -> str:
        """The condition in words (for pages and the report)."""
        zh, _en = LABELS.get(self.field, (self.field, self.field))
        if self.field in BOOLEAN_FIELDS and self.op == "==":
            return f"{'是' if self.value else '不是'}{zh}"
        if isinstance(self.value, tuple):
            shown = "、".join(_shown(v) for v in self.value)
        else:
            shown = _shown(self.value)
        unit = UNITS.get(self.field, "")
        if self.field == "founded_year":
            return f"{zh}{_OP_WORDS[self.op]}{shown}年"
        return f"{zh}{_OP_WORDS[self.op]}{shown}{unit}"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise ConditionError(f"{name}: 条件值应为数字 / the value must be a number")
    try:
        number = float(str(value).strip().replace(",", "").replace(",", ""))
    except ValueError:
        raise ConditionError(f"{name}: 条件值应为数字 / the value must be a number") from None
    if not math.isfinite(number):
        raise ConditionError(f"{name}: 条件值应为数字 / the value must be a number")
    return int(number) if number.is_integer() else number


def _boolean(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "yes", "是"}:
        return True
    if text in {"false", "0", "no", "否"}:
        return False
    raise ConditionError(f"{name}: 条件值应为 是/否 / the value must be true or false")


def _items(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        return [p for p in re.split(r"[,,、;;|]+", value) if p.strip()]
    return [value]


def normalise_condition(raw: Any) -> Condition:
    """A Condition from its mapping; ConditionError names what is wrong."""
    if not isinstance(raw, Mapping):
        raise ConditionError('条件应为对象 {"field","op","value"} / a condition is an object')
    name = str(raw.get("field") or "").strip()
    op = str(raw.get("op") or "").strip()
    op = _OP_ALIASES.get(op, op)
    if name not in CONDITION_FIELDS:
        raise ConditionError(
            f"未知的条件字段 {name or '(空)'} / unknown condition field {name or '(blank)'} "
            f"(允许/allowed: {' | '.join(CONDITION_FIELDS)})"
        )
    if op not in OPS:
        raise ConditionError(
            f"{name}: 未知的运算符 {op or '(空)'} / unknown operator (允许/allowed: "
            f"{' '.join(OPS)})"
        )
    if "value" not in raw or raw.get("value") in (None, "", []):
        raise ConditionError(f"{name}: 缺少条件值 / the value is missing")
    value = raw["value"]
    if (name in TEXT_FIELDS or name in BOOLEAN_FIELDS) and op not in ("==", "in"):
        raise ConditionError(f"{name}: 只能用 == 或 in / only == and in apply to {name}")
    if op == "in":
        items = _items(value)
        if name in NUMBER_FIELDS:
            parsed: tuple[Any, ...] = tuple(_number(v, name) for v in items)
        elif name in BOOLEAN_FIELDS:
            parsed = tuple(_boolean(v, name) for v in items)
        else:
            parsed = tuple(_text_item(name, v) for v in items)
        if not parsed:
            raise ConditionError(f"{name}: 缺少条件值 / the value is missing")
        return Condition(name, op, tuple(dict.fromkeys(parsed)))
    if isinstance(value, list | tuple):
        raise ConditionError(f"{name}: 列表值只能用 in / a list needs the op in")
    if name in NUMBER_FIELDS:
        return Condition(name, op, _number(value, name))
    if name in BOOLEAN_FIELDS:
        return Condition(name, op, _boolean(value, name))
    return Condition(name, op, _text_item(name, value))


def _text_item(name: str, value: Any) -> str:
    text = str(value).strip()
    if not text:
        raise ConditionError(f"{name}: 缺少条件值 / the value is missing")
    if len(text) > 50:
        raise ConditionError(f"{name}: 条件值过长 / the value is too long")
    if name == "district":
        return normalise_district(text) or text
    return text


def normalise_conditions(raw: Any) -> tuple[Condition, ...]:
    """Conditions from a list (JSON) of mappings."""
    if raw in (None, "", []):
        return ()
    if not isinstance(raw, list | tuple):
        raise ConditionError("条件应为列表 / conditions must be a list")
    return tuple(normalise_condition(c) for c in raw)


@dataclass(frozen=True)
class PolicyInfo:
    """One policy as the matcher sees it."""

    ref: str
    title: str
    region: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    industries: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    amount_wan_max: float | None = None
    benefit: str = ""

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def region_condition(self) -> Condition | None:
        """Where the policy applies, as a condition on the project's district: a district's
        policy (顺义区) asks the project to settle there; the city's (北京市, or no region)
        applies to every district and asks nothing. Another city's policy asks for that city
        (a Beijing district does not meet it)."""
        region = (self.region or "").strip()
        if region in CITY_WIDE:
            return None
        district = normalise_district(region) or region
        if any(
            c.field == "district" and c.op in ("==", "in") and _as_set(c.value) <= {district}
            for c in self.conditions
        ):
            return None  # an explicit district condition already says as much
        return Condition("district", "in", (district,))

    @property
    def all_conditions(self) -> tuple[Condition, ...]:
        """The industries as one more condition, first; then the region; then the rest."""
        extra: list[Condition] = []
        if self.industries:
            extra.append(Condition("industry", "in", tuple(self.industries)))
        region = self.region_condition
        if region is not None:
            extra.append(region)
        return (*extra, *self.conditions) if extra else self.conditions


@dataclass(frozen=True)
class Outcome:
    condition: Condition
    state: bool | None
    actual: Any


@dataclass(frozen=True)
class PolicyMatch:
    policy: PolicyInfo
    status: str
    outcomes: tuple[Outcome, ...]

    @property
    def met(self) -> tuple[Condition, ...]:
        return tuple(o.condition for o in self.outcomes if o.state is True)

    @property
    def unmet(self) -> tuple[Condition, ...]:
        return tuple(o.condition for o in self.outcomes if o.state is False)

    @property
    def unknown(self) -> tuple[Condition, ...]:
        return tuple(o.condition for o in self.outcomes if o.state is None)

    def to_dict(self) -> dict[str, Any]:
        """Exactly one item of ``parklink policy match --json``."""
        return {
            "ref": self.policy.ref,
            "title": self.policy.title,
            "status": self.status,
            "met": [c.to_dict() for c in self.met],
            "unmet": [c.to_dict() for c in self.unmet],
            "unknown": [c.to_dict() for c in self.unknown],
            "amount_wan_max": self.policy.amount_wan_max,
        }


def _as_set(value: Any) -> set[Any]:
    return set(value) if isinstance(value, tuple) else {value}


def _district_state(mine: set[str], allowed: set[str]) -> bool | None:
    """Whether a project naming districts `mine` settles inside `allowed`: all inside → met,
    none → unmet, some → unknown (it depends where it settles). A place that is neither a
    Beijing district nor listed (another city's district) leaves it unknown unless the list
    is of Beijing districts and the place is not one of them."""
    inside = mine & allowed
    if inside == mine:
        return True
    if not inside:
        if all(d in BEIJING_DISTRICTS for d in mine) or all(
            a in BEIJING_DISTRICTS for a in allowed
        ):
            return False
        return None
    return None


def _compare(actual: float, op: str, wanted: Any) -> bool:
    if op == ">=":
        return actual >= wanted
    if op == ">":
        return actual > wanted
    if op == "<=":
        return actual <= wanted
    if op == "<":
        return actual < wanted
    if op == "==":
        return actual == wanted
    return any(actual == w for w in wanted)


def condition_state(
    facts: ProjectFacts, condition: Condition, *, taxonomy: Taxonomy | None = None
) -> tuple[bool | None, Any]:
    """(met?, the project's value) for one condition; None when it cannot be told."""
    name, op, wanted = condition.field, condition.op, condition.value
    if name == "industry":
        allowed = list(wanted) if isinstance(wanted, tuple) else [wanted]
        fit = industry_fit(
            facts.industry, allowed, description=facts.description, taxonomy=taxonomy
        )
        return fit.ok, facts.industry or None
    if name == "district":
        mine = {normalise_district(d) or d for d in facts.districts}
        if not mine:
            return None, None
        allowed_set = {normalise_district(a) or a for a in _as_set(wanted)}
        return _district_state(mine, allowed_set), sorted(mine)
    actual = facts.value(name)
    if actual is None:
        return None, None
    if name in BOOLEAN_FIELDS:
        return (actual in wanted if op == "in" else actual == wanted), actual
    return _compare(float(actual), op, wanted), actual


def policy_match(
    facts: ProjectFacts, policy: PolicyInfo, *, taxonomy: Taxonomy | None = None
) -> PolicyMatch:
    tax = taxonomy or default_taxonomy()
    outcomes = []
    for c in policy.all_conditions:
        state, actual = condition_state(facts, c, taxonomy=tax)
        outcomes.append(Outcome(c, state, actual))
    if any(o.state is False for o in outcomes):
        status = INELIGIBLE
    elif any(o.state is None for o in outcomes):
        status = POSSIBLE
    else:
        status = ELIGIBLE
    return PolicyMatch(policy, status, tuple(outcomes))


def match_policies(
    facts: ProjectFacts,
    policies: Iterable[PolicyInfo],
    *,
    on: date,
    taxonomy: Taxonomy | None = None,
) -> list[PolicyMatch]:
    """The policies valid on `on`, each with its status, best first."""
    tax = taxonomy or default_taxonomy()
    found = [policy_match(facts, p, taxonomy=tax) for p in policies if p.valid_on(on)]
    return sort_matches(found)


def sort_matches(matches: Sequence[PolicyMatch]) -> list[PolicyMatch]:
    return sorted(
        matches,
        key=lambda m: (
            STATUS_ORDER.index(m.status),
            -(m.policy.amount_wan_max if m.policy.amount_wan_max is not None else -1.0),
            m.policy.ref,
        ),
    )
