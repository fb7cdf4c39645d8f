"""The health score: every deduction rule, the formula, and the invariants a reader relies on.

Each loss costs points x weight / total weight, shown rounded half up to tenths, and
score = round(100 - sum of the deductions shown), half up: a reader can check a score from
its own report, and each deduction is its formula's value.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, COMPLETE_TIER1, MINIMAL
from hypothesis import given, settings
from hypothesis import strategies as st

from planpack.check import check_plans
from planpack.governance.context import CheckContext
from planpack.health import Deduction, Health, score_plan
from planpack.health import grade as grade_of
from planpack.health.components import COMPONENTS
from planpack.loader.plans import load_plan
from planpack.loader.program import ProgramConfig, load_program
from planpack.models.plan import Plan
from planpack.models.program import Program, default_program, merge_over_defaults
from planpack.rules import RULES

DEFAULT_WEIGHTS = {"completeness": 35, "freshness": 25, "actions": 20, "relationships": 20}
DEFAULTS = CheckContext(default_program(), AS_OF)


def edit(text: str, old: str, new: str, count: int = 1) -> str:
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def cut(text: str, start: str, end: str | None) -> str:
    """`text` without the lines from `start` up to (not including) `end`."""
    i = text.index(start)
    return text[:i] + (text[text.index(end):] if end is not None else "")


@pytest.fixture
def plan_of(write_plan: Callable[..., Path]) -> Callable[[str], Plan]:
    """plan_of(text) -> the Plan loaded from that text by planpack's loader."""

    def load(text: str) -> Plan:
        loaded = load_plan(write_plan(text))
        assert loaded.findings == [] and loaded.plan is not None, loaded.findings
        return loaded.plan

    return load


def round_half_up(x: float) -> int:
    return math.floor(x + 0.5)


def tenth(points: float) -> float:
    """A deduction as shown: rounded half up to tenths."""
    return round_half_up(round(points * 10, 6)) / 10


def expected_score(
    losses: dict[str, float | list[float]], weights: dict[str, float] = DEFAULT_WEIGHTS
) -> int:
    """The documented formula, from each loss on its component's own 0-100 scale."""
    total = sum(weights.values())
    shown = [
        tenth(points * weights[c] / total)
        for c, each in losses.items()
        for points in (each if isinstance(each, list) else [each])
    ]
    return score_from_tenths(round(sum(shown) * 10))


def score_from_tenths(lost_tenths: int) -> int:
    return max(0, round_half_up((1000 - lost_tenths) / 10))


def components(health: Health) -> dict[str, float]:
    return {c.name: c.score for c in health.components}


def tenths(health: Health) -> int:
    return sum(round(d.points * 10) for d in health.deductions)


def follows_from_its_deductions(health: Health) -> bool:
    return health.score == score_from_tenths(tenths(health))


# --- a complete plan --------------------------------------------------------------------


def test_a_complete_tier1_plan_scores_100_green(plan_of: Callable[[str], Plan]) -> None:
    health = score_plan(plan_of(COMPLETE_TIER1), DEFAULTS)
    assert (health.score, health.grade, health.label) == (100, "green", "On track")
    assert health.deductions == ()
    assert [(c.name, c.score, c.weight) for c in health.components] == [
        ("completeness", 100, 35), ("freshness", 100, 25), ("actions", 100, 20),
        ("relationships", 100, 20),
    ]


# --- each deduction, with the documented points -----------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    change: Callable[[str], str]
    component: str
    rule: str
    loss: float  # on the component's 0-100 scale
    message: str
    fix: str


EXTRA_ACTION = """\
  - id: proposal
    title: Send the proposal
    owner: lee.park@example.com
    due: 2026-11-20
"""


def _add_actions(block: str) -> Callable[[str], str]:
    return lambda t: edit(t, "intelligence:\n", block + "intelligence:\n")


def _add_stakeholders(block: str) -> Callable[[str], str]:
    return lambda t: edit(t, "whitespace:\n", block + "whitespace:\n")


