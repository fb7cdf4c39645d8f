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

import contextlib
import functools
import os
import tempfile
import time
from collections.abc import Callable, Generator
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

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
from planpack.workers import pool

if TYPE_CHECKING:
    from jinja2 import Environment

    from planpack.models.plan import Plan

# Plans per worker process before it is replaced. A worker's peak memory levels off
# after a few plans (bench/build.py prints it); replacing it costs a fork and a Renderer.
RECYCLE_AFTER = 50
SAVE_EVERY = 2.0  # seconds between manifest saves while plans complete


class BuildError(PlanpackError):
    """The build cannot start: an unwritable output folder, a missing template (exit 2)."""

    exit_code = 2


class WriteError(PlanpackError):
    """The build could not write its outputs: a full disk, a folder gone read-only (exit 1)."""


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
    _check_templates(config, Renderer(folders), options)
    files = plan_files(options.paths or [shown_path(config.path(config.program.plans_dir))])
    # Pulling and --due-within both read plans: each file is parsed once for the two.
    plan_of: Callable[[Path], Plan | None] = functools.cache(lambda p: load_plan(p).plan)
    if not options.offline:
        _pull_stale(files, plan_of, config, result)
    programme = files  # the roll-ups cover every plan, due or not
    if options.due_within is not None:
        files = _due(files, plan_of, config, options, result)

    manifest = load(out)
    shared = keys.Shared(keys.file_digest(config.file), keys.tree_digest(folders),
                         options.as_of)
    digests = {path: keys.file_digest(path) for path in programme}  # each plan read once
    commits = {path: sha for path, (sha, _) in last_commits(files).items()}
    snapshots = config.path(config.program.salesforce.snapshot_dir)
    work: dict[str, Task] = {}
    for path in files:
        shown = str(path)
        record = manifest.plans.get(_key(config, path))
        commit = commits.get(path, "-")
        if not options.force and _current(record, digests[path], commit, shared, options,
                                          out, config):
            result.unchanged.append(shown)
            continue
        work[shown] = Task(path, shown, options.kind, options.formats, out, options.as_of,
                           config)

    progress.start(len(work), len(result.unchanged))
    for shown in result.unchanged:
        progress.unchanged(shown)
    last_save = time.perf_counter()
    stopped: Done | None = None
    unsaved: WriteError | None = None
    try:
        with contextlib.closing(_render(list(work.values()), options.jobs)) as items:
            for item in items:
                task = work[item.shown]
                _record(manifest, task, item, shared, digests[task.path],
                        commits.get(task.path, "-"), snapshots, config)
                (result.failed if item.error else result.built).append(item)
                progress.done(item)
                if item.fatal:
                    stopped = item
                    break
                if time.perf_counter() - last_save > SAVE_EVERY:
                    _save(out, manifest)
                    last_save = time.perf_counter()
    finally:
        # Interrupted or not, the manifest says what was completed, and only that.
        for key in [k for k in manifest.plans if not config.path(k).exists()]:
            del manifest.plans[key]
        try:
            _save(out, manifest)
        except WriteError as error:
            unsaved = error
        progress.finish()
    if stopped is not None:
        raise WriteError(f"stopped after {len(result.built)} of {len(work)} plans: "
                         f"{stopped.error}; the last good outputs are kept")
    if unsaved is not None:
        raise unsaved
    _rollups(config, options, digests, manifest, shared, out, result)
    _save(out, manifest)
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


def _check_templates(config: ProgramConfig, renderer: Renderer, options: BuildOptions
                     ) -> None:
    """Every template the formats need is there, and every one they refer to: a missing
    or broken template stops the build before any plan is rendered."""
    needed = {"pdf": "packet.css", "pptx": "deck.pptx"}
    for fmt in options.formats:
        if fmt not in needed:
            raise BuildError(f"unknown format {fmt!r}; expected pdf or pptx, or both: pdf,pptx")
        try:
            renderer.find(needed[fmt])
        except RenderError as error:
            raise BuildError(str(error)) from None
    if "pdf" in options.formats:
        from planpack.render.templates import environment

        env = environment(config.path(config.program.templates_dir))
        seen: set[str] = set()
        for name in (f"{options.kind}.html.j2", "portfolio.html.j2"):
            _check_html(env, name, None, seen, renderer)


