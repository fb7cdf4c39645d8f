"""Activity figures the programme reads from history: how alive each plan is.

For the health score and the manager's roll-up: when each plan was last updated,
how many updates it had per month, and how many stakeholders were added to it over
a period. Each asks git a constant number of questions for all plans together.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from planpack.gitdates import last_commit_dates
from planpack.history.compare import compare
from planpack.history.git import Repo
from planpack.history.versions import commits_per_month, in_force, timelines
from planpack.loader.yaml_reader import InputError, decode, parse


def _start(day: date) -> int:
    return int(datetime.combine(day, time(0, 0), tzinfo=UTC).timestamp())


def _end(day: date) -> int:
    return int(datetime.combine(day, time(23, 59, 59), tzinfo=UTC).timestamp())


def last_updated(files: list[Path], until: date | None = None) -> dict[Path, date]:
    """The date of the last commit that changed each plan (one `git log` pass)."""
    return last_commit_dates(files, until=until)


def updates_per_month(files: list[Path], since: date, until: date) -> dict[Path, dict[str, int]]:
    """Commits that changed each plan, per month (YYYY-MM), renames followed."""
    if not files:
        return {}
    repo = Repo.find(files[0].parent)
    relative = {repo.relative(f): f for f in files}
    history = timelines(repo, list(relative), sorted({str(Path(r).parent) for r in relative}))
    return {path: commits_per_month(history[rel], _start(since), _end(until))
            for rel, path in relative.items()}


def stakeholders_added(files: list[Path], since: date, until: date) -> dict[Path, int]:
    """Stakeholders in each plan at the end of `until` who were not in it at `since`."""
    if not files:
        return {}
    repo = Repo.find(files[0].parent)
    relative = {repo.relative(f): f for f in files}
    history = timelines(repo, list(relative), sorted({str(Path(r).parent) for r in relative}))
    ends = {rel: (in_force(history[rel], _start(since) - 1), in_force(history[rel], _end(until)))
            for rel in relative}
    blobs = repo.contents((t.commit, t.path) for pair in ends.values() for t in pair if t)
    out: dict[Path, int] = {}
    for rel, (then, now) in ends.items():
        before = _data(blobs.get((then.commit, then.path))) if then else None
        after = _data(blobs.get((now.commit, now.path))) if now else None
        out[relative[rel]] = sum(1 for change in compare(before, after)
                                 if change.section == "stakeholders" and change.kind == "added")
    return out


def _data(content: bytes | None) -> object:
    if content is None:
        return None
    try:
        return parse(decode(content)).data
    except InputError:
        return None