CASES = [
    Case("no-champion", lambda t: edit(t, "role: champion", "role: coach"),
         "completeness", "tier-buying-committee", 35 / 3,
         "tier 1 buying committee is missing a champion",
         "map each role with a stakeholder and `role:`"),
    Case("two-roles-missing",
         lambda t: edit(edit(t, "role: champion", "role: coach"),
                        "role: economic_buyer", "role: user"),
         "completeness", "tier-buying-committee", 35 * 2 / 3,
         "tier 1 buying committee is missing an economic buyer, a champion",
         "map each role with a stakeholder and `role:`"),
    Case("whitespace-pair-missing",
         lambda t: edit(t, "    - {product: Route Optimizer, unit: DACH, status: target, "
                           "estimate: 300000}\n", ""),
         "completeness", "tier-whitespace", 20 * 1 / 4,
         "1 of 4 whitespace pairs have no known status",
         "find out each pair's status: owned, pipeline, target, competitor, internal or "
         "not_a_fit"),
    Case("whitespace-pair-unknown",
         lambda t: edit(t, "status: target, estimate", "status: unknown, estimate"),
         "completeness", "tier-whitespace", 20 * 0.5 / 4,
         "1 of 4 whitespace pairs have no known status",
         "find out each pair's status: owned, pipeline, target, competitor, internal or "
         "not_a_fit"),
    Case("no-whitespace", lambda t: cut(t, "whitespace:\n", "actions:\n"),
         "completeness", "tier-whitespace", 20, "no whitespace matrix",
         "find out each pair's status: owned, pipeline, target, competitor, internal or "
         "not_a_fit"),
    Case("one-forward-action-short",
         lambda t: edit(t, "    due: 2027-01-31\n", "    due: 2027-01-31\n    status: done\n"),
         "completeness", "tier-forward-actions", 25 / 3,
         "2 of the 3 forward actions tier 1 requires", "add owned, dated actions"),
    Case("no-manager", lambda t: edit(t, "  manager: omar.haddad@example.com\n", ""),
         "completeness", "tier-manager", 10, "tier 1 requires a manager", "set team.manager"),
    Case("no-summary", lambda t: edit(t, "summary: Northwind runs 40 warehouses in EMEA.\n", ""),
         "completeness", "health-summary", 5, "no summary",
         "write the account thesis in `summary:`"),
    Case("blank-summary",
         lambda t: edit(t, "summary: Northwind runs 40 warehouses in EMEA.", 'summary: "  "'),
         "completeness", "health-summary", 5, "no summary",
         "write the account thesis in `summary:`"),
    Case("no-objectives", lambda t: cut(t, "objectives:\n", "stakeholders:\n"),
         "completeness", "health-objectives", 5, "no objectives", "add measurable `objectives:`"),
    Case("plan-untouched",
         lambda t: edit(t, "last_checkin: 2026-11-12", "last_checkin: 2026-10-20"),
         "freshness", "health-plan-age", 50 * 11 / 31,
         "last touched 2026-10-20, 42 days ago; tier 1 plans change every 31 days",
         "hold the check-in and update the plan"),
    Case("plan-untouched-a-whole-cadence",
         lambda t: edit(edit(t, "last_checkin: 2026-11-12", "last_checkin: 2026-09-15"),
                        "last_review: 2026-10-14", "last_review: 2026-09-15"),
         "freshness", "health-plan-age", 50,
         "last touched 2026-09-15, 77 days ago; tier 1 plans change every 31 days",
         "hold the check-in and update the plan"),
    Case("review-overdue", lambda t: edit(t, "last_review: 2026-10-14", "last_review: 2026-08-01"),
         "freshness", "review-overdue", 25 * 30 / 92,
         "the last deep review was 122 days ago; tier 1 reviews every 92 days",
         "hold the QBR and set cadence.last_review"),
    Case("no-review", lambda t: edit(t, "  last_review: 2026-10-14\n", ""),
         "freshness", "review-overdue", 25, "no deep review is recorded",
         "hold the QBR and set cadence.last_review"),
    Case("no-intelligence", lambda t: cut(t, "intelligence:\n", None),
         "freshness", "health-no-intelligence", 25, "no dated intelligence",
         "add news, financials or intent signals under `intelligence:`"),
    Case("stale-intelligence", lambda t: edit(t, "as_of: 2026-11-20", "as_of: 2026-10-16"),
         "freshness", "stale-intelligence", 25 * 16 / 30,
         "the newest intelligence is 46 days old",
         "add a fresh dated item under `intelligence:`"),
    Case("very-stale-intelligence", lambda t: edit(t, "as_of: 2026-11-20", "as_of: 2025-11-20"),
         "freshness", "stale-intelligence", 25, "the newest intelligence is 376 days old",
         "add a fresh dated item under `intelligence:`"),
    Case("overdue-action", _add_actions(EXTRA_ACTION),
         "actions", "action-overdue", 15, "overdue actions (1): Send the proposal (11 d)",
         "finish or re-date overdue actions"),
    Case("overdue-actions-capped",
         _add_actions("".join(
             f"  - title: Task {i}\n    owner: lee.park@example.com\n    due: 2026-11-2{i}\n"
             for i in range(5)
         )),
         "actions", "action-overdue", 60,
         "overdue actions (5): Task 0 (11 d), Task 1 (10 d), Task 2 (9 d) and 2 more",
         "finish or re-date overdue actions"),
    Case("unowned-action",
         _add_actions("  - title: Book the QBR\n    due: 2027-01-10\n"),
         "actions", "health-action-unassigned", 10,
         "open actions without an owner or a due date (1): Book the QBR",
         "give each open action an `owner:` and a `due:` date"),
    Case("undated-actions-capped",
         _add_actions("".join(
             f"  - title: Idea {i}\n    owner: lee.park@example.com\n" for i in range(4)
         )),
         "actions", "health-action-unassigned", 30,
         "open actions without an owner or a due date (4): Idea 0, Idea 1, Idea 2 and 1 more",
         "give each open action an `owner:` and a `due:` date"),
    Case("no-momentum", lambda t: edit(t, "due: 2026-12-18", "due: 2027-01-05"),
         "actions", "health-momentum", 10, "nothing is due in the next 30 days",
         "agree the next step and its date"),
    Case("no-advocate",
         lambda t: edit(t, "sentiment: advocate", "sentiment: supporter", count=2),
         "relationships", "health-no-advocate", 25, "no stakeholder is an advocate",
         "develop a champion into an advocate"),
    Case("barely-known", lambda t: edit(t, "coverage: multiple", "coverage: brief"),
         "relationships", "health-coverage", 10,
         "high-influence stakeholders barely known (1): Dana Whitfield (brief)",
         "meet them: aim for `coverage: multiple`"),
    Case("barely-known-capped",
         _add_stakeholders("".join(
             f"  - name: Person {i}\n    influence: high\n    sentiment: supporter\n"
             f"    coverage: none\n    last_contact: 2026-11-01\n" for i in range(4)
         )),
         "relationships", "health-coverage", 30,
         "high-influence stakeholders barely known (4): Person 0 (none), Person 1 (none), "
         "Person 2 (none) and 1 more",
         "meet them: aim for `coverage: multiple`"),
    Case("skeptic", lambda t: edit(t, "sentiment: supporter", "sentiment: skeptic"),
         "relationships", "health-sentiment", 10,
         "high-influence stakeholders against us (1): Chris Ortega (skeptic)",
         "plan an action to address their concerns"),
    Case("detractors-capped",
         _add_stakeholders("".join(
             f"  - name: Person {i}\n    influence: high\n    sentiment: detractor\n"
             f"    coverage: multiple\n    last_contact: 2026-11-01\n" for i in range(3)
         )),
         "relationships", "health-sentiment", 20,
         "high-influence stakeholders against us (3): Person 0 (detractor), "
         "Person 1 (detractor), Person 2 (detractor)",
         "plan an action to address their concerns"),
    Case("unknown-sentiment",
         lambda t: edit(t, "influence: medium\n    sentiment: advocate",
                        "influence: medium\n    sentiment: unknown"),
         "relationships", "health-unknown-sentiment", 5,
         "stakeholders of unknown sentiment (1): Priya Raman",
         "find out where they stand and set `sentiment:`"),
    Case("unknown-sentiment-capped",
         _add_stakeholders("".join(f"  - name: Person {i}\n" for i in range(4))),
         "relationships", "health-unknown-sentiment", 15,
         "stakeholders of unknown sentiment (4): Person 0, Person 1, Person 2 and 1 more",
         "find out where they stand and set `sentiment:`"),
    Case("no-contact", lambda t: edit(t, "last_contact: 2026-11-02", "last_contact: 2026-08-01"),
         "relationships", "health-no-contact", 5,
         "high-influence stakeholders not contacted in 90 days (1): Dana Whitfield",
         "reach out and record `last_contact:`"),
    Case("never-contacted-capped",
         lambda t: edit(edit(t, "    last_contact: 2026-11-02\n", ""),
                        "    last_contact: 2026-11-20\n", ""),
         "relationships", "health-no-contact", 10,
         "high-influence stakeholders not contacted in 90 days (2): Dana Whitfield, Chris Ortega",
         "reach out and record `last_contact:`"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_deduction_costs_its_documented_points(
    plan_of: Callable[[str], Plan], case: Case
) -> None:
    health = score_plan(plan_of(case.change(COMPLETE_TIER1)), DEFAULTS)
    exact = case.loss * DEFAULT_WEIGHTS[case.component] / 100
    score = round_half_up(100 - tenth(exact))
    assert health.score == score == expected_score({case.component: case.loss})
    assert health.deductions == (
        Deduction(case.component, case.rule, tenth(exact), case.message, case.fix),
    )
    assert components(health) == {
        **dict.fromkeys(DEFAULT_WEIGHTS, 100), case.component: round(100 - case.loss, 1)
    }


def test_every_health_rule_has_a_targeted_case() -> None:
    # Those that need a Salesforce snapshot are tested in test_gaps.py.
    salesforce = {"health-single-threaded", "health-crm-coverage"}
    health_only = {r.id for r in RULES.values() if r.severity is None} - salesforce
    covered = {c.rule for c in CASES} | {"health-no-actions", "health-no-stakeholders"}
    assert health_only <= covered


def test_a_plan_with_no_open_actions(plan_of: Callable[[str], Plan]) -> None:
    text = COMPLETE_TIER1
    for due in ("2026-12-18", "2027-01-20", "2027-01-31"):
        text = edit(text, f"    due: {due}\n", f"    due: {due}\n    status: done\n")
    text = edit(text, "    status: done\n    status: in_progress\n", "    status: done\n")
    health = score_plan(plan_of(text), DEFAULTS)
    # No forward action costs the tier's full 25 completeness points as well.
    assert health.score == expected_score({"completeness": 25, "actions": 100})
    assert components(health) == {
        "completeness": 75, "freshness": 100, "actions": 0, "relationships": 100
    }
    rules = {d.rule: d for d in health.deductions}
    assert set(rules) == {"health-no-actions", "tier-forward-actions"}
    assert (rules["health-no-actions"].component, rules["health-no-actions"].message,
            rules["health-no-actions"].fix) == (
        "actions", "no open actions", "add the next steps, each with an owner and a due date"
    )
    assert follows_from_its_deductions(health)


def test_an_empty_relationship_map(plan_of: Callable[[str], Plan]) -> None:
    health = score_plan(plan_of(cut(COMPLETE_TIER1, "stakeholders:\n", "whitespace:\n")),
                        DEFAULTS)
    assert health.score == expected_score({"completeness": 35, "relationships": 100})
    assert components(health) == {
        "completeness": 65, "freshness": 100, "actions": 100, "relationships": 0
    }
    rules = {d.rule: d for d in health.deductions}
    assert set(rules) == {"health-no-stakeholders", "tier-buying-committee"}
    assert (rules["health-no-stakeholders"].message, rules["health-no-stakeholders"].fix) == (
        "the relationship map is empty", "map the buying committee under `stakeholders:`"
    )
    assert rules["tier-buying-committee"].message == (
        "tier 1 buying committee is missing an economic buyer, a decision maker, a champion"
    )
    assert follows_from_its_deductions(health)


def test_the_minimal_tier3_plan(plan_of: Callable[[str], Plan]) -> None:
    # Tier 3 has no standard and no cadence: only summary, objectives, intelligence,
    # actions and relationships count.
    health = score_plan(plan_of(MINIMAL), DEFAULTS)
    assert health.score == expected_score(
        {"completeness": 10, "freshness": 25, "actions": 100, "relationships": 100}
    ) == 50
    assert (health.grade, health.label) == ("red", "At risk")
    assert {d.rule for d in health.deductions} == {
        "health-summary", "health-objectives", "health-no-intelligence", "health-no-actions",
        "health-no-stakeholders",
    }
    # 1.75 + 1.75 + 6.25 + 20 + 20, each shown to tenths: 1.8 + 1.8 + 6.3 + 20 + 20
    assert tenths(health) == 499


def test_two_deductions_round_to_add_up_to_the_lost_points(
    plan_of: Callable[[str], Plan]
) -> None:
    text = edit(edit(COMPLETE_TIER1, "role: champion", "role: coach"),
                "summary: Northwind runs 40 warehouses in EMEA.\n", "")
    health = score_plan(plan_of(text), DEFAULTS)
    # 35/3 * 0.35 + 5 * 0.35 = 5.83 points: the score is 94.
    assert health.score == expected_score({"completeness": [35 / 3, 5]}) == 94
    # Each is its formula's value to a tenth: 4.08 -> 4.1 and 1.75 -> 1.8.
    assert [(d.rule, d.points) for d in health.deductions] == [
        ("tier-buying-committee", 4.1), ("health-summary", 1.8)
    ]
    assert follows_from_its_deductions(health)


# --- boundaries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        # Touched exactly one check-in interval (31 days) ago.
        lambda t: edit(t, "last_checkin: 2026-11-12", "last_checkin: 2026-10-31"),
        # A high-influence contact exactly 90 days ago.
        lambda t: edit(t, "last_contact: 2026-11-02", "last_contact: 2026-09-02"),
        # Intelligence exactly 30 days old.
        lambda t: edit(t, "as_of: 2026-11-20", "as_of: 2026-11-01"),
        # Something due exactly 30 days from now keeps momentum.
        lambda t: edit(t, "due: 2026-12-18", "due: 2026-12-31"),
        # A review exactly 92 days ago.
        lambda t: edit(t, "last_review: 2026-10-14", "last_review: 2026-08-31"),
    ],
    ids=["checkin-31-days", "contact-90-days", "intelligence-30-days", "due-in-30-days",
         "review-92-days"],
)
def test_on_the_boundary_nothing_is_lost(
    plan_of: Callable[[str], Plan], change: Callable[[str], str]
) -> None:
    health = score_plan(plan_of(change(COMPLETE_TIER1)), DEFAULTS)
    assert (health.score, health.deductions) == (100, ())


