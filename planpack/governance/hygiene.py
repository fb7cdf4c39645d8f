"""Softer findings: a plan that is complete but drifting. These are warnings."""

from __future__ import annotations

from collections.abc import Iterator

from planpack.findings import Loc, Problem
from planpack.governance.context import CheckContext
from planpack.models.plan import Plan
from planpack.plan_facts import last_checkin, newest_intelligence, overdue_actions, team_emails

_TIER = ("account", "tier")


def check_hygiene(plan: Plan, ctx: CheckContext) -> Iterator[Problem]:
    yield from _owners(plan)
    yield from _intelligence(plan, ctx)
    yield from _overdue(plan, ctx)
    yield from _cadence(plan, ctx)
    yield from _planned_opportunities(plan, ctx)


def _owners(plan: Plan) -> Iterator[Problem]:
    team = team_emails(plan)
    owners: list[tuple[Loc, str | None]] = []
    owners += [(("actions", i, "owner"), a.owner) for i, a in enumerate(plan.actions)]
    owners += [(("risks", i, "owner"), r.owner) for i, r in enumerate(plan.risks)]
    owners += [
        (("stakeholders", i, "relationship_owner"), s.relationship_owner)
        for i, s in enumerate(plan.stakeholders)
    ]
    for loc, email in owners:
        if email is not None and email not in team:
            yield Problem(
                "owner-not-member", loc,
                f"{email} is not on the account team (team.owner, team.manager or team.members)",
                "add them to team.members, or give the item to a team member",
            )


def _intelligence(plan: Plan, ctx: CheckContext) -> Iterator[Problem]:
    newest = newest_intelligence(plan)
    limit = ctx.program.health.stale_intelligence_days
    if newest is None:
        return
    index, item = newest
    age = (ctx.as_of - item.as_of).days
    if age > limit:
        yield Problem(
            "stale-intelligence", ("intelligence", index, "as_of"),
            f"the newest intelligence is {age} days old ({item.as_of}); "
            f"the programme expects it refreshed every {limit} days",
            "add a dated item from news, financials or your intent data",
        )


def _overdue(plan: Plan, ctx: CheckContext) -> Iterator[Problem]:
    for index, action, days in overdue_actions(plan, ctx.as_of):
        yield Problem(
            "action-overdue", ("actions", index, "due"),
            f"{action.title!r} is {days} d overdue (due {action.due})",
            "finish it and set `status: done`, or agree a new due date",
        )


def _cadence(plan: Plan, ctx: CheckContext) -> Iterator[Problem]:
    rules = ctx.tier(plan)
    tier = plan.account.tier
    cadence = plan.cadence
    if rules.review_every_days:
        every = rules.review_every_days
        if cadence.last_review is None:
            yield Problem(
                "review-overdue", ("cadence", "last_review"),
                f"no deep review is recorded; tier {tier} plans are reviewed every {every} days",
                "hold the review and set cadence.last_review",
                at=("cadence",) if "cadence" in plan.model_fields_set else _TIER,
            )
        elif (age := (ctx.as_of - cadence.last_review).days) > every:
            yield Problem(
                "review-overdue", ("cadence", "last_review"),
                f"the last deep review was {cadence.last_review}, {age} days ago; "
                f"tier {tier} plans are reviewed every {every} days",
                "hold the review and set cadence.last_review",
            )
        if cadence.next_review is None:
            yield Problem(
                "review-unscheduled", ("cadence", "next_review"),
                "no next review is scheduled",
                "put it on the manager's calendar and set cadence.next_review",
                at=("cadence",) if "cadence" in plan.model_fields_set else _TIER,
            )
        elif cadence.next_review < ctx.as_of:
            yield Problem(
                "review-unscheduled", ("cadence", "next_review"),
                f"the next review was scheduled for {cadence.next_review}, which has passed",
                "record the review, or set the new date in cadence.next_review",
            )
    if rules.checkin_every_days:
        every = rules.checkin_every_days
        latest = last_checkin(plan)
        if latest is not None and (age := (ctx.as_of - latest).days) > every:
            yield Problem(
                "checkin-overdue",
                ("cadence", "last_checkin" if cadence.last_checkin else "last_review"),
                f"the last check-in was {latest}, {age} days ago; "
                f"tier {tier} plans are checked in every {every} days",
                "hold the check-in and set cadence.last_checkin",
            )


def _planned_opportunities(plan: Plan, ctx: CheckContext) -> Iterator[Problem]:
    for index, opp in enumerate(plan.opportunities):
        if opp.salesforce_id is None and opp.close_date is not None and opp.close_date < ctx.as_of:
            yield Problem(
                "opportunity-past-close", ("opportunities", index, "close_date"),
                f"the planned close date {opp.close_date} of {opp.label!r} has passed",
                "move the date, create the opportunity in Salesforce and link its Id, or drop it",
            )
