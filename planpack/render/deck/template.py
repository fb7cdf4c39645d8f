"""Makes planpack's default deck template, templates/deck.pptx, from python-pptx's own.

    python -m planpack.render.deck.template templates/deck.pptx

16:9, neutral: a white background, a dark grey text colour, one sans-serif typeface
(Arial, present wherever PowerPoint is), the packet's teal as the accent. The same
run gives the same bytes, so the template in git changes only when this file does.
"""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path
from typing import Any

from pptx.util import Emu

from planpack.render.deck import stable_zip

WIDTH, HEIGHT = 12192000, 6858000  # 13.333 x 7.5 in: 16:9
FONT = "Arial"
COLOURS = {  # the theme's colour scheme
    "dk1": "000000", "lt1": "FFFFFF", "dk2": "2B2B2B", "lt2": "F2F2F2",
    "accent1": "1F6F78", "accent2": "3B7DD8", "accent3": "F2B134", "accent4": "1A7F4B",
    "accent5": "B26B00", "accent6": "B3261E", "hlink": "1F6F78", "folHlink": "5E5E5E",
}
DAY = date(2026, 1, 1)


def _scale_shapes(shapes: Any, ratio: float) -> None:
    """Widen shapes placed by the shape itself; those inheriting a position follow the master."""
    for shape in shapes:
        xfrm = shape._element.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}off")
        if xfrm is not None and shape.width is not None:
            shape.left, shape.width = Emu(int(shape.left * ratio)), Emu(int(shape.width * ratio))


def make() -> bytes:
    from pptx import Presentation

    deck = Presentation()
    ratio = WIDTH / deck.slide_width
    deck.slide_width, deck.slide_height = Emu(WIDTH), Emu(HEIGHT)
    for master in deck.slide_masters:
        _scale_shapes(master.shapes, ratio)
        for layout in master.slide_layouts:
            _scale_shapes(layout.shapes, ratio)
        theme = next(p for p in master.part.package.iter_parts()
                     if p.partname.endswith("/theme1.xml"))
        theme._blob = _theme(theme.blob)
    core = deck.core_properties
    core.title, core.author, core.last_modified_by = "planpack deck", "planpack", "planpack"
    from datetime import datetime

    core.created = core.modified = core.last_printed = datetime(DAY.year, DAY.month, DAY.day)
    core.revision = 1
    out = io.BytesIO()
    deck.save(out)
    return stable_zip(out.getvalue(), DAY)


def _theme(blob: bytes) -> bytes:
    from lxml import etree

    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    root = etree.fromstring(blob)
    scheme = root.find(".//a:clrScheme", ns)
    assert scheme is not None
    scheme.set("name", "planpack")
    for name, value in COLOURS.items():
        slot = scheme.find(f"a:{name}", ns)
        assert slot is not None
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{ns['a']}}}srgbClr", val=value)
    for kind in ("majorFont", "minorFont"):
        latin = root.find(f".//a:fontScheme/a:{kind}/a:latin", ns)
        assert latin is not None
        latin.set("typeface", FONT)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else Path("templates") / "deck.pptx"
    target.write_bytes(make())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