# --- freshness and the last commit ------------------------------------------------------


def old_cadence(text: str) -> str:
    """Check-in and review both 77 days before AS_OF."""
    return edit(edit(text, "last_checkin: 2026-11-12", "last_checkin: 2026-09-15"),
                "last_review: 2026-10-14", "last_review: 2026-09-15")


def test_a_recent_commit_counts_as_touching_the_plan(plan_of: Callable[[str], Plan]) -> None:
    plan = plan_of(old_cadence(COMPLETE_TIER1))
    assert [d.rule for d in score_plan(plan, DEFAULTS).deductions] == ["health-plan-age"]
    health = score_plan(plan, DEFAULTS, committed=date(2026, 11, 25))
    assert (health.score, health.deductions) == (100, ())


def test_freshness_uses_the_commit_date_when_it_is_the_later(
    plan_of: Callable[[str], Plan]
) -> None:
    plan = plan_of(old_cadence(COMPLETE_TIER1))
    health = score_plan(plan, DEFAULTS, committed=date(2026, 10, 20))
    assert [(d.rule, d.message) for d in health.deductions] == [
        ("health-plan-age",
         "last touched 2026-10-20, 42 days ago; tier 1 plans change every 31 days"),
    ]
    assert components(health)["freshness"] == round(100 - 50 * 11 / 31, 1)
    assert health.score == expected_score({"freshness": 50 * 11 / 31})