def _check_html(env: Environment, name: str, used_by: str | None, seen: set[str],
                renderer: Renderer) -> None:
    from jinja2 import TemplateNotFound, TemplateSyntaxError, nodes

    if name in seen:
        return
    seen.add(name)
    assert env.loader is not None
    try:
        source, filename, _ = env.loader.get_source(env, name)
        tree = env.parse(source, name, filename)
    except TemplateNotFound:
        folders = ", ".join(str(shown_path(f)) for f in renderer.folders)
        where = f"{used_by} refers to " if used_by else "no "
        raise BuildError(f"{where}template {name!r}, which is in none of the template "
                         f"folders ({folders})") from None
    except TemplateSyntaxError as error:
        shown = shown_path(Path(error.filename)) if error.filename else name
        raise BuildError(f"template {shown}:{error.lineno}: {error.message}") from None
    shown = shown_path(Path(filename)) if filename else name
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        target = getattr(node, "template", None)  # a name; a variable is checked at render
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            _check_html(env, target.value, f"{shown}:{node.lineno}", seen, renderer)


def _save(out: Path, manifest: Manifest) -> None:
    try:
        save(out, manifest)
    except OSError as error:
        raise WriteError(f"cannot write {shown_path(out / 'manifest.json')}: "
                         f"{error.strerror or error}") from None


