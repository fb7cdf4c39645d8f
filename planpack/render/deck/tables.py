"""Native PowerPoint tables that fit their slide, and slides that continue when they do not.

PowerPoint grows a table row to fit its text, so a row's height is decided here, before
the table is made: every cell's text is wrapped to its column (frame.wrap), each piece
of it within a line budget, and the row is as tall as its tallest cell at LINE times
the type size, plus the cell margins. A table is set at the largest size from its
`size` down to its `floor` at which it fits the room; if it does not fit at the floor,
its rows continue on the next slide (the header repeated, the totals on the last), and
that slide's title says "(cont.)".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from pptx.util import Emu

from planpack.render.deck.frame import (
    GAP,
    INSET_Y,
    LINE,
    MIN_PT,
    MUTED,
    Area,
    Deck,
    Para,
    Run,
    Slide,
    emu,
    height_of,
    paras,
    solid,
    width_of,
    wrap,
    write_body,
)

MARGIN_X, MARGIN_Y = 4.0, 2.0  # a cell's inner margins
SPARE = 1.0  # pt added to every row: rounding, and a font with a taller line
HEADING = 13.0  # a block's heading, bold


@dataclass(frozen=True)
class Piece:
    """Some text in a cell, on lines of its own."""

    text: str
    bold: bool = False
    colour: str | None = None
    strike: bool = False
    smaller: float = 0.0  # set this much smaller than the table (never under MIN_PT)
    max_lines: int = 3


@dataclass(frozen=True)
class Cell:
    pieces: tuple[Piece, ...]
    fill: str | None = None
    align: str = "left"

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces if p.text)


def cell(text: str, *, bold: bool = False, colour: str | None = None, strike: bool = False,
         max_lines: int = 3, fill: str | None = None, align: str = "left") -> Cell:
    return Cell((Piece(text, bold, colour, strike, 0.0, max_lines),), fill, align)


@dataclass(frozen=True)
class Column:
    header: str
    share: float  # of the table's width
    align: str = "left"
    fit: str = ""  # a sample of its widest value ("2026-12-18"): the column never wraps it


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    footer: tuple[tuple[Cell, ...], ...] = ()  # totals: on the last part only
    name: str = "Table"
    size: float = 12.0  # the largest type size tried
    floor: float = 9.0  # the smallest
    edge_fill: str | None = None  # the header's and the totals' fill, over the style's


@dataclass
class Measured:
    size: float
    widths: list[float]  # pt per column
    header: float
    rows: list[float]
    footer: list[float]
    cuts: int = 0  # pieces of text cut (an ellipsis) at this size


def _widths(table: Table, width: float, size: float) -> list[float]:
    """Each column's share of the width; a column with a `fit` sample at least as wide as
    the sample (bold, in case), the others sharing what is left."""
    needs = [width_of(c.fit, size, True) + 2 * MARGIN_X + 2 if c.fit else 0.0
             for c in table.columns]
    fixed: set[int] = set()
    while True:
        free = [i for i in range(len(table.columns)) if i not in fixed]
        room = width - sum(needs[i] for i in fixed)
        total = sum(table.columns[i].share for i in free) or 1.0
        out = [needs[i] if i in fixed else room * table.columns[i].share / total
               for i in range(len(table.columns))]
        short = [i for i in free if out[i] < needs[i]]
        if not short or room <= 0:
            return out
        fixed.update(short)


def _lines(piece: Piece, width: float, size: float, max_lines: int | None = None) -> list[str]:
    return wrap(piece.text, width - 2 * MARGIN_X, max(MIN_PT, size - piece.smaller),
                piece.bold, piece.max_lines if max_lines is None else max_lines)


def _cell_height(cell_: Cell, width: float, size: float) -> float:
    height = 0.0
    for piece in cell_.pieces:
        piece_size = max(MIN_PT, size - piece.smaller)
        height += len(_lines(piece, width, size)) * piece_size * LINE
    return max(height, size * LINE) + 2 * MARGIN_Y + SPARE


def _row_height(row: Sequence[Cell], widths: Sequence[float], size: float) -> float:
    return max(_cell_height(c, w, size) for c, w in zip(row, widths, strict=True))


def _header_cells(table: Table) -> tuple[Cell, ...]:
    return tuple(cell(c.header, bold=True, max_lines=2, align=c.align) for c in table.columns)


def _cuts(row: Sequence[Cell], widths: Sequence[float], size: float) -> int:
    return sum(len(_lines(p, w, size, p.max_lines + 1)) > p.max_lines
               for c, w in zip(row, widths, strict=True) for p in c.pieces)


def measure(table: Table, width: float, size: float) -> Measured:
    widths = _widths(table, width, size)
    every = (_header_cells(table), *table.rows, *table.footer)
    return Measured(size, widths, _row_height(_header_cells(table), widths, size),
                    [_row_height(r, widths, size) for r in table.rows],
                    [_row_height(r, widths, size) for r in table.footer],
                    sum(_cuts(r, widths, size) for r in every))


def _sizes(table: Table) -> list[float]:
    out, size = [], table.size
    while size > table.floor:
        out.append(size)
        size -= 1.0
    return [*out, table.floor]


def fit_whole(table: Table, width: float, room: float) -> Measured | None:
    """Of the sizes at which the whole table fits `room`, the largest that cuts the fewest
    pieces of text; None if it fits at none."""
    fitting = []
    for size in _sizes(table):
        m = measure(table, width, size)
        if m.header + sum(m.rows) + sum(m.footer) <= room:
            if not m.cuts:
                return m
            fitting.append(m)
    return min(fitting, key=lambda m: (m.cuts, -m.size)) if fitting else None


def cap_row(table: Table, row: tuple[Cell, ...], widths: list[float], size: float,
            room: float) -> tuple[Cell, ...]:
    """A row cut to fewer lines per piece until it fits `room` (one line each at least)."""
    budget = max(p.max_lines for c in row for p in c.pieces)
    while budget > 1 and _row_height(row, widths, size) > room:
        budget -= 1
        row = tuple(replace(c, pieces=tuple(replace(p, max_lines=min(p.max_lines, budget))
                                            for p in c.pieces)) for c in row)
    return row


# -- making the table -------------------------------------------------------------------


def _exact(values: Sequence[float], total: int) -> list[int]:
    """Whole EMUs for each value, adding up to exactly `total`."""
    out, acc, used = [], 0.0, 0
    for value in values:
        acc += value
        edge = round(acc * total / max(sum(values), 1e-9))
        out.append(max(1, edge - used))
        used = edge
    out[-1] += total - sum(out)
    return out


def render(slide: Slide, area: Area, table: Table, m: Measured,
           rows: Sequence[tuple[Cell, ...]], heights: Sequence[float],
           footer: bool, name: str) -> Area:
    """Rows of the table as a native table at the top of `area`; returns the area used.

    The table keeps python-pptx's default style (the theme's accent for the header row,
    banded rows); a cell's own fill, where it has one, is set over it."""
    body = list(rows) + (list(table.footer) if footer else [])
    body_heights = list(heights) + (m.footer if footer else [])
    all_rows = [_header_cells(table), *body]
    all_heights = [m.header, *body_heights]
    row_emu = [emu(h) for h in all_heights]
    left, top, width, _ = slide.box(area.top(sum(all_heights)))
    frame = slide.shapes.add_table(len(all_rows), len(table.columns), left, top, width,
                                   Emu(sum(row_emu)))
    frame.name = name
    shape = frame.table
    shape.first_row = True
    shape.last_row = bool(footer and table.footer)
    tbl = shape._tbl
    for column, column_w in zip(tbl.tblGrid.gridCol_lst, _exact(m.widths, int(width)),
                                strict=True):
        column.set("w", str(column_w))
    margins = {"marL": str(emu(MARGIN_X)), "marR": str(emu(MARGIN_X)),
               "marT": str(emu(MARGIN_Y)), "marB": str(emu(MARGIN_Y)), "anchor": "t"}
    edges = {0, len(all_rows) - 1} if footer and table.footer else {0}
    for number, (tr, cells, h, h_emu) in enumerate(zip(tbl.tr_lst, all_rows, all_heights,
                                                        row_emu, strict=True)):
        tr.set("h", str(h_emu))
        for tc, content, w in zip(tr.tc_lst, cells, m.widths, strict=True):
            tc_pr = tc.get_or_add_tcPr()
            for key, value in margins.items():
                tc_pr.set(key, value)
            fill = content.fill or (table.edge_fill if number in edges else None)
            if fill:
                solid(tc_pr, fill)
            lines: list[Para] = []
            room = h - 2 * MARGIN_Y - SPARE
            for piece in content.pieces:
                piece_size = max(MIN_PT, m.size - piece.smaller)
                for text in _lines(piece, w, m.size):
                    if room < piece_size * LINE - 0.01:
                        break
                    room -= piece_size * LINE
                    lines.append(Para((Run(text, piece.bold, piece.colour, piece.strike),),
                                      piece_size, content.align))
            write_body(tc.txBody, lines or [Para((Run(""),), m.size, content.align)])
    return area.top(sum(all_heights))


