"""The packet: everything a review packet shows, computed once, for the PDF and the deck.

Templates and slide builders only lay this out; every figure, label and verdict is
decided here, so the PDF and the PowerPoint deck can never disagree. Values are
display-ready where the design fixes their form (money, dates), and raw where a
renderer needs to draw them (scores, amounts for bar lengths).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from planpack.enrich.view import Enriched
from planpack.findings import Finding, Severity
from planpack.governance.completeness import ROLE_NAMES
from planpack.health.model import GRADE_LABELS, Health
from planpack.history.compare import Change
from planpack.models.plan import Action, Opportunity, Plan
from planpack.models.program import Program
from planpack.plan_facts import OPEN_STATUSES, whitespace_grid
from planpack.render import format as fmt
from planpack.salesforce.snapshot import SfOpportunity

ROLE_BADGES = {"economic_buyer": "EB", "decision_maker": "DM", "champion": "CH",
               "coach": "CO", "influencer": "IN", "technical_evaluator": "TE", "user": "US",
               "blocker": "BL", "unknown": "?"}
STATUS_LABELS = {"owned": "Owned", "pipeline": "Pipeline", "target": "Target",
                 "competitor": "Competitor", "internal": "In-house", "not_a_fit": "n/a",
                 "unknown": "?"}
NO_CONTACT_DAYS = 90


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class Person:
    """A card on the relationship map."""

    key: str  # unique: the stakeholder's name
    name: str
    title: str
    department: str
    role: str  # economic_buyer ...
    badge: str  # EB ...
    influence: str  # high | medium | low
    sentiment: str
    coverage: str
    reports_to: str | None  # key of the manager, when that person is in the plan
    influences: tuple[str, ...]
    last_contact: date | None
    stale: bool  # no contact in 90 days: the clock mark
    in_salesforce: bool


@dataclass(frozen=True)
class RoleSlot:
    """A buying-committee role the tier requires, and who fills it."""

    role: str
    label: str  # "Economic buyer"
    holders: tuple[str, ...]  # empty: a gap, shown in red

    @property
    def missing(self) -> bool:
        return not self.holders


@dataclass(frozen=True)
class Cell:
    product: str
    unit: str
    status: str
    label: str  # "Owned", "Pipeline", ...
    amount: float | None  # the estimate, or the linked opportunity's amount
    amount_text: str
    opportunity: str | None  # linked opportunity name
    note_mark: str  # "1", "2"... footnote marker, "" if no note


@dataclass(frozen=True)
class Whitespace:
    products: tuple[str, ...]
    units: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]  # rows[product][unit]
    row_totals: tuple[str, ...]  # potential (target + pipeline) per product
    column_totals: tuple[str, ...]
    total: str
    notes: tuple[tuple[str, str], ...]  # (marker, text)
    potential: float  # the total, as a number


@dataclass(frozen=True)
class Deal:
    """An open or planned opportunity on the roadmap, or a closed-won one."""

    name: str
    amount: float | None
    amount_text: str
    stage: str
    probability: float | None
    probability_text: str
    close_date: date | None
    close_text: str
    quarter: str  # "Q3 FY27"
    planned: bool  # not yet in Salesforce: drawn hollow
    product: str
    unit: str


@dataclass(frozen=True)
class QuarterTotal:
    """The pipeline closing in one quarter of the timeline: open (in Salesforce) and
    planned (not yet in Salesforce), as numbers for a chart and as text."""

    quarter: str  # "Q3 FY27"
    open: float
    planned: float
    open_text: str  # "$285K"
    planned_text: str
    count: int  # deals closing in the quarter


@dataclass(frozen=True)
class Roadmap:
    quarters: tuple[str, ...]  # the timeline's columns, in order
    current: str  # the current quarter's label
    deals: tuple[Deal, ...]  # open and planned, by close date
    won: tuple[Deal, ...]  # closed-won this fiscal year
    undated: tuple[Deal, ...]  # open or planned with no close date
    totals: tuple[QuarterTotal, ...] = ()  # one per quarter, in the order of `quarters`


@dataclass(frozen=True)
class ActionRow:
    id: str
    title: str
    owner: str
    due: date | None
    due_text: str
    status: str
    status_label: str
    outcome: str
    stakeholder: str
    overdue_days: int  # 0 when not overdue
    due_this_week: bool
    mark: str  # "overdue", "soon", "done", "dropped", ""


@dataclass(frozen=True)
class Commitment:
    text: str
    covered_by: str | None  # the action title that now covers it


@dataclass(frozen=True)
class Packet:
    kind: str  # qbr | checkin
    program: str
    currency: str
    as_of: date
    as_of_text: str
    slug: str
    account: str
    tier: int
    industry: str
    region: str
    owner: str
    manager: str
    health: Health | None
    grade_label: str
    top_deductions: tuple[tuple[str, str, str], ...]  # (points, message, fix)
    figures: tuple[Figure, ...]
    summary: tuple[str, ...]  # paragraphs
    people: tuple[Person, ...]
    committee: tuple[RoleSlot, ...]
    whitespace: Whitespace | None
    roadmap: Roadmap
    actions: tuple[ActionRow, ...]
    commitments: tuple[Commitment, ...]
    last_review_date: date | None
    changes: tuple[Change, ...]
    changes_note: str
    risks: tuple[tuple[str, str, str, str], ...]  # (title, severity, mitigation, owner)
    objectives: tuple[tuple[str, str, str, str, str], ...]  # title, metric, target, due, status
    intelligence: tuple[tuple[str, str, str, str, bool], ...]  # date, kind, summary, url, stale
    raci: tuple[tuple[str, tuple[str, ...]], ...]  # (member, sections owned)
    raci_sections: tuple[str, ...]
    findings: tuple[Finding, ...]
    salesforce_note: str  # "Salesforce data of 1 Dec 2026 06:00 UTC" or "no Salesforce data"
    parents: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]  # (label, value)
    done: tuple[ActionRow, ...] = ()  # check-in: done since the last review
    slipped: tuple[ActionRow, ...] = ()  # check-in: overdue, or moved later
    upcoming: tuple[ActionRow, ...] = ()  # check-in: the next forward actions
    extras: dict[str, str] = field(default_factory=dict)
    account_id: str | None = None  # the Salesforce Account Id, whose snapshot was read

    @property
    def title(self) -> str:
        what = "QBR packet" if self.kind == "qbr" else "Check-in"
        return f"{self.account}: {what}, {self.as_of_text}"

    @property
    def missing_roles(self) -> tuple[RoleSlot, ...]:
        return tuple(slot for slot in self.committee if slot.missing)


def _person_name(email: str | None) -> str:
    if not email:
        return "–"
    return " ".join(part.capitalize() for part in email.split("@")[0].split("."))


def build_packet(
    view: Enriched,
    health: Health | None,
    findings: list[Finding],
    program: Program,
    as_of: date,
    *,
    kind: str = "qbr",
    slug: str = "",
    changes: list[Change] | None = None,
    changes_note: str = "",
    sources: list[tuple[str, str]] | None = None,
) -> Packet:
    plan = view.plan
    currency = program.currency
    tier_rules = program.tier(plan.account.tier)
    actions = tuple(_action_row(a, index, as_of) for index, a in enumerate(plan.actions))
    roadmap = _roadmap(view, program, as_of)
    whitespace = _whitespace(view, currency)
    people = _people(view, as_of)
    deductions = tuple((f"{d.points:g}", d.message, d.fix) for d in
                       (health.deductions[:3] if health else ()))
    last_review = plan.cadence.last_review
    commitments = _commitments(plan, actions)
    change_list = tuple(changes or ())
    moved_later = {c.subject for c in change_list if c.section == "actions" and c.kind == "moved"
                   and (c.note or "").startswith("+")}
    completed = {c.subject for c in change_list if c.section == "actions"
                 and c.kind == "completed"}
    # The review this packet follows: the QBR for a QBR packet, any review for a check-in.
    reviews = [d for d in (plan.cadence.last_review,
                           None if kind == "qbr" else plan.cadence.last_checkin) if d]
    since = max(reviews) if reviews else None
    return Packet(
        kind=kind,
        program=program.program,
        currency=currency,
        as_of=as_of,
        as_of_text=fmt.prose_date(as_of),
        slug=slug,
        account=plan.account.name,
        tier=plan.account.tier,
        industry=plan.account.industry or "",
        region=plan.account.region or "",
        owner=_person_name(plan.team.owner),
        manager=_person_name(plan.team.manager),
        health=health,
        grade_label=GRADE_LABELS[health.grade] if health else "Not scored",
        top_deductions=deductions,
        figures=_figures(view, roadmap, actions, whitespace, program, as_of),
        summary=tuple(p.strip() for p in (plan.summary or "").split("\n\n") if p.strip()),
        people=people,
        committee=tuple(
            RoleSlot(role, ROLE_NAMES[role].split(" ", 1)[1].capitalize(),
                     tuple(s.name for s in plan.stakeholders if s.role == role))
            for role in tier_rules.require.buying_committee
        ),
        whitespace=whitespace,
        roadmap=roadmap,
        actions=actions,
        commitments=commitments,
        last_review_date=last_review,
        changes=change_list,
        changes_note=changes_note,
        risks=tuple((r.title, r.severity, r.mitigation or "", _person_name(r.owner))
                    for r in plan.risks),
        objectives=tuple((o.title, o.metric or "", _target(o.target, currency),
                          fmt.table_date(o.due), o.status or "") for o in plan.objectives),
        intelligence=_intelligence(plan, program, as_of),
        raci=tuple((_person_name(m.email), tuple(m.owns)) for m in plan.team.members),
        raci_sections=tuple(dict.fromkeys(s for m in plan.team.members for s in m.owns)),
        findings=tuple(f for f in findings if f.severity is not Severity.INFO),
        salesforce_note=(f"Salesforce data of {_when(view)}" if view.snapshot
                         else "no Salesforce data"),
        parents=tuple(a.name or a.id for a in view.parents),
        sources=tuple(sources or ()),
        done=tuple(a for a, action in zip(actions, plan.actions, strict=True)
                   if _done_since(a, action, since, completed)),
        slipped=tuple(a for a in actions if a.overdue_days or any(
            a.title in s for s in moved_later)),
        account_id=plan.account.salesforce_id,
        upcoming=tuple(a for a in actions if a.status in ("open", "in_progress")
                       and a.due and a.due >= as_of)[:5],
    )


def _done_since(row: ActionRow, action: Action, since: date | None, completed: set[str]
                ) -> bool:
    """Done since the last review: by its done_on date, else by the history's record."""
    if row.status != "done":
        return False
    if any(row.title in subject for subject in completed):
        return True
    if action.done_on is not None and since is not None:
        return action.done_on >= since
    return since is None and not completed


