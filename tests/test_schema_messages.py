"""Schema errors as a plan's author sees them: located, specific, with a suggestion.

Every test loads a file through load_plan, the way validate does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import COMPLETE_TIER1, MINIMAL

from planpack.findings import Finding, Severity
from planpack.loader.plans import LoadedPlan, load_plan
from planpack.rules import RULES

WritePlan = Callable[..., Path]
FILE = "plans/acme.yaml"


@pytest.fixture
def load(write_plan: WritePlan) -> Callable[[str], LoadedPlan]:
    def run(text: str) -> LoadedPlan:
        return load_plan(write_plan(text), FILE)

    return run


Load = Callable[[str], LoadedPlan]


def only(loaded: LoadedPlan) -> Finding:
    """The single finding of a plan that failed to load."""
    assert loaded.plan is None
    assert len(loaded.findings) == 1, loaded.findings
    return loaded.findings[0]


def where(finding: Finding) -> tuple[str, int, int, str]:
    return finding.rule, finding.line, finding.column, finding.field


def with_account(line: str) -> str:
    """MINIMAL with one more line in account: (at line 5)."""
    return MINIMAL.replace("  tier: 3\n", f"  tier: 3\n  {line}\n")


def test_the_fixture_plans_are_valid(load: Load) -> None:
    for text in (MINIMAL, COMPLETE_TIER1):
        loaded = load(text)
        assert loaded.findings == []
        assert loaded.plan is not None


# --- unknown keys ---------------------------------------------------------------


def test_unknown_top_level_key_suggests_the_close_one(load: Load) -> None:
    finding = only(load(MINIMAL + "stakeholdrs:\n  - name: Dana\n"))
    assert where(finding) == ("schema-unknown-key", 7, 1, "stakeholdrs")
    assert finding.message == "unknown key 'stakeholdrs'; did you mean 'stakeholders'?"
    assert finding.fix == "rename it to stakeholders"


def test_unknown_nested_key_suggests_the_close_one(load: Load) -> None:
    loaded = load(MINIMAL.replace("  owner:", "  ownr:"))
    assert loaded.plan is None
    unknown = [f for f in loaded.findings if f.rule == "schema-unknown-key"]
    assert [where(f) for f in unknown] == [("schema-unknown-key", 6, 3, "team.ownr")]
    assert unknown[0].message == "unknown key 'ownr'; did you mean 'owner'?"
    # The required owner is then missing, too: both are reported.
    assert [f.field for f in loaded.findings if f.rule == "schema-missing"] == ["team.owner"]


def test_unknown_key_with_no_close_match_lists_the_keys(load: Load) -> None:
    finding = only(load(MINIMAL + "cadence:\n  qbr: 2026-10-14\n"))
    assert where(finding) == ("schema-unknown-key", 8, 3, "cadence.qbr")
    assert finding.message == (
        "unknown key 'qbr'; expected one of last_review, last_checkin, next_review"
    )
    assert finding.fix == "remove it, or check its indentation"


def test_unknown_key_in_a_list_item(load: Load) -> None:
    finding = only(load(MINIMAL + "risks:\n  - title: Churn\n    severty: high\n"))
    assert where(finding) == ("schema-unknown-key", 9, 5, "risks[0].severty")
    assert finding.message == "unknown key 'severty'; did you mean 'severity'?"


def test_merge_key_is_not_supported(load: Load) -> None:
    finding = only(
        load(
            MINIMAL
            + "risks:\n"
            + "  - &risk {title: Churn, severity: high}\n"
            + "  - <<: *risk\n"
            + "    title: Price\n"
        )
    )
    assert where(finding) == ("schema-unknown-key", 9, 5, "risks[1].<<")
    assert finding.message == "YAML merge keys (<<) are not supported"
    assert finding.fix == "write the keys out in full"


# --- missing and blank values ---------------------------------------------------------


def test_missing_required_field_points_at_its_parent_mapping(load: Load) -> None:
    finding = only(
        load("schema_version: 1\naccount:\n  name: Acme\n  tier: 3\nteam:\n  manager: m@x.co\n")
    )
    assert where(finding) == ("schema-missing", 6, 3, "team.owner")
    assert finding.message == "is required: the single accountable owner of the plan"
    assert finding.fix == "add `owner:` to team"


def test_missing_account_name(load: Load) -> None:
    finding = only(load(MINIMAL.replace("  name: Minimal Co\n", "")))
    assert where(finding) == ("schema-missing", 3, 3, "account.name")
    assert finding.message == "is required: the customer's name, as the packet shows it"
    assert finding.fix == "add `name:` to account"


def test_missing_required_field_in_a_list_item(load: Load) -> None:
    finding = only(load(MINIMAL + "actions:\n  - owner: owner@example.com\n"))
    assert where(finding) == ("schema-missing", 8, 5, "actions[0].title")
    assert finding.message.startswith("is required")
    assert finding.fix == "add `title:` to actions[0]"


def test_missing_top_level_section_points_at_the_top(load: Load) -> None:
    finding = only(load("schema_version: 1\naccount:\n  name: Acme\n  tier: 3\n"))
    assert where(finding) == ("schema-missing", 1, 1, "team")
    assert finding.message.startswith("is required")
    assert finding.fix == "add `team:` to the top level"


def test_blank_required_value_points_at_its_key(load: Load) -> None:
    finding = only(load(MINIMAL.replace("  name: Minimal Co", "  name:")))
    assert where(finding) == ("schema-value", 3, 3, "account.name")
    assert finding.message == "has no value, expected text"
    assert finding.fix == "fill it in"


def test_blank_required_section(load: Load) -> None:
    finding = only(load(MINIMAL.replace("team:\n  owner: owner@example.com\n", "team:\n")))
    assert where(finding) == ("schema-value", 5, 1, "team")
    assert finding.message == "has no value, expected a mapping of keys to values"


def test_blank_optional_keys_are_accepted_as_absent(load: Load) -> None:
    loaded = load(
        MINIMAL.replace("team:\n", "team:\n  manager:\n")
        + "stakeholders:\n"
        + "summary:\n"
        + "cadence:\n"
        + "  last_review:\n"
        + "actions:\n"
        + "  - title: Call\n"
        + "    due:\n"
    )
    assert loaded.findings == []
    assert loaded.plan is not None
    assert loaded.plan.team.manager is None
    assert loaded.plan.stakeholders == []
    assert loaded.plan.summary is None
    assert loaded.plan.cadence.last_review is None
    assert loaded.plan.actions[0].due is None


def test_a_blank_list_item_is_an_error(load: Load) -> None:
    finding = only(load(MINIMAL + "stakeholders:\n  -\n  - name: Dana\n"))
    assert (finding.rule, finding.line, finding.field) == ("schema-value", 8, "stakeholders[0]")
    assert finding.message == "has no value, expected a mapping of keys to values"


# --- choices and ranges -----------------------------------------------------------------


def test_misspelt_choice_suggests_the_close_one(load: Load) -> None:
    finding = only(load(MINIMAL + "stakeholders:\n  - name: Dana\n    influence: hihg\n"))
    assert where(finding) == ("schema-value", 9, 16, "stakeholders[0].influence")
    assert finding.message == (
        "found 'hihg', expected one of high, medium or low; did you mean 'high'?"
    )
    assert finding.fix == "write high"


def test_choice_in_the_wrong_case_suggests_the_lower_case(load: Load) -> None:
    finding = only(load(MINIMAL + "stakeholders:\n  - name: Dana\n    sentiment: Advocate\n"))
    assert where(finding) == ("schema-value", 9, 16, "stakeholders[0].sentiment")
    assert finding.message == (
        "found 'Advocate', expected one of advocate, supporter, neutral, skeptic, "
        "detractor or unknown; did you mean 'advocate'?"
    )


def test_choice_written_with_spaces_suggests_the_underscored_one(load: Load) -> None:
    finding = only(load(MINIMAL + "stakeholders:\n  - name: Dana\n    role: Economic Buyer\n"))
    assert finding.field == "stakeholders[0].role"
    assert finding.message.endswith("; did you mean 'economic_buyer'?")


def test_choice_with_no_close_match_has_no_suggestion(load: Load) -> None:
    finding = only(load(MINIMAL + "risks:\n  - title: Churn\n    severity: 7\n"))
    assert where(finding) == ("schema-value", 9, 15, "risks[0].severity")
    assert finding.message == "found 7, expected one of high, medium or low"
    assert finding.fix is None


def test_tier_4(load: Load) -> None:
    finding = only(load(MINIMAL.replace("tier: 3", "tier: 4")))
    assert where(finding) == ("schema-value", 4, 9, "account.tier")
    assert finding.message == "found 4, expected one of 1, 2 or 3"


def test_tier_as_text(load: Load) -> None:
    finding = only(load(MINIMAL.replace("tier: 3", "tier: one")))
    assert finding.message == "found 'one', expected one of 1, 2 or 3"


def test_revenue_potential_out_of_range(load: Load) -> None:
    finding = only(load(with_account("revenue_potential: 7")))
    assert where(finding) == ("schema-value", 5, 22, "account.revenue_potential")
    assert finding.message == "found 7, expected at most 5"


def test_strategic_fit_below_range(load: Load) -> None:
    finding = only(load(with_account("strategic_fit: 0")))
    assert finding.message == "found 0, expected at least 1"


def test_probability_out_of_range(load: Load) -> None:
    finding = only(load(MINIMAL + "opportunities:\n  - name: DACH\n    probability: 150\n"))
    assert where(finding) == ("schema-value", 9, 18, "opportunities[0].probability")
    assert finding.message == "found 150, expected at most 100"


def test_negative_estimate(load: Load) -> None:
    finding = only(
        load(MINIMAL + "whitespace:\n  cells:\n    - {product: A, unit: B, estimate: -5}\n")
    )
    assert where(finding) == ("schema-value", 9, 39, "whitespace.cells[0].estimate")
    assert finding.message == "found -5, expected at least 0"


def test_text_where_a_number_belongs(load: Load) -> None:
    finding = only(load(MINIMAL + "opportunities:\n  - name: DACH\n    amount: lots\n"))
    assert where(finding) == ("schema-value", 9, 13, "opportunities[0].amount")
    assert finding.message == "found 'lots', expected a number"


def test_mapping_where_a_list_belongs(load: Load) -> None:
    finding = only(load(MINIMAL + "stakeholders:\n  name: Dana\n"))
    assert where(finding) == ("schema-value", 8, 3, "stakeholders")
    assert finding.message == "found a mapping, expected a list (lines starting with '- ')"


def test_list_where_text_belongs(load: Load) -> None:
    finding = only(load(MINIMAL + "summary: [one, two]\n"))
    assert where(finding) == ("schema-value", 7, 10, "summary")
    assert finding.message == "found a list, expected text"


# --- dates -------------------------------------------------------------------------------------


def test_february_30(load: Load) -> None:
    finding = only(load(MINIMAL + "cadence:\n  last_review: 2027-02-30\n"))
    assert where(finding) == ("schema-date", 8, 16, "cadence.last_review")
    assert finding.message == "2027-02-30 is not a calendar date: February 2027 has 28 days"
    assert finding.fix == "check the day and month"


def test_february_30_in_a_leap_year(load: Load) -> None:
    finding = only(load(MINIMAL + "cadence:\n  last_review: 2028-02-30\n"))
    assert finding.message == "2028-02-30 is not a calendar date: February 2028 has 29 days"


def test_february_29_in_a_leap_year_is_a_date(load: Load) -> None:
    loaded = load(MINIMAL + "cadence:\n  last_review: 2028-02-29\n")
    assert loaded.findings == []


def test_month_13(load: Load) -> None:
    finding = only(load(MINIMAL + "cadence:\n  next_review: 2026-13-01\n"))
    assert where(finding) == ("schema-date", 8, 16, "cadence.next_review")
    assert finding.message == "2026-13-01 is not a calendar date: there is no month 13"


def test_day_0(load: Load) -> None:
    finding = only(load(MINIMAL + "cadence:\n  next_review: 2026-12-00\n"))
    assert finding.message == "2026-12-00 is not a calendar date: days start at 1"


def test_a_word_where_a_date_belongs(load: Load) -> None:
    finding = only(load(MINIMAL + "actions:\n  - title: Call\n    due: tomorrow\n"))
    assert where(finding) == ("schema-date", 9, 10, "actions[0].due")
    assert finding.message == "found 'tomorrow', expected a date written YYYY-MM-DD"
    assert finding.fix == "write the date as YYYY-MM-DD, for example 2026-12-18"


def test_a_datetime_where_a_date_belongs(load: Load) -> None:
    finding = only(load(MINIMAL + "cadence:\n  last_review: 2026-10-14T10:00:00\n"))
    assert where(finding) == ("schema-date", 8, 16, "cadence.last_review")
    assert finding.message == "found '2026-10-14T10:00:00', expected a date written YYYY-MM-DD"


@pytest.mark.parametrize("text", ["14/10/2026", "2026-1-14", "20261014"])
def test_other_date_formats(load: Load, text: str) -> None:
    finding = only(load(MINIMAL + f"cadence:\n  last_review: {text}\n"))
    assert finding.rule == "schema-date"
    assert finding.message.endswith(", expected a date written YYYY-MM-DD")


def test_dates_become_dates(load: Load) -> None:
    loaded = load(COMPLETE_TIER1)
    assert loaded.plan is not None
    assert loaded.plan.cadence.last_review is not None
    assert loaded.plan.cadence.last_review.isoformat() == "2026-10-14"


# --- e-mails and urls ------------------------------------------------------------------------


def test_owner_that_is_not_an_email(load: Load) -> None:
    finding = only(load(MINIMAL.replace("owner@example.com", "Maria Chen")))
    assert where(finding) == ("schema-email", 6, 10, "team.owner")
    assert finding.message == (
        "found 'Maria Chen', expected an e-mail address such as name@example.com"
    )


def test_email_in_a_list_is_located(load: Load) -> None:
    finding = only(
        load(
            MINIMAL
            + "reviews:\n  - date: 2026-10-14\n    kind: qbr\n"
            + "    attendees: [a@example.com, omar]\n"
        )
    )
    assert where(finding) == ("schema-email", 10, 32, "reviews[0].attendees[1]")
    assert finding.message == "found 'omar', expected an e-mail address such as name@example.com"


def test_emails_are_compared_in_lower_case(load: Load) -> None:
    loaded = load(MINIMAL.replace("owner@example.com", "Owner@Example.COM"))
    assert loaded.plan is not None
    assert loaded.plan.team.owner == "owner@example.com"


def intelligence(url: str) -> str:
    return MINIMAL + f"intelligence:\n  - as_of: 2026-11-01\n    summary: CIO\n    url: {url}\n"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example/a", "news.example"])
def test_url_must_be_http(load: Load, url: str) -> None:
    finding = only(load(intelligence(url)))
    assert where(finding) == ("schema-value", 10, 10, "intelligence[0].url")
    assert finding.message == f"found {url!r}, expected an http:// or https:// address"


def test_http_urls_are_accepted(load: Load) -> None:
    loaded = load(intelligence("https://news.example/northwind-cio"))
    assert loaded.findings == []


# --- Salesforce Ids ---------------------------------------------------------------------------


def test_account_id_of_the_wrong_length(load: Load) -> None:
    finding = only(load(with_account("salesforce_id: 001Dn00000Abc1")))
    assert where(finding) == ("schema-id", 5, 18, "account.salesforce_id")
    assert finding.message == (
        "'001Dn00000Abc1' is not a Salesforce Id: expected 15 or 18 letters and digits, "
        "found 14 characters"
    )
    assert finding.fix == "copy the Id again from the record's URL in Salesforce"


def test_contact_id_where_an_account_id_belongs(load: Load) -> None:
    finding = only(load(with_account("salesforce_id: 003Dn00000Xyz34IAB")))
    assert where(finding) == ("schema-id", 5, 18, "account.salesforce_id")
    assert finding.message == (
        "003Dn00000Xyz34IAB is a Contact Id; expected an Account Id, which starts with 001"
    )


def test_account_id_where_an_opportunity_id_belongs(load: Load) -> None:
    finding = only(load(MINIMAL + "opportunities:\n  - salesforce_id: 001Dn00000Abc12\n"))
    assert where(finding) == ("schema-id", 8, 20, "opportunities[0].salesforce_id")
    assert finding.message == (
        "001Dn00000Abc12 is an Account Id; expected an Opportunity Id, which starts with 006"
    )


def test_bad_checksum_gives_the_expected_suffix(load: Load) -> None:
    finding = only(load(with_account("salesforce_id: 001Dn00000Abc12IAC")))
    assert finding.rule == "schema-id"
    assert finding.message == (
        "001Dn00000Abc12IAC fails the 18-character checksum: the last three characters "
        "should be 'IAB' for 001Dn00000Abc12; copy the Id again from Salesforce"
    )


def test_a_case_typo_in_an_18_character_id_is_caught(load: Load) -> None:
    finding = only(load(with_account("salesforce_id: 001dn00000Abc12IAB")))
    assert finding.rule == "schema-id"
    assert "should be 'AAB' for 001dn00000Abc12" in finding.message


def test_id_with_punctuation(load: Load) -> None:
    finding = only(load(with_account("salesforce_id: 001Dn-0000Abc12")))
    assert finding.message == (
        "'001Dn-0000Abc12' is not a Salesforce Id: expected 15 or 18 letters and digits, "
        "found 15 characters including punctuation or spaces"
    )


def test_15_and_18_character_ids_are_accepted(load: Load) -> None:
    for value in ("001Dn00000Abc12", "001Dn00000Abc12IAB"):
        loaded = load(with_account(f"salesforce_id: {value}"))
        assert loaded.findings == []
        assert loaded.plan is not None
        assert loaded.plan.account.salesforce_id == value


def test_opportunity_with_neither_id_nor_name(load: Load) -> None:
    finding = only(
        load(MINIMAL + "opportunities:\n  - name: DACH\n  - stage: planned\n    amount: 5\n")
    )
    assert where(finding) == ("schema-missing", 9, 5, "opportunities[1]")
    assert finding.message == "an opportunity needs a salesforce_id (linked) or a name (planned)"
    assert finding.fix == (
        "add `salesforce_id:` for an opportunity in Salesforce, or `name:` for a planned one"
    )


# --- schema_version ---------------------------------------------------------------------------


def test_schema_version_missing(load: Load) -> None:
    finding = only(load(MINIMAL.replace("schema_version: 1\n", "")))
    assert where(finding) == ("schema-version", 1, 1, "schema_version")
    assert finding.message == "is missing; this planpack reads version 1"
    assert finding.fix == "add `schema_version: 1` as the first key"


def test_schema_version_2_says_upgrade(load: Load) -> None:
    finding = only(load(MINIMAL.replace("schema_version: 1", "schema_version: 2")))
    assert where(finding) == ("schema-version", 1, 17, "schema_version")
    assert finding.message == (
        "found 2, expected 1; this plan is newer than this planpack: upgrade planpack"
    )


@pytest.mark.parametrize(("written", "shown"), [("one", "'one'"), ("0", "0"), ("'1'", "'1'")])
def test_schema_version_not_1(load: Load, written: str, shown: str) -> None:
    finding = only(load(MINIMAL.replace("schema_version: 1", f"schema_version: {written}")))
    assert where(finding) == ("schema-version", 1, 17, "schema_version")
    assert finding.message == f"found {shown}, expected 1"


# --- many findings ---------------------------------------------------------------------------


BROKEN = """\
schema_version: 1
account:
  name: Broken Co
  tier: 5
  revenue_potential: 9
