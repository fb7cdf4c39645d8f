"""`planpack diff` and `--since-review`: plans compared across versions, as plans.

Between two revisions (or a revision and the working tree), every plan file that
changed is read at both ends (one `git diff`, one `git cat-file --batch`), checked
and scored at both ends with the same programme, snapshot and date, so the health
delta is the change's own, and compared by identity (compare.py).

Since the last review, each plan is compared with the version in force at the end
of its review day (one `git log` for all plans, renames followed), scored as of
that day, against the plan as it is now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from planpack.check import CheckOptions, PlanReport, check_file, check_many
from planpack.discovery import plan_files, shown_path
from planpack.governance.context import CheckContext
from planpack.history.compare import Change, compare
from planpack.history.git import Entry, HistoryError, Repo
from planpack.history.versions import in_force, timelines
from planpack.loader.plans import slug_of
from planpack.loader.program import ProgramConfig


@dataclass
class PlanDiff:
    slug: str
    status: str  # added, removed, renamed, modified
    old_file: str | None
    new_file: str | None
    before: PlanReport | None  # None: no such version
    after: PlanReport | None
    changes: list[Change] = field(default_factory=list)
    note: str | None = None  # why a side is missing or could not be compared in full
    last_commit: str | None = None  # since-review: the newest commit of the plan's file
    uncommitted: bool = False  # since-review: the file differs from that commit

    @property
    def now_failing(self) -> bool:
        """Fails validation now and did not before (or did not exist)."""
        return bool(self.after and self.after.errors) and not (self.before and self.before.errors)

    @property
    def was_invalid(self) -> bool:
        return bool(self.before and self.before.errors)


@dataclass
class DiffRun:
    base: str  # how the base is described: "3f2a1bc (merge base with origin/main)"
    head: str
    plans: list[PlanDiff] = field(default_factory=list)


def _context(config: ProgramConfig, as_of: date, now: datetime | None) -> CheckOptions:
    return CheckOptions(CheckContext(config.program, as_of, now),
                        config.path(config.program.salesforce.snapshot_dir),
                        with_health=True, keep_data=True)


def _pathspecs(repo: Repo, paths: list[Path], config: ProgramConfig) -> list[str]:
    chosen = paths or [config.path(config.program.plans_dir)]
    specs = []
    for path in chosen:
        try:
            specs.append(repo.relative(path) or ".")
        except ValueError:
            raise HistoryError(f"{path} is outside the git repository {repo.root}") from None
    return specs


def diff_plans(paths: list[Path], config: ProgramConfig, base: str | None, head: str | None,
               as_of: date, now: datetime | None = None, jobs: int | None = None) -> DiffRun:
    """Every plan that differs between `base` (default: the merge base with the default
    branch) and `head` (default: the working tree)."""
    repo = Repo.find(Path.cwd())
    specs = _pathspecs(repo, paths, config)
    if base is None:
        base_sha, why = repo.default_base()
    else:
        base_sha, why = repo.commit(base), base
    head_sha = repo.commit(head) if head else None
    run = DiffRun(_label(base_sha, why), _label(head_sha, head) if head_sha else
                  "the working tree")
    entries = repo.changes(base_sha, head_sha, specs)
    blobs = repo.contents(
        [(base_sha, e.old) for e in entries if e.old]
        + ([(head_sha, e.new) for e in entries if e.new] if head_sha else [])
    )
    work: list[tuple[Path, str, bytes | None]] = []
    slots: list[tuple[Entry, int | None, int | None]] = []
    for entry in entries:
        before = after = None
        if entry.old:
            content = blobs.get((base_sha, entry.old))
            if content is not None:
                before = len(work)
                work.append((repo.root / entry.old, _shown(repo, entry.old), content))
        if entry.new:
            if head_sha:
                content = blobs.get((head_sha, entry.new))
            else:
                content = (repo.root / entry.new).read_bytes()
            if content is not None:
                after = len(work)
                work.append((repo.root / entry.new, _shown(repo, entry.new), content))
        slots.append((entry, before, after))
    reports = check_many(work, _context(config, as_of, now), jobs)
    for entry, before, after in slots:
        old = reports[before] if before is not None else None
        new = reports[after] if after is not None else None
        run.plans.append(_plan_diff(repo, entry, old, new))
    run.plans.sort(key=lambda d: (d.new_file or d.old_file or ""))
    return run


def _label(sha: str, name: str | None) -> str:
    """`3f2a1bc (origin/main)`; a name that is the sha itself is not repeated."""
    return sha[:7] if not name or sha.startswith(name) else f"{sha[:7]} ({name})"


def _shown(repo: Repo, relative: str) -> str:
    return str(shown_path(repo.root / relative))


def _plan_diff(repo: Repo, entry: Entry, old: PlanReport | None, new: PlanReport | None
               ) -> PlanDiff:
    status = {"A": "added", "D": "removed", "R": "renamed"}.get(entry.status, "modified")
    diff = PlanDiff(slug_of(Path(entry.new or entry.old or "")), status,
                    _shown(repo, entry.old) if entry.old else None,
                    _shown(repo, entry.new) if entry.new else None, old, new)
    notes = []
    if old is not None and old.data is None:
        notes.append("the base version could not be read as YAML; every section counts as new")
    elif old is not None and old.errors:
        count = len(old.errors)
        notes.append(f"the base version was invalid ({count} error{'s' if count != 1 else ''}); "
                     "sections that could be read are compared")
    if new is not None and new.data is None:
        notes.append("this version could not be read as YAML; see planpack validate")
    diff.note = "; ".join(notes) or None
    if old is not None and new is not None:  # a whole plan added or removed is its status
        diff.changes = compare(old.data, new.data)
    return diff


def since_review(paths: list[Path], config: ProgramConfig, as_of: date,
                 now: datetime | None = None, kind: str = "any",
                 checked: dict[Path, PlanReport] | None = None) -> DiffRun:
    """Each plan against the version in force at the end of its last review day.

    `kind`: "qbr" uses cadence.last_review; "checkin" and "any" the later of
    last_review and last_checkin. `checked` holds reports already made for the
    current files (with their data kept), which are then not checked again.
    """
    repo = Repo.find(Path.cwd())
    specs = _pathspecs(repo, paths, config)
    files = plan_files(paths or [shown_path(config.path(config.program.plans_dir))])
    options = _context(config, as_of, now)
    checked = checked or {}
    current = [checked.get(path) or check_file(path, str(path), options) for path in files]
    relative = [repo.relative(path) for path in files]
    history = timelines(repo, relative, specs)
    run = DiffRun("the last review of each plan", "the working tree")
    wanted: dict[str, tuple[date, str, str] | None] = {}
    for rel, report in zip(relative, current, strict=True):
        reviewed = _review_date(report, kind)
        if reviewed is None:
            wanted[rel] = None
            continue
        cutoff = int(datetime.combine(reviewed, time(23, 59, 59), tzinfo=UTC).timestamp())
        touch = in_force(history[rel], cutoff)
        wanted[rel] = (reviewed, touch.commit, touch.path) if touch else (reviewed, "", "")
    latest = {rel: history[rel][0] for rel in relative if history[rel]}
    blobs = repo.contents([*((w[1], w[2]) for w in wanted.values() if w and w[1]),
                           *((t.commit, t.path) for t in latest.values())])
    for path, rel, report in zip(files, relative, current, strict=True):
        target = wanted[rel]
        diff = PlanDiff(report.slug, "modified", None, report.file, None, report)
        if rel in latest:
            diff.last_commit = latest[rel].commit
            diff.uncommitted = blobs.get((latest[rel].commit, latest[rel].path)) != \
                path.read_bytes()
        if target is None:
            diff.note = "no review is recorded in cadence; nothing to compare with"
            run.plans.append(diff)
            continue
        reviewed, commit, old_path = target
        content = blobs.get((commit, old_path)) if commit else None
        if content is None:
            diff.status = "added"
            diff.note = f"the plan was not in git at its last review ({reviewed})"
        else:
            then = CheckOptions(CheckContext(config.program, reviewed), options.snapshots,
                                with_health=True, keep_data=True)
            diff.old_file = _shown(repo, old_path)
            diff.before = check_file(repo.root / old_path, diff.old_file, then, content)
            if old_path != rel:
                diff.status = "renamed"
            diff.note = f"since the review of {reviewed} (commit {commit[:7]})"
        if diff.before is not None:
            diff.changes = compare(diff.before.data, report.data)
        run.plans.append(diff)
    return run


def _review_date(report: PlanReport, kind: str) -> date | None:
    cadence = (report.data or {}).get("cadence") if isinstance(report.data, dict) else None
    if not isinstance(cadence, dict):
        return None
    keys = ("last_review",) if kind == "qbr" else ("last_review", "last_checkin")
    dates = []
    for key in keys:
        try:
            dates.append(date.fromisoformat(str(cadence.get(key))))
        except ValueError:
            continue
    return max(dates) if dates else None
