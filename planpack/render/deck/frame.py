"""What every slide shares: its geometry, fitted text, colours, titles and speaker notes.

Geometry is in points (floats) until a shape is made, then whole EMUs. The slide's size
and the room under the title come from the presentation and the layout (a team's master
may be 4:3, or put the title lower), never from constants.

Text never leaves its box: it is wrapped here, into lines measured with DejaVu Sans's
advance widths (planpack.render.charts._svg; DejaVu is wider than Arial, Calibri or
Liberation Sans, and SAFE leaves a little more), cut with an ellipsis beyond the lines a
box has room for, and written one paragraph per line, so the application never has to
wrap it again. Box heights are computed from the lines at LINE times the type size.
Plan text is set as text (python-pptx never interprets it): HTML, Jinja or URLs appear
as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Emu

from planpack.render.charts import _svg
from planpack.render.packet import Packet

EMU_PER_PT = 12700
LINE = 1.2  # a line's height over its type size: single spacing is 1.12-1.17 in most fonts
SAFE = 0.94  # text is measured against this share of its room
MIN_PT = 8.0  # no text on a slide is smaller
INSET_X, INSET_Y = 3.0, 2.0  # a text box's inner margins
GAP = 8.0  # between blocks on a slide

INK = "1A1A1A"
MUTED = "595959"
WHITE = "FFFFFF"
RED = "B3261E"
AMBER = "B26B00"
GREEN = "1A7F4B"
GREY = "6B6B6B"
GRADE_COLOURS = {"green": GREEN, "amber": AMBER, "red": RED}
NONE_COLOUR = "8C8C8C"



def emu(points: float) -> int:
    return round(points * EMU_PER_PT)


def pt(value: int | None) -> float:
    return (value or 0) / EMU_PER_PT


@lru_cache(maxsize=256)
def rgb(hex_colour: str) -> RGBColor:
    value = int(hex_colour.lstrip("#"), 16)
    return RGBColor(value >> 16, (value >> 8) & 0xFF, value & 0xFF)  # type: ignore[no-untyped-call]


def width_of(text: str, size: float, bold: bool = False) -> float:
    """The drawn width of one line, with room to spare for a wider font."""
    return _svg.text_width(text, size, bold) / SAFE


def wrap(text: str, width: float, size: float, bold: bool = False, max_lines: int = 2
         ) -> list[str]:
    """Lines no wider than `width` pt, at most `max_lines` (the last cut with an ellipsis).
    A word longer than a line is broken inside; an empty text gives no lines."""
    if max_lines < 1:
        return []
    return list(_wrap(text, round(max(1.0, width * SAFE), 3), size, bold, max_lines))


@lru_cache(maxsize=16384)
def _wrap(text: str, width: float, size: float, bold: bool, max_lines: int
          ) -> tuple[str, ...]:
    """Measuring a table tries several sizes, then draws one: each wrap is done once."""
    return tuple(_svg.wrap(text, width, size, bold, max_lines=max_lines))


def truncate(text: str, width: float, size: float, bold: bool = False) -> str:
    return _svg.truncate(text, max(1.0, width * SAFE), size, bold)


def lines_room(height: float, size: float) -> int:
    """How many lines of `size` pt fit in `height` pt."""
    return max(0, int((height + 0.01) // (size * LINE)))


@dataclass(frozen=True)
class Area:
    """A rectangle on the slide, in points."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def top(self, height: float) -> Area:
        return Area(self.x, self.y, self.w, min(height, self.h))

    def below(self, height: float, gap: float = GAP) -> Area:
        """What is left under the first `height` pt (and a gap)."""
        used = min(self.h, height + gap)
        return Area(self.x, self.y + used, self.w, self.h - used)

    def columns(self, *shares: float, gap: float = 2 * GAP) -> list[Area]:
        """Side by side, in these shares of the width, with gaps between."""
        room = self.w - gap * (len(shares) - 1)
        total = sum(shares)
        out, x = [], self.x
        for share in shares:
            w = room * share / total
            out.append(Area(x, self.y, w, self.h))
            x += w + gap
        return out


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    colour: str | None = None  # None: the theme's text colour
    strike: bool = False
    size: float | None = None  # None: the paragraph's size
    br: bool = False  # a line break before it: a wrapped item's next line