def _when(view: Enriched) -> str:
    assert view.snapshot is not None
    fetched = view.snapshot.fetched_at
    return f"{fmt.prose_date(fetched.date())} {fetched:%H:%M} UTC"


def _target(value: float | str | None, currency: str) -> str:
    if isinstance(value, float):
        return fmt.money_compact(value, currency) if value >= 1000 else f"{value:g}"
    return value or ""


def _action_row(action: Action, index: int, as_of: date) -> ActionRow:
    overdue = (as_of - action.due).days if (
        action.status in OPEN_STATUSES and action.due and action.due < as_of) else 0
    soon = bool(action.status in OPEN_STATUSES and action.due
                and as_of <= action.due <= as_of + timedelta(days=7))
    mark = ("overdue" if overdue else "soon" if soon else
            "done" if action.status == "done" else
            "dropped" if action.status == "dropped" else "")
    return ActionRow(
        id=action.id or f"#{index + 1}", title=action.title, owner=_person_name(action.owner),
        due=action.due, due_text=fmt.table_date(action.due), status=action.status,
        status_label=action.status.replace("_", " "), outcome=action.outcome or "",
        stakeholder=action.stakeholder or "", overdue_days=overdue, due_this_week=soon,
        mark=mark,
    )


def _people(view: Enriched, as_of: date) -> tuple[Person, ...]:
    plan = view.plan
    names = {s.name for s in plan.stakeholders}
    cutoff = as_of - timedelta(days=NO_CONTACT_DAYS)
    return tuple(
        Person(
            key=s.name, name=s.name, title=s.title or "", department=s.department or "",
            role=s.role, badge=ROLE_BADGES[s.role], influence=s.influence,
            sentiment=s.sentiment, coverage=s.coverage,
            reports_to=s.reports_to if s.reports_to in names and s.reports_to != s.name
            else None,
            influences=tuple(n for n in s.influences if n in names and n != s.name),
            last_contact=s.last_contact,
            stale=s.last_contact is None or s.last_contact < cutoff,
            in_salesforce=bool(view.contacts and view.contacts[i] is not None),
        )
        for i, s in enumerate(plan.stakeholders)
    )