def test_freshness_uses_the_cadence_dates_when_they_are_the_later(
    plan_of: Callable[[str], Plan]
) -> None:
    plan = plan_of(edit(COMPLETE_TIER1, "last_checkin: 2026-11-12", "last_checkin: 2026-10-20"))
    without = score_plan(plan, DEFAULTS)
    assert score_plan(plan, DEFAULTS, committed=date(2026, 7, 1)) == without
    assert [d.message for d in without.deductions] == [
        "last touched 2026-10-20, 42 days ago; tier 1 plans change every 31 days"
    ]


def test_a_commit_date_alone_dates_a_plan_without_cadence(
    plan_of: Callable[[str], Plan]
) -> None:
    plan = plan_of(cut(COMPLETE_TIER1, "cadence:\n", "summary:"))
    never = {d.rule: d for d in score_plan(plan, DEFAULTS).deductions}
    assert never["health-plan-age"].message == "no review, check-in or commit date is known"
    committed = {d.rule for d in score_plan(plan, DEFAULTS, committed=AS_OF).deductions}
    assert "health-plan-age" not in committed
    assert "review-overdue" in committed  # a commit is not a review


# --- grades, thresholds and weights from planpack.yaml ----------------------------------


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "green"), (80, "green"), (79, "amber"), (60, "amber"), (59, "red"), (0, "red")],
)
def test_default_grade_thresholds(score: int, grade: str) -> None:
    assert grade_of(score, DEFAULTS) == grade


