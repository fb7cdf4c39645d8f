"""`planpack build`: the staged pipeline over many plans, incremental and in parallel.

    plans -> (pull stale snapshots) -> (--due-within) -> keys -> render what changed
          -> manifest -> roll-ups

Each output is keyed by everything it depends on (keys.py); an output whose key is
in the manifest and whose file exists is not rendered again. Plans render in a
pool of worker processes that prepare WeasyPrint once and are replaced after a
number of plans. A plan that fails is reported and keeps its last good outputs;
the others still build.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from planpack.build import keys
from planpack.build.manifest import Manifest, Output, PlanRecord, load, save
from planpack.build.worker import Done, Task, run
from planpack.discovery import plan_files, shown_path
from planpack.errors import PlanpackError
from planpack.gitdates import last_commits
from planpack.loader.plans import load_plan
from planpack.loader.program import ProgramConfig
from planpack.render.pdf import Renderer, RenderError
from planpack.render.templates import search_path
from planpack.salesforce.snapshot import path_for

RECYCLE_AFTER = 25  # plans per worker process before it is replaced
SAVE_EVERY = 2.0  # seconds between manifest saves while plans complete


class BuildError(PlanpackError):
    """The build cannot start: an unwritable output folder, a missing template (exit 2)."""

    exit_code = 2


@dataclass(frozen=True)
class BuildOptions:
    paths: list[Path] = field(default_factory=list)
    formats: tuple[str, ...] = ("pdf",)
    kind: str = "qbr"
    out: Path | None = None
    jobs: int = 1
    offline: bool = False
    force: bool = False
    as_of: date = field(default_factory=date.today)
    due_within: int | None = None
    rollups_by: str = "manager"


@dataclass
class BuildResult:
    built: list[Done] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Done] = field(default_factory=list)
    skipped_not_due: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the pull, the roll-ups
    rollups: list[Path] = field(default_factory=list)
    pull_failed: bool = False
    seconds: float = 0.0
    out: Path | None = None

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.pull_failed else 0


class Progress:
    """What the build tells a person as it goes; the CLI supplies one."""

    def start(self, total: int, unchanged: int) -> None: ...
    def unchanged(self, shown: str) -> None: ...
    def done(self, item: Done) -> None: ...
    def finish(self) -> None: ...


def build(config: ProgramConfig, options: BuildOptions, progress: Progress | None = None
          ) -> BuildResult:
    progress = progress or Progress()
    started = time.perf_counter()
    result = BuildResult()
    out = options.out or config.path(config.program.output_dir)
    result.out = out
    folders = search_path(config.path(config.program.templates_dir))
    _check_output(out)
    _check_templates(Renderer(folders), options.formats)
    files = plan_files(options.paths or [shown_path(config.path(config.program.plans_dir))])
    if not options.offline:
        _pull_stale(files, config, result)
    if options.due_within is not None:
        files = _due(files, config, options, result)

    manifest = load(out)
    shared = keys.Shared(keys.file_digest(config.file), keys.tree_digest(folders),
                         options.as_of)
    commits = {path: sha for path, (sha, _) in last_commits(files).items()}
    snapshots = config.path(config.program.salesforce.snapshot_dir)
    work: list[Task] = []
    for path in files:
        shown = str(path)
        content = path.read_bytes()
        record = manifest.plans.get(_key(config, path))
        commit = commits.get(path, "-")
        if not options.force and _current(record, content, commit, shared, options, out,
                                          config):
            result.unchanged.append(shown)
            continue
        work.append(Task(path, shown, options.kind, options.formats, out, options.as_of,
                         config))

    progress.start(len(work), len(result.unchanged))
    for shown in result.unchanged:
        progress.unchanged(shown)
    last_save = time.perf_counter()
    try:
        for item in _render(work, options.jobs):
            task = next(t for t in work if t.shown == item.shown)
            _record(manifest, task, item, shared, commits.get(task.path, "-"), snapshots,
                    config)
            (result.failed if item.error else result.built).append(item)
            progress.done(item)
            if time.perf_counter() - last_save > SAVE_EVERY:
                save(out, manifest)
                last_save = time.perf_counter()
    finally:
        # Interrupted or not, the manifest says what was completed, and only that.
        for key in [k for k in manifest.plans if not config.path(k).exists()]:
            del manifest.plans[key]
        save(out, manifest)
        progress.finish()
    _rollups(config, options, manifest, shared, out, folders, result)
    save(out, manifest)
    result.seconds = time.perf_counter() - started
    return result


def _check_output(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".planpack-probe-"):
            pass
    except OSError as error:
        raise BuildError(f"cannot write to {shown_path(out)}: {error.strerror or error}; "
                         "choose another folder with --out") from None
    for stale in out.glob(".*.tmp"):  # from a build that was killed mid-write
        stale.unlink(missing_ok=True)


def _check_templates(renderer: Renderer, formats: tuple[str, ...]) -> None:
    needed = {"pdf": "packet.css", "pptx": "deck.pptx"}
    for fmt in formats:
        if fmt not in needed:
            raise BuildError(f"unknown format {fmt!r}; expected pdf or pptx, or both: pdf,pptx")
        try:
            renderer.find(needed[fmt])
        except RenderError as error:
            raise BuildError(str(error)) from None


def _key(config: ProgramConfig, path: Path) -> str:
    """A path as the manifest names it: relative to planpack.yaml's folder, so a build
    run from another folder still finds its records."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(config.root).as_posix()
    except ValueError:
        return resolved.as_posix()


