"""Plan history from git: semantic diffs, --since-review, and activity figures.

Each test scripts a small repository in tmp_path with pinned commit dates.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import AS_OF, COMPLETE_TIER1

from planpack.cli import cli
from planpack.history.activity import last_updated, stakeholders_added, updates_per_month
from planpack.history.compare import Change, compare
from planpack.history.diff import DiffRun, diff_plans, since_review
from planpack.history.git import HistoryError
from planpack.loader.program import load_program
from planpack.loader.yaml_reader import parse


class Git:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, when: str = "2026-10-01T12:00:00Z") -> str:
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
               "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
               "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com"}
        return subprocess.run(["git", "-C", str(self.root), *args], env=env, check=True,
                              capture_output=True, text=True).stdout.strip()

    def write(self, name: str, text: str) -> Path:
        path = self.root / "plans" / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def commit(self, message: str, when: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, when=when)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Git]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    yield Git(tmp_path)


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def run_diff(base: str | None, head: str | None = None) -> DiffRun:
    return diff_plans([], load_program(None, Path.cwd()), base, head, AS_OF)


def kinds(changes: list[Change]) -> list[tuple[str, str, str, str | None]]:
    return [(c.section, c.kind, c.subject, c.field) for c in changes]


# --- the comparison itself ---------------------------------------------------------------


def test_identical_plans_have_no_changes() -> None:
    data = parse(COMPLETE_TIER1).data
    assert compare(data, data) == []


def test_items_are_matched_by_identity_not_position() -> None:
    before = parse(COMPLETE_TIER1).data
    after = parse(COMPLETE_TIER1).data
    after["stakeholders"].reverse()
    after["actions"].reverse()
    assert compare(before, after) == []


def test_every_section_reports_its_changes() -> None:
    text = COMPLETE_TIER1
    text = edit(text, "  tier: 1\n", "  tier: 2\n")
    text = edit(text, "  next_review: 2027-01-13\n", "  next_review: 2027-01-20\n")
    text = edit(text, "    sentiment: supporter\n", "    sentiment: skeptic\n")
    text = edit(text, "    reports_to: Chris Ortega\n", "    reports_to: Dana Whitfield\n")
    text = edit(text, "status: target, estimate: 300000", "status: pipeline, estimate: 350000")
    text = edit(text, "    due: 2026-12-18\n", "    due: 2026-12-18\n    status: done\n")
    text = edit(text, "    due: 2027-01-20\n", "    due: 2027-02-10\n")
    text = edit(text, "  - id: adoption\n    title: Run the adoption review\n"
                      "    owner: maria.chen@example.com\n    due: 2027-01-31\n", "")
    text = text.replace("intelligence:\n", "risks:\n  - title: Incumbent renews\n"
                                           "    severity: high\nintelligence:\n")
    changes = compare(parse(COMPLETE_TIER1).data, parse(text).data)
    assert kinds(changes) == [
        ("account", "changed", "tier", "tier"),
        ("cadence", "changed", "next_review", "next_review"),
        ("stakeholders", "changed", "Chris Ortega", "sentiment"),
        ("stakeholders", "changed", "Priya Raman", "reports_to"),
        ("whitespace", "changed", "Route Optimizer / DACH", "status"),
        ("whitespace", "changed", "Route Optimizer / DACH", "estimate"),
        ("risks", "added", "Incumbent renews", None),
        ("actions", "completed", "Meet the CFO (cfo)", "status"),
        ("actions", "moved", "Scope the DACH proof of concept (poc)", "due"),
        ("actions", "removed", "Run the adoption review (adoption)", None),
    ]
    moved = next(c for c in changes if c.kind == "moved")
    assert (str(moved.before), str(moved.after), moved.note) == ("2027-01-20", "2027-02-10",
                                                                  "+21 d")
    assert next(c for c in changes if c.field == "next_review").note == "+7 d"


def test_an_action_without_an_id_is_matched_by_title() -> None:
    before = parse(COMPLETE_TIER1.replace("  - id: cfo\n    title", "  - title")).data
    after = parse(COMPLETE_TIER1.replace("  - id: cfo\n    title", "  - title")
                  .replace("    owner: maria.chen@example.com\n    due: 2026-12-18\n",
                           "    owner: lee.park@example.com\n    due: 2026-12-18\n")).data
    assert kinds(compare(before, after)) == [("actions", "changed", "Meet the CFO", "owner")]


def test_a_version_that_does_not_parse_compares_as_empty() -> None:
    changes = compare(None, parse(COMPLETE_TIER1).data)
    assert ("stakeholders", "added", "Dana Whitfield", None) in kinds(changes)
    listed = {c.section for c in changes if c.kind == "added"}
    assert {"stakeholders", "actions", "objectives", "intelligence", "whitespace"} <= listed
    assert all(c.before is None for c in changes
               if c.kind == "changed" and c.section != "whitespace")


# --- planpack diff between revisions -----------------------------------------------------


@pytest.fixture
def history(repo: Git) -> dict[str, str]:
    """Three plans on main; then a branch that changes two, renames one and deletes one."""
    repo.write("northwind", COMPLETE_TIER1)
    repo.write("harborline", COMPLETE_TIER1.replace("Northwind Logistics", "Harborline"))
    repo.write("kestrel", COMPLETE_TIER1.replace("Northwind Logistics", "Kestrel"))
    first = repo.commit("three plans", "2026-10-01T12:00:00Z")
    repo.git("checkout", "-q", "-b", "qbr-prep")
    repo.write("northwind", edit(edit(COMPLETE_TIER1, "    due: 2027-01-20\n",
                                      "    due: 2027-02-10\n"),
                                 "    sentiment: supporter\n", "    sentiment: advocate\n"))
    (repo.root / "plans" / "kestrel.yaml").unlink()
    repo.git("mv", "plans/harborline.yaml", "plans/harborline-freight.yaml")
    repo.write("harborline-freight", COMPLETE_TIER1.replace("Northwind Logistics", "Harborline")
               .replace("    due: 2026-12-18\n", "    due: 2026-12-18\n    status: done\n"))
    second = repo.commit("QBR prep", "2026-11-20T12:00:00Z")
    return {"first": first, "second": second}


def test_diff_between_two_commits(history: dict[str, str]) -> None:
    run = run_diff(history["first"], history["second"])
    assert [(d.slug, d.status, d.old_file, d.new_file) for d in run.plans] == [
        ("harborline-freight", "renamed", "plans/harborline.yaml",
         "plans/harborline-freight.yaml"),
        ("kestrel", "removed", "plans/kestrel.yaml", None),
        ("northwind", "modified", "plans/northwind.yaml", "plans/northwind.yaml"),
    ]
    renamed, removed, northwind = run.plans
    assert kinds(renamed.changes) == [("actions", "completed", "Meet the CFO (cfo)", "status")]
    assert removed.after is None and removed.before is not None
    assert kinds(northwind.changes) == [
        ("stakeholders", "changed", "Chris Ortega", "sentiment"),
        ("actions", "moved", "Scope the DACH proof of concept (poc)", "due"),
    ]
    assert northwind.before and northwind.after
    assert northwind.before.health and northwind.after.health


def test_the_base_defaults_to_where_the_branch_forked(history: dict[str, str],
                                                      repo: Git) -> None:
    run = run_diff(None)
    assert run.base == f"{history['first'][:7]} (merge base with main)"
    assert run.head == "the working tree"
    assert len(run.plans) == 3


def test_working_tree_changes_and_untracked_plans(history: dict[str, str], repo: Git) -> None:
    repo.write("new-account", COMPLETE_TIER1.replace("Northwind Logistics", "New Co"))
    repo.write("northwind", edit(COMPLETE_TIER1, "  tier: 1\n", "  tier: 2\n"))
    run = run_diff(history["second"])
    assert [(d.slug, d.status) for d in run.plans] == [("new-account", "added"),
                                                       ("northwind", "modified")]
    assert ("account", "changed", "tier", "tier") in kinds(run.plans[1].changes)


MARKDOWN = """\
## planpack: 3 plans changed between {first} (merge base with main) and the working tree

