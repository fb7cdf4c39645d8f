"""The deck's slides, from the Packet. (Placeholder: the slides arrive in the next change.)"""

from __future__ import annotations

from typing import Any

from planpack.render.packet import Packet


def build(presentation: Any, layouts: dict[str, Any], packet: Packet) -> None:
    slide = presentation.slides.add_slide(layouts["title"])
    slide.shapes.title.text = packet.account
