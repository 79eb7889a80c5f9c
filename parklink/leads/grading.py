"""The grade of a lead (A/B/C/D) from three scores of 1-5: 意向度 (intent), 资金实力
(funds) and 区域匹配度 (fit with the park's region and industries), as Chinese 招商 CRMs
grade. Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GradeConfig:
    version: int = 1
    # Weighted mean of the three scores; intent weighs most (a rich firm that is not moving
    # is not a lead).
    weight_intent: float = 0.5
    weight_funds: float = 0.25
    weight_fit: float = 0.25
    a_from: float = 4.0
    b_from: float = 3.0
    c_from: float = 2.0


CONFIG = GradeConfig()


def grade_for(
    intent: int | None, funds: int | None, fit: int | None, config: GradeConfig = CONFIG
) -> str:
    """ "" until intent is scored; missing funds/fit count as a neutral 3."""
    if intent is None:
        return ""
    score = (
        config.weight_intent * intent
        + config.weight_funds * (funds if funds is not None else 3)
        + config.weight_fit * (fit if fit is not None else 3)
    )
    if score >= config.a_from:
        return "A"
    if score >= config.b_from:
        return "B"
    if score >= config.c_from:
        return "C"
    return "D"