def _ctx(tmp_path: Path, text: str) -> CheckContext:
    path = tmp_path / "planpack.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return CheckContext(load_program(path).program, AS_OF)


NO_CHAMPION = edit(COMPLETE_TIER1, "role: champion", "role: coach")  # scores 96


def test_thresholds_from_planpack_yaml_change_the_grade(
    plan_of: Callable[[str], Plan], tmp_path: Path
) -> None:
    plan = plan_of(NO_CHAMPION)
    assert score_plan(plan, DEFAULTS).grade == "green"
    strict = _ctx(tmp_path, "health:\n  thresholds: {green: 97, amber: 90}\n")
    assert (score_plan(plan, strict).score, score_plan(plan, strict).grade) == (96, "amber")
    stricter = _ctx(tmp_path, "health:\n  thresholds: {green: 99, amber: 97}\n")
    assert score_plan(plan, stricter).grade == "red"
    assert score_plan(plan, stricter).label == "At risk"


def test_weights_from_planpack_yaml_change_the_score(
    plan_of: Callable[[str], Plan], tmp_path: Path
) -> None:
    plan = plan_of(NO_CHAMPION)
    assert score_plan(plan, DEFAULTS).score == 96
    only = _ctx(tmp_path, """\
        health:
          weights: {completeness: 100, freshness: 0, actions: 0, relationships: 0}
        """)
    health = score_plan(plan, only)
    assert health.score == round_half_up(100 - 35 / 3) == 88
    assert [(d.rule, d.points) for d in health.deductions] == [("tier-buying-committee", 11.7)]
    ignored = _ctx(tmp_path, "health:\n  weights: {completeness: 0}\n")
    assert score_plan(plan, ignored).score == 100
    assert score_plan(plan, ignored).deductions == ()


