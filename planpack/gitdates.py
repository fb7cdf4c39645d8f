"""When each plan file was last committed: one `git log` pass for all of them.

Freshness counts an edit to the plan as a sign of life. Commits after the
`--as-of` date are ignored, so a score "as of" a past date does not depend on
what happened since. No git, or no repository, simply means no dates.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path


def last_commit_dates(files: list[Path], until: date | None = None) -> dict[Path, date]:
    """The date of the newest commit that changed each file."""
    return {path: day for path, (_, day) in last_commits(files, until).items()}


def last_commits(files: list[Path], until: date | None = None) -> dict[Path, tuple[str, date]]:
    """(sha, date) of the newest first-parent commit that changed each file."""
    if not files:
        return {}
    resolved = {path.resolve(): path for path in files}
    anchor = Path(os.path.commonpath([p.parent for p in resolved]))
    top = _toplevel(anchor)
    if top is None:
        return {}
    wanted = {}
    for real, given in resolved.items():
        try:
            wanted[real.relative_to(top).as_posix()] = given
        except ValueError:  # outside this repository
            continue
    # --first-parent: the date a change landed on this branch, merges included.
    # core.quotePath=false: names such as müller.yaml are printed as they are, not quoted.
    command = [
        "git", "-c", "core.quotePath=false", "-C", str(top), "log", "--first-parent",
        "--format=%x00%H %cs", "--name-only", "--no-renames",
    ]
    if until is not None:
        command.append(f"--until={until.isoformat()} 23:59:59")
    command += ["--", *sorted({str(Path(name).parent) for name in wanted})]
    found: dict[Path, tuple[str, date]] = {}
    try:
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            encoding="utf-8", errors="surrogateescape",  # as Python decodes file names
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        ) as proc:
            assert proc.stdout is not None
            when: tuple[str, date] | None = None
            for line in proc.stdout:
                line = line.rstrip("\n")
                if line.startswith("\x00"):
                    sha, day = line[1:].split()
                    when = (sha, date.fromisoformat(day))
                elif line and when is not None and line in wanted and wanted[line] not in found:
                    found[wanted[line]] = when
                    if len(found) == len(wanted):
                        proc.kill()  # the newest commit of every file is known
                        break
    except OSError:  # git is not installed
        return {}
    return found


def _toplevel(folder: Path) -> Path | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, check=False,
        )
    except OSError:
        return None
    if result.returncode != 0:
        return None
    return Path(result.stdout.strip()).resolve()