@dataclass(frozen=True)
class Para:
    """One line of text on a slide (already fitted), in runs."""

    runs: tuple[Run, ...]
    size: float
    align: str = "left"
    space_before: float = 0.0  # pt
    level: int = 0  # an outline level, in a body placeholder
    bullet: bool = False  # keep the layout's bullet (a body placeholder); else none

    @property
    def count(self) -> int:
        """Lines: one, and one more for each line break."""
        return 1 + sum(1 for run in self.runs if run.br)

    @property
    def height(self) -> float:
        return self.space_before + self.count * self.size * LINE


def paras(text: str, width: float, size: float, *, bold: bool = False,
          colour: str | None = None, max_lines: int = 2, align: str = "left",
          space_before: float = 0.0, strike: bool = False, level: int = 0,
          bullet: bool = False) -> list[Para]:
    """A text wrapped into lines, one paragraph each; the first takes `space_before`."""
    return [Para((Run(line, bold, colour, strike),), size, align,
                 space_before if number == 0 else 0.0, level,
                 bullet and number == 0)
            for number, line in enumerate(wrap(text, width, size, bold, max_lines))]


def item(text: str, width: float, size: float, *, bold: bool = False,
         colour: str | None = None, max_lines: int = 3, space_before: float = 0.0,
         level: int = 0, bullet: bool = False) -> Para | None:
    """A text as one paragraph whose wrapped lines are joined by line breaks, so a bullet
    hangs on the first line only. None for an empty text."""
    lines = wrap(text, width, size, bold, max_lines)
    if not lines:
        return None
    runs = tuple(Run(line, bold, colour, br=number > 0) for number, line in enumerate(lines))
    return Para(runs, size, "left", space_before, level, bullet)


def height_of(lines: Sequence[Para]) -> float:
    return sum(p.height for p in lines) + 2 * INSET_Y


def fit_line(runs: Sequence[Run], width: float, size: float) -> tuple[Run, ...]:
    """Runs on one line; the first that does not fit is cut with an ellipsis, the rest go."""
    out: list[Run] = []
    used = 0.0
    for run in runs:
        run_size = run.size or size
        need = width_of(run.text, run_size, run.bold)
        if used + need <= width:
            out.append(run)
            used += need
            continue
        rest = truncate(run.text, width - used, run_size, run.bold)
        if rest and rest != _svg.ELLIPSIS:
            out.append(Run(rest, run.bold, run.colour, run.strike, run.size))
        break
    return tuple(out)


# -- writing text into shapes -----------------------------------------------------------


# The text, fills and lines are written as DrawingML elements made with lxml (no XML
# is parsed): python-pptx's property setters look up their place among an element's
# children on every call, which costs more than the rest of the deck.
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_ALGN = {"left": "l", "right": "r", "center": "ctr"}
_ANCHOR = {"top": "t", "middle": "ctr", "bottom": "b"}
_AUTOFIT = {A + "noAutofit", A + "normAutofit", A + "spAutoFit"}


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    return etree.SubElement(parent, A + tag, attrs)


def solid(parent: Any, colour: str) -> Any:
    fill = _sub(parent, "solidFill")
    _sub(fill, "srgbClr", val=colour.lstrip("#").upper())
    return fill


def write_body(body: Any, lines: Sequence[Para], bullets: bool = False) -> None:
    """The lines as the paragraphs of a txBody element, replacing its own."""
    for old in body.findall(A + "p"):
        body.remove(old)
    for line in lines:
        paragraph = _sub(body, "p")
        attrs = {"algn": _ALGN[line.align]} if line.align else {}  # "": the layout's
        if line.level:
            attrs["lvl"] = str(line.level)
        ppr = _sub(paragraph, "pPr", **attrs)
        _sub(_sub(ppr, "lnSpc"), "spcPct", val="100000")
        _sub(_sub(ppr, "spcBef"), "spcPts", val=str(round(line.space_before * 100)))
        _sub(_sub(ppr, "spcAft"), "spcPts", val="0")
        if bullets and not line.bullet:
            _sub(ppr, "buNone")
        for piece in line.runs:
            size = str(round((piece.size or line.size) * 100))
            if piece.br:
                _sub(_sub(paragraph, "br"), "rPr", sz=size)
            run = _sub(paragraph, "r")
            rattrs = {"sz": size}
            if piece.bold:
                rattrs["b"] = "1"
            if piece.strike:
                rattrs["strike"] = "sngStrike"
            rpr = _sub(run, "rPr", **rattrs)
            if piece.colour:
                solid(rpr, piece.colour)
            _sub(run, "t").text = _svg._INVALID_XML.sub("", piece.text)
    if not lines:
        _sub(body, "p")  # a text body has a paragraph, if an empty one