team:
  owner: nobody
stakeholders:
  - name: Dana
    influence: hihg
    last_contact: 2026-02-31
actions:
  - id: a
  - title: Call
    due: tomorrow
    status: finished
"""


def test_every_error_in_a_file_is_reported_sorted_and_located(load: Load) -> None:
    loaded = load(BROKEN)
    assert loaded.plan is None
    assert [(f.line, f.column, f.rule, f.field) for f in loaded.findings] == [
        (4, 9, "schema-value", "account.tier"),
        (5, 22, "schema-value", "account.revenue_potential"),
        (7, 10, "schema-email", "team.owner"),
        (10, 16, "schema-value", "stakeholders[0].influence"),
        (11, 19, "schema-date", "stakeholders[0].last_contact"),
        (13, 5, "schema-missing", "actions[0].title"),
        (15, 10, "schema-date", "actions[1].due"),
        (16, 13, "schema-value", "actions[1].status"),
    ]
    for finding in loaded.findings:
        assert finding.file == FILE
        assert finding.severity is Severity.ERROR
        assert RULES[finding.rule].severity is Severity.ERROR
        assert finding.message
        assert finding.message[0].islower() or finding.message[0] in "'0123456789"


def test_yaml_problems_and_schema_errors_are_reported_together(load: Load) -> None:
    loaded = load(MINIMAL.replace("tier: 3", "tier: 4") + "team:\n  owner: b@example.com\n")
    assert [(f.line, f.rule, f.field) for f in loaded.findings] == [
        (4, "schema-value", "account.tier"),
        (7, "yaml-duplicate-key", "team"),
    ]


def test_non_ascii_text_keeps_columns_in_schema_errors(load: Load) -> None:
    finding = only(load(MINIMAL + "stakeholders:\n  - {name: Zoë Ünal 😀, influence: hihg}\n"))
    assert where(finding) == ("schema-value", 8, 35, "stakeholders[0].influence")


# --- numbers and flags are strict ----------------------------------------------------


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("tier: true", "account.tier", "found true, expected one of 1, 2 or 3"),
        ("tier: 1.0", "account.tier", "found 1.0, expected one of 1, 2 or 3"),
        ("revenue_potential: 3.0", "account.revenue_potential",
         "found 3.0, expected a whole number"),
        ("strategic_fit: '4'", "account.strategic_fit", "found '4', expected a whole number"),
        ("revenue_potential: true", "account.revenue_potential",
         "found true, expected a whole number"),
    ],
)
def test_a_number_must_be_written_as_one(
    load: Load, line: str, field: str, message: str
) -> None:
    text = MINIMAL.replace("  tier: 3\n", "") if line.startswith("tier") else MINIMAL
    finding = only(load(text.replace("  name: Minimal Co\n", f"  name: Minimal Co\n  {line}\n")))
    assert where(finding) == ("schema-value", 4, 3 + len(line.split(":")[0]) + 2, field)
    assert finding.message == message


def test_an_amount_is_not_a_flag(load: Load) -> None:
    text = MINIMAL + "opportunities:\n  - name: Expansion\n    amount: true\n"
    finding = only(load(text))
    assert where(finding) == ("schema-value", 9, 13, "opportunities[0].amount")
    assert finding.message == "found true, expected a number"


def test_a_whole_number_is_a_number(load: Load) -> None:
    loaded = load(MINIMAL + "opportunities:\n  - name: Expansion\n    amount: 300000\n")
    assert loaded.findings == [] and loaded.plan is not None
    assert loaded.plan.opportunities[0].amount == 300000.0


def test_a_title_may_be_a_number(load: Load) -> None:
    loaded = load(MINIMAL + "objectives:\n  - title: 2027\n    target: 80\n")
    assert loaded.findings == [] and loaded.plan is not None
    assert loaded.plan.objectives[0].title == "2027"
