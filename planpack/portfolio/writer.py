"""Writing roll-ups: one packet per manager (or owner) over their plans.

`planpack portfolio` and `planpack build` both come here: the plans are checked and
scored (check_plans), grouped, and written as PDF, deck or JSON, atomically.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planpack.atomic import write_atomically
from planpack.check import PlanReport, check_plans
from planpack.loader.program import ProgramConfig
from planpack.portfolio.model import Rollup, rollups
from planpack.portfolio.render import as_json, deck, pdf
from planpack.render.pdf import Renderer, RenderError
from planpack.render.templates import search_path

FORMATS = ("pdf", "pptx", "json")


def write_rollups(reports: list[PlanReport], config: ProgramConfig, as_of: date, *,
                  by: str, formats: tuple[str, ...], out: Path, kind: str = "qbr",
                  renderer: Renderer | None = None) -> tuple[list[Rollup], list[Path]]:
    """Roll-ups of the scored `reports`, written to `out` in each format."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise RenderError(f"unknown roll-up format {', '.join(unknown) or '(none)'}; expected "
                          "pdf, pptx or json")
    groups = rollups(reports, config.program, as_of, by=by, packet_kind=kind)
    renderer = renderer or Renderer(search_path(config.path(config.program.templates_dir)))
    made: list[tuple[Path, bytes | str]] = []
    for rollup in groups:
        stem = f"portfolio-{by}-{rollup.slug}"
        if "pdf" in formats:
            made.append((out / f"{stem}.pdf", pdf(rollup, config, renderer)))
        if "pptx" in formats:
            made.append((out / f"{stem}.pptx", deck(rollup, config, renderer)))
    if "json" in formats:
        made.append((out / f"portfolio-{by}.json", as_json(groups)))
    for path, content in made:
        write_atomically(path, content)
    return groups, [path for path, _ in made]


def portfolio(paths: list[Path] | None, config: ProgramConfig, as_of: date, *,
              by: str = "manager", formats: tuple[str, ...] = ("pdf",),
              out: Path | None = None) -> tuple[list[Rollup], list[Path], list[PlanReport]]:
    """`planpack portfolio`: check and score the plans, then write the roll-ups."""
    run = check_plans(paths, config, as_of, with_health=True)
    groups, written = write_rollups(run.reports, config, as_of, by=by, formats=formats,
                                    out=out or config.path(config.program.output_dir))
    return groups, written, run.reports