def write(frame: Any, lines: Sequence[Para], *, bullets: bool = False) -> None:
    """The lines into a text frame, replacing what it had. `bullets`: a body placeholder,
    whose paragraphs keep the layout's bullet only where a line asks for it."""
    write_body(frame._txBody, lines, bullets)


def no_autofit(body: Any) -> None:
    """The application neither shrinks nor grows the text: it was fitted here."""
    body_pr = body.find(A + "bodyPr")
    for child in list(body_pr):
        if child.tag in _AUTOFIT:
            body_pr.remove(child)
    body_pr.set("wrap", "square")
    body_pr.insert(0, etree.Element(A + "noAutofit"))


def body_setup(body: Any, *, anchor: str = "top", inset_x: float = INSET_X,
               inset_y: float = INSET_Y) -> None:
    """A txBody's frame: wrapped, never resized or shrunk by the application, insets."""
    no_autofit(body)
    body_pr = body.find(A + "bodyPr")
    x, y = str(emu(inset_x)), str(emu(inset_y))
    for key, value in (("lIns", x), ("rIns", x), ("tIns", y), ("bIns", y),
                       ("anchor", _ANCHOR[anchor])):
        body_pr.set(key, value)


def frame_setup(frame: Any, *, anchor: str = "top", inset_x: float = INSET_X,
                inset_y: float = INSET_Y) -> None:
    body_setup(frame._txBody, anchor=anchor, inset_x=inset_x, inset_y=inset_y)


def line_props(sp_pr: Any, colour: str | None, width: float = 0.75, dash: str = "",
               arrow: bool = False) -> None:
    """An outline (or none) at the end of a shape's spPr: colour, width in pt, dash."""
    ln = _sub(sp_pr, "ln", w=str(emu(width)))
    if colour is None:
        _sub(ln, "noFill")
        return
    solid(ln, colour)
    if dash:
        _sub(ln, "prstDash", val=dash)
    if arrow:
        _sub(ln, "tailEnd", type="triangle", w="med", len="med")


# -- the deck and its slides ------------------------------------------------------------


def _title_size(layout: Any) -> float:
    """The type size the layout's title is set in: its own, its master's, else 44 pt."""
    candidates = []
    title = _placeholder(layout, ("title", "ctrTitle"))
    if title is not None:
        candidates.append(title._element)
        master_title = _placeholder(layout.slide_master, ("title", "ctrTitle"))
        if master_title is not None:
            candidates.append(master_title._element)
    master = layout.slide_master._element
    styles = master.find(qn("p:txStyles"))
    if styles is not None:
        style = styles.find(qn("p:titleStyle"))
        if style is not None:
            candidates.append(style)
    for element in candidates:
        for rpr in element.iter(qn("a:defRPr"), qn("a:rPr")):
            size = rpr.get("sz")
            if size and size.isdigit():
                return int(size) / 100
    return 44.0


def _placeholder(owner: Any, types: tuple[str, ...]) -> Any:
    for shape in owner.placeholders:
        ph = shape._element.ph
        if ph is not None and (ph.get("type") or "obj") in types:
            return shape
    return None


def _body_placeholder(layout: Any) -> Any:
    for shape in layout.placeholders:
        ph = shape._element.ph
        if ph is not None and (ph.get("type") or "obj") in ("body", "obj") and \
                ph.get("idx", "0") != "0":
            return shape
    return None


def _body_indents(master: Any) -> dict[int, float]:
    """The left margin of each outline level of the master's body text, in pt."""
    out = {}
    styles = master._element.find(qn("p:txStyles"))
    body = styles.find(qn("p:bodyStyle")) if styles is not None else None
    for level in range(9):
        margin = None
        if body is not None:
            ppr = body.find(qn(f"a:lvl{level + 1}pPr"))
            if ppr is not None and ppr.get("marL", "").lstrip("-").isdigit():
                margin = int(ppr.get("marL")) / EMU_PER_PT
        out[level] = margin if margin is not None else 27.0 + 30.0 * level
    return out