def _output_keys(record: PlanRecord, content: bytes, commit: str, shared: keys.Shared,
                 options: BuildOptions, config: ProgramConfig) -> dict[str, str]:
    snapshot = (keys.file_digest(config.path(record.snapshot_path)) if record.snapshot_path
                else "-")
    return {fmt: keys.output_key(shared, content, snapshot, commit, options.kind, fmt)
            for fmt in options.formats}


def _current(record: PlanRecord | None, content: bytes, commit: str, shared: keys.Shared,
             options: BuildOptions, out: Path, config: ProgramConfig) -> bool:
    if record is None or record.error or record.plan != hashlib.sha256(content).hexdigest():
        return False
    wanted = _output_keys(record, content, commit, shared, options, config)
    have = {o.format: o for o in record.outputs if o.kind == options.kind}
    return all(fmt in have and have[fmt].key == key and (out / have[fmt].path).is_file()
               for fmt, key in wanted.items())


def _record(manifest: Manifest, task: Task, item: Done, shared: keys.Shared, commit: str,
            snapshots: Path, config: ProgramConfig) -> None:
    content = task.path.read_bytes()
    key = _key(config, task.path)
    old = manifest.plans.get(key)
    snapshot = _key(config, path_for(snapshots, item.account_id)) if item.account_id else None
    record = PlanRecord(key, task.path.stem, hashlib.sha256(content).hexdigest(), snapshot,
                        keys.file_digest(config.path(snapshot)) if snapshot else "-", commit)
    if item.error:  # the last good outputs stay, and so does their record
        record.outputs = old.outputs if old else []
        record.score, record.grade = (old.score, old.grade) if old else (None, None)
        record.error = item.error
    else:
        other = [o for o in (old.outputs if old else []) if o.kind != task.kind]
        wanted = _output_keys(record, content, commit, shared,
                              BuildOptions(formats=task.formats, kind=task.kind,
                                           as_of=task.as_of), config)
        record.outputs = other + [Output(name, task.kind, fmt, wanted[fmt])
                                  for name, fmt in item.outputs]
        record.score, record.grade = item.score, item.grade
    manifest.plans[key] = record


