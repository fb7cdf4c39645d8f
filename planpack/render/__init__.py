"""Rendering: a plan's review packet, through the same stages as every command.

render_plan() loads, enriches, validates and scores the plan (check_file), takes
"what changed" from history, builds the Packet, lays it out with the templates,
and only then writes, atomically: a failed render leaves the last good packet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from planpack import __version__
from planpack.atomic import write_atomically
from planpack.check import CheckOptions, PlanReport, check_file
from planpack.discovery import shown_path
from planpack.governance.context import CheckContext
from planpack.history.diff import PlanDiff, since_review
from planpack.history.git import HistoryError
from planpack.loader.program import ProgramConfig
from planpack.render.deck import TEMPLATE as DECK_TEMPLATE
from planpack.render.deck import build_deck
from planpack.render.packet import Packet, build_packet
from planpack.render.pdf import Renderer, RenderError
from planpack.render.templates import environment, search_path

KINDS = ("qbr", "checkin")


@dataclass
class Rendered:
    path: Path  # the first output (the PDF when there is one)
    packet: Packet
    refused: list[str]  # URLs a template tried to load and was refused
    warnings: list[str]  # what WeasyPrint warned about
    paths: list[Path] = field(default_factory=list)  # every output, one per format


def prepare(path: Path, config: ProgramConfig, as_of: date, kind: str = "qbr",
            now: datetime | None = None) -> Packet:
    """The packet for one plan file: every stage but layout and writing."""
    if kind not in KINDS:
        raise RenderError(f"unknown packet kind {kind!r}; expected qbr or checkin")
    ctx = CheckContext(config.program, as_of, now)
    options = CheckOptions(ctx, config.path(config.program.salesforce.snapshot_dir),
                           with_health=True, keep_data=True, keep_view=True)
    shown = str(shown_path(path))
    report = check_file(path, shown, options)
    if report.view is None:
        raise RenderError(_invalid(shown, report))
    history = _history(path, report, config, as_of, kind)
    return build_packet(report.view, report.health, report.findings, config.program, as_of,
                        kind=kind, slug=report.slug,
                        changes=list(history.changes) if history else [],
                        changes_note=(history.note or "") if history else
                        "no history: the plan is not in a git repository",
                        sources=_sources(report, history, as_of))


def _invalid(shown: str, report: PlanReport) -> str:
    """The first error as validate prints it (file:line:column, rule, field), and how
    many more there are."""
    from planpack.report.findings import text_line

    if not report.errors:
        return f"{shown} is not a valid plan; run planpack validate {shown}"
    first, more = report.errors[0], len(report.errors) - 1
    text = text_line(first) + (f"; fix: {first.fix}" if first.fix else "")
    if more:
        text += f" (and {more} more error{'s' if more > 1 else ''}: planpack validate {shown})"
    return text


def _history(path: Path, report: PlanReport, config: ProgramConfig, as_of: date, kind: str
             ) -> PlanDiff | None:
    """What changed since the plan's last review (QBR, or any review for a check-in)."""
    try:
        run = since_review([path], config, as_of, kind="qbr" if kind == "qbr" else "checkin",
                           checked={path: report})
    except HistoryError:
        return None
    return run.plans[0]


def _sources(report: PlanReport, history: PlanDiff | None, as_of: date
             ) -> list[tuple[str, str]]:
    if history is None:
        commit = "not in git"
    elif history.last_commit is None:
        commit = "not committed yet"
    else:
        commit = history.last_commit[:12] + (" (with uncommitted changes)"
                                             if history.uncommitted else "")
    snapshot = (report.snapshot_fetched_at.replace("T", " ").replace("Z", " UTC")
                if report.snapshot_fetched_at else "no Salesforce data")
    return [("Plan file", report.file), ("Git commit", commit),
            ("Salesforce snapshot", snapshot), ("Judged as of", as_of.isoformat()),
            ("planpack", __version__)]


def render_html(packet: Packet, config: ProgramConfig) -> str:
    """The packet laid out by the templates; a template error is a RenderError naming it."""
    from jinja2 import TemplateError, TemplateSyntaxError

    env = environment(config.path(config.program.templates_dir))
    name = f"{packet.kind}.html.j2"
    try:
        return env.get_template(name).render(packet=packet)
    except TemplateSyntaxError as exc:
        raise RenderError(f"template {exc.filename or exc.name or name}, line {exc.lineno}: "
                          f"{exc.message}") from None
    except TemplateError as exc:
        raise RenderError(f"template {name} (or one it includes) failed: {exc.message}"
                          ) from None


FORMATS = ("pdf", "pptx")


def render_plan(path: Path, config: ProgramConfig, as_of: date, *, kind: str = "qbr",
                out: Path | None = None, now: datetime | None = None,
                renderer: Renderer | None = None, formats: tuple[str, ...] = ("pdf",)
                ) -> Rendered:
    """Render one plan's packet to `<out>/<slug>-<kind>.<format>` for each format.

    Every format is made before any is written: a failure writes nothing.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise RenderError(f"unknown format {', '.join(unknown) or '(none)'}; expected pdf or "
                          "pptx, or both: pdf,pptx")
    packet = prepare(path, config, as_of, kind, now)
    folders = search_path(config.path(config.program.templates_dir))
    renderer = renderer or Renderer(folders)
    made: dict[str, bytes] = {}
    if "pdf" in formats:
        html = render_html(packet, config)
        try:
            made["pdf"] = renderer.pdf(html)
        except RenderError:
            raise
        except Exception as exc:  # WeasyPrint raises many kinds; none may leave a file behind
            raise RenderError(f"{shown_path(path)}: the PDF could not be made: "
                              f"{type(exc).__name__}: {exc}") from exc
    if "pptx" in formats:
        made["pptx"] = build_deck(packet, renderer.find(DECK_TEMPLATE),
                                  config.program.deck.layouts)
    folder = out or config.path(config.program.output_dir)
    targets = [folder / f"{packet.slug}-{kind}.{fmt}" for fmt in made]
    for target, content in zip(targets, made.values(), strict=True):
        write_atomically(target, content)
    return Rendered(targets[0], packet, list(renderer.refused), list(renderer.warnings),
                    targets)
