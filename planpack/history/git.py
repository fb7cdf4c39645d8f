"""Git, as planpack's history needs it: a few processes, whatever the number of plans.

Every question is asked of git once for all files: one `git diff` for what
changed, one `git log` for when, one `git cat-file --batch` for the contents of
every version. Failures become HistoryError with a message that says what to do.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from planpack.errors import PlanpackError


class HistoryError(PlanpackError):
    """A history question git cannot answer here: not a repository, an unknown revision,
    a shallow clone without the commit. A usage error (exit 2)."""

    exit_code = 2


FETCH_HINT = (
    "this is a shallow clone without that history; fetch it with `git fetch --unshallow` "
    "(in GitHub Actions: actions/checkout with fetch-depth: 0)"
)


@dataclass(frozen=True)
class Entry:
    """A plan file between two versions: status A, M, D or R (renamed, maybe changed)."""

    status: str
    old: str | None  # path at the base, relative to the repository root
    new: str | None  # path at the head


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def find(cls, folder: Path) -> Repo:
        try:
            result = _run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"])
        except FileNotFoundError:
            raise HistoryError("git is not installed; planpack's history needs it") from None
        if result.returncode != 0:
            raise HistoryError(f"{folder} is not inside a git repository; history needs one "
                               "(git init, or run planpack in a clone)")
        return cls(Path(result.stdout.strip()).resolve())

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = _run(["git", "-c", "core.quotePath=false", "-C", str(self.root), *args])
        if check and result.returncode != 0:
            lines = result.stderr.strip().splitlines()
            raise HistoryError(f"git {args[0]} failed: {lines[-1] if lines else 'no reason given'}")
        return result

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    @property
    def shallow(self) -> bool:
        return self.git("rev-parse", "--is-shallow-repository").stdout.strip() == "true"

    def commit(self, name: str) -> str:
        """The commit `name` (a branch, tag, sha, HEAD~3...) names."""
        result = self.git("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False)
        if result.returncode != 0:
            if self.shallow:
                raise HistoryError(f"unknown revision {name!r}: {FETCH_HINT}")
            raise HistoryError(f"unknown revision {name!r}: not a branch, tag or commit here")
        return result.stdout.strip()

    def default_base(self) -> tuple[str, str]:
        """(commit, label) where HEAD forked from the default branch: a pull request's base."""
        branch = self._default_branch()
        if branch is None:
            raise HistoryError("no default branch to compare with (no origin/HEAD, main or "
                               "master); name the base: planpack diff BASE")
        result = self.git("merge-base", "HEAD", branch, check=False)
        if result.returncode != 0:
            hint = FETCH_HINT if self.shallow else "they share no history"
            raise HistoryError(f"cannot find where HEAD forked from {branch}: {hint}")
        return result.stdout.strip(), f"merge base with {branch}"

    def _default_branch(self) -> str | None:
        result = self.git("symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD",
                          check=False)
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
        for name in ("origin/main", "origin/master", "main", "master"):
            probe = self.git("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}",
                             check=False)
            if probe.returncode == 0:
                return name
        return None

    def changes(self, base: str, head: str | None, pathspecs: list[str]) -> list[Entry]:
        """Plan files that differ between `base` and `head` (None: the working tree),
        renames followed, untracked new plans included."""
        args = ["diff", "--name-status", "-M", "-z", base, *([head] if head else []), "--",
                *pathspecs]
        fields = self.git(*args).stdout.split("\0")
        entries: list[Entry] = []
        i = 0
        while i < len(fields) - 1:
            status = fields[i][:1]
            if status in ("R", "C"):
                entries.append(Entry("R" if status == "R" else "A",
                                     fields[i + 1] if status == "R" else None, fields[i + 2]))
                i += 3
            else:
                path = fields[i + 1]
                entries.append(Entry(status if status in "ADM" else "M",
                                     None if status == "A" else path,
                                     None if status == "D" else path))
                i += 2
        if head is None:
            others = self.git("ls-files", "--others", "--exclude-standard", "-z", "--",
                              *pathspecs).stdout.split("\0")
            entries += [Entry("A", None, path) for path in others if path]
        return [e for e in entries if _is_plan(e.new or e.old or "")]

    def contents(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], bytes | None]:
        """The bytes of each (commit, path); None where the path is not in that commit."""
        specs = list(dict.fromkeys(wanted))
        if not specs:
            return {}
        request = "".join(f"{commit}:{path}\n" for commit, path in specs).encode()
        proc = subprocess.run(
            ["git", "-C", str(self.root), "cat-file", "--batch"], input=request,
            capture_output=True, check=True, env=_env(),
        )
        out, at = proc.stdout, 0
        found: dict[tuple[str, str], bytes | None] = {}
        for spec in specs:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            at = end + 1
            if len(header) == 2 and header[1] == b"missing":
                found[spec] = None
                continue
            size = int(header[2])
            found[spec] = out[at : at + size] if header[1] == b"blob" else None
            at += size + 1
        return found

    def touches(self, pathspecs: list[str]) -> list[tuple[str, int, list[tuple[str, ...]]]]:
        """Every first-parent commit that touched a plan: (sha, time, name-status rows),
        newest first, from one `git log`."""
        result = self.git("log", "--first-parent", "-M", "--name-status",
                          "--format=%x01%H %ct", "--", *pathspecs, check=False)
        if result.returncode != 0:  # a repository with no commits yet
            return []
        commits: list[tuple[str, int, list[tuple[str, ...]]]] = []
        for line in result.stdout.splitlines():
            if line.startswith("\x01"):
                sha, when = line[1:].split()
                commits.append((sha, int(when), []))
            elif line.strip() and commits:
                commits[-1][2].append(tuple(line.split("\t")))
        return commits


def _is_plan(path: str) -> bool:
    return path.endswith((".yaml", ".yml"))


def _env() -> dict[str, str]:
    return {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, encoding="utf-8",
                          errors="surrogateescape", env=_env(), check=False)
