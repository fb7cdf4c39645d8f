"""The command line: exit codes, the four validate formats, score output, parallel runs."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner, Result
from conftest import AS_OF, COMPLETE_TIER1, MINIMAL, ROOT

from planpack.cli import cli

PlanWriter = Callable[..., Path]


@pytest.fixture(autouse=True)
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every command in tmp_path, so planpack.yaml discovery sees only what a test writes."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    return tmp_path


def run(*args: str) -> Result:
    """planpack ARGS --as-of AS_OF (unless the test gives its own --as-of)."""
    argv = list(args)
    if "--as-of" not in argv and argv[0] in ("validate", "score"):
        argv += ["--as-of", AS_OF.isoformat()]
    return CliRunner().invoke(cli, argv, catch_exceptions=False)


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


NO_MANAGER = edit(COMPLETE_TIER1, "  manager: omar.haddad@example.com\n", "")
PASSED_REVIEW = edit(COMPLETE_TIER1, "next_review: 2027-01-13", "next_review: 2026-11-30")
NO_CHAMPION = edit(COMPLETE_TIER1, "role: champion", "role: coach")

MANAGER_ERROR = (
    "plans/acme.yaml:7:3: error[tier-manager] team.manager: "
    "tier 1 requires a manager, who owns the review cadence\n"
    "    fix: add `manager:` with the manager's e-mail to team\n"
)
REVIEW_WARNING = (
    "plans/acme.yaml:17:16: warning[review-unscheduled] cadence.next_review: "
    "the next review was scheduled for 2026-11-30, which has passed\n"
    "    fix: record the review, or set the new date in cadence.next_review\n"
)


# --- validate: exit codes and the text format -------------------------------------------


def test_validate_a_valid_plan(write_plan: PlanWriter) -> None:
    write_plan(COMPLETE_TIER1)
    result = run("validate", "plans/acme.yaml")
    assert (result.exit_code, result.output) == (
        0, "1 plan checked, all valid: 0 errors, 0 warnings\n"
    )


def test_validate_defaults_to_the_plans_folder(write_plan: PlanWriter) -> None:
    write_plan(NO_MANAGER)
    write_plan(MINIMAL, "minimal")
    result = run("validate")
    assert result.exit_code == 1
    assert result.output == MANAGER_ERROR + "2 plans checked, 1 failed: 1 error, 0 warnings\n"


def test_validate_text_lines_are_sorted_by_file_and_line(write_plan: PlanWriter) -> None:
    write_plan(edit(NO_MANAGER, "next_review: 2027-01-13", "next_review: 2026-11-30"))
    result = run("validate", "plans")
    assert result.exit_code == 1
    expected_warning = REVIEW_WARNING.replace(":17:16:", ":16:16:")
    assert result.stdout == (
        MANAGER_ERROR + expected_warning + "1 plan checked, 1 failed: 1 error, 1 warning\n"
    )


def test_warnings_pass_unless_strict(write_plan: PlanWriter) -> None:
    write_plan(PASSED_REVIEW)
    relaxed = run("validate", "plans")
    assert (relaxed.exit_code, relaxed.output) == (
        0, REVIEW_WARNING + "1 plan checked, all valid: 0 errors, 1 warning\n"
    )
    strict = run("validate", "--strict", "plans")
    assert (strict.exit_code, strict.output) == (
        1, REVIEW_WARNING + "1 plan checked, 1 failed: 0 errors, 1 warning "
        "(strict: warnings fail)\n",
    )


def test_a_missing_path_is_a_usage_error(write_plan: PlanWriter) -> None:
    write_plan(COMPLETE_TIER1)
    result = run("validate", "plans/acme.yaml", "plans/nowhere.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "Error: plans/nowhere.yaml: no such file or folder\n"


def test_no_plans_folder_is_a_usage_error() -> None:
    result = run("validate")
    assert result.exit_code == 2
    assert result.stderr == "Error: plans: no such file or folder\n"


def test_a_folder_without_plans_is_a_usage_error(project: Path) -> None:
    (project / "empty").mkdir()
    result = run("validate", "empty")
    assert result.exit_code == 2
    assert result.stderr == "Error: empty: no plan files (*.yaml) in this folder\n"


@pytest.mark.parametrize("command", ["validate", "score"])
@pytest.mark.parametrize("day", ["2026-13-01", "01/12/2026", "tomorrow"])
def test_a_bad_as_of_is_a_usage_error(write_plan: PlanWriter, command: str, day: str) -> None:
    write_plan(COMPLETE_TIER1)
    result = run(command, "--as-of", day, "plans")
    assert result.exit_code == 2
    assert "Invalid value for '--as-of'" in result.stderr
    assert result.stdout == ""


def test_as_of_changes_the_verdict(write_plan: PlanWriter) -> None:
    write_plan(COMPLETE_TIER1)
    assert run("validate", "--as-of", "2026-12-01", "plans").exit_code == 0
    later = run("validate", "--strict", "--as-of", "2027-03-01", "plans")
    assert later.exit_code == 1
    assert "warning[review-overdue]" in later.output


BAD_CONFIG = """\
program: FY27
tiers:
  1:
    review_evry_days: 30
