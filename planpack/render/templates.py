"""Where templates come from: the programme's templates_dir first, then planpack's own.

A team overrides any template, the stylesheet or a font by putting a file of the
same name in its templates_dir. Templates are rendered in Jinja2's immutable
sandbox with autoescaping and StrictUndefined: plan text is always data, a
template cannot reach into Python, and a missing field fails the render loudly.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from planpack.render import charts
from planpack.render import format as fmt


def builtin_dir() -> Path:
    """planpack's own templates (the repository's templates/, installed as planpack.templates)."""
    return Path(str(files("planpack.templates")))


def search_path(overrides: Path | None) -> list[Path]:
    """The template folders, the programme's first; what the PDF renderer may read."""
    # The override folder is searched even before it exists: a long-lived process
    # (a build, a test run) sees the templates a team adds later.
    folders = [overrides.resolve()] if overrides is not None else []
    builtin = builtin_dir().resolve()
    return folders if builtin in folders else [*folders, builtin]


def environment(overrides: Path | None) -> ImmutableSandboxedEnvironment:
    """An environment for these templates, reused while the override folder is unchanged,
    so templates compile once per process and a template a team adds is still seen."""
    return _environment(overrides, _signature(overrides))


def _signature(folder: Path | None) -> tuple[tuple[str, int], ...]:
    if folder is None or not folder.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*")
                        if p.is_file()))


@functools.lru_cache(maxsize=8)
def _environment(overrides: Path | None, signature: tuple[tuple[str, int], ...]
                 ) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(p)) for p in search_path(overrides)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        money=fmt.money, money_compact=fmt.money_compact, prose_date=fmt.prose_date,
        table_date=fmt.table_date, percent=fmt.percent,
    )
    env.globals["charts"] = charts.CHARTS
    return env