def _whitespace(view: Enriched, currency: str) -> Whitespace | None:
    plan = view.plan
    ws = plan.whitespace
    if ws is None or not ws.products or not ws.units:
        return None
    grid = whitespace_grid(plan)
    cells = {(c.product, c.unit): c for c in ws.cells}
    amounts = {o.salesforce_id: o for o in plan.opportunities if o.salesforce_id}
    notes: list[tuple[str, str]] = []
    rows = []
    for product in ws.products:
        row = []
        for unit in ws.units:
            cell = cells.get((product, unit))
            status = grid[(product, unit)]
            opp = amounts.get(cell.opportunity) if cell and cell.opportunity else None
            amount = cell.estimate if cell and cell.estimate is not None else (
                opp.amount if opp else None)
            mark = ""
            if cell and cell.note:
                notes.append((str(len(notes) + 1), cell.note))
                mark = str(len(notes))
            row.append(Cell(product, unit, status, STATUS_LABELS[status], amount,
                            fmt.money_compact(amount, currency) if amount is not None else "",
                            opp.name if opp else None, mark))
        rows.append(tuple(row))

    def potential(cells_: list[Cell]) -> float:
        return sum(c.amount or 0 for c in cells_ if c.status in ("target", "pipeline"))

    by_row = [potential(list(r)) for r in rows]
    by_column = [potential([r[i] for r in rows]) for i in range(len(ws.units))]
    return Whitespace(
        tuple(ws.products), tuple(ws.units), tuple(rows),
        tuple(fmt.money_compact(v, currency) for v in by_row),
        tuple(fmt.money_compact(v, currency) for v in by_column),
        fmt.money_compact(sum(by_row), currency), tuple(notes), sum(by_row),
    )


