"""Vector pictures for the packets, as inline SVG built from the packet.

Every function returns markupsafe.Markup of a complete <svg> element whose text is
escaped: plan text is data in a picture too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from planpack.render.charts.gauge import components, gauge
from planpack.render.charts.orgchart import orgchart
from planpack.render.charts.roadmap import roadmap

CHARTS: dict[str, Callable[..., Markup]] = {
    "components": components,
    "gauge": gauge,
    "orgchart": orgchart,
    "roadmap": roadmap,
}

__all__ = ["CHARTS", "Any"]
