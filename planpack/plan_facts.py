"""What a plan says once its lists are read together: shared by rules, health and packets.

Every rule and every score component asks the same questions ("which actions
are forward actions?", "which whitespace cells are unknown?"); they are
answered once, here, so validate and score can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from planpack.models.plan import Action, Intelligence, Plan
from planpack.salesforce_id import to18

OPEN_STATUSES = frozenset({"open", "in_progress", "blocked"})
FORWARD_STATUSES = frozenset({"open", "in_progress"})


def is_forward(action: Action, as_of: date) -> bool:
    """Open or in progress, with an owner and a due date not in the past."""
    return (
        action.status in FORWARD_STATUSES
        and action.owner is not None
        and action.due is not None
        and action.due >= as_of
    )


def forward_actions(plan: Plan, as_of: date) -> list[Action]:
    return [a for a in plan.actions if is_forward(a, as_of)]


def overdue_actions(plan: Plan, as_of: date) -> Iterator[tuple[int, Action, int]]:
    """(index, action, days overdue) for open actions past their due date."""
    for index, action in enumerate(plan.actions):
        if action.status in OPEN_STATUSES and action.due is not None and action.due < as_of:
            yield index, action, (as_of - action.due).days


def team_emails(plan: Plan) -> set[str]:
    emails = {member.email for member in plan.team.members}
    emails.add(plan.team.owner)
    if plan.team.manager:
        emails.add(plan.team.manager)
    return emails


def whitespace_grid(plan: Plan) -> dict[tuple[str, str], str]:
    """Every listed product and unit pair with its status; missing pairs are unknown."""
    ws = plan.whitespace
    if ws is None:
        return {}
    given: dict[tuple[str, str], str] = {}
    for cell in ws.cells:
        given.setdefault((cell.product, cell.unit), cell.status)
    return {(p, u): given.get((p, u), "unknown") for p in ws.products for u in ws.units}


def missing_cells(plan: Plan) -> list[tuple[str, str]]:
    """Product and unit pairs with no cell: nobody has looked at them."""
    ws = plan.whitespace
    if ws is None:
        return []
    given = {(cell.product, cell.unit) for cell in ws.cells}
    return [(p, u) for p in ws.products for u in ws.units if (p, u) not in given]


def unknown_cells(plan: Plan) -> list[tuple[str, str]]:
    """Pairs whose status is unknown, whether written so or missing."""
    return [pair for pair, status in whitespace_grid(plan).items() if status == "unknown"]


def holders_of(plan: Plan, role: str) -> list[str]:
    return [s.name for s in plan.stakeholders if s.role == role]


def newest_intelligence(plan: Plan) -> tuple[int, Intelligence] | None:
    if not plan.intelligence:
        return None
    return max(enumerate(plan.intelligence), key=lambda pair: (pair[1].as_of, -pair[0]))


def last_checkin(plan: Plan) -> date | None:
    """A QBR counts as a check-in too."""
    dates = [d for d in (plan.cadence.last_checkin, plan.cadence.last_review) if d]
    return max(dates) if dates else None


def last_touched(plan: Plan, committed: date | None) -> date | None:
    """The later of the plan's cadence dates and the last commit to its file."""
    dates = [d for d in (plan.cadence.last_checkin, plan.cadence.last_review, committed) if d]
    return max(dates) if dates else None


def opportunity_keys(plan: Plan) -> set[str]:
    """What an action's `opportunity` may name: 18-character Ids and planned names."""
    keys: set[str] = set()
    for opp in plan.opportunities:
        if opp.salesforce_id:
            keys.add(to18(opp.salesforce_id))
        if opp.name:
            keys.add(opp.name)
    return keys


def same_id(value: str) -> str:
    """An Id in the form used for comparisons (18 characters); other text unchanged."""
    return to18(value) if len(value) == 15 and value.isalnum() else value


def review_due(plan: Plan, review_every_days: int | None, checkin_every_days: int | None
               ) -> date | None:
    """When the plan's next review falls: as scheduled (cadence.next_review), else as the
    tier's cadence has it (the last review or check-in plus its interval); None without
    either."""
    if plan.cadence.next_review is not None:
        return plan.cadence.next_review
    due = []
    if review_every_days and plan.cadence.last_review:
        due.append(plan.cadence.last_review + timedelta(days=review_every_days))
    latest = last_checkin(plan)
    if checkin_every_days and latest:
        due.append(latest + timedelta(days=checkin_every_days))
    return min(due) if due else None