@dataclass
class LayoutInfo:
    layout: Any
    title_box: Area | None  # where the title goes, in points
    title_size: float
    content: Area  # the room for the slide's own shapes
    body: Area | None  # a body placeholder's box (the "content" layout)
    indents: dict[int, float] = field(default_factory=dict)


class Deck:
    """The presentation being built, its layouts measured once."""

    def __init__(self, presentation: Any, layouts: dict[str, Any],
                 packet: Packet | None = None) -> None:
        self.presentation = presentation
        self.packet = packet
        self.width = pt(presentation.slide_width)
        self.height = pt(presentation.slide_height)
        self.layouts = {role: self._measure(layout) for role, layout in layouts.items()}
        self.count = 0

    def _measure(self, layout: Any) -> LayoutInfo:
        margin = max(18.0, min(self.width, self.height) * 0.04)
        title = _placeholder(layout, ("title", "ctrTitle"))
        box = None
        top = margin
        left, right = margin, self.width - margin
        if title is not None and title.width and title.height:
            box = self._clamp(Area(pt(title.left), pt(title.top), pt(title.width),
                                   pt(title.height)))
            if box.bottom <= self.height * 0.45:  # a title at the top: the room is below it
                top = box.bottom + GAP
                left, right = box.x, box.right
        bottom = self.height - max(margin * 0.75, 14.0)
        content = Area(left, top, right - left, max(40.0, bottom - top))
        body_ph = _body_placeholder(layout)
        body = None
        if body_ph is not None and body_ph.width and body_ph.height:
            body = self._clamp(Area(pt(body_ph.left), pt(body_ph.top), pt(body_ph.width),
                                    pt(body_ph.height)))
        return LayoutInfo(layout, box, _title_size(layout), content, body,
                          _body_indents(layout.slide_master))

    def _clamp(self, area: Area) -> Area:
        x = min(max(area.x, 0.0), self.width - 20)
        y = min(max(area.y, 0.0), self.height - 20)
        return Area(x, y, min(area.w, self.width - x), min(area.h, self.height - y))

    def slide(self, role: str, title: str, notes: str) -> Slide:
        info = self.layouts[role]
        slide = self.presentation.slides.add_slide(info.layout)
        self.count += 1
        out = Slide(self, slide, info)
        out.set_title(title)
        slide.notes_slide.notes_text_frame.text = clean_notes(notes)
        return out


