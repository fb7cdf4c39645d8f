"""What one worker process does for one plan: render its packets, report back.

Each worker prepares WeasyPrint (fonts, stylesheet) once, on its first plan, and
keeps it for the plans that follow; the pool replaces workers after a number of
plans, so memory stays flat over a long build.
"""

from __future__ import annotations

import errno
import os
import resource
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planpack.errors import PlanpackError
from planpack.loader.program import ProgramConfig
from planpack.workers import renderer_for

# Errors after which no further plan could be written either: the build stops.
_FATAL = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


@dataclass(frozen=True)
class Task:
    path: Path
    shown: str
    kind: str
    formats: tuple[str, ...]
    out: Path
    as_of: date
    config: ProgramConfig


@dataclass
class Done:
    shown: str
    outputs: list[tuple[str, str]] = field(default_factory=list)  # (file name, format)
    score: int | None = None
    grade: str | None = None
    account_id: str | None = None
    error: str | None = None
    seconds: float = 0.0
    peak_kb: int = 0  # this worker's peak resident memory so far
    pid: int = 0
    fatal: bool = False  # the disk is full (or became read-only): stop the build


def run(task: Task) -> Done:
    from planpack.render import render_plan
    from planpack.render.templates import search_path

    started = time.perf_counter()
    done = Done(task.shown, pid=os.getpid())
    renderer = renderer_for(search_path(task.config.path(task.config.program.templates_dir)))
    renderer.refused.clear()
    renderer.warnings.clear()
    try:
        rendered = render_plan(task.path, task.config, task.as_of, kind=task.kind,
                               out=task.out, formats=task.formats, renderer=renderer)
    except PlanpackError as error:
        done.error = str(error)
    except OSError as error:  # a full disk, a folder that became unwritable
        done.error = f"{task.shown}: cannot write the packet: {error.strerror or error}"
        done.fatal = error.errno in _FATAL
    else:
        health = rendered.packet.health
        done.outputs = [(p.name, p.suffix.lstrip(".")) for p in rendered.paths]
        done.score, done.grade = (health.score, health.grade) if health else (None, None)
        done.account_id = rendered.packet.account_id
    done.seconds = time.perf_counter() - started
    done.peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return done