def _deal(opp: Opportunity | None, sf: SfOpportunity | None, program: Program) -> Deal:
    if sf is not None:
        name, amount, stage = sf.name or sf.id, sf.amount, sf.stage or ""
        probability, close, planned = sf.probability, sf.close_date, False
        product, unit = (opp.product or "", opp.unit or "") if opp else ("", "")
    else:
        assert opp is not None
        name, amount, stage = opp.label, opp.amount, opp.stage or "planned"
        probability = float(opp.probability) if opp.probability is not None else None
        close, planned = opp.close_date, opp.salesforce_id is None
        product, unit = opp.product or "", opp.unit or ""
    quarter = (fmt.quarter_label(*fmt.fiscal_quarter(close, program.fiscal_year_start))
               if close else "")
    return Deal(name, amount, fmt.money_compact(amount, program.currency), stage, probability,
                fmt.percent(probability), close, fmt.table_date(close), quarter, planned,
                product, unit)


def _roadmap(view: Enriched, program: Program, as_of: date) -> Roadmap:
    deals: list[Deal] = []
    won: list[Deal] = []
    this_year = fmt.fiscal_quarter(as_of, program.fiscal_year_start)[0]
    for opp, sf in zip(view.plan.opportunities, view.opportunities or
                       [None] * len(view.plan.opportunities), strict=True):
        deal = _deal(opp, sf, program)
        if sf is not None and sf.is_closed:
            if sf.is_won and sf.close_date and fmt.fiscal_quarter(
                    sf.close_date, program.fiscal_year_start)[0] == this_year:
                won.append(deal)
            continue
        deals.append(deal)
    if view.snapshot:  # closed-won this year on the account, linked or not
        linked = {sf.id for sf in view.opportunities if sf}
        for sf in view.snapshot.opportunities:
            if sf.id not in linked and sf.is_won and sf.close_date and fmt.fiscal_quarter(
                    sf.close_date, program.fiscal_year_start)[0] == this_year:
                won.append(_deal(None, sf, program))
    dated = sorted((d for d in deals if d.close_date), key=lambda d: (d.close_date, d.name))
    current = fmt.fiscal_quarter(as_of, program.fiscal_year_start)
    quarters = _quarters(current, [fmt.fiscal_quarter(d.close_date, program.fiscal_year_start)
                                   for d in dated if d.close_date])
    labels = tuple(fmt.quarter_label(*q) for q in quarters)
    return Roadmap(labels, fmt.quarter_label(*current),
                   tuple(dated), tuple(sorted(won, key=lambda d: (d.close_date or as_of, d.name))),
                   tuple(d for d in deals if not d.close_date),
                   tuple(_quarter_total(label, dated, program.currency) for label in labels))


