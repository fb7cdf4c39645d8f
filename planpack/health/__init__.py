"""The health score: 0-100 from weighted components, every lost point explained.

score = 100 - sum over components of (100 - component score) * weight / total weight

Each component starts at 100 and loses the points its checks find (see
components.py). The overall deductions are rounded to tenths so that they
add up exactly to 100 - score: a reader can account for every point.
"""

from __future__ import annotations

import math
from datetime import date

from planpack.governance.context import CheckContext
from planpack.health.components import COMPONENTS
from planpack.health.model import GRADE_LABELS, ComponentScore, Deduction, Health, Loss
from planpack.models.plan import Plan

__all__ = ["GRADE_LABELS", "Deduction", "Health", "score_plan"]


def score_plan(plan: Plan, ctx: CheckContext, committed: date | None = None) -> Health:
    """The plan's health on ctx.as_of; `committed` is the last commit to its file."""
    weights = ctx.program.health.weights
    total_weight = weights.total
    components: list[ComponentScore] = []
    exact: list[tuple[str, Loss, float]] = []
    for name, measure in COMPONENTS.items():
        losses = list(measure(plan, ctx, committed))
        lost = sum(loss.points for loss in losses)
        scale = 100 / lost if lost > 100 else 1.0  # a component cannot go below 0
        weight = getattr(weights, name)
        components.append(ComponentScore(name, round(100 - min(lost, 100), 1), weight))
        exact += [(name, loss, loss.points * scale * weight / total_weight) for loss in losses]
    # Rounded first so that float noise cannot decide a half point: weights 0.4/0.3/0.2/0.1
    # score exactly as 40/30/20/10 do.
    lost = round(sum(points for _, _, points in exact), 6)
    score = math.floor(100 - lost + 0.5)
    tenths = _allocate([round(points * 10, 6) for _, _, points in exact], (100 - score) * 10)
    deductions = [
        Deduction(name, loss.rule, share / 10, loss.message, loss.fix)
        for (name, loss, _), share in zip(exact, tenths, strict=True)
        if share > 0
    ]
    deductions.sort(key=lambda d: (-d.points, d.component, d.rule))
    return Health(score, grade(score, ctx), tuple(components), tuple(deductions))


def grade(score: int, ctx: CheckContext) -> str:
    thresholds = ctx.program.health.thresholds
    if score >= thresholds.green:
        return "green"
    return "amber" if score >= thresholds.amber else "red"


def _allocate(exact: list[float], target: int) -> list[int]:
    """Whole numbers near `exact` that sum to `target` (largest remainder method)."""
    shares = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: exact[i] - shares[i], reverse=True)
    diff = target - sum(shares)
    step = 1 if diff > 0 else -1
    # Only losses that cost something take up the rounding: a component weighted 0
    # must not be charged a tenth of a point.
    candidates = [i for i in order if exact[i] > 0] if diff > 0 else order[::-1]
    while diff and candidates:
        for i in candidates:
            if diff == 0:
                break
            if step < 0 and shares[i] == 0:
                continue
            shares[i] += step
            diff -= step
        if step < 0 and all(shares[i] == 0 for i in candidates):
            break
    return shares
