"""planpack.yaml: finding it, its defaults, merging over them, and its errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from planpack.errors import ConfigError
from planpack.findings import Finding
from planpack.loader.program import CONFIG_NAME, find_config, load_program
from planpack.models.program import Program, default_program


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CONFIG_NAME
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def program_from(tmp_path: Path, text: str) -> Program:
    return load_program(write_config(tmp_path, text)).program


def config_errors(tmp_path: Path, text: str) -> list[Finding]:
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_program(path)
    assert info.value.exit_code == 2
    for finding in info.value.findings:
        assert finding.file == str(path)
    return info.value.findings


def only_error(tmp_path: Path, text: str) -> Finding:
    [finding] = config_errors(tmp_path, text)
    return finding


def where(finding: Finding) -> tuple[str, int, int, str]:
    return finding.rule, finding.line, finding.column, finding.field


# --- finding planpack.yaml --------------------------------------------------------------


def test_find_config_in_the_folder_itself(tmp_path: Path) -> None:
    path = write_config(tmp_path, "program: Here\n")
    assert find_config(tmp_path) == path


def test_find_config_in_a_parent(tmp_path: Path) -> None:
    path = write_config(tmp_path, "program: Root\n")
    nested = tmp_path / "plans" / "emea"
    nested.mkdir(parents=True)
    assert find_config(nested) == path


def test_find_config_takes_the_nearest(tmp_path: Path) -> None:
    write_config(tmp_path, "program: Outer\n")
    inner = write_config(tmp_path / "team", "program: Inner\n")
    assert find_config(tmp_path / "team") == inner


def test_find_config_ignores_a_folder_named_planpack_yaml(tmp_path: Path) -> None:
    path = write_config(tmp_path, "program: Root\n")
    nested = tmp_path / "sub"
    (nested / CONFIG_NAME).mkdir(parents=True)
    assert find_config(nested) == path


def test_load_program_uses_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path, "program: From cwd\n")
    (tmp_path / "plans").mkdir()
    monkeypatch.chdir(tmp_path / "plans")
    config = load_program()
    assert config.program.program == "From cwd"
    assert config.file == path.resolve()
    assert config.root == tmp_path.resolve()
    assert config.path("plans") == tmp_path.resolve() / "plans"


def test_load_program_from_a_start_folder(tmp_path: Path) -> None:
    write_config(tmp_path, "currency: EUR\n")
    nested = tmp_path / "plans"
    nested.mkdir()
    assert load_program(start=nested).program.currency == "EUR"


def test_an_explicit_config_path_wins_over_the_nearest(tmp_path: Path) -> None:
    write_config(tmp_path, "program: Nearest\n")
    other = write_config(tmp_path / "elsewhere", "program: Given\n")
    config = load_program(other, start=tmp_path)
    assert config.program.program == "Given"
    assert config.file == other.resolve()
    assert config.root == other.resolve().parent


def test_an_explicit_config_path_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_program(missing)
    [finding] = info.value.findings
    assert (finding.file, finding.rule, finding.line, finding.column) == (
        str(missing), "file-unreadable", 1, 1
    )
    assert finding.message == "no such file"


# --- defaults -----------------------------------------------------------------------------


def test_no_config_means_the_defaults(tmp_path: Path) -> None:
    config = load_program(start=tmp_path)
    assert config.file is None
    assert config.root == tmp_path.resolve()
    assert config.program == default_program()


def test_defaults_are_the_specs_planpack_yaml(tmp_path: Path) -> None:
    program = load_program(start=tmp_path).program
    assert program.program == "FY27 Strategic Accounts"
    assert program.currency == "USD"
    assert program.fiscal_year_start == 1
    assert (program.plans_dir, program.output_dir, program.templates_dir) == (
        "plans", "output", "templates"
    )

    one = program.tier(1)
    assert (one.review_every_days, one.checkin_every_days, one.max_plans_per_owner) == (
        92, 31, 20
    )
    assert one.plan_required is True
    assert one.require.buying_committee == ["economic_buyer", "decision_maker", "champion"]
    assert one.require.whitespace_filled is True
    assert one.require.min_forward_actions == 3

    two = program.tier(2)
    assert (two.review_every_days, two.checkin_every_days, two.max_plans_per_owner) == (
        31, None, 40
    )
    assert two.plan_required is True
    assert two.require.buying_committee == ["champion"]
    assert two.require.whitespace_filled is False
    assert two.require.min_forward_actions == 1

    three = program.tier(3)
    assert three.plan_required is False
    assert three.require.buying_committee == []
    assert three.require.min_forward_actions == 0

    weights = program.health.weights
    assert (weights.completeness, weights.freshness, weights.actions, weights.relationships) == (
        35, 25, 20, 20
    )
    assert program.health.stale_intelligence_days == 30

    assert program.salesforce.api_version == "62.0"
    assert program.salesforce.snapshot_dir == ".planpack/snapshots"
    assert program.salesforce.max_snapshot_age_hours == 24


def test_tiers_1_and_2_require_a_manager_by_default() -> None:
    # The spec: team.manager is required for tiers 1 and 2.
    program = default_program()
    assert [program.tier(t).require.manager for t in (1, 2, 3)] == [True, True, False]


def test_the_spec_example_loads_to_the_defaults(tmp_path: Path) -> None:
    spec_example = """\
        program: FY27 Strategic Accounts
        currency: USD               # amounts in plans and packets
        fiscal_year_start: 1        # month; quarters on roadmaps follow it
        plans_dir: plans
        output_dir: output
        templates_dir: templates
        tiers:
          1:
            review_every_days: 92
            checkin_every_days: 31
            max_plans_per_owner: 20
            require:
              buying_committee: [economic_buyer, decision_maker, champion]
              whitespace_filled: true
              min_forward_actions: 3
          2:
            review_every_days: 31
            max_plans_per_owner: 40
            require:
              buying_committee: [champion]
              min_forward_actions: 1
          3:
            plan_required: false
        health:
          weights: {completeness: 35, freshness: 25, actions: 20, relationships: 20}
          stale_intelligence_days: 30
        salesforce:
          api_version: "62.0"
          snapshot_dir: .planpack/snapshots
          max_snapshot_age_hours: 24
        """
    assert program_from(tmp_path, spec_example) == default_program()


# --- merging over the defaults ----------------------------------------------------------


def test_a_partial_tier_keeps_the_other_defaults(tmp_path: Path) -> None:
    program = program_from(tmp_path, "tiers:\n  1:\n    review_every_days: 60\n")
    one = program.tier(1)
    assert one.review_every_days == 60
    assert one.checkin_every_days == 31
    assert one.require.buying_committee == ["economic_buyer", "decision_maker", "champion"]
    assert one.require.min_forward_actions == 3
    assert program.tier(2) == default_program().tier(2)


def test_string_tier_keys_name_the_same_tier(tmp_path: Path) -> None:
    program = program_from(tmp_path, 'tiers:\n  "1":\n    review_every_days: 60\n')
    assert program.tier(1).review_every_days == 60
    assert program.tier(1).require.min_forward_actions == 3
    assert set(program.tiers) == {1, 2, 3}


def test_a_nested_setting_merges_deeply(tmp_path: Path) -> None:
    program = program_from(
        tmp_path, "tiers:\n  2:\n    require:\n      min_forward_actions: 2\n"
    )
    two = program.tier(2)
    assert two.require.min_forward_actions == 2
    assert two.require.buying_committee == ["champion"]
    assert two.review_every_days == 31


def test_a_list_replaces_the_default_list(tmp_path: Path) -> None:
    program = program_from(
        tmp_path, "tiers:\n  1:\n    require:\n      buying_committee: [champion]\n"
    )
    assert program.tier(1).require.buying_committee == ["champion"]


def test_a_null_setting_turns_a_cadence_off(tmp_path: Path) -> None:
    program = program_from(tmp_path, "tiers:\n  1:\n    checkin_every_days: null\n")
    assert program.tier(1).checkin_every_days is None
    assert program.tier(1).review_every_days == 92


@pytest.mark.parametrize(
    "text", ["tiers:\n", "tiers:\n  1:\n", "tiers:\n  1:\n    require:\n", "health:\n"]
)
def test_a_blank_section_keeps_the_defaults(tmp_path: Path, text: str) -> None:
    assert program_from(tmp_path, text) == default_program()


def test_other_settings_override(tmp_path: Path) -> None:
    program = program_from(
        tmp_path,
        """\
        program: FY28 Key Accounts
        currency: EUR
        fiscal_year_start: 4
        health:
          weights: {completeness: 50}
          stale_intelligence_days: 45
        salesforce:
          api_version: "61.0"
        """,
    )
    assert program.program == "FY28 Key Accounts"
    assert program.currency == "EUR"
    assert program.fiscal_year_start == 4
    assert program.health.weights.completeness == 50
    assert program.health.weights.freshness == 25
    assert program.health.stale_intelligence_days == 45
    assert program.salesforce.api_version == "61.0"
    assert program.salesforce.snapshot_dir == ".planpack/snapshots"
    assert program.tier(1) == default_program().tier(1)


# --- a bad planpack.yaml -------------------------------------------------------------------


def test_unknown_top_level_key(tmp_path: Path) -> None:
    finding = only_error(tmp_path, "program: X\nhelth:\n  stale_intelligence_days: 10\n")
    assert where(finding) == ("schema-unknown-key", 2, 1, "helth")
    assert finding.message == "unknown key 'helth'; did you mean 'health'?"
    assert finding.fix == "rename it to health"


def test_unknown_nested_key(tmp_path: Path) -> None:
    finding = only_error(tmp_path, "health:\n  stale_intelligence_dayz: 10\n")
    assert where(finding) == (
        "schema-unknown-key", 2, 3, "health.stale_intelligence_dayz"
    )
    assert finding.message == (
        "unknown key 'stale_intelligence_dayz'; did you mean 'stale_intelligence_days'?"
    )


def test_unknown_key_in_a_tier(tmp_path: Path) -> None:
    finding = only_error(tmp_path, "tiers:\n  1:\n    review_every_dayz: 60\n")
    assert where(finding) == ("schema-unknown-key", 3, 5, "tiers[1].review_every_dayz")
    assert finding.message == "unknown key 'review_every_dayz'; did you mean 'review_every_days'?"


def test_wrong_type(tmp_path: Path) -> None:
    finding = only_error(tmp_path, "health:\n  stale_intelligence_days: soon\n")
    assert where(finding) == ("schema-value", 2, 28, "health.stale_intelligence_days")
    assert finding.message == "found 'soon', expected a whole number"


def test_out_of_range(tmp_path: Path) -> None:
    finding = only_error(tmp_path, "fiscal_year_start: 13\n")
    assert where(finding) == ("schema-value", 1, 20, "fiscal_year_start")
    assert finding.message == "found 13, expected at most 12"


def test_bad_role_in_a_buying_committee(tmp_path: Path) -> None:
    finding = only_error(
        tmp_path, "tiers:\n  1:\n    require:\n      buying_committee: [economic_buyer, champ]\n"
    )
    assert where(finding) == (
        "schema-value", 4, 42, "tiers[1].require.buying_committee[1]"
    )
    assert finding.message.endswith("; did you mean 'champion'?")


def test_a_tier_that_does_not_exist(tmp_path: Path) -> None:
    finding = only_error(tmp_path, "tiers:\n  4:\n    review_every_days: 10\n")
    assert (finding.rule, finding.line, finding.column) == ("schema-value", 2, 3)
    assert finding.message == "found 4, expected one of 1, 2 or 3"


def test_weights_adding_to_zero(tmp_path: Path) -> None:
    finding = only_error(
        tmp_path,
        "health:\n  weights: {completeness: 0, freshness: 0, actions: 0, relationships: 0}\n",
    )
    assert where(finding) == ("schema-value", 2, 12, "health.weights")
    assert finding.message == "the health weights add up to 0"


def test_duplicate_key(tmp_path: Path) -> None:
    finding = only_error(tmp_path, "currency: USD\nprogram: A\ncurrency: EUR\n")
    assert where(finding) == ("yaml-duplicate-key", 3, 1, "currency")
    assert finding.message == "duplicate key 'currency'; it is first set at line 1"


def test_invalid_yaml(tmp_path: Path) -> None:
    finding = only_error(tmp_path, "program: FY27: Strategic\n")
    assert where(finding) == ("yaml-syntax", 1, 14, "")
    assert finding.message.startswith("a ':' where YAML expected none")


def test_a_top_level_list(tmp_path: Path) -> None:
    finding = only_error(tmp_path, "- program: FY27\n")
    assert where(finding) == ("yaml-top-level", 1, 1, "")
    assert finding.message == (
        "the top level is a list; planpack.yaml is a mapping of keys to values"
    )


def test_an_empty_config(tmp_path: Path) -> None:
    finding = only_error(tmp_path, "# nothing yet\n")
    assert (finding.rule, finding.line) == ("file-empty", 1)


def test_every_error_is_reported_in_line_order(tmp_path: Path) -> None:
    findings = config_errors(
        tmp_path,
        """\
        currency: usd
        fiscal_year_start: 0
        health:
          stale_intelligence_days: 0
        salesforce:
          api_version: v62
          snapshot_dir: a
          snapshot_dir: b
        """,
    )
    assert [(f.line, f.rule, f.field) for f in findings] == [
        (1, "schema-value", "currency"),
        (2, "schema-value", "fiscal_year_start"),
        (4, "schema-value", "health.stale_intelligence_days"),
        (6, "schema-value", "salesforce.api_version"),
        (8, "yaml-duplicate-key", "salesforce.snapshot_dir"),
    ]


def test_config_error_message_joins_the_findings(tmp_path: Path) -> None:
    path = write_config(tmp_path, "helth: {}\nfiscal_year_start: 13\n")
    with pytest.raises(ConfigError) as info:
        load_program(path)
    assert str(info.value) == (
        "unknown key 'helth'; did you mean 'health'?; found 13, expected at most 12"
    )


def test_yes_is_not_a_flag(tmp_path: Path) -> None:
    # YAML 1.2 reads `yes` as text; a flag is written true or false.
    finding = only_error(tmp_path, "tiers:\n  2:\n    require:\n      whitespace_filled: yes\n")
    assert where(finding) == (
        "schema-value", 4, 26, "tiers[2].require.whitespace_filled"
    )
    assert finding.message == "found 'yes', expected true or false"


def test_a_cadence_is_a_whole_number_of_days(tmp_path: Path) -> None:
    finding = only_error(tmp_path, "tiers:\n  1:\n    review_every_days: 90.5\n")
    assert where(finding) == ("schema-value", 3, 24, "tiers[1].review_every_days")
    assert finding.message == "found 90.5, expected a whole number"