"""


@pytest.mark.parametrize("command", ["validate", "score"])
def test_a_bad_planpack_yaml_is_a_config_error_naming_its_line(
    write_plan: PlanWriter, project: Path, command: str
) -> None:
    write_plan(COMPLETE_TIER1)
    (project / "planpack.yaml").write_text(BAD_CONFIG, encoding="utf-8")
    result = run(command)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    # Relative to the working folder, as CI annotations need.
    assert lines[0].startswith(
        "planpack.yaml:4:5: error[schema-unknown-key] tiers[1].review_evry_days: "
    )
    assert "review_every_days" in result.stderr  # the suggestion
    assert lines[-1] == "Error: the programme configuration is invalid; nothing was checked"


def test_a_planpack_yaml_in_a_parent_folder_is_found(
    write_plan: PlanWriter, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plan(COMPLETE_TIER1)
    (project / "planpack.yaml").write_text(
        "tiers:\n  1:\n    require:\n      min_forward_actions: 4\n", encoding="utf-8"
    )
    monkeypatch.chdir(project / "plans")
    result = run("validate", "acme.yaml")
    assert result.exit_code == 1
    assert "acme.yaml:50:3: error[tier-forward-actions] actions: tier 1 requires 4 forward " \
           "actions, found 3" in result.output


def test_config_option_names_the_programme_file(write_plan: PlanWriter, project: Path) -> None:
    write_plan(COMPLETE_TIER1)
    conf = project / "conf"
    conf.mkdir()
    (conf / "strict.yaml").write_text(textwrap.dedent("""\
        plans_dir: ../plans
        tiers:
          1:
            require:
              min_forward_actions: 4
        """), encoding="utf-8")
    assert run("validate").exit_code == 0  # no planpack.yaml here: the defaults
    result = run("validate", "--config", "conf/strict.yaml")
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(
        "plans/acme.yaml:50:3: error[tier-forward-actions] actions: "
        "tier 1 requires 4 forward actions, found 3"
    )


@pytest.mark.parametrize(("fmt", "expected"), [
    ("github", "::error file=planpack.yaml,line=4,col=5,title=schema-unknown-key "
               "tiers[1].review_evry_days::tiers[1].review_evry_days: unknown key "),
    ("json", '[\n  {\n    "file": "planpack.yaml",\n    "line": 4,\n    "column": 5,'),
])
def test_a_bad_planpack_yaml_in_the_format_ci_reads(
    write_plan: PlanWriter, project: Path, fmt: str, expected: str
) -> None:
    write_plan(COMPLETE_TIER1)
    (project / "planpack.yaml").write_text(BAD_CONFIG, encoding="utf-8")
    result = run("validate", "--format", fmt)
    assert result.exit_code == 2
    assert result.stdout.startswith(expected)


def test_config_option_with_a_missing_or_bad_file(write_plan: PlanWriter, project: Path) -> None:
    write_plan(COMPLETE_TIER1)
    missing = run("validate", "--config", "nowhere.yaml", "plans")
    assert missing.exit_code == 2
    assert "'nowhere.yaml' does not exist" in missing.stderr
    (project / "bad.yaml").write_text(BAD_CONFIG, encoding="utf-8")
    bad = run("validate", "--config", "bad.yaml", "plans")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("bad.yaml:4:5: error[schema-unknown-key] ")
    assert bad.stderr.endswith(
        "Error: the programme configuration is invalid; nothing was checked\n"
    )


# --- validate: json, github, junit ------------------------------------------------------


def test_json_format(write_plan: PlanWriter) -> None:
    write_plan(edit(NO_MANAGER, "next_review: 2027-01-13", "next_review: 2026-11-30"))
    write_plan(COMPLETE_TIER1, "good")
    result = run("validate", "--format", "json", "plans")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "file": "plans/acme.yaml", "line": 7, "column": 3, "severity": "error",
            "rule": "tier-manager", "field": "team.manager",
            "message": "tier 1 requires a manager, who owns the review cadence",
            "fix": "add `manager:` with the manager's e-mail to team",
        },
        {
            "file": "plans/acme.yaml", "line": 16, "column": 16, "severity": "warning",
            "rule": "review-unscheduled", "field": "cadence.next_review",
            "message": "the next review was scheduled for 2026-11-30, which has passed",
            "fix": "record the review, or set the new date in cadence.next_review",
        },
    ]
    # The summary goes to stderr, keeping stdout machine-readable.
    assert result.stderr == "2 plans checked, 1 failed: 1 error, 1 warning\n"


def test_json_format_with_nothing_found(write_plan: PlanWriter) -> None:
    write_plan(COMPLETE_TIER1)
    result = run("validate", "--format", "json", "plans")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_github_format(write_plan: PlanWriter) -> None:
    write_plan(NO_MANAGER)
    write_plan(PASSED_REVIEW, "other")
    result = run("validate", "--format", "github", "plans")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=plans/acme.yaml,line=7,col=3,title=tier-manager team.manager::"
        "team.manager: tier 1 requires a manager, who owns the review cadence "
        "(fix: add `manager:` with the manager's e-mail to team)",
        "::warning file=plans/other.yaml,line=17,col=16,"
        "title=review-unscheduled cadence.next_review::"
        "cadence.next_review: the next review was scheduled for 2026-11-30, which has passed "
        "(fix: record the review, or set the new date in cadence.next_review)",
        "2 plans checked, 1 failed: 1 error, 1 warning",
    ]
    strict = run("validate", "--format", "github", "--strict", "plans")
    assert strict.stdout.splitlines()[1].startswith("::error file=plans/other.yaml,line=17,")


def test_github_format_escapes_percent_newline_and_property_separators(
    write_plan: PlanWriter,
) -> None:
    # A product name with a line break and a percent sign, in a cell given twice.
    text = edit(COMPLETE_TIER1, "products: [Fleet Tracking, Route Optimizer]",
                'products: [Fleet Tracking, "Route\\nOptimizer 100%"]')
    text = text.replace("product: Route Optimizer,", 'product: "Route\\nOptimizer 100%",')
    text = edit(text, "actions:\n",
                '    - {product: "Route\\nOptimizer 100%", unit: DACH, status: owned}\n'
                "actions:\n")
    write_plan(text, "acme,inc")
    result = run("validate", "--format", "github", "plans")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=plans/acme%2Cinc.yaml,line=49,col=7,"
        "title=unique-whitespace whitespace.cells[4]::"
        "whitespace.cells[4]: the cell Route%0AOptimizer 100%25 / DACH is already given at "
        "whitespace.cells[3] (fix: keep one cell per product and unit)",
        "1 plan checked, 1 failed: 1 error, 0 warnings",
    ]


def _cases(xml: str) -> dict[str, ET.Element]:
    suite = ET.fromstring(xml)
    assert suite.tag == "testsuite"
    return {case.attrib["name"]: case for case in suite.iter("testcase")}


def test_junit_format(write_plan: PlanWriter) -> None:
    write_plan(COMPLETE_TIER1, "good")
    write_plan(NO_MANAGER, "bad")
    write_plan(PASSED_REVIEW, "drifting")
    result = run("validate", "--format", "junit", "plans")
    assert result.exit_code == 1
    suite = ET.fromstring(result.stdout)
    assert {k: suite.attrib[k] for k in ("tests", "failures", "errors")} == {
        "tests": "3", "failures": "1", "errors": "0"
    }
    cases = _cases(result.stdout)
    assert sorted(cases) == ["bad", "drifting", "good"]
    assert cases["good"].attrib["file"] == "plans/good.yaml"
    assert list(cases["good"]) == []
    failure = cases["bad"].find("failure")
    assert failure is not None
    assert failure.attrib == {"type": "tier-manager", "message": "1 problem"}
    assert failure.text == (
        "plans/bad.yaml:7:3: error[tier-manager] team.manager: "
        "tier 1 requires a manager, who owns the review cadence"
    )
    # Without --strict a warning is reported but does not fail the case.
    assert cases["drifting"].find("failure") is None
    out = cases["drifting"].find("system-out")
    assert out is not None and out.text is not None
    assert "warning[review-unscheduled]" in out.text
    assert result.stderr == "3 plans checked, 1 failed: 1 error, 1 warning\n"


def test_junit_format_strict_makes_warnings_failures(write_plan: PlanWriter) -> None:
    write_plan(COMPLETE_TIER1, "good")
    write_plan(PASSED_REVIEW, "drifting")
    result = run("validate", "--format", "junit", "--strict", "plans")
    assert result.exit_code == 1
    suite = ET.fromstring(result.stdout)
    assert (suite.attrib["tests"], suite.attrib["failures"]) == ("2", "1")
    failure = _cases(result.stdout)["drifting"].find("failure")
    assert failure is not None
    assert failure.attrib == {"type": "review-unscheduled", "message": "1 problem"}
    assert _cases(result.stdout)["drifting"].find("system-out") is None


# --- score ------------------------------------------------------------------------------


def test_score_text(write_plan: PlanWriter) -> None:
    write_plan(NO_CHAMPION)
    write_plan(COMPLETE_TIER1, "good")
    result = run("score", "plans")
    assert result.exit_code == 0
    assert result.output == textwrap.dedent("""\
        acme: 96/100 green (On track)  plans/acme.yaml
          no Salesforce data
          completeness   88.3/100  weight 35
          freshness       100/100  weight 25
          actions         100/100  weight 20
          relationships   100/100  weight 20
          -4.1   tier-buying-committee: tier 1 buying committee is missing a champion
                 fix: map each role with a stakeholder and `role:`

        good: 100/100 green (On track)  plans/good.yaml
          no Salesforce data
          completeness    100/100  weight 35
          freshness       100/100  weight 25
          actions         100/100  weight 20
          relationships   100/100  weight 20

        2 plans scored: 2 green, 0 amber, 0 red; average 98
        """)


def test_score_json(write_plan: PlanWriter) -> None:
    write_plan(NO_CHAMPION)
    result = run("score", "--format", "json", "plans")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "plan": "acme",
            "file": "plans/acme.yaml",
            "score": 96,
            "grade": "green",
            "components": {
                "completeness": {"score": 88.3, "weight": 35},
                "freshness": {"score": 100, "weight": 25},
                "actions": {"score": 100, "weight": 20},
                "relationships": {"score": 100, "weight": 20},
            },
            "deductions": [
                {
                    "points": 4.1,
                    "rule": "tier-buying-committee",
                    "message": "tier 1 buying committee is missing a champion",
                    "fix": "map each role with a stakeholder and `role:`",
                    "component": "completeness",
                },
            ],
            "errors": [],
            "salesforce_fetched_at": None,
        },
    ]
    assert result.stderr == "1 plan scored: 1 green, 0 amber, 0 red; average 96\n"


def test_score_json_for_an_invalid_plan(write_plan: PlanWriter) -> None:
    write_plan(COMPLETE_TIER1, "good")
    write_plan(edit(COMPLETE_TIER1, "  tier: 1", "  tier: 4"), "bad")
    result = run("score", "--format", "json", "plans")
    assert result.exit_code == 1
    bad, good = json.loads(result.stdout)
    assert (good["plan"], good["score"], good["grade"], good["errors"]) == (
        "good", 100, "green", []
    )
    assert {k: bad[k] for k in ("plan", "file", "score", "grade", "components", "deductions")} \
        == {"plan": "bad", "file": "plans/bad.yaml", "score": None, "grade": None,
            "components": {}, "deductions": []}
    (error,) = bad["errors"]
    assert set(error) == {"file", "line", "column", "severity", "rule", "field", "message",
                          "fix"}
    assert (error["file"], error["line"], error["severity"], error["field"]) == (
        "plans/bad.yaml", 5, "error", "account.tier"
    )
    assert result.stderr == "1 plan scored: 1 green, 0 amber, 0 red; average 100; " \
                            "1 not scored (invalid)\n"


def test_score_text_for_an_invalid_plan(write_plan: PlanWriter) -> None:
    write_plan(edit(COMPLETE_TIER1, "  tier: 1", "  tier: 4"), "bad")
    result = run("score", "plans")
    assert result.exit_code == 1
    assert result.output == (
        "bad: not scored, 1 error(s) (run planpack validate plans/bad.yaml)\n\n"
        "0 plans scored: 0 green, 0 amber, 0 red; 1 not scored (invalid)\n"
    )


def test_fail_under(write_plan: PlanWriter) -> None:
    write_plan(NO_CHAMPION)  # scores 96
    write_plan(COMPLETE_TIER1, "good")
    assert run("score", "--fail-under", "96", "plans").exit_code == 0
    assert run("score", "--fail-under", "97", "plans").exit_code == 1
    assert run("score", "--fail-under", "97", "plans/good.yaml").exit_code == 0
    assert run("score", "--fail-under", "101", "plans").exit_code == 2


def test_score_uses_the_thresholds_of_planpack_yaml(write_plan: PlanWriter, project: Path) -> None:
    write_plan(NO_CHAMPION)
    (project / "planpack.yaml").write_text(
        "health:\n  thresholds: {green: 97, amber: 90}\n", encoding="utf-8"
    )
    result = run("score", "--format", "json")
    assert [(p["score"], p["grade"]) for p in json.loads(result.stdout)] == [(96, "amber")]


# --- many plans, bad files --------------------------------------------------------------


def _portfolio(write_plan: PlanWriter, count: int) -> None:
    """`count` plans of one owner (over the tier 1 capacity), some with problems."""
    for i in range(count):
        text = edit(COMPLETE_TIER1, "name: Northwind Logistics", f"name: Account {i}")
        if i % 7 == 3:
            text = edit(text, "  manager: omar.haddad@example.com\n", "")
        if i % 5 == 1:
            text = edit(text, "due: 2026-12-18", "due: 2026-11-18")
        if i % 11 == 5:
            text = edit(text, "  tier: 1", "  tier: 9")
        write_plan(text, f"account-{i:03d}")


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["validate", "--format", "json"],
        ["validate", "--format", "junit", "--strict"],
        ["score", "--format", "json"],
    ],
    ids=["text", "json", "junit", "score"],
)
def test_worker_processes_give_the_same_output(write_plan: PlanWriter, args: list[str]) -> None:
    _portfolio(write_plan, 70)
    one = run(*args, "--jobs", "1")
    two = run(*args, "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr


def test_a_large_portfolio_in_worker_processes(write_plan: PlanWriter) -> None:
    _portfolio(write_plan, 70)
    result = run("validate", "--jobs", "2", "--format", "json")
    findings = json.loads(result.stdout)
    files = {f"plans/account-{i:03d}.yaml" for i in range(70)}
    assert {f["file"] for f in findings} == files
    # Cross-plan rules see every plan, whichever worker checked it: 64 plans load,
    # all owned by maria.chen, over the tier 1 limit of 20.
    capacity = [f for f in findings if f["rule"] == "owner-capacity"]
    assert len(capacity) == 64
    assert {f["message"] for f in capacity} == {
        "maria.chen@example.com owns 64 tier 1 plans; the programme allows 20 per owner"
    }
    loaded = [i for i in range(70) if i % 11 != 5]
    assert len(loaded) == 64
    assert sum(f["rule"] == "tier-manager" for f in findings) == sum(i % 7 == 3 for i in loaded)
    assert sum(f["rule"] == "action-overdue" for f in findings) == sum(
        i % 5 == 1 for i in loaded
    )
    assert sum(f["rule"] == "schema-value" for f in findings) == 6
    assert findings == sorted(findings, key=lambda f: (f["file"], f["line"], f["column"],
                                                       f["rule"], f["message"]))
    assert result.stderr.startswith("70 plans checked, ")


def test_a_bad_file_never_stops_the_others(write_plan: PlanWriter, project: Path) -> None:
    write_plan(COMPLETE_TIER1, "good")
    write_plan(NO_MANAGER, "incomplete")
    write_plan("account: [unclosed\n", "broken")
    write_plan("", "empty")
    write_plan(edit(COMPLETE_TIER1, "  tier: 1", "  tier: 4"), "schema")
    (project / "plans" / "latin1.yaml").write_bytes(
        COMPLETE_TIER1.replace("Northwind", "Nordvæst").encode("latin-1")
    )
    (project / "dangling.yaml").symlink_to(project / "missing.yaml")
    result = run("validate", "--format", "json", "plans", "dangling.yaml")
    assert result.exit_code == 1
    by_file: dict[str, set[str]] = {}
    for f in json.loads(result.stdout):
        by_file.setdefault(Path(f["file"]).stem, set()).add(f["severity"])
    assert sorted(by_file) == ["broken", "dangling", "empty", "incomplete", "latin1", "schema"]
    assert all(severities == {"error"} for severities in by_file.values())
    assert result.stderr.startswith("7 plans checked, 6 failed: ")

    scored = run("score", "--format", "json", "plans", "dangling.yaml")
    assert scored.exit_code == 1
    scores = {p["plan"]: p["score"] for p in json.loads(scored.stdout)}
    assert scores == {"broken": None, "dangling": None, "empty": None, "good": 100,
                      "incomplete": 97, "latin1": None, "schema": None}


# --- start-up cost ----------------------------------------------------------------------


HEAVY = ("weasyprint", "pptx", "simple_salesforce")
PROBE = """\
import json, sys
sys.argv = ["planpack", *json.loads(sys.argv[1])]
from planpack.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code
print()
print(json.dumps({"exit": code, "loaded": sorted(
    name for name in ("weasyprint", "pptx", "simple_salesforce", "pydantic")
    if name in sys.modules
)}))
"""


def _probe(args: list[str], cwd: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)], cwd=cwd, capture_output=True,
        text=True, check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_the_heavy_libraries_are_installed() -> None:
    # Otherwise the next tests could not notice them being imported.
    done = subprocess.run([sys.executable, "-c", "import " + ", ".join(HEAVY)], check=False,
                          cwd=ROOT)
    assert done.returncode == 0


def test_help_loads_neither_the_renderers_nor_pydantic(project: Path) -> None:
    assert _probe(["--help"], project) == {"exit": 0, "loaded": []}


@pytest.mark.parametrize("command", ["validate", "score"])
def test_checking_a_plan_does_not_load_the_renderers_or_salesforce(
    write_plan: PlanWriter, project: Path, command: str
) -> None:
    write_plan(COMPLETE_TIER1)
    probe = _probe([command, "--as-of", AS_OF.isoformat(), "plans/acme.yaml"], project)
    assert probe["exit"] == 0
    assert isinstance(probe["loaded"], list)
    assert [name for name in probe["loaded"] if name in HEAVY] == []


def test_schema_command_prints_json(project: Path) -> None:
    result = CliRunner().invoke(cli, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert "account" in schema["properties"]
