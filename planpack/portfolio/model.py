"""The roll-up: a manager's (or an owner's) plans, read together.

Built from the reports of a scored check (check_plans with health), so its numbers
are the same as `planpack score` and `planpack validate` give for each plan.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from planpack.check import PlanReport
from planpack.models.program import Program
from planpack.render import format as fmt

UPCOMING_DAYS = 30
NOT_CURRENT = ("review-overdue", "checkin-overdue")


@dataclass(frozen=True)
class PlanRow:
    slug: str
    account: str
    file: str
    tier: int
    owner: str
    owner_name: str
    manager: str
    score: int | None
    grade: str  # green | amber | red | invalid
    top_deduction: str
    packet: str  # the plan's packet file, relative to the roll-up (for links)
    review_due: date | None
    review_text: str  # "12 d overdue", "due in 5 d", ""
    overdue_actions: int
    current: bool  # valid, and reviewed and checked in on within the tier's cadence
    errors: int


@dataclass(frozen=True)
class OwnerLoad:
    owner: str
    plans: tuple[tuple[int, int, int | None], ...]  # (tier, plans, the tier's limit)

    @property
    def over(self) -> tuple[int, ...]:
        return tuple(tier for tier, count, limit in self.plans if limit is not None
                     and count > limit)


@dataclass(frozen=True)
class Rollup:
    by: str  # manager | owner
    person: str  # e-mail
    name: str
    slug: str  # for file names
    program: str
    as_of: date
    as_of_text: str
    rows: tuple[PlanRow, ...]  # ranked by health, the lowest first; invalid plans first
    by_tier: tuple[tuple[int, int], ...]
    current: int  # plans that must exist (the tier requires one) and are current
    required: int
    distribution: tuple[tuple[str, int], ...]  # (green|amber|red|invalid, count)
    overdue_reviews: tuple[PlanRow, ...]
    upcoming_reviews: tuple[PlanRow, ...]
    overdue_by_owner: tuple[tuple[str, int], ...]
    owners: tuple[OwnerLoad, ...]

    @property
    def title(self) -> str:
        return f"{self.name}: portfolio, {self.as_of_text}"

    @property
    def current_share(self) -> str:
        return f"{self.current / self.required:.0%}" if self.required else "–"


def person_name(email: str | None) -> str:
    if not email:
        return "no manager"
    return " ".join(part.capitalize() for part in email.split("@")[0].split("."))


def _slug(email: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", email.split("@")[0].lower()).strip("-") or "unassigned"


def _row(report: PlanReport, as_of: date, packet_name: str) -> PlanRow | None:
    summary, health = report.summary, report.health
    if summary is None:
        return None
    due = summary.review_due
    text = ""
    if due is not None and due < as_of:
        text = fmt.days_overdue((as_of - due).days)
    elif due is not None and due <= as_of + timedelta(days=UPCOMING_DAYS):
        text = f"due in {(due - as_of).days} d" if due > as_of else "due today"
    not_current = any(f.rule in NOT_CURRENT for f in report.warnings)
    return PlanRow(
        report.slug, summary.account, report.file, summary.tier, summary.owner,
        person_name(summary.owner), summary.manager or "", health.score if health else None,
        health.grade if health else "invalid",
        health.deductions[0].message if health and health.deductions else "",
        packet_name, due, text, sum(n for _, n in summary.overdue_by_owner),
        not report.errors and not not_current, len(report.errors),
    )


def rollups(reports: list[PlanReport], program: Program, as_of: date, *, by: str = "manager",
            packet_kind: str = "qbr") -> list[Rollup]:
    """One roll-up per manager (or owner), in name order. Plans that could not be loaded
    have no owner or manager to file them under and are left out (validate lists them)."""
    rows = [(r, row) for r in reports if (row := _row(r, as_of, f"{r.slug}-{packet_kind}.pdf"))]
    people = sorted({(row.manager if by == "manager" else row.owner) for _, row in rows})
    load = Counter((row.owner, row.tier) for _, row in rows)
    out_rollups = []
    for person in people:
        mine = [(r, row) for r, row in rows
                if (row.manager if by == "manager" else row.owner) == person]
        ranked = sorted((row for _, row in mine),
                        key=lambda row: (row.score is not None, row.score or 0, row.account))
        required = [row for r, row in mine if r.summary and r.summary.plan_required]
        overdue = Counter[str]()
        for report, _ in mine:
            assert report.summary is not None
            for owner, count in report.summary.overdue_by_owner:
                overdue[owner] += count
        grades = Counter(row.grade for row in ranked)
        owners = sorted({row.owner for row in ranked})
        out_rollups.append(Rollup(
            by=by, person=person or "", name=person_name(person or None),
            slug=_slug(person) if person else "no-manager", program=program.program,
            as_of=as_of, as_of_text=fmt.prose_date(as_of), rows=tuple(ranked),
            by_tier=tuple(sorted(Counter(row.tier for row in ranked).items())),
            current=sum(1 for row in required if row.current), required=len(required),
            distribution=tuple((g, grades[g]) for g in ("green", "amber", "red", "invalid")),
            overdue_reviews=tuple(row for row in ranked if row.review_due
                                  and row.review_due < as_of),
            upcoming_reviews=tuple(sorted(
                (row for row in ranked if row.review_due and
                 as_of <= row.review_due <= as_of + timedelta(days=UPCOMING_DAYS)),
                key=lambda row: (row.review_due or as_of, row.account))),
            overdue_by_owner=tuple(sorted(overdue.items(), key=lambda kv: (-kv[1], kv[0]))),
            owners=tuple(OwnerLoad(owner, tuple(
                (tier, load[(owner, tier)], program.tier(tier).max_plans_per_owner)
                for tier in (1, 2, 3) if load[(owner, tier)])) for owner in owners),
        ))
    return out_rollups
