"""The health score: 0-100 from weighted components, every lost point explained.

Each component starts at 100 and loses the points its checks find (see
components.py). A loss costs the plan `points x weight / total weight`; that
cost, rounded to tenths, is the deduction a reader sees, and

    score = round(100 - sum of the deductions shown)

so anyone can check a score from its own report, and each deduction is the
documented formula's value, not a figure bent to make a total come out.
"""

from __future__ import annotations

from datetime import date

from planpack.enrich.view import Enriched
from planpack.governance.context import CheckContext
from planpack.health.components import COMPONENTS
from planpack.health.model import GRADE_LABELS, ComponentScore, Deduction, Health
from planpack.models.plan import Plan

__all__ = ["GRADE_LABELS", "Deduction", "Health", "score_plan"]


def _half_up(value: float) -> int:
    # round() rounds halves to even; scores round halves up. The 6-digit rounding
    # first keeps float noise from deciding a half: weights 0.4/0.3/0.2/0.1 must
    # score exactly as 40/30/20/10 do.
    return int(round(value, 6) + 0.5) if value >= 0 else -_half_up(-value)


def score_plan(
    plan: Plan, ctx: CheckContext, committed: date | None = None, view: Enriched | None = None
) -> Health:
    """The plan's health on ctx.as_of; `committed` is the last commit to its file.

    With `view` (the plan joined with its Salesforce snapshot) the plan judged is
    the enriched one, and multi-threading and contact coverage count too.
    """
    if view is not None:
        plan = view.plan
    weights = ctx.program.health.weights
    components: list[ComponentScore] = []
    deductions: list[Deduction] = []
    for name, measure in COMPONENTS.items():
        losses = list(measure(plan, ctx, committed, view))
        lost = sum(loss.points for loss in losses)
        scale = 100 / lost if lost > 100 else 1.0  # a component cannot go below 0
        weight = getattr(weights, name)
        components.append(ComponentScore(name, round(100.0 - min(lost, 100), 1), weight))
        for loss in losses:
            tenths = _half_up(loss.points * scale * weight / weights.total * 10)
            if tenths:
                deductions.append(Deduction(name, loss.rule, tenths / 10, loss.message, loss.fix))
    lost_tenths = sum(_half_up(d.points * 10) for d in deductions)
    score = max(0, (1000 - lost_tenths + 5) // 10)
    deductions.sort(key=lambda d: (-d.points, d.component, d.rule))
    return Health(score, grade(score, ctx), tuple(components), tuple(deductions))


def grade(score: int, ctx: CheckContext) -> str:
    thresholds = ctx.program.health.thresholds
    if score >= thresholds.green:
        return "green"
    return "amber" if score >= thresholds.amber else "red"
