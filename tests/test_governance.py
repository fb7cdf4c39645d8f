"""Governance: cross-references, the tier's completeness standard and the softer warnings.

Each test starts from COMPLETE_TIER1 (which has no findings), changes one thing,
and checks that exactly the expected rule fires, with its severity, field,
line, column and wording.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import AS_OF, COMPLETE_TIER1, MINIMAL

from planpack.check import check_plans
from planpack.findings import Finding, Severity
from planpack.loader.program import ProgramConfig, load_program
from planpack.models.program import default_program
from planpack.rules import RULES

E, W = Severity.ERROR, Severity.WARNING
Check = Callable[..., list[Finding]]


def edit(text: str, old: str, new: str) -> str:
    """`text` with the one occurrence of `old` replaced (fails if it is not unique)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def insert_before(text: str, anchor: str, lines: str) -> str:
    return edit(text, anchor, lines + anchor)


def where(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """(line, column), 1-based, of the nth occurrence of `needle`, which is on one line."""
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, column


def one(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def summary(f: Finding) -> tuple[object, ...]:
    return (f.rule, f.severity, f.field, f.line, f.column, f.message)


@pytest.fixture
def defaults(tmp_path: Path) -> ProgramConfig:
    return ProgramConfig(default_program(), tmp_path, None)


@pytest.fixture
def check(write_plan: Callable[..., Path], defaults: ProgramConfig) -> Check:
    """check(text) -> the findings of that plan, as of AS_OF, with the default programme."""

    def run(text: str, *, config: ProgramConfig | None = None, name: str = "acme") -> list[Finding]:
        path = write_plan(text, name)
        return check_plans([path], config or defaults, AS_OF, jobs=1).findings

    return run


def write_config(tmp_path: Path, text: str) -> ProgramConfig:
    path = tmp_path / "planpack.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_program(path)


# --- the baseline -----------------------------------------------------------------------


def test_complete_tier1_plan_has_no_findings(check: Check) -> None:
    assert check(COMPLETE_TIER1) == []


def test_minimal_tier3_plan_has_no_findings(check: Check) -> None:
    assert check(MINIMAL) == []


def test_every_finding_rule_of_governance_has_a_severity() -> None:
    # The rules this file covers are findings, so each has a fixed severity in the catalogue.
    covered = {
        "unique-stakeholder", "unique-action-id", "unique-opportunity", "unique-whitespace",
        "ref-reports-to", "ref-reports-cycle", "ref-influences", "ref-action-stakeholder",
        "ref-action-opportunity", "ref-whitespace", "ref-opportunity", "ref-cell-opportunity",
        "duplicate-slug", "tier-buying-committee", "tier-whitespace", "tier-forward-actions",
        "tier-manager", "owner-not-member", "owner-capacity", "stale-intelligence",
        "action-overdue", "review-overdue", "checkin-overdue", "review-unscheduled",
        "opportunity-past-close",
    }
    catalogue = {
        rule.id for rule in RULES.values()
        if rule.severity is not None
        and not rule.id.startswith(("file-", "yaml-", "schema-", "crm-"))  # crm-: test_gaps.py
    }
    assert catalogue == covered


# --- uniqueness -------------------------------------------------------------------------


def test_two_stakeholders_with_one_name(check: Check) -> None:
    text = insert_before(COMPLETE_TIER1, "whitespace:\n",
                         "  - name: Dana Whitfield\n    role: user\n")
    f = one(check(text))
    assert summary(f) == (
        "unique-stakeholder", E, "stakeholders[3].name", *where(text, "Dana Whitfield", 3),
        "'Dana Whitfield' is already listed at stakeholders[0]",
    )
    assert f.fix == "merge the two entries, or tell them apart by name"


def test_two_actions_with_one_id(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "id: poc", "id: cfo")
    assert summary(one(check(text))) == (
        "unique-action-id", E, "actions[1].id", *where(text, "cfo", 2),
        "the id 'cfo' is already used by actions[0]",
    )


def test_an_opportunity_listed_twice_under_its_15_and_18_character_ids(check: Check) -> None:
    text = COMPLETE_TIER1 + textwrap.dedent("""\
        opportunities:
          - salesforce_id: 006Dn00000Opp01IAB
          - salesforce_id: 006Dn00000Opp01
        """)
    assert summary(one(check(text))) == (
        "unique-opportunity", E, "opportunities[1]",
        *where(text, "salesforce_id: 006Dn00000Opp01\n"),
        "'006Dn00000Opp01' is already listed at opportunities[0]",
    )


def test_a_planned_opportunity_listed_twice_by_name(check: Check) -> None:
    text = COMPLETE_TIER1 + textwrap.dedent("""\
        opportunities:
          - name: DACH expansion
            close_date: 2027-06-30
          - name: DACH expansion
            close_date: 2027-09-30
        """)
    assert summary(one(check(text))) == (
        "unique-opportunity", E, "opportunities[1]", *where(text, "name: DACH expansion", 2),
        "'DACH expansion' is already listed at opportunities[0]",
    )


def test_a_product_listed_twice(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "products: [Fleet Tracking, Route Optimizer]",
                "products: [Fleet Tracking, Route Optimizer, Fleet Tracking]")
    f = one(check(text))
    assert summary(f) == (
        "unique-whitespace", E, "whitespace.products[2]", *where(text, "Fleet Tracking]"),
        "'Fleet Tracking' is already listed at whitespace.products[0]",
    )
    assert f.fix == "remove the repeat"


def test_a_unit_listed_twice(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "units: [Nordics, DACH]", "units: [Nordics, DACH, Nordics]")
    assert summary(one(check(text))) == (
        "unique-whitespace", E, "whitespace.units[2]", *where(text, "Nordics]"),
        "'Nordics' is already listed at whitespace.units[0]",
    )


def test_a_whitespace_cell_given_twice(check: Check) -> None:
    text = insert_before(COMPLETE_TIER1, "actions:\n",
                         "    - {product: Fleet Tracking, unit: DACH, status: target}\n")
    f = one(check(text))
    assert summary(f) == (
        "unique-whitespace", E, "whitespace.cells[4]",
        *where(text, "{product: Fleet Tracking, unit: DACH, status: target}"),
        "the cell Fleet Tracking / DACH is already given at whitespace.cells[1]",
    )
    assert f.fix == "keep one cell per product and unit"


# --- reporting lines --------------------------------------------------------------------


def test_reports_to_a_missing_person_suggests_the_closest_name(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "reports_to: Dana Whitfield", "reports_to: Dana Whitfeld")
    f = one(check(text))
    assert summary(f) == (
        "ref-reports-to", E, "stakeholders[1].reports_to", *where(text, "Dana Whitfeld"),
        "no stakeholder is named 'Dana Whitfeld'; did you mean 'Dana Whitfield'?",
    )
    assert f.fix == "add that person to stakeholders, or fix the name"


def test_reports_to_a_name_like_nobody_has_no_suggestion(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "reports_to: Dana Whitfield", "reports_to: Zoltan Q")
    assert summary(one(check(text))) == (
        "ref-reports-to", E, "stakeholders[1].reports_to", *where(text, "Zoltan Q"),
        "no stakeholder is named 'Zoltan Q'",
    )


def test_a_stakeholder_reporting_to_themselves(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "reports_to: Chris Ortega", "reports_to: Priya Raman")
    assert summary(one(check(text))) == (
        "ref-reports-to", E, "stakeholders[2].reports_to", *where(text, "Priya Raman", 2),
        "a stakeholder cannot report to themselves",
    )


def test_a_three_person_reporting_cycle_is_reported_once(check: Check) -> None:
    # Chris -> Dana and Priya -> Chris already; Dana -> Priya closes the loop.
    text = edit(COMPLETE_TIER1, "    last_contact: 2026-11-02\n",
                "    last_contact: 2026-11-02\n    reports_to: Priya Raman\n")
    f = one(check(text))
    assert summary(f) == (
        "ref-reports-cycle", E, "stakeholders[0].reports_to", *where(text, "Priya Raman"),
        "reports_to lines form a cycle: "
        "Dana Whitfield -> Priya Raman -> Chris Ortega -> Dana Whitfield",
    )
    assert f.fix == "one of them reports outside this group; fix that reports_to"


def test_a_two_person_cycle_below_someone_outside_it(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "reports_to: Dana Whitfield", "reports_to: Priya Raman")
    assert summary(one(check(text))) == (
        "ref-reports-cycle", E, "stakeholders[1].reports_to", *where(text, "Priya Raman"),
        "reports_to lines form a cycle: Chris Ortega -> Priya Raman -> Chris Ortega",
    )


def test_influences_a_missing_person(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "    reports_to: Chris Ortega\n",
                "    reports_to: Chris Ortega\n    influences: [Chris Ortega, Dana Whitfeld]\n")
    assert summary(one(check(text))) == (
        "ref-influences", E, "stakeholders[2].influences[1]", *where(text, "Dana Whitfeld"),
        "no stakeholder is named 'Dana Whitfeld'; did you mean 'Dana Whitfield'?",
    )


def test_influencing_oneself(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "    reports_to: Chris Ortega\n",
                "    reports_to: Chris Ortega\n    influences: [Priya Raman]\n")
    assert summary(one(check(text))) == (
        "ref-influences", E, "stakeholders[2].influences[0]", *where(text, "Priya Raman]"),
        "a stakeholder cannot influence themselves",
    )


# --- actions ----------------------------------------------------------------------------


def test_an_action_for_a_missing_stakeholder_suggests_the_closest_name(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "    title: Meet the CFO\n",
                "    title: Meet the CFO\n    stakeholder: Dana Whitfeld\n")
    f = one(check(text))
    assert summary(f) == (
        "ref-action-stakeholder", E, "actions[0].stakeholder", *where(text, "Dana Whitfeld"),
        "no stakeholder is named 'Dana Whitfeld'; did you mean 'Dana Whitfield'?",
    )
    assert f.fix == "add that person to stakeholders, or fix the name"


def test_an_action_for_a_listed_stakeholder_is_fine(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "    title: Meet the CFO\n",
                "    title: Meet the CFO\n    stakeholder: Dana Whitfield\n")
    assert check(text) == []


PLANNED = """\
opportunities:
  - name: DACH Route Optimizer expansion
    close_date: 2027-06-30
    product: Route Optimizer
    unit: DACH
"""


def test_an_action_for_a_missing_opportunity_suggests_the_closest_name(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "    title: Meet the CFO\n",
                "    title: Meet the CFO\n    opportunity: DACH Route Optimiser expansion\n")
    text += PLANNED
    f = one(check(text))
    assert summary(f) == (
        "ref-action-opportunity", E, "actions[0].opportunity",
        *where(text, "DACH Route Optimiser expansion"),
        "no opportunity in the plan has the Id or name 'DACH Route Optimiser expansion'; "
        "did you mean 'DACH Route Optimizer expansion'?",
    )
    assert f.fix == "add the opportunity to opportunities, or fix the reference"


def test_an_action_for_an_opportunity_in_a_plan_without_any(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "    title: Meet the CFO\n",
                "    title: Meet the CFO\n    opportunity: 006Dn00000Opp01IAB\n")
    assert summary(one(check(text))) == (
        "ref-action-opportunity", E, "actions[0].opportunity", *where(text, "006Dn00000Opp01IAB"),
        "no opportunity in the plan has the Id or name '006Dn00000Opp01IAB'",
    )


@pytest.mark.parametrize(
    ("reference", "listed"),
    [
        ("006Dn00000Opp01", "  - salesforce_id: 006Dn00000Opp01IAB\n"),  # 15 names 18
        ("006Dn00000Opp01IAB", "  - salesforce_id: 006Dn00000Opp01\n"),  # 18 names 15
        ("DACH expansion", "  - name: DACH expansion\n"),
        # A planned opportunity's name may happen to be 15 letters and digits.
        ("RouteOptimizer2", "  - name: RouteOptimizer2\n"),
    ],
)
def test_an_action_may_name_an_opportunity_by_id_or_name(
    check: Check, reference: str, listed: str
) -> None:
    text = edit(COMPLETE_TIER1, "    title: Meet the CFO\n",
                f"    title: Meet the CFO\n    opportunity: {reference}\n")
    text += "opportunities:\n" + listed
    assert check(text) == []


# --- whitespace cells and opportunities -------------------------------------------------


def test_a_cell_naming_an_unlisted_product(check: Check) -> None:
    text = insert_before(COMPLETE_TIER1, "actions:\n",
                         "    - {product: Analytics, unit: Nordics, status: target}\n")
    f = one(check(text))
    assert summary(f) == (
        "ref-whitespace", E, "whitespace.cells[4].product", *where(text, "Analytics"),
        "'Analytics' is not in whitespace.products",
    )
    assert f.fix == "add it to whitespace.products, or fix the name"


def test_a_cell_naming_a_misspelt_product_suggests_the_listed_one(check: Check) -> None:
    text = insert_before(COMPLETE_TIER1, "actions:\n",
                         "    - {product: Route Optimiser, unit: DACH, status: target}\n")
    assert summary(one(check(text))) == (
        "ref-whitespace", E, "whitespace.cells[4].product", *where(text, "Route Optimiser"),
        "'Route Optimiser' is not in whitespace.products; did you mean 'Route Optimizer'?",
    )


def test_a_cell_naming_an_unlisted_unit(check: Check) -> None:
    text = insert_before(COMPLETE_TIER1, "actions:\n",
                         "    - {product: Fleet Tracking, unit: Nordic, status: owned}\n")
    f = one(check(text))
    assert summary(f) == (
        "ref-whitespace", E, "whitespace.cells[4].unit", *where(text, "Nordic,"),
        "'Nordic' is not in whitespace.units; did you mean 'Nordics'?",
    )
    assert f.fix == "add it to whitespace.units, or fix the name"


def test_an_opportunity_for_an_unlisted_product(check: Check) -> None:
    text = COMPLETE_TIER1 + edit(PLANNED, "product: Route Optimizer", "product: Analytics")
    f = one(check(text))
    assert summary(f) == (
        "ref-opportunity", E, "opportunities[0].product", *where(text, "Analytics"),
        "'Analytics' is not in whitespace.products",
    )
    assert f.fix == "add it to whitespace.products, or fix the name"


def test_an_opportunity_for_a_misspelt_unit(check: Check) -> None:
    text = COMPLETE_TIER1 + edit(PLANNED, "unit: DACH", "unit: Nordic")
    assert summary(one(check(text))) == (
        "ref-opportunity", E, "opportunities[0].unit", *where(text, "Nordic\n"),
        "'Nordic' is not in whitespace.units; did you mean 'Nordics'?",
    )


def test_an_opportunity_with_a_product_in_a_plan_without_whitespace(check: Check) -> None:
    text = MINIMAL + "opportunities:\n  - name: Pilot\n    product: Analytics\n"
    assert summary(one(check(text))) == (
        "ref-opportunity", E, "opportunities[0].product", *where(text, "Analytics"),
        "'Analytics' is not in a whitespace section (there is none)",
    )


def test_a_cell_linking_an_opportunity_the_plan_does_not_list(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "unit: Nordics, status: pipeline}",
                "unit: Nordics, status: pipeline, opportunity: 006Dn00000Opp01IAB}")
    f = one(check(text))
    assert summary(f) == (
        "ref-cell-opportunity", W, "whitespace.cells[2].opportunity",
        *where(text, "006Dn00000Opp01IAB"),
        "006Dn00000Opp01IAB is not among the plan's opportunities",
    )
    assert f.fix == "add it to opportunities with its salesforce_id, or fix the Id"


def test_a_cell_linking_a_listed_opportunity_by_its_15_character_id(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "unit: Nordics, status: pipeline}",
                "unit: Nordics, status: pipeline, opportunity: 006Dn00000Opp01}")
    text += "opportunities:\n  - salesforce_id: 006Dn00000Opp01IAB\n"
    assert check(text) == []


def test_a_planned_opportunity_past_its_close_date(check: Check) -> None:
    text = COMPLETE_TIER1 + edit(PLANNED, "close_date: 2027-06-30", "close_date: 2026-11-15")
    f = one(check(text))
    assert summary(f) == (
        "opportunity-past-close", W, "opportunities[0].close_date", *where(text, "2026-11-15"),
        "the planned close date 2026-11-15 of 'DACH Route Optimizer expansion' has passed",
    )


def test_a_close_date_today_has_not_passed(check: Check) -> None:
    text = COMPLETE_TIER1 + edit(PLANNED, "close_date: 2027-06-30", f"close_date: {AS_OF}")
    assert check(text) == []


# --- the tier's completeness standard ---------------------------------------------------


def test_tier1_without_a_champion(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "role: champion", "role: coach")
    f = one(check(text))
    assert summary(f) == (
        "tier-buying-committee", E, "stakeholders", *where(text, "- name: Dana Whitfield"),
        "tier 1 requires a champion in the relationship map; no stakeholder has role champion",
    )
    assert f.fix == "map them: a stakeholder with `role: champion`"


def test_tier1_without_stakeholders_points_at_the_tier(check: Check) -> None:
    start = COMPLETE_TIER1.index("stakeholders:\n")
    text = COMPLETE_TIER1[:start] + COMPLETE_TIER1[COMPLETE_TIER1.index("whitespace:\n"):]
    line, column = where(text, "1\nteam:")
    assert [summary(f) for f in check(text)] == [
        ("tier-buying-committee", E, "stakeholders", line, column,
         f"tier 1 requires {who} in the relationship map; no stakeholder has role {role}")
        for who, role in [
            ("a champion", "champion"),
            ("a decision maker", "decision_maker"),
            ("an economic buyer", "economic_buyer"),
        ]
    ]


def test_tier1_with_a_pair_missing_from_the_whitespace(check: Check) -> None:
    text = edit(COMPLETE_TIER1,
                "    - {product: Route Optimizer, unit: DACH, status: target, estimate: 300000}\n",
                "")
    f = one(check(text))
    assert summary(f) == (
        "tier-whitespace", E, "whitespace.cells", *where(text, "- {product: Fleet Tracking"),
        "tier 1 requires a filled whitespace matrix; 1 of 4 product/unit pairs have no cell: "
        "Route Optimizer / DACH",
    )
    assert f.fix == "add a cell for each with its status (unknown is an honest answer)"


def test_tier1_whitespace_lists_at_most_three_missing_pairs(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "units: [Nordics, DACH]", "units: [Nordics, DACH, Benelux, Iberia]")
    f = one(check(text))
    assert (f.rule, f.field, f.message) == (
        "tier-whitespace", "whitespace.cells",
        "tier 1 requires a filled whitespace matrix; 4 of 8 product/unit pairs have no cell: "
        "Fleet Tracking / Benelux, Fleet Tracking / Iberia, Route Optimizer / Benelux "
        "and 1 more",
    )


def test_tier1_without_a_whitespace_section(check: Check) -> None:
    start = COMPLETE_TIER1.index("whitespace:\n")
    text = COMPLETE_TIER1[:start] + COMPLETE_TIER1[COMPLETE_TIER1.index("actions:\n"):]
    assert summary(one(check(text))) == (
        "tier-whitespace", E, "whitespace", *where(text, "1\nteam:"),
        "tier 1 requires a filled whitespace matrix; the plan has no whitespace section",
    )


def test_tier1_with_no_products(check: Check) -> None:
    start = COMPLETE_TIER1.index("whitespace:\n")
    text = (COMPLETE_TIER1[:start] + "whitespace:\n  units: [Nordics, DACH]\n"
            + COMPLETE_TIER1[COMPLETE_TIER1.index("actions:\n"):])
    assert summary(one(check(text))) == (
        "tier-whitespace", E, "whitespace", *where(text, "units: [Nordics"),
        "tier 1 requires a filled whitespace matrix; whitespace.products is empty",
    )


FORWARD_MESSAGE = (
    "tier 1 requires 3 forward actions, found 2 "
    "(open or in progress, with an owner and a due date on or after 2026-12-01)"
)
ADOPTION = """\
  - id: adoption
    title: Run the adoption review
    owner: maria.chen@example.com
    due: 2027-01-31
"""


@pytest.mark.parametrize(
    ("change", "also"),
    [
        (("    due: 2027-01-31\n", "    due: 2027-01-31\n    status: done\n"), []),
        (("    due: 2027-01-31\n", "    due: 2027-01-31\n    status: dropped\n"), []),
        (("    due: 2027-01-31\n", "    due: 2027-01-31\n    status: blocked\n"), []),
        (("    due: 2027-01-31\n", "    due: 2026-11-30\n"), ["action-overdue"]),
        (("    owner: maria.chen@example.com\n", ""), []),
        (("    due: 2027-01-31\n", ""), []),
    ],
    ids=["done", "dropped", "blocked", "overdue", "ownerless", "undated"],
)
def test_actions_that_are_not_forward_do_not_count(
    check: Check, change: tuple[str, str], also: list[str]
) -> None:
    text = edit(COMPLETE_TIER1, ADOPTION, edit(ADOPTION, *change))
    found = check(text)
    assert sorted(f.rule for f in found) == sorted(["tier-forward-actions", *also])
    f = next(f for f in found if f.rule == "tier-forward-actions")
    assert summary(f) == (
        "tier-forward-actions", E, "actions", *where(text, "- id: cfo"), FORWARD_MESSAGE,
    )
    assert f.fix == "add actions with `owner:` and `due:`, or move the overdue ones forward"


def test_an_action_due_today_is_a_forward_action(check: Check) -> None:
    text = edit(COMPLETE_TIER1, ADOPTION, edit(ADOPTION, "due: 2027-01-31", f"due: {AS_OF}"))
    assert check(text) == []


def test_tier1_without_actions_points_at_the_tier(check: Check) -> None:
    start = COMPLETE_TIER1.index("actions:\n")
    text = COMPLETE_TIER1[:start] + COMPLETE_TIER1[COMPLETE_TIER1.index("intelligence:\n"):]
    assert summary(one(check(text))) == (
        "tier-forward-actions", E, "actions", *where(text, "1\nteam:"),
        "tier 1 requires 3 forward actions, found 0 "
        "(open or in progress, with an owner and a due date on or after 2026-12-01)",
    )


def test_tier1_without_a_manager(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "  manager: omar.haddad@example.com\n", "")
    f = one(check(text))
    assert summary(f) == (
        "tier-manager", E, "team.manager", *where(text, "owner: maria"),
        "tier 1 requires a manager, who owns the review cadence",
    )
    assert f.fix == "add `manager:` with the manager's e-mail to team"


# Tier 2: a monthly review, so the last review must be recent to pass.
TIER2 = edit(edit(COMPLETE_TIER1, "  tier: 1", "  tier: 2"),
             "last_review: 2026-10-14", "last_review: 2026-11-12")


def test_a_complete_tier2_plan_passes(check: Check) -> None:
    assert check(TIER2) == []


def test_tier2_needs_neither_whitespace_nor_three_actions(check: Check) -> None:
    text = TIER2[:TIER2.index("whitespace:\n")] + textwrap.dedent("""\
        actions:
          - title: Meet the CFO
            owner: maria.chen@example.com
            due: 2026-12-18
        """)
    assert check(text) == []


def test_tier2_requires_a_champion(check: Check) -> None:
    text = edit(TIER2, "role: champion", "role: coach")
    assert summary(one(check(text))) == (
        "tier-buying-committee", E, "stakeholders", *where(text, "- name: Dana Whitfield"),
        "tier 2 requires a champion in the relationship map; no stakeholder has role champion",
    )


def test_tier2_requires_a_manager(check: Check) -> None:
    text = edit(TIER2, "  manager: omar.haddad@example.com\n", "")
    assert summary(one(check(text))) == (
        "tier-manager", E, "team.manager", *where(text, "owner: maria"),
        "tier 2 requires a manager, who owns the review cadence",
    )


def test_tier2_requires_one_forward_action(check: Check) -> None:
    text = TIER2[:TIER2.index("actions:\n")]
    assert summary(one(check(text))) == (
        "tier-forward-actions", E, "actions", *where(text, "2\nteam:"),
        "tier 2 requires 1 forward actions, found 0 "
        "(open or in progress, with an owner and a due date on or after 2026-12-01)",
    )


def test_tier3_requires_nothing(check: Check) -> None:
    # No manager, no stakeholders, no whitespace, no actions, no cadence.
    text = MINIMAL
    assert check(text) == []
    # The same plan as tier 1 would fail every standard.
    rules = {f.rule for f in check(edit(text, "tier: 3", "tier: 1"))}
    assert {"tier-buying-committee", "tier-whitespace", "tier-forward-actions",
            "tier-manager"} <= rules


# --- the programme's planpack.yaml ------------------------------------------------------


def test_planpack_yaml_raising_the_tier1_action_standard(check: Check, tmp_path: Path) -> None:
    config = write_config(tmp_path, """\
        tiers:
          1:
            require:
              min_forward_actions: 4
        """)
    assert summary(one(check(COMPLETE_TIER1, config=config))) == (
        "tier-forward-actions", E, "actions", *where(COMPLETE_TIER1, "- id: cfo"),
        "tier 1 requires 4 forward actions, found 3 "
        "(open or in progress, with an owner and a due date on or after 2026-12-01)",
    )


def test_planpack_yaml_relaxing_the_tier1_buying_committee(check: Check, tmp_path: Path) -> None:
    text = edit(COMPLETE_TIER1, "role: champion", "role: coach")
    assert [f.rule for f in check(text)] == ["tier-buying-committee"]
    config = write_config(tmp_path, """\
        tiers:
          1:
            require:
              buying_committee: [economic_buyer, decision_maker]
        """)
    assert check(text, config=config) == []


def test_planpack_yaml_keeps_the_tier_defaults_it_does_not_set(
    check: Check, tmp_path: Path
) -> None:
    config = write_config(tmp_path, """\
        tiers:
          1:
            review_every_days: 30
        """)
    text = edit(COMPLETE_TIER1, "  manager: omar.haddad@example.com\n", "")
    found = check(text, config=config)
    assert sorted(f.rule for f in found) == ["review-overdue", "tier-manager"]
    review = next(f for f in found if f.rule == "review-overdue")
    assert review.message == (
        "the last deep review was 2026-10-14, 48 days ago; tier 1 plans are reviewed every 30 days"
    )


def test_planpack_yaml_stale_intelligence_days(check: Check, tmp_path: Path) -> None:
    config = write_config(tmp_path, """\
        health:
          stale_intelligence_days: 10
        """)
    assert summary(one(check(COMPLETE_TIER1, config=config))) == (
        "stale-intelligence", W, "intelligence[0].as_of",
        *where(COMPLETE_TIER1, "2026-11-20\n    summary"),
        "the newest intelligence is 11 days old (2026-11-20); "
        "the programme expects it refreshed every 10 days",
    )


# --- owners -----------------------------------------------------------------------------


def test_an_action_owner_who_is_not_on_the_team(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "owner: lee.park@example.com", "owner: sam.lee@example.com")
    f = one(check(text))
    assert summary(f) == (
        "owner-not-member", W, "actions[1].owner", *where(text, "sam.lee@example.com"),
        "sam.lee@example.com is not on the account team "
        "(team.owner, team.manager or team.members)",
    )
    assert f.fix == "add them to team.members, or give the item to a team member"


def test_risk_and_relationship_owners_who_are_not_on_the_team(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "    last_contact: 2026-11-20\n",
                "    last_contact: 2026-11-20\n    relationship_owner: sam.lee@example.com\n")
    text = insert_before(text, "actions:\n",
                         "risks:\n  - title: The incumbent renews\n"
                         "    owner: Jo.Becker@example.com\n")
    assert [summary(f) for f in check(text)] == [
        ("owner-not-member", W, "stakeholders[1].relationship_owner",
         *where(text, "sam.lee@example.com"),
         "sam.lee@example.com is not on the account team "
         "(team.owner, team.manager or team.members)"),
        ("owner-not-member", W, "risks[0].owner", *where(text, "Jo.Becker@example.com"),
         "jo.becker@example.com is not on the account team "
         "(team.owner, team.manager or team.members)"),
    ]


def test_the_manager_and_differently_cased_members_are_on_the_team(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "owner: lee.park@example.com", "owner: omar.haddad@example.com")
    text = edit(text, "owner: maria.chen@example.com\n    due: 2026-12-18",
                "owner: Maria.Chen@Example.com\n    due: 2026-12-18")
    assert check(text) == []


def _portfolio(write_plan: Callable[..., Path], owners: dict[str, tuple[str, str]]) -> None:
    """Plans named by the keys, each with (owner, tier)."""
    for name, (owner, tier) in owners.items():
        text = edit(COMPLETE_TIER1, "owner: maria.chen@example.com\n  manager",
                    f"owner: {owner}\n  manager")
        if tier == "2":
            text = edit(edit(text, "  tier: 1", "  tier: 2"),
                        "last_review: 2026-10-14", "last_review: 2026-11-12")
        write_plan(text, name)


def test_an_owner_over_the_tier_capacity_is_warned_on_each_plan(
    write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    config = write_config(tmp_path, """\
        tiers:
          1:
            max_plans_per_owner: 2
        """)
    maria = "maria.chen@example.com"
    _portfolio(write_plan, {
        "alpha": (maria, "1"), "beta": (maria, "1"), "gamma": (maria, "1"),
        "delta": ("lee.park@example.com", "1"), "epsilon": (maria, "2"),
    })
    run = check_plans([tmp_path / "plans"], config, AS_OF, jobs=1)
    warned = {Path(r.file).stem: r.findings for r in run.reports if r.findings}
    assert sorted(warned) == ["alpha", "beta", "gamma"]
    line, column = where(COMPLETE_TIER1, maria)
    for findings in warned.values():
        assert [summary(f) for f in findings] == [(
            "owner-capacity", W, "team.owner", line, column,
            "maria.chen@example.com owns 3 tier 1 plans; the programme allows 2 per owner",
        )]
        assert findings[0].fix == "share the accounts out, or move some to another tier"


def test_an_owner_at_the_capacity_is_not_warned(
    write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    config = write_config(tmp_path, "tiers:\n  1:\n    max_plans_per_owner: 2\n")
    maria = "maria.chen@example.com"
    _portfolio(write_plan, {"alpha": (maria, "1"), "beta": (maria, "1")})
    assert check_plans([tmp_path / "plans"], config, AS_OF, jobs=1).findings == []


def test_the_default_tier1_capacity_is_twenty(
    write_plan: Callable[..., Path], tmp_path: Path, defaults: ProgramConfig
) -> None:
    maria = "maria.chen@example.com"
    _portfolio(write_plan, {f"plan-{i:02d}": (maria, "1") for i in range(21)})
    run = check_plans([tmp_path / "plans"], defaults, AS_OF, jobs=1)
    assert len(run.reports) == 21
    assert {(f.rule, f.message) for f in run.findings} == {
        ("owner-capacity",
         "maria.chen@example.com owns 21 tier 1 plans; the programme allows 20 per owner"),
    }
    assert len(run.findings) == 21


# --- across plans -----------------------------------------------------------------------


def test_two_plans_with_one_slug_in_different_folders(
    tmp_path: Path, defaults: ProgramConfig
) -> None:
    for folder in ("emea", "americas"):
        (tmp_path / "plans" / folder).mkdir(parents=True)
        (tmp_path / "plans" / folder / "acme.yaml").write_text(COMPLETE_TIER1, encoding="utf-8")
    run = check_plans([tmp_path / "plans"], defaults, AS_OF, jobs=1)
    first, second = (str(tmp_path / "plans" / f / "acme.yaml") for f in ("americas", "emea"))
    assert [r.file for r in run.reports] == [first, second]
    f = one(run.findings)
    assert (f.file, *summary(f)) == (
        second, "duplicate-slug", E, "", 1, 1,
        f"another plan is also named 'acme': {first}; their packets would overwrite each other",
    )
    assert f.fix == "rename one of the files"
    assert run.failed()


def test_yaml_and_yml_of_one_name_collide(tmp_path: Path, defaults: ProgramConfig) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(COMPLETE_TIER1, encoding="utf-8")
    (tmp_path / "plans" / "acme.yml").write_text(COMPLETE_TIER1, encoding="utf-8")
    run = check_plans([tmp_path / "plans"], defaults, AS_OF, jobs=1)
    assert [(Path(f.file).name, f.rule) for f in run.findings] == [("acme.yml", "duplicate-slug")]


# --- softer warnings: intelligence, overdue actions, cadence ----------------------------


def test_stale_intelligence(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "as_of: 2026-11-20", "as_of: 2026-10-01")
    f = one(check(text))
    assert summary(f) == (
        "stale-intelligence", W, "intelligence[0].as_of", *where(text, "2026-10-01"),
        "the newest intelligence is 61 days old (2026-10-01); "
        "the programme expects it refreshed every 30 days",
    )
    assert f.fix == "add a dated item from news, financials or your intent data"


def test_stale_intelligence_points_at_the_newest_item(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "as_of: 2026-11-20", "as_of: 2026-09-01") + (
        "  - as_of: 2026-10-20\n    summary: Q3 results published.\n"
        "  - as_of: 2026-08-01\n    summary: An old rumour.\n"
    )
    assert summary(one(check(text))) == (
        "stale-intelligence", W, "intelligence[1].as_of", *where(text, "2026-10-20"),
        "the newest intelligence is 42 days old (2026-10-20); "
        "the programme expects it refreshed every 30 days",
    )


def test_intelligence_exactly_at_the_limit_is_not_stale(check: Check) -> None:
    assert check(edit(COMPLETE_TIER1, "as_of: 2026-11-20", "as_of: 2026-11-01")) == []


EXTRA_ACTION = """\
  - id: proposal
    title: Send the proposal
    owner: lee.park@example.com
    due: 2026-11-20
"""


def test_an_overdue_action(check: Check) -> None:
    text = insert_before(COMPLETE_TIER1, "intelligence:\n", EXTRA_ACTION)
    f = one(check(text))
    assert summary(f) == (
        "action-overdue", W, "actions[3].due", *where(text, "2026-11-20\nintelligence"),
        "'Send the proposal' is 11 d overdue (due 2026-11-20)",
    )
    assert f.fix == "finish it and set `status: done`, or agree a new due date"


def test_a_blocked_action_past_due_is_overdue(check: Check) -> None:
    text = insert_before(COMPLETE_TIER1, "intelligence:\n", EXTRA_ACTION + "    status: blocked\n")
    assert [f.rule for f in check(text)] == ["action-overdue"]


@pytest.mark.parametrize("status", ["done", "dropped"])
def test_a_closed_action_past_due_is_not_overdue(check: Check, status: str) -> None:
    text = insert_before(COMPLETE_TIER1, "intelligence:\n",
                         EXTRA_ACTION + f"    status: {status}\n")
    assert check(text) == []


def test_an_overdue_review(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "last_review: 2026-10-14", "last_review: 2026-08-01")
    f = one(check(text))
    assert summary(f) == (
        "review-overdue", W, "cadence.last_review", *where(text, "2026-08-01"),
        "the last deep review was 2026-08-01, 122 days ago; "
        "tier 1 plans are reviewed every 92 days",
    )
    assert f.fix == "hold the review and set cadence.last_review"


def test_a_review_exactly_one_cadence_ago_is_not_overdue(check: Check) -> None:
    assert check(edit(COMPLETE_TIER1, "last_review: 2026-10-14", "last_review: 2026-08-31")) == []


def test_no_review_recorded(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "  last_review: 2026-10-14\n", "")
    assert summary(one(check(text))) == (
        "review-overdue", W, "cadence.last_review", *where(text, "last_checkin"),
        "no deep review is recorded; tier 1 plans are reviewed every 92 days",
    )


def test_no_cadence_section_points_at_the_tier(check: Check) -> None:
    start = COMPLETE_TIER1.index("cadence:\n")
    text = COMPLETE_TIER1[:start] + COMPLETE_TIER1[COMPLETE_TIER1.index("summary:"):]
    line, column = where(text, "1\nteam:")
    assert [summary(f) for f in check(text)] == [
        ("review-overdue", W, "cadence.last_review", line, column,
         "no deep review is recorded; tier 1 plans are reviewed every 92 days"),
        ("review-unscheduled", W, "cadence.next_review", line, column,
         "no next review is scheduled"),
    ]


def test_an_overdue_checkin(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "last_checkin: 2026-11-12", "last_checkin: 2026-10-20")
    f = one(check(text))
    assert summary(f) == (
        "checkin-overdue", W, "cadence.last_checkin", *where(text, "2026-10-20"),
        "the last check-in was 2026-10-20, 42 days ago; "
        "tier 1 plans are checked in every 31 days",
    )
    assert f.fix == "hold the check-in and set cadence.last_checkin"


def test_without_a_checkin_the_last_review_is_the_last_checkin(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "  last_checkin: 2026-11-12\n", "")
    assert summary(one(check(text))) == (
        "checkin-overdue", W, "cadence.last_review", *where(text, "2026-10-14"),
        "the last check-in was 2026-10-14, 48 days ago; "
        "tier 1 plans are checked in every 31 days",
    )


def test_a_recent_review_counts_as_a_checkin(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "  last_checkin: 2026-11-12\n", "")
    assert check(edit(text, "last_review: 2026-10-14", "last_review: 2026-11-12")) == []


def test_no_next_review_scheduled(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "  next_review: 2027-01-13\n", "")
    f = one(check(text))
    assert summary(f) == (
        "review-unscheduled", W, "cadence.next_review", *where(text, "last_review"),
        "no next review is scheduled",
    )
    assert f.fix == "put it on the manager's calendar and set cadence.next_review"


def test_a_next_review_date_that_has_passed(check: Check) -> None:
    text = edit(COMPLETE_TIER1, "next_review: 2027-01-13", "next_review: 2026-11-30")
    f = one(check(text))
    assert summary(f) == (
        "review-unscheduled", W, "cadence.next_review", *where(text, "2026-11-30"),
        "the next review was scheduled for 2026-11-30, which has passed",
    )
    assert f.fix == "record the review, or set the new date in cadence.next_review"


def test_a_next_review_today_has_not_passed(check: Check) -> None:
    assert check(edit(COMPLETE_TIER1, "next_review: 2027-01-13", f"next_review: {AS_OF}")) == []


def test_warnings_do_not_fail_a_run_unless_strict(
    write_plan: Callable[..., Path], defaults: ProgramConfig
) -> None:
    path = write_plan(edit(COMPLETE_TIER1, "next_review: 2027-01-13", "next_review: 2026-11-30"))
    run = check_plans([path], defaults, AS_OF, jobs=1)
    assert [f.severity for f in run.findings] == [W]
    assert not run.failed()
    assert run.failed(strict=True)