# -- slides that continue ---------------------------------------------------------------


class Flow:
    """Blocks down the room of slides that share a title: headings, notes and tables.
    When a block does not fit what is left, it goes on a new slide, "<title> (cont.)"."""

    def __init__(self, deck: Deck, role: str, title: str, notes: str) -> None:
        self.deck = deck
        self.role = role
        self.title = title
        self.notes = notes
        self.slides: list[Slide] = []
        self.area = Area(0, 0, 0, 0)

    @property
    def slide(self) -> Slide:
        return self._ensure()

    def _ensure(self) -> Slide:
        """The current slide: the first is made when something first goes on it."""
        if not self.slides:
            self.new()
        return self.slides[-1]

    def new(self) -> Slide:
        title = self.title if not self.slides else f"{self.title} (cont.)"
        slide = self.deck.slide(self.role, title, self.notes)
        self.slides.append(slide)
        self.area = slide.content
        return slide

    @property
    def fresh(self) -> bool:
        return bool(self.slides) and self.area == self.slides[-1].content

    @property
    def room(self) -> float:
        """The height a fresh slide has for blocks."""
        return self.slide.content.h

    def _take(self, height: float) -> Area:
        used = self.area.top(height)
        self.area = self.area.below(height)
        return used

    def heading(self, text: str, keep: float = 0.0, size: float = HEADING) -> None:
        """A heading, on a new slide if it and `keep` pt under it do not fit here."""
        self._ensure()
        lines = paras(text, self.area.w - 6, size, bold=True, max_lines=2)
        height = height_of(lines)
        if height + keep > self.area.h and not self.fresh:
            self.new()
        self.slide.text(self._take(height), lines, name="Heading")

    def text(self, text: str, size: float = 11.0, *, colour: str | None = MUTED,
             max_lines: int = 3, bold: bool = False) -> None:
        self._ensure()
        lines = paras(text, self.area.w - 6, size, colour=colour, bold=bold,
                      max_lines=max_lines)
        if not lines:
            return
        if height_of(lines) > self.area.h and not self.fresh:
            self.new()
        room = max(1, int((self.area.h - 2 * INSET_Y) // (size * LINE)))
        lines = lines[:room]
        self.slide.text(self._take(height_of(lines)), lines, name="Text")

    def lines(self, lines: Sequence[Para], name: str = "Text") -> None:
        """Fitted lines as one box; they continue on the next slide when they run out."""
        todo = list(lines)
        while todo:
            self._ensure()
            taken: list[Para] = []
            used = 2 * INSET_Y
            while todo and used + todo[0].height <= self.area.h:
                used += todo[0].height
                taken.append(todo.pop(0))
            if not taken:
                if self.fresh:  # a line taller than a slide: cannot be, but never loop
                    taken.append(todo.pop(0))
                else:
                    self.new()
                    continue
            self.slide.text(self._take(height_of(taken)), taken, name=name)
            if todo:
                self.new()

    def fits(self, table: Table, heading: str = "") -> bool:
        """Whether the table (under its heading) fits whole in what is left here."""
        self._ensure()
        width = self.area.w
        head_h = height_of(paras(heading, width - 6, HEADING, bold=True)) if heading else 0.0
        return fit_whole(table, width, self.area.h - head_h) is not None

    def table(self, table: Table, heading: str = "", keep: float = 0.0) -> None:
        """A table (under its heading): whole where it fits, else continued. `keep`: the
        height of what must follow the table's last rows on their slide (its key)."""
        self._ensure()
        width = self.area.w
        head_h = height_of(paras(heading, width - 6, HEADING, bold=True)) if heading else 0.0
        whole = fit_whole(table, width, self.area.h - head_h - keep)
        # Whole on a fresh slide, if it fits one; else start here and continue.
        if whole is None and not self.fresh and \
                fit_whole(table, width, self.room - head_h - keep) is not None:
            self.new()
            whole = fit_whole(table, width, self.area.h - head_h - keep)
        if whole is not None:
            if heading:
                self.heading(heading)
            self._place(table, whole, list(table.rows), whole.rows, True)
            return
        m = measure(table, width, table.floor)
        rows = list(table.rows)
        heights = list(m.rows)
        first = True
        while True:
            if heading:
                self.heading(heading if first else f"{heading} (cont.)",
                             keep=m.header + (heights[0] if heights else 0.0))
            room = self.area.h - m.header
            if heights and heights[0] > room:
                if not self.fresh:
                    self.new()
                    continue
                rows[0] = cap_row(table, rows[0], m.widths, m.size, room)
                heights[0] = min(room, _row_height(rows[0], m.widths, m.size))
            count, used = 0, 0.0
            while count < len(rows) and used + heights[count] <= room:
                used += heights[count]
                count += 1
            last = count == len(rows)
            end = sum(m.footer) + keep  # the totals, and what follows, need room too
            if last and count and used + end > room:
                while count > 1 and used + end > room:
                    count -= 1
                    used -= heights[count]
                last = False  # the rest, or only the totals, on the next slide
            self._place(table, m, rows[:count], heights[:count], last)
            rows, heights = rows[count:], heights[count:]
            if last:
                return
            self.new()
            first = False

    def _place(self, table: Table, m: Measured, rows: Sequence[tuple[Cell, ...]],
               heights: Sequence[float], footer: bool) -> None:
        used = render(self.slide, self.area, table, m, rows, heights, footer, table.name)
        self.area = self.area.below(used.h)

    def block(self, height: float, draw: Callable[[Slide, Area], None]) -> None:
        """Something `height` pt tall that draws itself, on a new slide if need be."""
        self._ensure()
        if height > self.area.h and not self.fresh:
            self.new()
        draw(self.slide, self._take(min(height, self.area.h)))

    def gap(self, points: float = GAP) -> None:
        self.area = self.area.below(0.0, min(points, self.area.h))
