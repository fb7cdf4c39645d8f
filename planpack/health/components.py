"""The four components of plan health, each scored 0-100 by what it loses.

Every loss names its rule, says what is wrong and how to fix it. The shares
and caps here are the formula the README documents; a change to one is a
change to the documentation in the same commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

from planpack.enrich.view import Enriched
from planpack.governance.completeness import ROLE_NAMES
from planpack.governance.context import CheckContext
from planpack.health.model import Loss
from planpack.models.plan import Plan, Stakeholder
from planpack.plan_facts import (
    FORWARD_STATUSES,
    OPEN_STATUSES,
    forward_actions,
    holders_of,
    last_touched,
    missing_cells,
    newest_intelligence,
    overdue_actions,
    unknown_cells,
)

NO_CONTACT_DAYS = 90
MOMENTUM_DAYS = 30


def _names(people: list[str], limit: int = 3) -> str:
    shown = ", ".join(people[:limit])
    return shown + (f" and {len(people) - limit} more" if len(people) > limit else "")


def completeness(
    plan: Plan, ctx: CheckContext, committed: date | None, view: Enriched | None = None
) -> Iterator[Loss]:
    need = ctx.tier(plan).require
    tier = plan.account.tier
    if need.buying_committee:
        roles = [r for r in need.buying_committee if not holders_of(plan, r)]
        if roles:
            yield Loss(
                "tier-buying-committee", 35 * len(roles) / len(need.buying_committee),
                f"tier {tier} buying committee is missing "
                + _names([ROLE_NAMES[r] for r in roles]),
                "map each role with a stakeholder and `role:`",
            )
    if need.whitespace_filled:
        grid_size = (
            len(plan.whitespace.products) * len(plan.whitespace.units) if plan.whitespace else 0
        )
        missing = len(missing_cells(plan))
        # A pair nobody looked at costs a full share; one marked unknown, half.
        unknown = len(unknown_cells(plan)) - missing
        if grid_size == 0 or missing or unknown:
            share = 1.0 if grid_size == 0 else (missing + unknown / 2) / grid_size
            yield Loss(
                "tier-whitespace", 20 * share,
                "no whitespace matrix" if grid_size == 0
                else f"{missing + unknown} of {grid_size} whitespace pairs have no known status",
                "find out each pair's status: owned, pipeline, target, competitor, internal "
                "or not_a_fit",
            )
    if need.min_forward_actions:
        found = len(forward_actions(plan, ctx.as_of))
        short = max(0, need.min_forward_actions - found)
        if short:
            yield Loss(
                "tier-forward-actions", 25 * short / need.min_forward_actions,
                f"{found} of the {need.min_forward_actions} forward actions tier {tier} requires",
                "add owned, dated actions",
            )
    if need.manager and plan.team.manager is None:
        yield Loss("tier-manager", 10, f"tier {tier} requires a manager", "set team.manager")
    if not (plan.summary or "").strip():
        yield Loss("health-summary", 5, "no summary", "write the account thesis in `summary:`")
    if not plan.objectives:
        yield Loss("health-objectives", 5, "no objectives", "add measurable `objectives:`")


def _overdue_share(overdue_days: int, every: int) -> float:
    """0 when on time, 1 when a whole cadence interval late."""
    return min(1.0, max(0, overdue_days) / every)


def freshness(
    plan: Plan, ctx: CheckContext, committed: date | None, view: Enriched | None = None
) -> Iterator[Loss]:
    rules = ctx.tier(plan)
    tier = plan.account.tier
    touch = rules.touch_every_days
    if touch:
        last = last_touched(plan, committed)
        if last is None:
            yield Loss("health-plan-age", 50, "no review, check-in or commit date is known",
                       "record cadence.last_checkin at the next check-in")
        elif (age := (ctx.as_of - last).days) > touch:
            yield Loss(
                "health-plan-age", 50 * _overdue_share(age - touch, touch),
                f"last touched {last}, {age} days ago; tier {tier} plans change every {touch} days",
                "hold the check-in and update the plan",
            )
    if rules.review_every_days:
        every = rules.review_every_days
        last_review = plan.cadence.last_review
        if last_review is None:
            yield Loss("review-overdue", 25, "no deep review is recorded",
                       "hold the QBR and set cadence.last_review")
        elif (age := (ctx.as_of - last_review).days) > every:
            yield Loss(
                "review-overdue", 25 * _overdue_share(age - every, every),
                f"the last deep review was {age} days ago; tier {tier} reviews every {every} days",
                "hold the QBR and set cadence.last_review",
            )
    stale = ctx.program.health.stale_intelligence_days
    newest = newest_intelligence(plan)
    if newest is None:
        yield Loss("health-no-intelligence", 25, "no dated intelligence",
                   "add news, financials or intent signals under `intelligence:`")
    elif (age := (ctx.as_of - newest[1].as_of).days) > stale:
        yield Loss(
            "stale-intelligence", 25 * _overdue_share(age - stale, stale),
            f"the newest intelligence is {age} days old",
            "add a fresh dated item under `intelligence:`",
        )


def actions(
    plan: Plan, ctx: CheckContext, committed: date | None, view: Enriched | None = None
) -> Iterator[Loss]:
    open_actions = [a for a in plan.actions if a.status in OPEN_STATUSES]
    if not open_actions:
        yield Loss("health-no-actions", 100, "no open actions",
                   "add the next steps, each with an owner and a due date")
        return
    overdue = list(overdue_actions(plan, ctx.as_of))
    if overdue:
        yield Loss(
            "action-overdue", min(60, 15 * len(overdue)),
            f"overdue actions ({len(overdue)}): "
            + _names([f"{a.title} ({d} d)" for _, a, d in overdue]),
            "finish or re-date overdue actions",
        )
    unassigned = [a for a in open_actions if a.owner is None or a.due is None]
    if unassigned:
        yield Loss(
            "health-action-unassigned", min(30, 10 * len(unassigned)),
            f"open actions without an owner or a due date ({len(unassigned)}): "
            + _names([a.title for a in unassigned]),
            "give each open action an `owner:` and a `due:` date",
        )
    soon = ctx.as_of + timedelta(days=MOMENTUM_DAYS)
    # A blocked action is open but is not momentum.
    if not any(
        a.status in FORWARD_STATUSES and a.due is not None and ctx.as_of <= a.due <= soon
        for a in open_actions
    ):
        yield Loss("health-momentum", 10, f"nothing is due in the next {MOMENTUM_DAYS} days",
                   "agree the next step and its date")


def relationships(
    plan: Plan, ctx: CheckContext, committed: date | None, view: Enriched | None = None
) -> Iterator[Loss]:
    people = plan.stakeholders
    if not people:
        yield Loss("health-no-stakeholders", 100, "the relationship map is empty",
                   "map the buying committee under `stakeholders:`")
        return
    if not any(p.sentiment == "advocate" for p in people):
        yield Loss("health-no-advocate", 25, "no stakeholder is an advocate",
                   "develop a champion into an advocate")
    high = [p for p in people if p.influence == "high"]
    yield from _per_person(
        "health-coverage", 10, 30, [p for p in high if p.coverage in ("none", "brief")],
        lambda p: f"{p.name} ({p.coverage})", "high-influence stakeholders barely known",
        "meet them: aim for `coverage: multiple`",
    )
    yield from _per_person(
        "health-sentiment", 10, 20, [p for p in high if p.sentiment in ("skeptic", "detractor")],
        lambda p: f"{p.name} ({p.sentiment})", "high-influence stakeholders against us",
        "plan an action to address their concerns",
    )
    yield from _per_person(
        "health-unknown-sentiment", 5, 15, [p for p in people if p.sentiment == "unknown"],
        lambda p: p.name, "stakeholders of unknown sentiment",
        "find out where they stand and set `sentiment:`",
    )
    if view is not None and view.has_salesforce:
        yield from _threading(view)
    cutoff = ctx.as_of - timedelta(days=NO_CONTACT_DAYS)
    yield from _per_person(
        "health-no-contact", 5, 10,
        [p for p in high if p.last_contact is None or p.last_contact < cutoff],
        lambda p: p.name,
        f"high-influence stakeholders not contacted in {NO_CONTACT_DAYS} days",
        "reach out and record `last_contact:`",
    )


def _threading(view: Enriched) -> Iterator[Loss]:
    """From Salesforce: is each open deal multi-threaded, and is everyone on it mapped?"""
    linked = [sf for sf in view.opportunities if sf is not None and sf.is_open]
    thin = [sf for sf in linked if len(sf.contact_roles) < 2]
    if thin:
        yield Loss(
            "health-single-threaded", min(20, 10 * len(thin)),
            f"open opportunities with fewer than 2 contact roles ({len(thin)}): "
            + _names([sf.name or sf.id for sf in thin]),
            "bring a second contact into each deal and record their contact role",
        )
    holders = view.role_holders()
    unmapped = [h for h in holders if not h.mapped]
    if unmapped:
        yield Loss(
            "health-crm-coverage", 20 * len(unmapped) / len(holders),
            f"contacts with roles on open opportunities missing from the map "
            f"({len(unmapped)} of {len(holders)}): " + _names([h.label for h in unmapped]),
            "add them to stakeholders with their salesforce_id",
        )


def _per_person(
    rule: str, each: float, cap: float, people: list[Stakeholder],
    show: Callable[[Stakeholder], str], what: str, fix: str,
) -> Iterator[Loss]:
    if people:
        yield Loss(rule, min(cap, each * len(people)),
                   f"{what} ({len(people)}): " + _names([show(p) for p in people]), fix)


COMPONENTS = {
    "completeness": completeness,
    "freshness": freshness,
    "actions": actions,
    "relationships": relationships,
}
