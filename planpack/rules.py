"""The catalogue of rule ids: stable names that findings and deductions carry.

Ids never change meaning once released; CI configurations and suppressions
refer to them. The README's rule table is checked against this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from planpack.findings import Severity

E = Severity.ERROR
W = Severity.WARNING
I = Severity.INFO  # noqa: E741


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity | None  # None: a health deduction only, never a finding
    summary: str


_RULES = [
    # Reading the file.
    Rule("file-unreadable", E, "the file cannot be read (missing, a folder, no permission)"),
    Rule("file-too-large", E, "the file is over the 1 MB size cap"),
    Rule("file-encoding", E, "the file is not UTF-8"),
    Rule("file-empty", E, "the file is empty or holds only comments"),
    Rule("yaml-syntax", E, "the YAML cannot be parsed"),
    Rule("yaml-tab", E, "a tab is used for indentation"),
    Rule("yaml-duplicate-key", E, "a key appears twice in one mapping"),
    Rule("yaml-alias", E, "aliases expand the file too far, or refer to themselves"),
    Rule("yaml-tag", E, "an explicit YAML tag other than the standard scalar ones"),
    Rule("yaml-key", E, "a mapping key that is not plain text"),
    Rule("yaml-depth", E, "nesting deeper than any plan needs"),
    Rule("yaml-top-level", E, "the top level is not a mapping of sections"),
    # The schema.
    Rule("schema-version", E, "schema_version is missing or not one this planpack reads"),
    Rule("schema-unknown-key", E, "a key the format does not define (with a suggestion)"),
    Rule("schema-missing", E, "a required field is missing"),
    Rule("schema-value", E, "a value of the wrong type, out of range, or not an allowed choice"),
    Rule("schema-date", E, "a date that is not a real calendar date written YYYY-MM-DD"),
    Rule("schema-id", E, "a Salesforce Id with the wrong length, key prefix or checksum"),
    Rule("schema-email", E, "a person that is not an e-mail address"),
    # Cross-references and uniqueness.
    Rule("unique-stakeholder", E, "two stakeholders share a name"),
    Rule("unique-action-id", E, "two actions share an id"),
    Rule("unique-opportunity", E, "an opportunity is listed twice"),
    Rule("unique-whitespace", E, "a product, unit or product/unit cell is listed twice"),
    Rule("ref-reports-to", E, "reports_to names no stakeholder of the plan"),
    Rule("ref-reports-cycle", E, "reports_to lines form a cycle"),
    Rule("ref-influences", E, "influences names no stakeholder of the plan"),
    Rule("ref-action-stakeholder", E, "an action's stakeholder is not in the plan"),
    Rule("ref-action-opportunity", E, "an action's opportunity is not in the plan"),
    Rule("ref-whitespace", E, "a whitespace cell names a product or unit not listed"),
    Rule("ref-opportunity", E, "an opportunity's product or unit is not in the whitespace"),
    Rule("ref-cell-opportunity", W, "a whitespace cell links an opportunity not in the plan"),
    Rule("duplicate-slug", E, "two plan files have the same name"),
    # The tier's completeness standard.
    Rule("tier-buying-committee", E, "a buying-committee role the tier requires is unmapped"),
    Rule("tier-whitespace", E, "the tier requires a filled whitespace matrix"),
    Rule("tier-forward-actions", E, "fewer forward actions than the tier requires"),
    Rule("tier-manager", E, "the tier requires a manager"),
    # Softer findings.
    Rule("owner-not-member", W, "an owner is not a member of the account team"),
    Rule("owner-capacity", W, "an owner has more plans of a tier than the programme allows"),
    Rule("stale-intelligence", W, "the newest intelligence is older than the programme allows"),
    Rule("action-overdue", W, "an open action is past its due date"),
    Rule("review-overdue", W, "the last deep review is older than the tier's cadence"),
    Rule("checkin-overdue", W, "the last check-in is older than the tier's cadence"),
    Rule("review-unscheduled", W, "no next review is scheduled, or its date has passed"),
    Rule("opportunity-past-close", W, "a planned opportunity's close date has passed"),
    # Gaps between the plan and Salesforce (from the account's snapshot).
    Rule("crm-no-snapshot", I, "no Salesforce data: the account has no snapshot (a note)"),
    Rule("crm-stale-snapshot", W, "the snapshot is older than max_snapshot_age_hours"),
    Rule("crm-unknown-contact", W, "a stakeholder's Contact Id is not on the account"),
    Rule("crm-unknown-opportunity", W, "an Opportunity Id is not on the account"),
    Rule("crm-override", W, "values typed beside an Id are overridden by Salesforce's"),
    Rule("crm-closed-lost", W, "a linked opportunity is closed lost"),
    Rule("crm-missing-contact", W, "a contact with a role on an open opportunity is not mapped"),
    Rule("crm-no-activity", W, "a high-influence stakeholder has no activity in 90 days"),
    # Health deductions with no finding of their own.
    Rule("health-summary", None, "the plan has no summary"),
    Rule("health-objectives", None, "the plan has no objectives"),
    Rule("health-plan-age", None, "the plan has not been touched within the tier's cadence"),
    Rule("health-no-intelligence", None, "the plan has no dated intelligence"),
    Rule("health-no-actions", None, "the plan has no open action"),
    Rule("health-action-unassigned", None, "an open action has no owner or no due date"),
    Rule("health-momentum", None, "nothing is due in the next 30 days"),
    Rule("health-no-stakeholders", None, "the relationship map is empty"),
    Rule("health-no-advocate", None, "no stakeholder is an advocate"),
    Rule("health-coverage", None, "a high-influence stakeholder is barely known"),
    Rule("health-sentiment", None, "a high-influence stakeholder is a skeptic or detractor"),
    Rule("health-unknown-sentiment", None, "a stakeholder's sentiment is unknown"),
    Rule("health-no-contact", None, "a high-influence stakeholder has had no contact in 90 days"),
    Rule("health-single-threaded", None, "an open opportunity has fewer than 2 contact roles"),
    Rule("health-crm-coverage", None, "contacts with roles on open deals are missing from the map"),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def severity_of(rule_id: str) -> Severity:
    severity = RULES[rule_id].severity
    if severity is None:
        raise KeyError(f"{rule_id} is a health deduction, not a finding")
    return severity