def _quarter_total(quarter: str, dated: list[Deal], currency: str) -> QuarterTotal:
    deals = [d for d in dated if d.quarter == quarter]
    open_ = sum((d.amount or 0.0 for d in deals if not d.planned), 0.0)
    planned = sum((d.amount or 0.0 for d in deals if d.planned), 0.0)
    return QuarterTotal(quarter, open_, planned, fmt.money_compact(open_, currency),
                        fmt.money_compact(planned, currency), len(deals))


def _quarters(current: tuple[int, int], dated: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """From the current quarter (or the earliest deal) to the last deal, at least four."""
    first = min([current, *dated])
    last = max([current, *dated])
    out = [first]
    while out[-1] < last or len(out) < 4:
        year, quarter = out[-1]
        out.append((year + 1, 1) if quarter == 4 else (year, quarter + 1))
    return out


def _figures(view: Enriched, roadmap: Roadmap, actions: tuple[ActionRow, ...],
             whitespace: Whitespace | None, program: Program, as_of: date
             ) -> tuple[Figure, ...]:
    currency = program.currency
    open_amount = sum(d.amount or 0 for d in (*roadmap.deals, *roadmap.undated))
    weighted = sum((d.amount or 0) * (d.probability or 0) / 100
                   for d in (*roadmap.deals, *roadmap.undated))
    potential = whitespace.potential if whitespace else 0
    won = sum(d.amount or 0 for d in roadmap.won)
    overdue = sum(1 for a in actions if a.overdue_days)
    last = view.plan.cadence.last_review
    return (
        Figure("Open pipeline", fmt.money_compact(open_amount, currency),
               f"{len(roadmap.deals) + len(roadmap.undated)} opportunities"),
        Figure("Weighted pipeline", fmt.money_compact(weighted, currency), "by probability"),
        Figure("Whitespace potential", fmt.money_compact(potential, currency),
               "target and pipeline cells"),
        Figure("Won this year", fmt.money_compact(won, currency), f"{len(roadmap.won)} deals"),
        Figure("Overdue actions", str(overdue), "of " + str(
            sum(1 for a in actions if a.status in OPEN_STATUSES)) + " open"),
        Figure("Days since last review", str((as_of - last).days) if last else "–",
               fmt.prose_date(last) if last else "no review recorded"),
    )


def _commitments(plan: Plan, actions: tuple[ActionRow, ...]) -> tuple[Commitment, ...]:
    """The last review's commitments, each with the action that now covers it, if any."""
    reviews = sorted(plan.reviews, key=lambda r: r.date)
    if not reviews:
        return ()
    latest = reviews[-1]
    return tuple(Commitment(text, _covering(text, actions)) for text in latest.commitments)


def _words(text: str) -> set[str]:
    return {w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split()
            if len(w) > 3}


def _covering(commitment: str, actions: tuple[ActionRow, ...]) -> str | None:
    """The action whose title shares most words with the commitment (at least half)."""
    wanted = _words(commitment)
    best, score = None, 0.0
    for action in actions:
        if action.status == "dropped":
            continue
        shared = len(wanted & _words(action.title)) / max(1, len(wanted))
        if shared > score:
            best, score = action.title, shared
    return best if score >= 0.5 else None


def _intelligence(plan: Plan, program: Program, as_of: date
                  ) -> tuple[tuple[str, str, str, str, bool], ...]:
    limit = program.health.stale_intelligence_days
    items = sorted(plan.intelligence, key=lambda i: i.as_of, reverse=True)
    return tuple((fmt.table_date(i.as_of), (i.kind or "").replace("_", " "), i.summary,
                  i.url or "", (as_of - i.as_of).days > limit) for i in items)
