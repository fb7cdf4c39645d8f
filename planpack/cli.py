"""The command line: each command parses its options and calls one function.

Implementations are imported inside the commands so `planpack --help` starts
without loading pydantic, and `validate` never loads the renderers or the
Salesforce client.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from planpack import __version__

if TYPE_CHECKING:
    from planpack.errors import PlanpackError
    from planpack.loader.program import ProgramConfig


def _as_of_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
        metavar="YYYY-MM-DD", help="Judge the plans as of this date instead of today.",
    )(f)


def _config_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--config", "config_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
        help="The programme file (default: planpack.yaml here or in a parent folder).",
    )(f)


def _jobs_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=None,
        help="Worker processes for large portfolios (default: one per CPU).",
    )(f)


def _paths_argument(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument("paths", nargs=-1, type=click.Path(path_type=Path))(f)


def _fail(error: PlanpackError, fmt: str = "text") -> NoReturn:
    """Report what stopped the command, in the output format asked for, and exit."""
    from planpack.errors import ConfigError
    from planpack.report.findings import github_lines, json_list, text_line

    if isinstance(error, ConfigError):
        # CI reads stdout: a bad planpack.yaml is annotated, or listed, like a bad plan.
        if fmt == "github":
            click.echo("\n".join(github_lines(error.findings, strict=False)))
        elif fmt == "json":
            click.echo(json_list(error.findings), nl=False)
        for finding in error.findings:
            click.echo(text_line(finding), err=True)
            if finding.fix:
                click.echo(f"    fix: {finding.fix}", err=True)
        click.echo("Error: the programme configuration is invalid; nothing was checked",
                   err=True)
    else:
        click.echo(f"Error: {error}", err=True)
    sys.exit(error.exit_code)


def _program(config_file: Path | None, fmt: str) -> ProgramConfig:
    from planpack.errors import PlanpackError
    from planpack.loader.program import load_program

    try:
        return load_program(config_file)
    except PlanpackError as error:
        _fail(error, fmt)


def _day(value: datetime | None) -> date:
    return value.date() if value is not None else date.today()


def _formats(value: str) -> tuple[str, ...]:
    """`--format pdf,pptx` as its names; the stage that uses them says which it knows."""
    return tuple(name.strip() for name in value.split(",") if name.strip())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planpack")
def cli() -> None:
    """Key-account plans as code: validate, score and render them."""


@cli.command()
@_paths_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "junit"]),
              default="text", show_default=True, help="How to print the findings.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any).")
@_as_of_option
@_config_option
@_jobs_option
def validate(paths: tuple[Path, ...], fmt: str, strict: bool, as_of: datetime | None,
             config_file: Path | None, jobs: int | None) -> None:
    """Check plans against the format and the programme's rules.

    PATHS are plan files or folders (default: the programme's plans_dir).
    Exit code 0 when all plans pass, 1 when any has an error (or, with
    --strict, a warning), 2 for a usage or configuration error.
    """
    from planpack.check import check_plans
    from planpack.errors import PlanpackError
    from planpack.report.findings import FORMATS, summary

    config = _program(config_file, fmt)
    try:
        run = check_plans(list(paths), config, _day(as_of), jobs=jobs)
    except PlanpackError as error:
        _fail(error)
    click.echo(FORMATS[fmt](run, strict), nl=False)
    if fmt in ("json", "junit"):  # keep stdout machine-readable
        click.echo(summary(run, strict), err=True)
    sys.exit(1 if run.failed(strict) else 0)


@cli.command()
@_paths_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for tools.")
@click.option("--fail-under", type=click.IntRange(0, 100), default=None, metavar="SCORE",
              help="Exit 1 if any plan scores below SCORE.")
@_as_of_option
@_config_option
@_jobs_option
def score(paths: tuple[Path, ...], fmt: str, fail_under: int | None, as_of: datetime | None,
          config_file: Path | None, jobs: int | None) -> None:
    """Give each plan a health score, 0-100, and explain every lost point.

    Exit code 1 when a plan cannot be scored (run validate to see why) or,
    with --fail-under, scores below the bar.
    """
    from planpack.check import check_plans
    from planpack.errors import PlanpackError
    from planpack.report.scores import FORMATS, summary

    config = _program(config_file, fmt)
    try:
        run = check_plans(list(paths), config, _day(as_of), with_health=True, jobs=jobs)
    except PlanpackError as error:
        _fail(error)
    click.echo(FORMATS[fmt](run), nl=False)
    if fmt == "json":
        click.echo(summary(run), err=True)
    healths = [r.health for r in run.reports]
    below = fail_under is not None and any(h and h.score < fail_under for h in healths)
    sys.exit(1 if below or any(h is None for h in healths) else 0)


@cli.command()
@_paths_argument
@_config_option
def pull(paths: tuple[Path, ...], config_file: Path | None) -> None:
    """Fetch the plans' accounts from Salesforce into snapshots.

    Credentials come from the environment (see the README). Exit code 1 when
    the pull failed or some accounts were not found, 2 when credentials are
    missing or contradictory. A failed pull keeps every earlier snapshot.
    """
    from planpack.errors import PlanpackError
    from planpack.report.pull import as_text
    from planpack.salesforce.pull import pull as run_pull

    config = _program(config_file, "text")
    try:
        result = run_pull(list(paths), config)
    except PlanpackError as error:
        _fail(error)
    click.echo(as_text(result), nl=False)
    sys.exit(1 if result.failed else 0)


@cli.command()
@click.argument("args", nargs=-1, metavar="[BASE [HEAD]] [PATH...]")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]),
              default="text", show_default=True,
              help="text for a terminal, markdown for a pull-request comment, json for tools.")
@click.option("--since-review", is_flag=True,
              help="Compare each plan with its version at its last review (or check-in).")
@_as_of_option
@_config_option
def diff(args: tuple[str, ...], fmt: str, since_review: bool, as_of: datetime | None,
         config_file: Path | None) -> None:
    """Compare plans as plans between two versions, and how their health moved.

    BASE defaults to where HEAD forked from the default branch (a pull request's
    base); HEAD to the working tree. Arguments that name files or folders are
    PATHs; the others are revisions.
    """
    from planpack.errors import PlanpackError
    from planpack.history.diff import diff_plans
    from planpack.history.diff import since_review as run_since_review
    from planpack.report.diff import FORMATS

    revisions = [a for a in args if not Path(a).exists()]
    paths = [Path(a) for a in args if Path(a).exists()]
    if len(revisions) > 2:
        raise click.UsageError(f"{revisions[2]!r} is neither a file nor a third revision")
    if since_review and revisions:
        raise click.UsageError("--since-review compares with each plan's last review; "
                               "it takes no revisions")
    config = _program(config_file, "text")
    try:
        if since_review:
            run = run_since_review(paths, config, _day(as_of))
        else:
            base = revisions[0] if revisions else None
            head = revisions[1] if len(revisions) > 1 else None
            run = diff_plans(paths, config, base, head, _day(as_of))
    except PlanpackError as error:
        _fail(error)
    click.echo(FORMATS[fmt](run), nl=False)


@cli.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", default="pdf", show_default=True, metavar="pdf,pptx",
              help="The packet's formats: pdf, pptx, or both (pdf,pptx).")
@click.option("--kind", type=click.Choice(["qbr", "checkin"]), default="qbr",
              show_default=True, help="The deep quarterly packet, or the light check-in.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Where to write (default: the programme's output_dir).")
@_as_of_option
@_config_option
def render(plan: Path, fmt: str, kind: str, out_dir: Path | None, as_of: datetime | None,
           config_file: Path | None) -> None:
    """Render one plan's review packet.

    Writes OUT/<plan>-<kind>.pdf atomically: a failed render leaves the last good
    packet. Exit code 1 when the plan is invalid or the render failed.
    """
    from planpack.discovery import shown_path
    from planpack.errors import PlanpackError
    from planpack.render import render_plan

    config = _program(config_file, "text")
    try:
        formats = _formats(fmt)
        rendered = render_plan(plan, config, _day(as_of), kind=kind, out=out_dir,
                               formats=formats)
    except PlanpackError as error:
        _fail(error)
    for url in rendered.refused:
        click.echo(f"warning: a template tried to load {url}; only template files may be "
                   "read", err=True)
    for message in rendered.warnings:
        click.echo(f"warning: WeasyPrint: {message}", err=True)
    for written in rendered.paths:
        click.echo(f"Wrote {shown_path(written)}")


@cli.command()
@_paths_argument
@click.option("--format", "fmt", default="pdf", show_default=True, metavar="pdf,pptx",
              help="The packets' formats: pdf, pptx, or both (pdf,pptx).")
@click.option("--kind", type=click.Choice(["qbr", "checkin"]), default="qbr",
              show_default=True, help="The deep quarterly packets, or the light check-ins.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Where to write (default: the programme's output_dir).")
@_jobs_option
@click.option("--offline", is_flag=True,
              help="Do not pull stale Salesforce snapshots first; use those there are.")
@click.option("--force", is_flag=True, help="Rebuild every output, changed or not.")
@click.option("--due-within", type=click.IntRange(min=0), default=None, metavar="DAYS",
              help="Only the plans whose next review falls within DAYS (or is overdue).")
@click.option("--by", type=click.Choice(["manager", "owner"]), default="manager",
              show_default=True, help="The roll-ups: one per manager, or per owner.")
@click.option("-q", "--quiet", is_flag=True, help="Only failures and the summary.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also list the plans left unchanged, and each worker's peak memory.")
@_as_of_option
@_config_option
def build(paths: tuple[Path, ...], fmt: str, kind: str, out_dir: Path | None,
          jobs: int | None, offline: bool, force: bool, due_within: int | None, by: str,
          quiet: bool, verbose: bool, as_of: datetime | None,
          config_file: Path | None) -> None:
    """Build every plan's packets, and the roll-ups, into the output folder.

    Incremental: an output whose inputs (plan, snapshot, planpack.yaml, templates,
    planpack version, --as-of, kind) are unchanged is not rendered again;
    output/manifest.json records what each was built from. Without --offline,
    stale snapshots are pulled first when Salesforce credentials are set. A plan
    that fails keeps its last good packets; the others still build; exit code 1.
    """
    from planpack.build.progress import for_terminal
    from planpack.build.run import BuildOptions
    from planpack.build.run import build as run_build
    from planpack.check import default_jobs
    from planpack.discovery import shown_path
    from planpack.errors import PlanpackError

    config = _program(config_file, "text")
    options = BuildOptions(
        paths=list(paths), formats=_formats(fmt),
        kind=kind, out=out_dir, jobs=jobs or default_jobs(), offline=offline, force=force,
        as_of=_day(as_of), due_within=due_within, rollups_by=by,
    )
    try:
        result = run_build(config, options, for_terminal(quiet, verbose))
    except PlanpackError as error:
        _fail(error)
    except KeyboardInterrupt:
        click.echo("Interrupted: the manifest lists what was completed; no partial files",
                   err=True)
        sys.exit(130)
    for note in result.notes:
        click.echo(note)
    files = sum(len(d.outputs) for d in result.built)
    click.echo(
        f"Built {len(result.built)} plan{'s' if len(result.built) != 1 else ''} ({files} "
        f"file{'s' if files != 1 else ''}), {len(result.unchanged)} unchanged, "
        f"{len(result.failed)} failed"
        + (f", {len(result.skipped_not_due)} not due" if due_within is not None else "")
        + f" in {result.seconds:.1f} s; outputs in {shown_path(result.out or Path('.'))}"
    )
    sys.exit(result.exit_code)


@cli.command()
@_paths_argument
@click.option("--by", type=click.Choice(["manager", "owner"]), default="manager",
              show_default=True, help="One roll-up per manager, or per plan owner.")
@click.option("--format", "fmt", default="pdf", show_default=True, metavar="pdf,pptx,json",
              help="The roll-ups' formats: pdf, pptx, json, or several (pdf,json).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Where to write (default: the programme's output_dir).")
@_as_of_option
@_config_option
def portfolio(paths: tuple[Path, ...], by: str, fmt: str, out_dir: Path | None,
              as_of: datetime | None, config_file: Path | None) -> None:
    """Write one roll-up per manager (or owner) across their plans.

    Plans by tier, the share with a current plan, health, plans ranked by health,
    reviews overdue and coming up, overdue actions, and owners against capacity.
    Plans that fail to load are listed and left out; exit code 1 then.
    """
    from planpack.discovery import shown_path
    from planpack.errors import PlanpackError
    from planpack.portfolio.writer import portfolio as run_portfolio
    from planpack.report.findings import text_line

    config = _program(config_file, "text")
    try:
        formats = _formats(fmt)
        _, written, reports = run_portfolio(list(paths), config, _day(as_of), by=by,
                                            formats=formats, out=out_dir)
    except PlanpackError as error:
        _fail(error)
    unloaded = [r for r in reports if r.summary is None]
    for report in unloaded:
        for finding in report.errors[:1]:
            click.echo(f"{text_line(finding)} (left out of the roll-ups)", err=True)
    for path in written:
        click.echo(f"Wrote {shown_path(path)}")
    sys.exit(1 if unloaded else 0)


@cli.command()
def schema() -> None:
    """Print the plan format as a JSON Schema (draft-07) for editors.

    Save it as plan.schema.json and start each plan with
    `# yaml-language-server: $schema=../plan.schema.json`.
    """
    from planpack.schema_export import schema_text

    click.echo(schema_text(), nl=False)


def main() -> None:
    try:
        cli(prog_name="planpack")
    except KeyboardInterrupt:
        click.echo("Interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # `planpack validate | head`: the reader has gone; say nothing more.
        sys.stderr.close()
        sys.exit(1)
