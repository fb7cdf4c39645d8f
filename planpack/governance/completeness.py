"""The tier's completeness standard, from planpack.yaml: an incomplete plan is an error."""

from __future__ import annotations

from collections.abc import Iterator

from planpack.findings import Problem
from planpack.governance.context import CheckContext
from planpack.models.plan import Plan
from planpack.plan_facts import forward_actions, holders_of, missing_cells

ROLE_NAMES = {
    "economic_buyer": "an economic buyer",
    "decision_maker": "a decision maker",
    "champion": "a champion",
    "coach": "a coach",
    "influencer": "an influencer",
    "technical_evaluator": "a technical evaluator",
    "user": "a user",
    "blocker": "a blocker",
    "unknown": "a stakeholder of unknown role",
}
_TIER = ("account", "tier")


def check_completeness(plan: Plan, ctx: CheckContext) -> Iterator[Problem]:
    tier = plan.account.tier
    need = ctx.tier(plan).require
    for role in need.buying_committee:
        if not holders_of(plan, role):
            yield Problem(
                "tier-buying-committee", ("stakeholders",),
                f"tier {tier} requires {ROLE_NAMES[role]} in the relationship map; "
                f"no stakeholder has role {role}",
                f"map them: a stakeholder with `role: {role}`",
                at=("stakeholders",) if plan.stakeholders else _TIER,
            )
    if need.whitespace_filled:
        yield from _whitespace(plan, tier)
    if need.min_forward_actions:
        found = len(forward_actions(plan, ctx.as_of))
        if found < need.min_forward_actions:
            yield Problem(
                "tier-forward-actions", ("actions",),
                f"tier {tier} requires {need.min_forward_actions} forward actions, found {found} "
                f"(open or in progress, with an owner and a due date on or after {ctx.as_of})",
                "add actions with `owner:` and `due:`, or move the overdue ones forward",
                at=("actions",) if plan.actions else _TIER,
            )
    if need.manager and plan.team.manager is None:
        yield Problem(
            "tier-manager", ("team", "manager"),
            f"tier {tier} requires a manager, who owns the review cadence",
            "add `manager:` with the manager's e-mail to team",
            at=("team",),
        )


def _whitespace(plan: Plan, tier: int) -> Iterator[Problem]:
    ws = plan.whitespace
    fix = "list whitespace.products and whitespace.units, and give every pair a cell"
    if ws is None:
        yield Problem(
            "tier-whitespace", ("whitespace",),
            f"tier {tier} requires a filled whitespace matrix; the plan has no whitespace section",
            fix, at=_TIER,
        )
        return
    if not ws.products or not ws.units:
        empty = "whitespace.products" if not ws.products else "whitespace.units"
        yield Problem(
            "tier-whitespace", ("whitespace",),
            f"tier {tier} requires a filled whitespace matrix; {empty} is empty", fix,
        )
        return
    missing = missing_cells(plan)
    if missing:
        total = len(ws.products) * len(ws.units)
        shown = ", ".join(f"{p} / {u}" for p, u in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        yield Problem(
            "tier-whitespace", ("whitespace", "cells"),
            f"tier {tier} requires a filled whitespace matrix; {len(missing)} of {total} "
            f"product/unit pairs have no cell: {shown}{more}",
            "add a cell for each with its status (unknown is an honest answer)",
            at=("whitespace", "cells") if ws.cells else ("whitespace",),
        )
