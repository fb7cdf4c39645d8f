"""The roll-up in its three forms: a PDF (the packet's stylesheet), a deck, and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Any

from planpack.loader.program import ProgramConfig
from planpack.portfolio.model import Rollup
from planpack.render.pdf import Renderer, RenderError
from planpack.render.templates import environment

TEMPLATE = "portfolio.html.j2"


def html(rollup: Rollup, config: ProgramConfig) -> str:
    from jinja2 import TemplateError

    env = environment(config.path(config.program.templates_dir))
    try:
        return env.get_template(TEMPLATE).render(rollup=rollup)
    except TemplateError as exc:
        raise RenderError(f"template {TEMPLATE} failed: {exc.message}") from None


def pdf(rollup: Rollup, config: ProgramConfig, renderer: Renderer) -> bytes:
    # Each plan's row links to its packet beside the roll-up, by a relative link.
    return renderer.pdf(html(rollup, config), relative_links=True)


def deck(rollup: Rollup, config: ProgramConfig, renderer: Renderer) -> bytes:
    from planpack.portfolio.slides import build_rollup_deck
    from planpack.render.deck import TEMPLATE as DECK

    content: bytes = build_rollup_deck(rollup, renderer.find(DECK), config.program.deck.layouts)
    return content


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def as_json(rollups: list[Rollup]) -> str:
    """A stable list, one object per person: the roll-up's fields, dates as ISO text."""
    out = []
    for rollup in rollups:
        data = _plain(asdict(rollup))
        data["current_share"] = rollup.current_share
        data["owners"] = [{"owner": o.owner, "plans": [
            {"tier": t, "plans": n, "limit": limit} for t, n, limit in o.plans],
            "over": list(o.over)} for o in rollup.owners]
        out.append(data)
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
