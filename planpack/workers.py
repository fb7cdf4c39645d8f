"""Worker processes for rendering: started from a forkserver that has already imported
planpack, WeasyPrint and python-pptx, so each new worker costs a fork, not 0.8 s of
imports; each keeps one prepared Renderer (fonts, stylesheet) for all its documents."""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from planpack.render.pdf import Renderer

PRELOAD = ["planpack.build.worker", "planpack.render", "planpack.portfolio.render",
           "weasyprint", "pptx"]

_RENDERERS: dict[tuple[Path, ...], Renderer] = {}


def renderer_for(folders: list[Path]) -> Renderer:
    """This process's Renderer for these template folders, prepared on first use."""
    return _RENDERERS.setdefault(tuple(folders), Renderer(list(folders)))


def ignore_interrupts() -> None:
    """A worker's initializer: Ctrl-C is the parent's to handle (it stops the pool and
    saves the manifest), so a worker finishes, or is cancelled before, its document."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def pool(jobs: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                               initializer=ignore_interrupts)
