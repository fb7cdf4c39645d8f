"""The last commit date of each plan file, from one `git log` pass."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import AS_OF, COMPLETE_TIER1

from planpack.check import check_plans
from planpack.gitdates import last_commit_dates
from planpack.loader.program import ProgramConfig
from planpack.models.program import default_program

GIT = shutil.which("git")
assert GIT is not None, "these tests need git"


def git(repo: Path, *args: str, when: str | None = None) -> None:
    """Run git in `repo` with no user or system configuration, dated `when` (UTC noon)."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if when is not None:
        stamp = f"{when}T12:00:00+00:00"
        env |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(
        [GIT or "git", "-c", "user.name=Plan Owner", "-c", "user.email=owner@example.com",
         "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=repo, env=env, check=True, capture_output=True,
    )


def commit(repo: Path, when: str, files: dict[str, str], message: str = "update") -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message, when=when)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with north.yaml and south.yaml committed on different days, then
    north.yaml changed again after AS_OF-ish dates."""
    # Keep git from finding a repository above tmp_path.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, "2026-10-01", {"plans/north.yaml": "a: 1\n"}, "add north")
    commit(root, "2026-10-15", {"plans/south.yaml": "a: 1\n"}, "add south")
    commit(root, "2026-11-20", {"plans/north.yaml": "a: 2\n"}, "edit north")
    commit(root, "2026-11-25", {"README.md": "not a plan\n"}, "docs")
    return root


def test_the_newest_commit_of_each_file(repo: Path) -> None:
    north, south = repo / "plans" / "north.yaml", repo / "plans" / "south.yaml"
    assert last_commit_dates([north, south]) == {
        north: date(2026, 11, 20),
        south: date(2026, 10, 15),
    }


def test_the_paths_are_returned_as_given(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    north = Path("plans/north.yaml")
    assert last_commit_dates([north]) == {north: date(2026, 11, 20)}


def test_until_ignores_later_commits(repo: Path) -> None:
    north, south = repo / "plans" / "north.yaml", repo / "plans" / "south.yaml"
    assert last_commit_dates([north, south], until=date(2026, 11, 1)) == {
        north: date(2026, 10, 1),
        south: date(2026, 10, 15),
    }
    # A commit on the `until` day itself counts.
    assert last_commit_dates([north], until=date(2026, 11, 20)) == {north: date(2026, 11, 20)}
    assert last_commit_dates([north, south], until=date(2026, 10, 10)) == {
        north: date(2026, 10, 1)
    }
    assert last_commit_dates([north, south], until=date(2026, 9, 1)) == {}


def test_uncommitted_files_and_files_outside_the_repository_have_no_date(
    repo: Path, tmp_path: Path
) -> None:
    new = repo / "plans" / "new.yaml"
    new.write_text("a: 1\n", encoding="utf-8")
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("a: 1\n", encoding="utf-8")
    south = repo / "plans" / "south.yaml"
    assert last_commit_dates([new, south]) == {south: date(2026, 10, 15)}
    assert last_commit_dates([outside]) == {}


def test_a_folder_that_is_not_a_repository_gives_no_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plan = tmp_path / "plans" / "acme.yaml"
    plan.parent.mkdir()
    plan.write_text(COMPLETE_TIER1, encoding="utf-8")
    assert last_commit_dates([plan]) == {}
    assert last_commit_dates([]) == {}


def test_plans_in_several_folders_and_non_ascii_names(repo: Path) -> None:
    commit(repo, "2026-11-02", {
        "plans/emea/müller-gmbh.yaml": "a: 1\n",
        "plans/americas/acme inc.yaml": "a: 1\n",
    })
    files = [repo / "plans" / "emea" / "müller-gmbh.yaml",
             repo / "plans" / "americas" / "acme inc.yaml",
             repo / "plans" / "south.yaml"]
    assert last_commit_dates(files) == {
        files[0]: date(2026, 11, 2),
        files[1]: date(2026, 11, 2),
        files[2]: date(2026, 10, 15),
    }


def test_a_merged_branch_dates_a_file_by_when_it_landed(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, "2026-11-21", {"plans/south.yaml": "a: 3\n"}, "edit south on a branch")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", "feature", when="2026-11-28")
    south = repo / "plans" / "south.yaml"
    assert last_commit_dates([south]) == {south: date(2026, 11, 28)}


def test_one_git_log_for_many_files(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = {f"plans/{region}/plan-{i:02d}.yaml": f"n: {i}\n"
             for region in ("emea", "apac", "americas") for i in range(12)}
    commit(repo, "2026-11-10", names)
    log = tmp_path / "git-calls.log"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    # Logs each invocation's subcommand (the first argument after -C/-c options).
    wrapper.write_text(
        "#!/bin/sh\n"
        f'log="{log}"\n'
        'sub=""\n'
        'for arg in "$@"; do\n'
        '  if [ -n "$skip" ]; then skip=""; continue; fi\n'
        '  case "$arg" in\n'
        '    -C|-c) skip=1 ;;\n'
        '    -*) ;;\n'
        '    *) sub="$arg"; break ;;\n'
        '  esac\n'
        'done\n'
        'echo "$sub" >> "$log"\n'
        f'exec "{GIT}" "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    files = [repo / name for name in names] + [repo / "plans" / "north.yaml"]
    dates = last_commit_dates(files, until=AS_OF)
    assert len(dates) == len(files) == 37
    assert dates[repo / "plans" / "north.yaml"] == date(2026, 11, 20)
    assert set(dates.values()) == {date(2026, 11, 10), date(2026, 11, 20)}
    calls = log.read_text(encoding="utf-8").split()
    assert calls.count("log") == 1
    assert len(calls) <= 2  # and at most one lookup of the repository's top folder


def test_score_counts_a_recent_commit_as_touching_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    # Check-in and review both 77 days before AS_OF: the plan looks untouched ...
    old = COMPLETE_TIER1.replace("last_checkin: 2026-11-12", "last_checkin: 2026-09-15")
    old = old.replace("last_review: 2026-10-14", "last_review: 2026-09-15")
    commit(root, "2026-09-15", {"plans/stale.yaml": old, "plans/fresh.yaml": old})
    # ... unless its file was edited since; an edit after AS_OF does not count.
    commit(root, "2026-11-25", {"plans/fresh.yaml": old + "# touched\n"})
    commit(root, "2026-12-20", {"plans/stale.yaml": old + "# later\n"})
    config = ProgramConfig(default_program(), root, None)
    run = check_plans([root / "plans"], config, AS_OF, with_health=True, jobs=1)
    scores = {Path(r.file).stem: r.health for r in run.reports}
    fresh, stale = scores["fresh"], scores["stale"]
    assert fresh is not None and stale is not None
    assert (fresh.score, fresh.deductions) == (100, ())
    assert [d.rule for d in stale.deductions] == ["health-plan-age"]
    assert stale.deductions[0].message == (
        "last touched 2026-09-15, 77 days ago; tier 1 plans change every 31 days"
    )
