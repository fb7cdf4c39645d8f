"""What a roll-up needs of one plan, small enough to come back from a worker process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planpack.models.plan import Plan
from planpack.models.program import Program
from planpack.plan_facts import overdue_actions, review_due


@dataclass(frozen=True)
class PlanSummary:
    account: str
    tier: int
    owner: str
    manager: str | None
    plan_required: bool  # the tier needs a plan at all
    review_due: date | None
    overdue_by_owner: tuple[tuple[str, int], ...]  # (action owner, overdue actions)


def summarize(plan: Plan, program: Program, as_of: date) -> PlanSummary:
    rules = program.tier(plan.account.tier)
    counts: dict[str, int] = {}
    for _, action, _ in overdue_actions(plan, as_of):
        owner = action.owner or plan.team.owner
        counts[owner] = counts.get(owner, 0) + 1
    return PlanSummary(
        plan.account.name, plan.account.tier, plan.team.owner, plan.team.manager,
        rules.plan_required, review_due(plan, rules.review_every_days, rules.checkin_every_days),
        tuple(sorted(counts.items())),
    )