def test_weights_normalise(plan_of: Callable[[str], Plan], tmp_path: Path) -> None:
    text = edit(edit(NO_CHAMPION, "as_of: 2026-11-20", "as_of: 2026-10-16"),
                "coverage: multiple", "coverage: brief")
    plan = plan_of(text)
    doubled = _ctx(tmp_path, """\
        health:
          weights: {completeness: 70, freshness: 50, actions: 40, relationships: 40}
        """)
    a, b = score_plan(plan, DEFAULTS), score_plan(plan, doubled)
    assert a.score < 100
    assert (a.score, a.grade, a.deductions) == (b.score, b.grade, b.deductions)
    assert [c.weight for c in b.components] == [70, 50, 40, 40]


def _weighted(weights: tuple[float, ...]) -> CheckContext:
    program = Program.model_validate(merge_over_defaults(
        {"health": {"weights": dict(zip(DEFAULT_WEIGHTS, weights, strict=True))}}
    ))
    return CheckContext(program, AS_OF)


@pytest.mark.parametrize(
    "weights", [(40, 30, 20, 10), (4, 3, 2, 1), (0.4, 0.3, 0.2, 0.1), (80, 60, 40, 20)]
)
def test_equivalent_weights_round_a_half_point_alike(
    plan_of: Callable[[str], Plan], weights: tuple[float, ...]
) -> None:
    health = score_plan(plan_of(MINIMAL), _weighted(weights))
    # 100 - (10 * .4 + 25 * .3 + 100 * .2 + 100 * .1) = 58.5, rounded half up.
    assert health.score == 59
    assert tenths(health) == 415  # 2 + 2 + 7.5 + 20 + 10


