"""The load -> validate (-> score) stages over many plans, in parallel when it pays.

`validate` is loading plus governance; `score` adds health. Both go through
check_plans() so they see the same findings. Work is split across processes
for large portfolios (each plan is independent); the results are merged and
sorted so the output never depends on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planpack.discovery import plan_files, shown_path
from planpack.enrich import Enriched, enrich_from
from planpack.findings import Finding, Problem, Severity, format_loc
from planpack.gitdates import last_commit_dates
from planpack.governance import CheckContext, check_plan
from planpack.health import Health, score_plan
from planpack.loader.plans import LoadedPlan, load_plan
from planpack.loader.program import ProgramConfig
from planpack.portfolio.summary import PlanSummary, summarize
from planpack.rules import severity_of

PARALLEL_FROM = 64  # below this many plans, starting workers costs more than it saves


@dataclass
class PlanReport:
    """What checking one plan file found; small enough to send between processes."""

    file: str
    slug: str
    findings: list[Finding]
    health: Health | None = None
    loaded: bool = False  # the plan validated against the schema
    owner: str | None = None
    tier: int | None = None
    owner_mark: tuple[int, int] = (1, 1)
    snapshot_fetched_at: str | None = None  # None: no Salesforce data
    data: Any = field(default=None, repr=False)  # the plan as YAML data, when it read as one
    view: Enriched | None = field(default=None, repr=False)  # the enriched plan, if kept
    summary: PlanSummary | None = None  # what a roll-up needs (when scored)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.INFO]


@dataclass
class CheckRun:
    reports: list[PlanReport] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.reports for f in r.findings]

    def failed(self, strict: bool = False) -> bool:
        return any(r.errors or (strict and r.warnings) for r in self.reports)


def locate(loaded: LoadedPlan, problem: Problem) -> Finding:
    mark = loaded.source.mark(problem.at if problem.at is not None else problem.field)
    return Finding(
        loaded.file, mark.line, mark.column, severity_of(problem.rule), problem.rule,
        format_loc(problem.field), problem.message, problem.fix,
    )


@dataclass(frozen=True)
class CheckOptions:
    """What every plan of one run is checked with (sent once to each worker)."""

    ctx: CheckContext
    snapshots: Path | None  # the Salesforce snapshot folder
    with_health: bool = False
    dates: dict[Path, date] = field(default_factory=dict)  # last commit per file
    keep_data: bool = False  # keep each plan's YAML data in its report (for diffs)
    keep_view: bool = False  # keep the enriched plan in the report (for renderers)


def check_file(
    path: Path, shown: str, options: CheckOptions, content: bytes | None = None
) -> PlanReport:
    """Load, enrich, validate (and score) one plan: the stages in order.

    `content` is the file's text when it is not read from disk (a version from git).
    """
    ctx = options.ctx
    loaded = load_plan(path, shown, content)
    report = PlanReport(shown, loaded.slug, list(loaded.findings),
                        data=loaded.data if options.keep_data else None)
    plan = loaded.plan
    if plan is None:
        return report
    report.loaded = True
    report.owner, report.tier = plan.team.owner, plan.account.tier
    owner = loaded.source.mark(("team", "owner"))
    report.owner_mark = (owner.line, owner.column)
    view, gaps = enrich_from(plan, options.snapshots, ctx)
    if view.snapshot is not None:
        report.snapshot_fetched_at = view.snapshot.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    if options.keep_view:
        report.view = view
    problems = [*check_plan(view.plan, ctx), *gaps]
    report.findings += [locate(loaded, problem) for problem in problems]
    if options.with_health:
        report.health = score_plan(plan, ctx, options.dates.get(path), view)
        report.summary = summarize(view.plan, ctx.program, ctx.as_of)
    return report


# A plan to check: its path, its name in messages, and its content when not on disk.
Work = tuple[Path, str, bytes | None]


def _check_chunk(chunk: list[Work], options: CheckOptions) -> list[PlanReport]:
    return [check_file(path, shown, options, content) for path, shown, content in chunk]


def check_many(work: list[Work], options: CheckOptions, jobs: int | None = None
               ) -> list[PlanReport]:
    """Reports for every item of `work`, in its order, on several processes when it pays."""
    jobs = jobs or default_jobs()
    if jobs > 1 and len(work) >= PARALLEL_FROM:
        chunks = [work[i::jobs] for i in range(jobs)]
        context = multiprocessing.get_context(
            "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        )
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            parts = list(pool.map(_check_chunk, chunks, [options] * jobs))
        # chunk i holds items i, i + jobs, ...: interleave them back into order.
        reports: list[PlanReport] = [None] * len(work)  # type: ignore[list-item]
        for i, part in enumerate(parts):
            reports[i::jobs] = part
        return reports
    return _check_chunk(work, options)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_plans(
    paths: list[Path] | None,
    config: ProgramConfig,
    as_of: date,
    *,
    with_health: bool = False,
    jobs: int | None = None,
    now: datetime | None = None,
) -> CheckRun:
    """Check every plan under `paths` (default: the programme's plans_dir)."""
    if not paths:
        paths = [shown_path(config.path(config.program.plans_dir))]
    files = plan_files(paths)
    ctx = CheckContext(config.program, as_of, now)
    options = CheckOptions(
        ctx,
        config.path(config.program.salesforce.snapshot_dir),
        with_health,
        last_commit_dates(files, until=as_of) if with_health else {},
    )
    reports = check_many([(path, str(path), None) for path in files], options, jobs)
    _portfolio(reports, ctx)
    for report in reports:
        report.findings.sort(key=Finding.sort_key)
    return CheckRun(reports)


def _portfolio(reports: list[PlanReport], ctx: CheckContext) -> None:
    """Rules across plans: file names that collide, owners over their capacity."""
    by_slug: dict[str, list[PlanReport]] = defaultdict(list)
    for report in reports:
        by_slug[report.slug].append(report)
    for same in by_slug.values():
        for report in same[1:]:
            report.findings.append(Finding(
                report.file, 1, 1, severity_of("duplicate-slug"), "duplicate-slug", "",
                f"another plan is also named {report.slug!r}: {same[0].file}; "
                "their packets would overwrite each other",
                "rename one of the files",
            ))
    load = Counter((r.owner, r.tier) for r in reports if r.owner is not None)
    for report in reports:
        if report.owner is None or report.tier is None:
            continue
        limit = ctx.program.tier(report.tier).max_plans_per_owner
        count = load[(report.owner, report.tier)]
        if limit is not None and count > limit:
            line, column = report.owner_mark
            report.findings.append(Finding(
                report.file, line, column, severity_of("owner-capacity"), "owner-capacity",
                "team.owner",
                f"{report.owner} owns {count} tier {report.tier} plans; the programme allows "
                f"{limit} per owner",
                "share the accounts out, or move some to another tier",
            ))

