"""Enrichment from a snapshot, and the gaps between the plan and Salesforce.

The snapshots here are written the way `planpack pull` writes them
(snapshot_json + write_atomically); test_pull.py covers making them from a
live (stand-in) org.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import AS_OF, COMPLETE_TIER1

from planpack.atomic import write_atomically
from planpack.check import CheckRun, check_plans
from planpack.cli import cli
from planpack.enrich import enrich_from
from planpack.findings import Finding, Severity
from planpack.governance.context import CheckContext
from planpack.health import score_plan
from planpack.loader.plans import load_plan
from planpack.loader.program import load_program
from planpack.salesforce.snapshot import FORMAT, path_for, snapshot_json

ACCOUNT = "001Dn00000Abc12IAB"
DANA, CHRIS, PRIYA, OUTSIDER = (
    "003Dn00000Dan01IAB", "003Dn00000Chr01IAB", "003Dn00000Pri01IAB", "003Dn00000Ext01IAB"
)
OPP, OTHER_OPP, LOST = "006Dn00000Opp01IAB", "006Dn00000Opp02IAB", "006Dn00000Los01IAB"

# COMPLETE_TIER1, linked: the account, Dana and Chris by Id, Priya by e-mail, one opportunity.
LINKED = (
    COMPLETE_TIER1
    .replace("  industry: Transportation\n", f"  salesforce_id: {ACCOUNT}\n")
    .replace("  - name: Dana Whitfield\n", f"  - name: Dana Whitfield\n    salesforce_id: {DANA}\n")
    .replace("  - name: Chris Ortega\n", f"  - name: Chris Ortega\n    salesforce_id: {CHRIS}\n")
    .replace("  - name: Priya Raman\n",
             "  - name: Priya Raman\n    email: priya.raman@northwind.example\n")
    .replace("actions:\n", f"opportunities:\n  - salesforce_id: {OPP}\n    product: Route Optimizer"
                           "\n    unit: Nordics\nactions:\n")
)


def role(role_id: str, contact: str, name: str, title: str, role_name: str) -> dict[str, Any]:
    return {"Id": role_id, "ContactId": contact, "Role": role_name, "IsPrimary": False,
            "Contact": {"Name": name, "Title": title, "Email": None, "AccountId": ACCOUNT}}


def good_snapshot() -> dict[str, Any]:
    """What Salesforce knows of Northwind on AS_OF, agreeing with LINKED."""
    return {
        "format": FORMAT, "account_id": ACCOUNT, "fetched_at": "2026-12-01T06:00:00Z",
        "api_version": "62.0", "activity_from": "2025-12-01", "activity_to": "2026-12-01",
        "account": {"Id": ACCOUNT, "Name": "Northwind Logistics", "ParentId": "001Dn00000Par01IAB",
                    "OwnerId": "005Dn00000Usr01IAB"},
        "parents": [{"Id": "001Dn00000Par01IAB", "Name": "Northwind Group", "ParentId": None}],
        "children": [{"Id": "001Dn00000Chi01IAB", "Name": "Northwind Nordics",
                      "ParentId": ACCOUNT}],
        "contacts": [
            {"Id": DANA, "AccountId": ACCOUNT, "Name": "Dana Whitfield",
             "Title": "Chief Financial Officer", "Email": "dana.whitfield@northwind.example",
             "LastActivityDate": "2026-11-02"},
            {"Id": CHRIS, "AccountId": ACCOUNT, "Name": "Chris Ortega", "Title": "VP Operations",
             "Email": None, "LastActivityDate": "2026-10-01"},
            {"Id": PRIYA, "AccountId": ACCOUNT, "Name": "Priya Raman", "Title": "Director",
             "Email": "Priya.Raman@northwind.example", "LastActivityDate": None},
        ],
        "opportunities": [
            {"Id": OPP, "AccountId": ACCOUNT, "Name": "Nordics Route Optimizer",
             "Amount": 285000.0, "StageName": "Proposal", "CloseDate": "2027-03-31",
             "Probability": 60.0, "IsClosed": False, "IsWon": False,
             "OpportunityContactRoles": [
                 role("00kDn00000Ocr01IAB", DANA, "Dana Whitfield", "CFO", "Economic Buyer"),
                 role("00kDn00000Ocr02IAB", CHRIS, "Chris Ortega", "VP Operations",
                      "Decision Maker"),
             ]},
        ],
        "activity": [
            {"WhoId": CHRIS, "tasks": 2, "events": 1, "last": "2026-11-25"},
            {"WhoId": DANA, "tasks": 1, "events": 0, "last": "2026-11-02"},
        ],
        "users": [{"Id": "005Dn00000Usr01IAB", "Name": "Maria Chen",
                   "Email": "maria.chen@example.com", "IsActive": True}],
    }


@pytest.fixture
def project(tmp_path: Path, write_plan: Callable[..., Path],
            monkeypatch: pytest.MonkeyPatch) -> Callable[..., CheckRun]:
    """project(snapshot, text=LINKED) -> the CheckRun of that plan with that snapshot."""
    monkeypatch.chdir(tmp_path)

    def run(snapshot: dict[str, Any] | None, text: str = LINKED, *, strict_as_of: bool = True,
            health: bool = False) -> CheckRun:
        write_plan(text)
        folder = tmp_path / ".planpack" / "snapshots"
        if snapshot is not None:
            write_atomically(path_for(folder, ACCOUNT), snapshot_json(snapshot))
        return check_plans([Path("plans")], load_program(None, tmp_path), AS_OF,
                           with_health=health, jobs=1)

    return run


def lines_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_an_agreeing_snapshot_gives_no_findings(project: Callable[..., CheckRun]) -> None:
    run = project(good_snapshot())
    assert run.findings == []
    assert run.reports[0].snapshot_fetched_at == "2026-12-01T06:00:00Z"


def test_no_snapshot_is_a_note_that_never_fails(project: Callable[..., CheckRun],
                                                tmp_path: Path) -> None:
    run = project(None)
    (finding,) = run.findings
    assert (finding.severity, finding.rule, finding.field, finding.line) == (
        Severity.INFO, "crm-no-snapshot", "account.salesforce_id",
        lines_of(LINKED, "salesforce_id: 001"),
    )
    assert finding.message == "no Salesforce data: there is no snapshot of this account"
    assert finding.fix == "run `planpack pull` (with Salesforce credentials in the environment)"
    assert not run.failed(strict=True)
    result = CliRunner().invoke(cli, ["validate", "--strict", "--as-of", "2026-12-01"])
    assert result.exit_code == 0
    assert "info[crm-no-snapshot]" in result.output
    assert result.output.endswith("1 plan checked, all valid: 0 errors, 0 warnings, 1 note\n")


def test_a_damaged_snapshot_is_no_data_not_a_crash(project: Callable[..., CheckRun],
                                                   tmp_path: Path) -> None:
    path = path_for(tmp_path / ".planpack" / "snapshots", ACCOUNT)
    path.parent.mkdir(parents=True)
    path.write_text('{"format": "planpack-snapshot/1", "account_id": ', encoding="utf-8")
    (finding,) = project(None).findings
    assert finding.rule == "crm-no-snapshot"
    assert finding.message == (
        f"no Salesforce data: {path} is not a planpack snapshot (1 problems)"
    )


def test_a_plan_without_an_account_id_needs_no_snapshot(project: Callable[..., CheckRun]
                                                        ) -> None:
    assert project(None, COMPLETE_TIER1).findings == []


def test_salesforce_values_win(tmp_path: Path, write_plan: Callable[..., Path]) -> None:
    folder = tmp_path / "snapshots"
    write_atomically(path_for(folder, ACCOUNT), snapshot_json(good_snapshot()))
    plan = load_plan(write_plan(LINKED)).plan
    assert plan is not None
    view, gaps = enrich_from(plan, folder, CheckContext(load_program(None, tmp_path).program,
                                                        AS_OF))
    assert gaps == []
    (opp,) = view.plan.opportunities
    assert (opp.name, opp.amount, opp.stage, str(opp.close_date), opp.probability) == (
        "Nordics Route Optimizer", 285000.0, "Proposal", "2027-03-31", 60
    )
    dana, chris, priya = view.plan.stakeholders
    # last_contact: the later of the plan's date and the logged activity.
    assert (str(dana.last_contact), str(chris.last_contact)) == ("2026-11-02", "2026-11-25")
    assert priya.last_contact is None
    # Blanks are filled from the contact, matched by Id or (Priya) by e-mail.
    assert (dana.title, priya.title) == ("Chief Financial Officer", "Director")
    assert view.written.stakeholders[0].title is None
    assert [a.name for a in view.parents] == ["Northwind Group"]
    assert [a.name for a in view.children] == ["Northwind Nordics"]
    assert view.opportunities[0] is not None and len(view.opportunities[0].contact_roles) == 2


def only(run: CheckRun) -> Finding:
    (finding,) = run.findings
    return finding


def test_a_stale_snapshot(project: Callable[..., CheckRun]) -> None:
    snapshot = good_snapshot()
    snapshot["fetched_at"] = "2026-11-29T10:00:00Z"
    finding = only(project(snapshot))
    assert (finding.severity, finding.rule, finding.field) == (
        Severity.WARNING, "crm-stale-snapshot", "account.salesforce_id"
    )
    # Measured to the end of the --as-of day, so the verdict does not depend on the clock.
    assert finding.message == (
        "the Salesforce snapshot is 62 hours old (fetched 2026-11-29 10:00 UTC); "
        "the programme allows 24"
    )


def test_a_contact_id_salesforce_does_not_have(project: Callable[..., CheckRun]) -> None:
    snapshot = good_snapshot()
    del snapshot["contacts"][1]
    finding = only(project(snapshot))
    assert (finding.rule, finding.field, finding.line) == (
        "crm-unknown-contact", "stakeholders[1].salesforce_id", lines_of(LINKED, CHRIS)
    )
    assert finding.message == f"Salesforce has no contact {CHRIS} on this account"


def test_an_opportunity_id_salesforce_does_not_have(project: Callable[..., CheckRun]) -> None:
    snapshot = good_snapshot()
    snapshot["opportunities"] = []
    finding = only(project(snapshot))
    assert (finding.rule, finding.field, finding.line) == (
        "crm-unknown-opportunity", "opportunities[0].salesforce_id", lines_of(LINKED, OPP)
    )
    assert finding.message == f"Salesforce has no opportunity {OPP} on this account"


def test_typed_values_beside_an_id_are_overridden_with_a_warning(
    project: Callable[..., CheckRun]
) -> None:
    text = LINKED.replace(f"  - salesforce_id: {OPP}\n",
                          f"  - salesforce_id: {OPP}\n    amount: 300000\n    stage: Won\n")
    finding = only(project(good_snapshot(), text))
    assert (finding.rule, finding.field, finding.line) == (
        "crm-override", "opportunities[0].amount", lines_of(text, "amount: 300000")
    )
    assert finding.message == (
        "amount, stage typed beside a Salesforce Id are overridden by Salesforce: "
        "amount 285,000, stage 'Proposal'"
    )


def test_a_linked_opportunity_closed_lost(project: Callable[..., CheckRun]) -> None:
    snapshot = good_snapshot()
    snapshot["opportunities"][0].update(IsClosed=True, IsWon=False, StageName="Closed Lost")
    finding = only(project(snapshot))
    assert (finding.rule, finding.field) == ("crm-closed-lost", "opportunities[0].salesforce_id")
    assert finding.message == (
        "'Nordics Route Optimizer' is closed lost in Salesforce (stage Closed Lost, 2027-03-31)"
    )


def test_a_role_holder_missing_from_the_map(project: Callable[..., CheckRun]) -> None:
    snapshot = good_snapshot()
    roles = snapshot["opportunities"][0]["OpportunityContactRoles"]
    roles.append(role("00kDn00000Ocr03IAB", OUTSIDER, "Sam Hollis", "Head of IT",
                      "Technical Buyer"))
    finding = only(project(snapshot))
    assert (finding.rule, finding.field, finding.line) == (
        "crm-missing-contact", "stakeholders", lines_of(LINKED, "- name: Dana Whitfield")
    )
    assert finding.message == (
        "Sam Hollis (Head of IT) has a contact role on 1 open opportunity "
        "(Technical Buyer on 'Nordics Route Optimizer') but is not in the relationship map"
    )
    assert finding.fix == f"add them to stakeholders with `salesforce_id: {OUTSIDER}`"
    # Roles on closed opportunities do not count.
    closed = copy.deepcopy(snapshot)
    closed["opportunities"][0]["IsClosed"] = True
    closed["opportunities"][0]["IsWon"] = True
    assert [f.rule for f in project(closed).findings] == []


def test_a_role_holder_mapped_by_email_is_not_missing(project: Callable[..., CheckRun]) -> None:
    snapshot = good_snapshot()
    holder = role("00kDn00000Ocr03IAB", PRIYA, "Priya Raman", "Director", "Influencer")
    holder["Contact"]["Email"] = "PRIYA.RAMAN@northwind.example"
    snapshot["opportunities"][0]["OpportunityContactRoles"].append(holder)
    assert project(snapshot).findings == []


def test_no_activity_with_a_high_influence_stakeholder(project: Callable[..., CheckRun]) -> None:
    snapshot = good_snapshot()
    snapshot["activity"] = [a for a in snapshot["activity"] if a["WhoId"] != DANA]
    snapshot["contacts"][0]["LastActivityDate"] = "2026-07-01"
    finding = only(project(snapshot))
    assert (finding.rule, finding.field, finding.line) == (
        "crm-no-activity", "stakeholders[0].name", lines_of(LINKED, "name: Dana Whitfield")
    )
    # The plan says they met on 2026-11-02: the meeting was never logged.
    assert finding.message == (
        "no task or event with Dana Whitfield in Salesforce in 90 days (the last was "
        "2026-07-01); the plan says 2026-11-02: log it in Salesforce"
    )


def test_gaps_fail_only_when_strict(project: Callable[..., CheckRun]) -> None:
    snapshot = good_snapshot()
    snapshot["opportunities"] = []
    run = project(snapshot)
    assert not run.failed() and run.failed(strict=True)


def test_health_counts_single_threading_and_coverage(project: Callable[..., CheckRun]) -> None:
    snapshot = good_snapshot()
    del snapshot["opportunities"][0]["OpportunityContactRoles"][1]  # Dana alone: one thread
    # An open deal the plan does not link, with Sam Hollis on it: Dana (mapped) and Sam (not)
    # hold the roles on open deals, so the map covers half of them.
    snapshot["opportunities"].append({
        "Id": OTHER_OPP, "AccountId": ACCOUNT, "Name": "Fleet renewal", "IsClosed": False,
        "OpportunityContactRoles": [role("00kDn00000Ocr03IAB", OUTSIDER, "Sam Hollis",
                                         "Head of IT", "Evaluator")],
    })
    health = project(snapshot, health=True).reports[0].health
    assert health is not None
    points = {d.rule: d.points for d in health.deductions}
    assert points == {
        "health-single-threaded": 10 * 20 / 100,  # 10 per thin deal, relationships weight 20
        "health-crm-coverage": 20 * 1 / 2 * 20 / 100,  # 20 x the share unmapped
    }
    messages = {d.rule: d.message for d in health.deductions}
    assert messages["health-single-threaded"] == (
        "open opportunities with fewer than 2 contact roles (1): Nordics Route Optimizer"
    )
    assert messages["health-crm-coverage"] == (
        "contacts with roles on open opportunities missing from the map (1 of 2): "
        "Sam Hollis (Head of IT)"
    )


def test_logged_activity_counts_as_contact_in_the_health_score(
    project: Callable[..., CheckRun], write_plan: Callable[..., Path]
) -> None:
    # Chris Ortega has no last_contact in the plan; Salesforce logged a meeting on 2026-11-25.
    text = LINKED.replace("    last_contact: 2026-11-20\n", "")
    ctx = CheckContext(load_program(None, Path.cwd()).program, AS_OF)
    plan = load_plan(write_plan(text)).plan
    assert plan is not None
    without = score_plan(plan, ctx)
    assert "health-no-contact" in {d.rule for d in without.deductions}
    health = project(good_snapshot(), text, health=True).reports[0].health
    assert health is not None and health.score == 100