def test_check_plans_scores_with_the_programme(
    write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    write_plan(NO_CHAMPION)
    path = tmp_path / "planpack.yaml"
    path.write_text("health:\n  thresholds: {green: 97, amber: 90}\n", encoding="utf-8")
    run = check_plans([tmp_path / "plans"], load_program(path), AS_OF, with_health=True, jobs=1)
    (report,) = run.reports
    assert report.health is not None
    assert (report.health.score, report.health.grade) == (96, "amber")


def test_an_invalid_plan_is_not_scored(
    write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    write_plan(edit(COMPLETE_TIER1, "  tier: 1", "  tier: 4"))
    config = ProgramConfig(default_program(), tmp_path, None)
    (report,) = check_plans([tmp_path / "plans"], config, AS_OF, with_health=True, jobs=1).reports
    assert report.health is None
    assert report.errors


# --- invariants over many plans ---------------------------------------------------------


PEOPLE = ["Dana Whitfield", "Chris Ortega", "Priya Raman", "Lars Nilsson", "Mei Zhang",
          "Omar Haddad"]
TEAM = ["maria.chen@example.com", "lee.park@example.com"]
PRODUCTS = ["Fleet Tracking", "Route Optimizer", "Analytics"]
UNITS = ["Nordics", "DACH", "Benelux"]
ROLES = ["economic_buyer", "decision_maker", "champion", "coach", "influencer",
         "technical_evaluator", "user", "blocker", "unknown"]
SENTIMENTS = ["advocate", "supporter", "neutral", "skeptic", "detractor", "unknown"]
dates = st.dates(min_value=AS_OF - timedelta(days=400), max_value=AS_OF + timedelta(days=120))


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    """A valid plan of any tier, complete or far from it."""
    names = draw(st.lists(st.sampled_from(PEOPLE), unique=True, max_size=len(PEOPLE)))
    stakeholders = []
    for name in names:
        person: dict[str, Any] = {"name": name}
        for key, values in (
            ("role", ROLES), ("influence", ["high", "medium", "low"]),
            ("sentiment", SENTIMENTS), ("coverage", ["none", "brief", "multiple", "in_depth"]),
        ):
            value = draw(_maybe(st.sampled_from(values)))
            if value is not None:
                person[key] = value
        contact = draw(_maybe(dates))
        if contact is not None:
            person["last_contact"] = contact
        stakeholders.append(person)
    actions = [
        {
            "title": f"Action {i}",
            "status": draw(st.sampled_from(["open", "in_progress", "blocked", "done",
                                            "dropped"])),
            **({"owner": o} if (o := draw(_maybe(st.sampled_from(TEAM)))) else {}),
            **({"due": d} if (d := draw(_maybe(dates))) else {}),
        }
        for i in range(draw(st.integers(0, 7)))
    ]
    plan: dict[str, Any] = {
        "schema_version": 1,
        "account": {"name": "Acme", "tier": draw(st.sampled_from([1, 2, 3]))},
        "team": {"owner": TEAM[0], "members": [{"email": e} for e in TEAM]},
        "cadence": {
            key: value for key in ("last_review", "last_checkin", "next_review")
            if (value := draw(_maybe(dates))) is not None
        },
        "stakeholders": stakeholders,
        "actions": actions,
        "intelligence": [
            {"as_of": day, "summary": "news"}
            for day in draw(st.lists(dates, max_size=3))
        ],
    }
    if draw(st.booleans()):
        plan["team"]["manager"] = "omar.haddad@example.com"
    if draw(st.booleans()):
        plan["summary"] = draw(st.sampled_from(["A thesis.", "", "  "]))
    if draw(st.booleans()):
        plan["objectives"] = [{"title": "Grow"}]
    if draw(st.booleans()):
        products = draw(st.lists(st.sampled_from(PRODUCTS), unique=True))
        units = draw(st.lists(st.sampled_from(UNITS), unique=True))
        pairs = [(p, u) for p in products for u in units]
        chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
        plan["whitespace"] = {
            "products": products, "units": units,
            "cells": [
                {"product": p, "unit": u,
                 "status": draw(st.sampled_from(["owned", "pipeline", "target", "competitor",
                                                 "internal", "not_a_fit", "unknown"]))}
                for p, u in chosen
            ],
        }
    return plan


weight = st.integers(0, 100)


@st.composite
def programmes(draw: st.DrawFn) -> Program:
    weights = {name: draw(weight) for name in DEFAULT_WEIGHTS}
    if sum(weights.values()) == 0:
        weights["completeness"] = 1
    amber = draw(st.integers(0, 100))
    green = draw(st.integers(amber, 100))
    return Program.model_validate(merge_over_defaults({
        "health": {"weights": weights, "thresholds": {"green": green, "amber": amber},
                   "stale_intelligence_days": draw(st.integers(1, 120))},
    }))


def check_invariants(health: Health, program: Program) -> None:
    assert isinstance(health.score, int)
    assert 0 <= health.score <= 100
    thresholds = program.health.thresholds
    expected_grade = (
        "green" if health.score >= thresholds.green
        else "amber" if health.score >= thresholds.amber else "red"
    )
    assert health.grade == expected_grade
    # Every point is accounted for: the score follows from the deductions shown.
    for d in health.deductions:
        assert d.points > 0
        assert math.isclose(d.points * 10, round(d.points * 10), abs_tol=1e-9)
        assert d.rule in RULES
        assert d.component in COMPONENTS
    assert follows_from_its_deductions(health)
    assert [d.points for d in health.deductions] == sorted(
        (d.points for d in health.deductions), reverse=True
    )
    # The score follows from the component scores and weights (each rounded to tenths).
    by_name = {c.name: c for c in health.components}
    assert list(by_name) == list(COMPONENTS)
    total = sum(c.weight for c in health.components)
    lost = sum((100 - c.score) * c.weight for c in health.components) / total
    # Each deduction and each component score is rounded to a tenth.
    slack = 0.5 + 0.05 * (len(health.deductions) + len(health.components))
    assert abs((100 - health.score) - lost) <= slack + 1e-9
    for c in health.components:
        assert 0 <= c.score <= 100
        if c.score == 100 or c.weight == 0:
            # A component with nothing lost, or no weight, costs nothing.
            assert not [d for d in health.deductions if d.component == c.name], c


@settings(max_examples=300, deadline=None)
@given(data=plans(), program=programmes(), committed=_maybe(dates))
def test_deductions_add_up_to_the_lost_points(
    data: dict[str, Any], program: Program, committed: date | None
) -> None:
    plan = Plan.model_validate(data)
    health = score_plan(plan, CheckContext(program, AS_OF), committed)
    check_invariants(health, program)


@settings(max_examples=200, deadline=None)
@given(data=plans(), committed=_maybe(dates))
def test_default_programme_invariants(data: dict[str, Any], committed: date | None) -> None:
    plan = Plan.model_validate(data)
    health = score_plan(plan, DEFAULTS, committed)
    check_invariants(health, DEFAULTS.program)
    # A later commit can only make the plan fresher.
    later = score_plan(plan, DEFAULTS, AS_OF)
    assert later.score >= health.score


@settings(max_examples=200, deadline=None)
@given(data=plans(), program=programmes(), factor=st.sampled_from([2, 4, 0.5]))
def test_scaling_every_weight_gives_the_same_score(
    data: dict[str, Any], program: Program, factor: float
) -> None:
    plan = Plan.model_validate(data)
    w = program.health.weights
    scaled = program.model_copy(update={"health": program.health.model_copy(update={
        "weights": w.model_copy(update={
            name: getattr(w, name) * factor for name in DEFAULT_WEIGHTS
        }),
    })})
    a = score_plan(plan, CheckContext(program, AS_OF))
    b = score_plan(plan, CheckContext(scaled, AS_OF))
    assert (a.score, a.grade, a.deductions) == (b.score, b.grade, b.deductions)


EQUIVALENT = [
    [(35, 25, 20, 20), (70, 50, 40, 40), (7, 5, 4, 4), (0.35, 0.25, 0.2, 0.2)],
    [(1, 1, 1, 1), (25, 25, 25, 25), (3, 3, 3, 3), (7, 7, 7, 7)],
    [(40, 30, 20, 10), (4, 3, 2, 1), (0.4, 0.3, 0.2, 0.1), (12, 9, 6, 3)],
    [(50, 20, 15, 15), (10, 4, 3, 3), (0.5, 0.2, 0.15, 0.15)],
]


@settings(max_examples=300, deadline=None)
@given(data=plans(), committed=_maybe(dates), group=st.sampled_from(EQUIVALENT))
def test_proportional_weights_give_the_same_health(
    data: dict[str, Any], committed: date | None, group: list[tuple[float, ...]]
) -> None:
    plan = Plan.model_validate(data)
    results = [score_plan(plan, _weighted(weights), committed) for weights in group]
    assert len({(h.score, h.grade, h.deductions) for h in results}) == 1


def _remove_items(text: str, section: str, marker: str, keys: set[str]) -> str:
    """`text` without the list items of `section` that start with `marker` + a key."""
    head = text.index(f"{section}:\n")
    end = text.find("\n", head)
    tail = min((i for i in (text.find("\n" + k, end) for k in (
        "whitespace:", "actions:", "intelligence:")) if i > end), default=len(text))
    body = text[end + 1:tail + 1]
    items = re.split(r"(?m)^(?=  - )", body)
    kept = [item for item in items if not any(item.startswith(f"  - {marker}{k}\n")
                                             for k in keys)]
    body = "".join(kept)
    if not body.strip():
        return text[:head] + text[tail + 1:]
    return text[:end + 1] + body + text[tail + 1:]


@settings(max_examples=100, deadline=None)
@given(
    drop_people=st.sets(st.sampled_from(["Dana Whitfield", "Chris Ortega", "Priya Raman"])),
    drop_actions=st.sets(st.sampled_from(["cfo", "poc", "adoption"])),
    shift=st.integers(-200, 60),
)
def test_edited_complete_plans_keep_the_invariants(
    tmp_path_factory: pytest.TempPathFactory, drop_people: set[str], drop_actions: set[str],
    shift: int,
) -> None:
    """COMPLETE_TIER1 with stakeholders and actions removed and every date moved."""
    text = _remove_items(COMPLETE_TIER1, "stakeholders", "name: ", drop_people)
    for name in drop_people:
        text = text.replace(f"    reports_to: {name}\n", "")
    text = _remove_items(text, "actions", "id: ", drop_actions)
    text = re.sub(
        r"\d{4}-\d{2}-\d{2}",
        lambda m: str(date.fromisoformat(m.group()) + timedelta(days=shift)), text,
    )
    path = tmp_path_factory.mktemp("plan") / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_plan(path)
    assert loaded.findings == [] and loaded.plan is not None, (text, loaded.findings)
    assert len(loaded.plan.stakeholders) == 3 - len(drop_people)
    assert len(loaded.plan.actions) == 3 - len(drop_actions)
    health = score_plan(loaded.plan, DEFAULTS)
    check_invariants(health, DEFAULTS.program)
    if not drop_people and not drop_actions and shift == 0:
        assert health.score == 100
    if drop_people or drop_actions:
        assert health.score < 100