class Slide:
    """One slide and the shapes added to it."""

    def __init__(self, deck: Deck, slide: Any, info: LayoutInfo) -> None:
        self.deck = deck
        self.slide = slide
        self.info = info
        self.shapes = slide.shapes
        self.content = info.content

    # -- title and body placeholders ----------------------------------------------------

    def set_title(self, title: str) -> None:
        shape = self.shapes.title
        if shape is None or self.info.title_box is None:
            area = Area(self.content.x, 6.0, self.content.w, max(24.0, self.content.y - 10))
            shape = self.shapes.add_textbox(Emu(emu(area.x)), Emu(emu(area.y)),
                                            Emu(emu(area.w)), Emu(emu(area.h)))
            frame_setup(shape.text_frame, anchor="middle")
            box, size = area, 24.0
        else:
            box, size = self.info.title_box, self.info.title_size
        shape.name = "Title"
        lines, fitted, whole = fit_title(title, box, size)
        frame = shape.text_frame
        frame.word_wrap = True
        if whole and fitted == size:  # it fits as the theme sets it: just the text
            frame.text = _svg.clean(title)
            return
        # Smaller than the theme's size, or cut: one paragraph the box wraps as measured.
        text = _svg.clean(title) if whole else " ".join(lines)
        write(frame, [Para((Run(text),), fitted, "")])

    def body(self, lines: Sequence[Para]) -> Any:
        """Lines into the layout's body placeholder (or a box where it would be)."""
        placeholder = None
        for shape in self.shapes.placeholders:
            if shape.placeholder_format.idx != 0 and shape.placeholder_format.type is not None:
                placeholder = shape
                break
        if placeholder is None or self.info.body is None:
            return self.text(self.body_area(), lines)
        body = placeholder._element.get_or_add_txBody()
        no_autofit(body)
        write_body(body, lines, bullets=True)
        placeholder.name = "Body"
        return placeholder

    def body_area(self) -> Area:
        """The room for text in the body placeholder (insets and nothing else taken off)."""
        body = self.info.body
        if body is None:
            return self.content
        return Area(body.x + 7.2, body.y + 3.6, body.w - 14.4, body.h - 7.2)

    def indent(self, level: int) -> float:
        return self.info.indents.get(level, 27.0 + 30.0 * level) if self.info.body else 0.0

    # -- shapes -------------------------------------------------------------------------

    def text(self, area: Area, lines: Sequence[Para], *, anchor: str = "top",
             fill: str | None = None, line: str | None = None, name: str = "",
             inset_x: float = INSET_X, inset_y: float = INSET_Y) -> Any:
        """A text box of exactly `area`, holding fitted lines."""
        shape = self.shapes.add_textbox(*self.box(area))
        element = shape._element
        body = element.txBody
        body_setup(body, anchor=anchor, inset_x=inset_x, inset_y=inset_y)
        write_body(body, lines)
        if fill or line:
            sp_pr = element.spPr
            if fill:
                solid(sp_pr, fill)
            if line:
                line_props(sp_pr, line)
        if name:
            shape.name = name
        return shape

    def rect(self, area: Area, *, fill: str | None, line: str | None = None,
             width: float = 0.75, dash: str = "", rounded: bool = False,
             name: str = "") -> Any:
        """A (rounded) rectangle, flat: its fill, its outline, no shadow."""
        kind = MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE
        shape = self.shapes.add_shape(kind, *self.box(area))
        element = shape._element
        sp_pr = element.spPr
        if rounded:
            radius = min(0.5, 4.0 / max(1.0, min(area.w, area.h)))
            geometry = sp_pr.find(A + "prstGeom")
            av = geometry.find(A + "avLst")
            _sub(av, "gd", name="adj", fmla=f"val {round(radius * 100000)}")
        if fill is None:
            _sub(sp_pr, "noFill")
        else:
            solid(sp_pr, fill)
        line_props(sp_pr, line, width, dash)
        _sub(sp_pr, "effectLst")  # no theme shadow ...
        effect = element.find(qn("p:style") + "/" + A + "effectRef")
        if effect is not None:  # ... nor the shape style's effect, which LibreOffice draws
            effect.set("idx", "0")
        if name:
            shape.name = name
        return shape

    def box(self, area: Area) -> tuple[Emu, Emu, Emu, Emu]:
        """The area in EMU, clipped to the slide (it never is, unless a layout is odd)."""
        width, height = emu(self.deck.width), emu(self.deck.height)
        x = min(max(emu(area.x), 0), width - 1)
        y = min(max(emu(area.y), 0), height - 1)
        w = max(1, min(emu(area.w), width - x))
        h = max(1, min(emu(area.h), height - y))
        return Emu(x), Emu(y), Emu(w), Emu(h)

    def note(self, area: Area, text: str, size: float = 10.0, *, colour: str = MUTED,
             max_lines: int = 3, bold: bool = False) -> float:
        """A short text at the top of `area`, fitted; returns the height it took (0 if
        none)."""
        lines = paras(text, area.w - 2 * INSET_X, size, colour=colour, bold=bold,
                      max_lines=min(max_lines, lines_room(area.h - 2 * INSET_Y, size)))
        if not lines:
            return 0.0
        height = height_of(lines)
        self.text(area.top(height), lines)
        return height


def fit_title(title: str, box: Area, size: float, floor: float = 16.0
              ) -> tuple[list[str], float, bool]:
    """The title's lines and size, and whether it is whole: the theme's size if the
    title fits the box, else smaller, down to `floor`, and then cut with an ellipsis."""
    width = box.w - 14.4  # the placeholder's default insets
    height = box.h - 7.2
    current = size
    while True:
        room = max(1, lines_room(height, current))
        lines = wrap(title, width, current, True, room + 1)
        if len(lines) <= room:
            return lines or [""], current, True
        if current <= floor:
            return wrap(title, width, current, True, room) or [""], current, False
        current = max(floor, current - 2)


def clean_notes(text: str) -> str:
    """Notes keep their line breaks; characters XML cannot carry are dropped."""
    return "\n".join(_svg._INVALID_XML.sub("", line).rstrip() for line in text.split("\n"))
