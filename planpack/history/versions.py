"""Which version of each plan file was in force when: one `git log` for all of them.

A file's timeline lists, newest first, the first-parent commits that touched it,
with the name it had at each, so renames and moves are followed (what
`git log --follow` does for one file, done for many in one pass).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from planpack.history.git import Repo


@dataclass(frozen=True)
class Touch:
    commit: str
    time: int  # committer time, seconds since the epoch
    path: str  # the file's name in that commit
    created: bool  # the commit added the file (nothing older exists)


def timelines(repo: Repo, paths: list[str], pathspecs: list[str]) -> dict[str, list[Touch]]:
    """For each path (as it is named now), the commits that touched it, newest first."""
    commits = repo.touches(pathspecs)
    out: dict[str, list[Touch]] = {}
    for current in paths:
        name: str | None = current
        touches: list[Touch] = []
        for sha, when, rows in commits:
            if name is None:
                break
            for row in rows:
                status = row[0][:1]
                if status == "R" and len(row) == 3 and row[2] == name:
                    touches.append(Touch(sha, when, name, False))
                    name = row[1]
                    break
                if status in "AMT" and len(row) == 2 and row[1] == name:
                    touches.append(Touch(sha, when, name, status == "A"))
                    if status == "A":
                        name = None
                    break
        out[current] = touches
    return out


def in_force(touches: list[Touch], cutoff: int) -> Touch | None:
    """The version in force at `cutoff`: the newest touch at or before it, if the file
    existed then."""
    for touch in touches:
        if touch.time <= cutoff:
            return touch
    return None


def commits_per_month(touches: list[Touch], since: int, until: int) -> dict[str, int]:
    """How many commits changed the file in each month (YYYY-MM, UTC) of [since, until]."""
    months: dict[str, int] = {}
    for touch in touches:
        if since <= touch.time <= until:
            month = datetime.fromtimestamp(touch.time, UTC).strftime("%Y-%m")
            months[month] = months.get(month, 0) + 1
    return dict(sorted(months.items()))
