"""The PowerPoint deck: the same Packet as the PDF, laid out on the team's own master.

build_deck() opens deck.pptx (the programme's, else planpack's), removes any
slides it came with, finds the slide layouts by name, adds the slides
(slides.py), and saves with fixed dates and a stable zip, so the same inputs
give the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from planpack.models.program import DeckLayouts
from planpack.render.packet import Packet
from planpack.render.pdf import RenderError

TEMPLATE = "deck.pptx"
ROLES = ("title", "title_only", "content")


def open_template(path: Path) -> Any:
    """The template as a python-pptx Presentation, or a RenderError saying what is wrong."""
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    try:
        presentation = Presentation(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise RenderError(f"{path} is not a PowerPoint (.pptx) file python-pptx can open "
                          f"({type(exc).__name__}); save it from PowerPoint as .pptx") from None
    except OSError as exc:
        raise RenderError(f"{path} cannot be read: {exc.strerror or exc}") from None
    return presentation


def layouts(presentation: Any, names: DeckLayouts, path: Path) -> dict[str, Any]:
    """The layout for each role, found by name; a missing one is a RenderError listing all."""
    available = {layout.name: layout for master in presentation.slide_masters
                 for layout in master.slide_layouts}
    found = {}
    for role in ROLES:
        wanted = getattr(names, role)
        if wanted not in available:
            raise RenderError(
                f"{path} has no slide layout named {wanted!r} (for deck.layouts.{role}); it "
                f"has: {', '.join(repr(n) for n in available)}. Rename a layout in the "
                f"template's master, or set deck.layouts.{role} in planpack.yaml"
            )
        found[role] = available[wanted]
    return found


def remove_slides(presentation: Any) -> None:
    """A master deck may come with example slides: the packet starts from none."""
    slides = presentation.slides._sldIdLst  # python-pptx has no public delete
    for entry in list(slides):
        presentation.part.drop_rel(entry.rId)
        slides.remove(entry)


def build_deck(packet: Packet, template: Path, names: DeckLayouts) -> bytes:
    """The deck's bytes: deterministic for the same packet and template."""
    from planpack.render.deck.slides import build

    presentation = open_template(template)
    remove_slides(presentation)
    build(presentation, layouts(presentation, names, template), packet)
    return finish(presentation, packet.as_of, title=packet.title, author=packet.owner,
                  subject=packet.program,
                  keywords=f"account plan, {packet.kind}, {packet.account}")


def finish(presentation: Any, day: date, *, title: str, author: str, subject: str,
           keywords: str) -> bytes:
    """The presentation's bytes with fixed document properties and a stable zip."""
    moment = datetime.combine(day, time(0, 0), tzinfo=UTC).replace(tzinfo=None)
    core = presentation.core_properties
    # Office limits these properties to 255 characters; an account name may be longer.
    core.title, core.author = title[:255], author[:255]
    core.subject, core.keywords = subject[:255], keywords[:255]
    core.created = core.modified = core.last_printed = moment
    core.last_modified_by, core.revision = "planpack", 1
    buffer = io.BytesIO()
    presentation.save(buffer)
    return stable_zip(buffer.getvalue(), day)


def stable_zip(data: bytes, day: date) -> bytes:
    """The same package with every entry dated `day` and in a fixed order."""
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        # [Content_Types].xml first, as Office expects; the rest as python-pptx wrote them.
        for name in sorted(names, key=lambda n: (n != "[Content_Types].xml", names.index(n))):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()