def _render(work: list[Task], jobs: int) -> Iterator[Done]:
    if jobs <= 1 or len(work) <= 1:
        for task in work:
            yield run(task)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["planpack.build.worker", "planpack.render"])
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                               max_tasks_per_child=RECYCLE_AFTER)
    try:
        futures = [pool.submit(run, task) for task in work]
        for future in as_completed(futures):
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pull_stale(files: list[Path], config: ProgramConfig, result: BuildResult) -> None:
    from planpack.salesforce.credentials import CredentialsError, from_environment
    from planpack.salesforce.pull import pull
    from planpack.salesforce.snapshot import SnapshotUnreadable, read_snapshot

    try:
        from_environment()
    except CredentialsError:
        result.notes.append("no Salesforce credentials: building from the existing snapshots")
        return
    folder = config.path(config.program.salesforce.snapshot_dir)
    limit = timedelta(hours=config.program.salesforce.max_snapshot_age_hours)
    now = datetime.now(UTC)
    stale = []
    for path in files:
        plan = load_plan(path).plan
        if plan is None or plan.account.salesforce_id is None:
            continue
        try:
            snapshot = read_snapshot(folder, plan.account.salesforce_id)
        except SnapshotUnreadable:
            snapshot = None
        if snapshot is None or now - snapshot.fetched_at > limit:
            stale.append(path)
    if not stale:
        return
    try:
        pulled = pull(stale, config)
    except PlanpackError as error:
        result.pull_failed = True
        result.notes.append(f"the pull of {len(stale)} stale snapshots failed: {error}")
        return
    result.pull_failed = pulled.error is not None or bool(pulled.not_found)
    result.notes.append(f"pulled {len(pulled.refreshed)} stale snapshots in "
                        f"{pulled.requests} API requests"
                        + (f"; failed: {pulled.error.message}" if pulled.error else ""))


def _due(files: list[Path], config: ProgramConfig, options: BuildOptions,
         result: BuildResult) -> list[Path]:
    """The plans whose next review is due within `due_within` days (or is overdue)."""
    from planpack.plan_facts import review_due

    assert options.due_within is not None
    horizon = options.as_of + timedelta(days=options.due_within)
    keep = []
    for path in files:
        plan = load_plan(path).plan
        if plan is None:
            keep.append(path)  # an invalid plan is reported by the render, not hidden
            continue
        rules = config.program.tier(plan.account.tier)
        due = review_due(plan, rules.review_every_days, rules.checkin_every_days)
        if due is not None and due <= horizon:
            keep.append(path)
        else:
            result.skipped_not_due.append(str(path))
    return keep


def _rollups(config: ProgramConfig, options: BuildOptions, manifest: Manifest,
             shared: keys.Shared, out: Path, folders: list[Path], result: BuildResult) -> None:
    """The roll-ups, rebuilt only when some plan's inputs (or the programme) changed."""
    from planpack.check import check_plans
    from planpack.portfolio.writer import write_rollups

    digest = hashlib.sha256()
    for part in (shared.version, shared.config, shared.templates, shared.as_of.isoformat(),
                 options.rollups_by, options.kind, ",".join(options.formats)):
        digest.update(part.encode() + b"\0")
    for shown, record in sorted(manifest.plans.items()):
        digest.update(f"{shown}\0{record.plan}\0{record.snapshot}\0{record.commit}\0".encode())
    key = digest.hexdigest()
    previous = manifest.rollups
    if (previous.get("key") == key and not options.force
            and all((out / name).is_file() for name in previous.get("outputs", []))):
        return
    paths = [shown_path(config.path(p)) for p in sorted(manifest.plans)]
    run_ = check_plans(paths, config, options.as_of, with_health=True,
                       jobs=options.jobs) if paths else None
    if run_ is None:
        return
    formats = (*options.formats, "json")
    groups, written = write_rollups(run_.reports, config, options.as_of,
                                    by=options.rollups_by, formats=formats, out=out,
                                    kind=options.kind, renderer=Renderer(folders))
    manifest.rollups = {"key": key, "outputs": sorted(p.name for p in written)}
    result.rollups = written
    result.notes.append(f"roll-ups for {len(groups)} {options.rollups_by}s")


