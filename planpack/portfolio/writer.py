"""Writing roll-ups: one packet per manager (or owner) over their plans.

`planpack portfolio` and `planpack build` both come here: the plans are checked and
scored (check_plans), grouped, and written as PDF, deck or JSON, atomically.
"""

from __future__ import annotations

from datetime import date
from itertools import repeat
from pathlib import Path

from planpack.atomic import write_atomically
from planpack.check import PlanReport, check_plans, default_jobs
from planpack.loader.program import ProgramConfig
from planpack.portfolio.model import Rollup, rollups
from planpack.portfolio.render import as_json, deck, pdf
from planpack.render.pdf import Renderer, RenderError
from planpack.render.templates import search_path
from planpack.workers import pool, renderer_for

FORMATS = ("pdf", "pptx", "json")


def write_rollups(reports: list[PlanReport], config: ProgramConfig, as_of: date, *,
                  by: str, formats: tuple[str, ...], out: Path, kind: str = "qbr",
                  renderer: Renderer | None = None, jobs: int = 1
                  ) -> tuple[list[Rollup], list[Path]]:
    """Roll-ups of the scored `reports`, written to `out` in each format; their PDFs and
    decks made on `jobs` worker processes. Everything is made before anything is written."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise RenderError(f"unknown roll-up format {', '.join(unknown) or '(none)'}; expected "
                          "pdf, pptx or json")
    groups = rollups(reports, config.program, as_of, by=by, packet_kind=kind)
    documents = [f for f in formats if f != "json"]
    if jobs > 1 and len(groups) > 1 and documents:
        with pool(min(jobs, len(groups))) as workers:
            each = list(workers.map(_files, groups, repeat(config), repeat(documents)))
    else:
        each = [_files(rollup, config, documents, renderer) for rollup in groups]
    made: list[tuple[Path, bytes | str]] = [
        (out / name, content) for files in each for name, content in files]
    if "json" in formats:
        made.append((out / f"portfolio-{by}.json", as_json(groups)))
    for path, content in made:
        write_atomically(path, content)
    return groups, [path for path, _ in made]


def _files(rollup: Rollup, config: ProgramConfig, formats: list[str],
           renderer: Renderer | None = None) -> list[tuple[str, bytes]]:
    """One roll-up's documents, by file name (in a worker, or in this process)."""
    renderer = renderer or renderer_for(search_path(config.path(config.program.templates_dir)))
    stem = f"portfolio-{rollup.by}-{rollup.slug}"
    files = []
    if "pdf" in formats:
        files.append((f"{stem}.pdf", pdf(rollup, config, renderer)))
    if "pptx" in formats:
        files.append((f"{stem}.pptx", deck(rollup, config, renderer)))
    return files


def portfolio(paths: list[Path] | None, config: ProgramConfig, as_of: date, *,
              by: str = "manager", formats: tuple[str, ...] = ("pdf",),
              out: Path | None = None, jobs: int | None = None
              ) -> tuple[list[Rollup], list[Path], list[PlanReport]]:
    """`planpack portfolio`: check and score the plans, then write the roll-ups."""
    run = check_plans(paths, config, as_of, with_health=True, jobs=jobs)
    groups, written = write_rollups(run.reports, config, as_of, by=by, formats=formats,
                                    out=out or config.path(config.program.output_dir),
                                    jobs=jobs or default_jobs())
    return groups, written, run.reports