def _key(config: ProgramConfig, path: Path) -> str:
    """A path as the manifest names it: relative to planpack.yaml's folder, so a build
    run from another folder still finds its records."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(config.root).as_posix()
    except ValueError:
        return resolved.as_posix()


def _output_keys(shared: keys.Shared, plan: str, snapshot: str, commit: str, kind: str,
                 formats: tuple[str, ...]) -> dict[str, str]:
    return {fmt: keys.output_key(shared, plan, snapshot, commit, kind, fmt) for fmt in formats}


def _current(record: PlanRecord | None, plan: str, commit: str, shared: keys.Shared,
             options: BuildOptions, out: Path, config: ProgramConfig) -> bool:
    """Whether every output the options ask for was built from these inputs and is there.
    The snapshot is hashed as it is now: a pull since the last build changes the key."""
    if record is None or record.error or record.plan != plan:
        return False
    snapshot = (keys.file_digest(config.path(record.snapshot_path)) if record.snapshot_path
                else "-")
    wanted = _output_keys(shared, plan, snapshot, commit, options.kind, options.formats)
    have = {o.format: o for o in record.outputs if o.kind == options.kind}
    return all(fmt in have and have[fmt].key == key and (out / have[fmt].path).is_file()
               for fmt, key in wanted.items())


def _record(manifest: Manifest, task: Task, item: Done, shared: keys.Shared, plan: str,
            commit: str, snapshots: Path, config: ProgramConfig) -> None:
    key = _key(config, task.path)
    old = manifest.plans.get(key)
    snapshot = _key(config, path_for(snapshots, item.account_id)) if item.account_id else None
    record = PlanRecord(key, task.path.stem, plan, snapshot,
                        keys.file_digest(config.path(snapshot)) if snapshot else "-", commit)
    if item.error:  # the last good outputs stay, and so does their record
        record.outputs = old.outputs if old else []
        record.score, record.grade = (old.score, old.grade) if old else (None, None)
        record.error = item.error
    else:
        other = [o for o in (old.outputs if old else []) if o.kind != task.kind]
        wanted = _output_keys(shared, plan, record.snapshot, commit, task.kind, task.formats)
        record.outputs = other + [Output(name, task.kind, fmt, wanted[fmt])
                                  for name, fmt in item.outputs]
        record.score, record.grade = item.score, item.grade
    manifest.plans[key] = record


def _render(work: list[Task], jobs: int) -> Generator[Done, None, None]:
    """The tasks' results as they complete. With several jobs, in pools of `jobs` worker
    processes that each take at most RECYCLE_AFTER plans: a fresh pool per batch keeps
    memory flat. (Python 3.11's max_tasks_per_child can deadlock when a worker is
    replaced, so the batches do the recycling.)"""
    if jobs <= 1 or len(work) <= 1:
        for task in work:
            yield run(task)
        return
    size = jobs * RECYCLE_AFTER
    for start in range(0, len(work), size):
        batch = work[start:start + size]
        workers = pool(min(jobs, len(batch)))
        try:
            futures = [workers.submit(run, task) for task in batch]
            for future in as_completed(futures):
                yield future.result()
        finally:
            workers.shutdown(wait=True, cancel_futures=True)


def _pull_stale(files: list[Path], plan_of: Callable[[Path], Plan | None],
                config: ProgramConfig, result: BuildResult) -> None:
    from planpack.salesforce.credentials import ALL, CredentialsError, from_environment
    from planpack.salesforce.pull import pull
    from planpack.salesforce.snapshot import SnapshotUnreadable, read_snapshot

    try:
        from_environment()
    except CredentialsError as error:
        if any(os.environ.get(name) for name in ALL):  # set, but not usable: say so, fail
            result.pull_failed = True
            result.notes.append(f"{error}; building from the existing snapshots")
        else:
            result.notes.append("no Salesforce credentials: building from the existing "
                                "snapshots")
        return
    folder = config.path(config.program.salesforce.snapshot_dir)
    limit = timedelta(hours=config.program.salesforce.max_snapshot_age_hours)
    now = datetime.now(UTC)
    stale = []
    for path in files:
        plan = plan_of(path)
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


def _due(files: list[Path], plan_of: Callable[[Path], Plan | None], config: ProgramConfig,
         options: BuildOptions, result: BuildResult) -> list[Path]:
    """The plans whose next review is due within `due_within` days (or is overdue)."""
    from planpack.plan_facts import review_due

    assert options.due_within is not None
    horizon = options.as_of + timedelta(days=options.due_within)
    keep = []
    for path in files:
        plan = plan_of(path)
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


def _rollups(config: ProgramConfig, options: BuildOptions, digests: dict[Path, str],
             manifest: Manifest, shared: keys.Shared, out: Path, result: BuildResult) -> None:
    """The roll-ups of all the plans (with --due-within too: a manager's roll-up covers
    every plan of theirs), rebuilt only when some plan's inputs (or the programme) did."""
    from planpack.check import check_plans
    from planpack.portfolio.writer import write_rollups

    paths = sorted(digests, key=str)
    if not paths:
        return
    digest = shared.digest(options.rollups_by, options.kind, ",".join(options.formats))
    for path in paths:
        name, plan = _key(config, path), digests[path]
        record = manifest.plans.get(name)
        known = f"{record.snapshot}\0{record.commit}" if record and record.plan == plan else ""
        digest.update(f"{name}\0{plan}\0{known}\0".encode())
    key = digest.hexdigest()
    previous = manifest.rollups
    if (previous.get("key") == key and not options.force
            and all((out / name).is_file() for name in previous.get("outputs", []))):
        return
    run_ = check_plans(paths, config, options.as_of, with_health=True, jobs=options.jobs)
    formats = (*options.formats, "json")
    try:
        groups, written = write_rollups(run_.reports, config, options.as_of,
                                        by=options.rollups_by, formats=formats, out=out,
                                        kind=options.kind, jobs=options.jobs)
    except OSError as error:
        raise WriteError(f"cannot write the roll-ups to {shown_path(out)}: "
                         f"{error.strerror or error}") from None
    manifest.rollups = {"key": key, "outputs": sorted(p.name for p in written)}
    result.rollups = written
    result.notes.append(f"roll-ups for {len(groups)} {options.rollups_by}"
                        f"{'s' if len(groups) != 1 else ''}" if groups else
                        "no roll-ups: no plan could be read")