**Now failing validation:** `plans/harborline-freight.yaml` (1 error: tier 1 requires 3 \
forward actions, found 2 (open or in progress, with an owner and a due date on or after \
2026-12-01))

### harborline-freight: health 100 → 95 (-5)

`plans/harborline.yaml` → `plans/harborline-freight.yaml`, renamed. Components moved: \
completeness 100 → 91.7 (-8.3), actions 100 → 90 (-10).

**Actions**

- completed: Meet the CFO (cfo)

### kestrel: health was 100 green (removed)

`plans/kestrel.yaml`, removed.

### northwind: health 100 green (unchanged)

`plans/northwind.yaml`, modified.

**Stakeholders**

- title: Dana Whitfield: (none) → \\<b\\>CFO\\</b\\> \\[x\\](http://e.example)
- sentiment: Chris Ortega: supporter → advocate

**Actions**

- due moved: Scope the DACH proof of concept (poc): 2027-01-20 → 2027-02-10 (+21 d)
"""


def test_markdown_for_a_pull_request_comment(history: dict[str, str], repo: Git) -> None:
    # Completing the CFO action leaves harborline two forward actions: it now fails. In the
    # working tree, northwind's CFO gets a title with HTML and a link in it, which must
    # reach the comment as text.
    text = repo.root.joinpath("plans", "northwind.yaml").read_text(encoding="utf-8")
    repo.write("northwind", edit(text, "  - name: Dana Whitfield\n",
                                 "  - name: Dana Whitfield\n"
                                 "    title: '<b>CFO</b> [x](http://e.example)'\n"))
    result = CliRunner().invoke(cli, ["diff", "--format", "markdown", "--as-of", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert result.output == MARKDOWN.format(first=history["first"][:7])


def test_text_output(history: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["diff", history["first"], history["second"], "--as-of",
                                      "2026-12-01", "plans/northwind.yaml"])
    assert result.output == (
        f"1 plan changed between {history['first'][:7]} and {history['second'][:7]}\n"
        "\n"
        "northwind: health 100 green (unchanged)\n"
        "  plans/northwind.yaml, modified\n"
        "  Stakeholders\n"
        "    - sentiment: Chris Ortega: supporter → advocate\n"
        "  Actions\n"
        "    - due moved: Scope the DACH proof of concept (poc): 2027-01-20 → 2027-02-10 "
        "(+21 d)\n"
    )


def test_plan_text_cannot_inject_markdown(repo: Git) -> None:
    repo.write("acme", COMPLETE_TIER1)
    first = repo.commit("one", "2026-10-01T12:00:00Z")
    repo.write("acme", COMPLETE_TIER1.replace("title: Meet the CFO",
                                              "title: '[click](https://evil.example) <img>'"))
    result = CliRunner().invoke(cli, ["diff", first, "--format", "markdown", "--as-of",
                                      "2026-12-01"])
    assert "\\[click\\](https://evil.example) \\<img\\>" in result.output
    assert "[click](" not in result.output


def test_a_plan_invalid_at_the_base_is_compared_as_far_as_possible(repo: Git) -> None:
    repo.write("acme", COMPLETE_TIER1.replace("  tier: 1\n", "  tier: 7\n"))
    first = repo.commit("broken", "2026-10-01T12:00:00Z")
    repo.write("acme", edit(COMPLETE_TIER1, "    due: 2027-01-20\n", "    due: 2027-02-10\n"))
    (plan,) = run_diff(first).plans
    assert plan.was_invalid and plan.before is not None and plan.before.health is None
    assert plan.note == ("the base version was invalid (1 error); sections that could be read "
                         "are compared")
    assert kinds(plan.changes) == [
        ("account", "changed", "tier", "tier"),
        ("actions", "moved", "Scope the DACH proof of concept (poc)", "due"),
    ]


def test_a_plan_that_did_not_parse_at_the_base(repo: Git) -> None:
    repo.write("acme", "schema_version: 1\naccount: [unclosed\n")
    first = repo.commit("broken", "2026-10-01T12:00:00Z")
    repo.write("acme", COMPLETE_TIER1)
    (plan,) = run_diff(first).plans
    assert plan.note == ("the base version could not be read as YAML; every section counts "
                         "as new")


def test_an_unknown_revision(repo: Git) -> None:
    repo.write("acme", COMPLETE_TIER1)
    repo.commit("one", "2026-10-01T12:00:00Z")
    result = CliRunner().invoke(cli, ["diff", "no-such-branch"])
    assert result.exit_code == 2
    assert result.output == ("Error: unknown revision 'no-such-branch': not a branch, tag or "
                             "commit here\n")


def test_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(COMPLETE_TIER1, encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", "HEAD~1"])
    assert result.exit_code == 2
    assert result.output == (f"Error: {tmp_path.resolve()} is not inside a git repository; "
                             "history needs one (git init, or run planpack in a clone)\n")


def test_a_shallow_clone_without_the_base(history: dict[str, str], repo: Git,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "qbr-prep",
                    f"file://{repo.root}", str(clone)], check=True)
    monkeypatch.chdir(clone)
    result = CliRunner().invoke(cli, ["diff", history["first"]])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: unknown revision {history['first']!r}: this is a shallow clone without that "
        "history; fetch it with `git fetch --unshallow` (in GitHub Actions: actions/checkout "
        "with fetch-depth: 0)\n"
    )


def test_diff_json(history: dict[str, str]) -> None:
    import json

    result = CliRunner().invoke(cli, ["diff", history["first"], history["second"], "--format",
                                      "json", "--as-of", "2026-12-01"])
    document = json.loads(result.output)
    assert document["base"] == history["first"][:7]
    northwind = next(p for p in document["plans"] if p["plan"] == "northwind")
    assert northwind["health_before"]["score"] == 100
    assert northwind["changes"][1] == {
        "section": "actions", "kind": "moved", "subject": "Scope the DACH proof of concept (poc)",
        "field": "due", "before": "2027-01-20", "after": "2027-02-10", "note": "+21 d",
    }


def test_a_constant_number_of_git_processes(repo: Git, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(30):
        repo.write(f"plan-{n:02d}", COMPLETE_TIER1.replace("Northwind", f"Account {n}"))
    first = repo.commit("many", "2026-10-01T12:00:00Z")
    for n in range(30):
        repo.write(f"plan-{n:02d}", COMPLETE_TIER1.replace("Northwind", f"Account {n} Ltd"))
    second = repo.commit("renamed all", "2026-10-02T12:00:00Z")
    log = tmp_path / "git.log"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    real = subprocess.run(["which", "git"], capture_output=True, text=True).stdout.strip()
    wrapper.write_text(f'#!/bin/sh\necho x >> {log}\nexec {real} "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    run = run_diff(first, second)
    assert len(run.plans) == 30
    calls = len(log.read_text().splitlines())
    assert calls <= 6


# --- since the last review ---------------------------------------------------------------


def test_since_review_compares_with_the_version_in_force_on_the_review_day(repo: Git) -> None:
    at_review = COMPLETE_TIER1.replace("  last_review: 2026-10-14\n  last_checkin: 2026-11-12\n",
                                       "  last_review: 2026-09-30\n  last_checkin: 2026-09-30\n")
    repo.write("northwind", at_review)
    repo.commit("before the review", "2026-09-20T12:00:00Z")
    repo.write("northwind", edit(at_review, "    sentiment: supporter\n",
                                 "    sentiment: neutral\n"))
    repo.commit("during the review", "2026-09-30T16:00:00Z")
    repo.git("mv", "plans/northwind.yaml", "plans/northwind-logistics.yaml")
    repo.write("northwind-logistics", edit(edit(at_review, "    sentiment: supporter\n",
                                                "    sentiment: advocate\n"),
                                           "    due: 2027-01-20\n", "    due: 2027-02-03\n"))
    repo.commit("after the review", "2026-10-05T12:00:00Z")
    run = since_review([], load_program(None, Path.cwd()), AS_OF)
    (plan,) = run.plans
    assert (plan.status, plan.old_file, plan.new_file) == (
        "renamed", "plans/northwind.yaml", "plans/northwind-logistics.yaml"
    )
    assert plan.note is not None and plan.note.startswith("since the review of 2026-09-30")
    # The version in force at the end of 2026-09-30 already had Chris as neutral.
    sentiment = next(c for c in plan.changes if c.field == "sentiment")
    assert (sentiment.before, sentiment.after) == ("neutral", "advocate")
    assert ("actions", "moved", "Scope the DACH proof of concept (poc)", "due") in kinds(
        plan.changes)


def test_since_review_when_the_plan_is_newer_than_its_review(repo: Git) -> None:
    repo.write("northwind", COMPLETE_TIER1)  # last check-in 2026-11-12
    repo.commit("first version", "2026-11-20T12:00:00Z")
    (plan,) = since_review([], load_program(None, Path.cwd()), AS_OF).plans
    assert plan.status == "added"
    assert plan.note == "the plan was not in git at its last review (2026-11-12)"


def test_since_review_without_a_review(repo: Git) -> None:
    repo.write("acme", COMPLETE_TIER1.replace("cadence:\n  last_review: 2026-10-14\n"
                                              "  last_checkin: 2026-11-12\n", "cadence:\n"))
    repo.commit("first", "2026-10-01T12:00:00Z")
    (plan,) = since_review([], load_program(None, Path.cwd()), AS_OF).plans
    assert plan.note == "no review is recorded in cadence; nothing to compare with"


# --- activity figures --------------------------------------------------------------------


def test_activity_figures(repo: Git) -> None:
    path = repo.write("acme", COMPLETE_TIER1)
    repo.commit("one", "2026-09-05T12:00:00Z")
    repo.write("acme", COMPLETE_TIER1.replace("summary: Northwind", "summary: Still Northwind"))
    repo.commit("two", "2026-10-10T12:00:00Z")
    more = COMPLETE_TIER1.replace("whitespace:\n", "  - name: Sam Hollis\n  - name: Ana Lima\n"
                                                   "whitespace:\n")
    repo.write("acme", more)
    repo.commit("three", "2026-10-20T12:00:00Z")
    repo.git("mv", "plans/acme.yaml", "plans/acme-corp.yaml")
    renamed = repo.root / "plans" / "acme-corp.yaml"
    repo.commit("renamed", "2026-11-02T12:00:00Z")
    assert path.exists() is False
    assert last_updated([renamed]) == {renamed: date(2026, 11, 2)}
    assert updates_per_month([renamed], date(2026, 9, 1), date(2026, 11, 30)) == {
        renamed: {"2026-09": 1, "2026-10": 2, "2026-11": 1}
    }
    assert stakeholders_added([renamed], date(2026, 10, 1), date(2026, 11, 30)) == {renamed: 2}
    assert stakeholders_added([renamed], date(2026, 10, 25), date(2026, 11, 30)) == {renamed: 0}


def test_history_errors_are_history_errors(tmp_path: Path) -> None:
    with pytest.raises(HistoryError):
        updates_per_month([tmp_path / "x.yaml"], date(2026, 1, 1), date(2026, 2, 1))


def test_no_default_branch_to_compare_with(repo: Git) -> None:
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("acme", COMPLETE_TIER1)
    repo.commit("one", "2026-10-01T12:00:00Z")
    result = CliRunner().invoke(cli, ["diff"])
    assert result.exit_code == 2
    assert result.output == ("Error: no default branch to compare with (no origin/HEAD, main "
                             "or master); name the base: planpack diff BASE\n")


def test_a_path_outside_the_repository(repo: Git, tmp_path_factory: pytest.TempPathFactory
                                       ) -> None:
    repo.write("acme", COMPLETE_TIER1)
    first = repo.commit("one", "2026-10-01T12:00:00Z")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = CliRunner().invoke(cli, ["diff", first, str(elsewhere)])
    assert result.exit_code == 2
    assert result.output == (f"Error: {elsewhere} is outside the git repository "
                             f"{repo.root.resolve()}\n")
