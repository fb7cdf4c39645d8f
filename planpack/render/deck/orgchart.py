"""The relationship map on slides: rounded rectangles and connectors, split by branch.

The layout is the PDF's (planpack.render.charts.maplayout), with slide-sized cards
(CARD_W x CARD_H pt: the name at 9 pt bold, everything else at 8 pt, never smaller)
and the slide's room: a map that does not fit one slide is split by branch across
"Relationship map (1 of 3)", "(2 of 3)"... rather than shrunk. Cards never overlap and
the reporting lines, straight connectors, run only in the gaps between cards; a line's
end at a card's edge is glued to the card, so it follows when the presenter moves it.
Influences are dashed arrows under the cards; one to a card on another slide is written
out instead. Each map slide has the legend and the buying-committee roles the tier
requires, a gap marked "missing" in red.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.util import Emu

from planpack.render.charts import _svg
from planpack.render.charts.maplayout import Geometry, MapLayout, Parts, Tree, layout_map
from planpack.render.charts.maplayout import elsewhere as elsewhere_words
from planpack.render.charts.maplayout import part_map as part_numbers
from planpack.render.charts.orgchart import (
    BORDERS,
    INFLUENCE_INK,
    LINE_INK,
    ROLE_WORDS,
    SENTIMENT_FILLS,
)
from planpack.render.deck import notes
from planpack.render.deck.frame import (
    GAP,
    GREEN,
    INK,
    LINE,
    MUTED,
    RED,
    WHITE,
    A,
    Area,
    Deck,
    Para,
    Run,
    Slide,
    emu,
    fit_line,
    frame_setup,
    line_props,
    paras,
    truncate,
    width_of,
    wrap,
    write,
)
from planpack.render.packet import Packet, Person

CARD_W, CARD_H = 112.0, 58.0
NAME_SIZE, SMALL = 9.0, 8.0  # the name; everything else
PAD_X, PAD_Y = 4.0, 3.0  # inside a card
TEXT_W = CARD_W - 2 * PAD_X - 2.4  # less the thickest border
ITEM_H = SMALL * LINE + 2.0  # a legend item
TITLE = "Relationship map"


def geometry(width: float, height: float) -> Geometry:
    return Geometry(width=width, part_h=height, card_w=CARD_W, card_h=CARD_H, gap=8.0,
                    tree_gap=16.0, vgap=20.0, lane=10.0, indent=14.0, spine=7.0,
                    stack_top=10.0, stack_gap=8.0, mark_h=SMALL * LINE + 3.0,
                    band_h=NAME_SIZE * LINE + 6.0, band_size=NAME_SIZE, band_y=0.0,
                    pack_across=True)


# -- the legend and the committee, as items that flow into rows -------------------------

Draw = Callable[[Slide, float, float], None]


@dataclass(frozen=True)
class Item:
    w: float
    draw: Draw


def text_item(runs: Sequence[Run], limit: float) -> Item:
    fitted = fit_line(runs, limit - 4, SMALL)
    width = sum(width_of(r.text, SMALL, r.bold) for r in fitted) + 6

    def draw(slide: Slide, x: float, y: float) -> None:
        slide.text(Area(x, y, width, ITEM_H), [Para(fitted, SMALL)], name="Legend",
                   inset_x=2.0, inset_y=1.0)
    return Item(width, draw)


def swatch(fill: str, words: str, *, ink: str = INK, dash: bool = False,
           border: float = 0.75) -> Item:
    """A key entry drawn like what it explains: the word in a box of that fill and border."""
    runs = (Run(words, False, ink),)
    width = width_of(words, SMALL) + 10.0

    def draw(slide: Slide, x: float, y: float) -> None:
        shape = slide.rect(Area(x, y + 0.5, width, ITEM_H - 1.0), fill=fill, line=INK,
                           width=border, dash="dash" if dash else "", name="Legend key")
        frame_setup(shape.text_frame, anchor="middle", inset_x=3.0, inset_y=0.0)
        write(shape.text_frame, [Para(runs, SMALL, "center")])
    return Item(width, draw)


def runs_items(groups: Sequence[Sequence[Run]], width: float, separator: str = " · "
               ) -> list[Item]:
    """Groups of runs (a key's entries) as few text items as fit the width."""
    items: list[Item] = []
    current: list[Run] = []
    used = 0.0
    for group in groups:
        need = sum(width_of(r.text, SMALL, r.bold) for r in group)
        gap = width_of(separator, SMALL) if current else 0.0
        if current and used + gap + need + 8 > width:
            items.append(text_item(current, width))
            current, used, gap = [], 0.0, 0.0
        if current:
            current.append(Run(" " if current[-1].text.endswith(":") else separator))
        current += group
        used += gap + need
    if current:
        items.append(text_item(current, width))
    return items


def _line_sample(words: str, influence: bool) -> Item:
    caption = text_item([Run(words)], 200)

    def draw(slide: Slide, x: float, y: float) -> None:
        mid = y + ITEM_H / 2
        connector = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(emu(x + 1)),
                                               Emu(emu(mid)), Emu(emu(x + 21)),
                                               Emu(emu(mid)))
        _line_style(connector, influence)
        connector.name = "Legend line"
        caption.draw(slide, x + 24.0, y)
    return Item(24.0 + caption.w, draw)


def legend_items(width: float) -> list[list[Item]]:
    roles = runs_items([[Run("Role:", bold=True)],
                        *([Run(badge, bold=True), Run(f" {words}")]
                          for badge, words in ROLE_WORDS)], width)
    return [
        [text_item([Run("Sentiment:", bold=True)], width),
         *(swatch(SENTIMENT_FILLS[s], "unknown (dashed)" if s == "unknown" else s,
                  ink=WHITE if s == "detractor" else INK, dash=s == "unknown")
           for s in SENTIMENT_FILLS),
         text_item([Run("Border = influence:", bold=True)], width),
         *(swatch(WHITE, level, border=BORDERS[level]) for level in BORDERS),
         text_item([Run("90 d", bold=True), Run(" no contact in 90 days")], width),
         _line_sample("reports to", False), _line_sample("influences", True)],
        roles,
    ]


def committee_items(packet: Packet, width: float) -> list[list[Item]]:
    if not packet.committee:
        return [[text_item([Run(f"Buying committee: no roles required for tier {packet.tier}",
                             bold=True)], width)]]
    items = [text_item([Run(f"Buying committee required for tier {packet.tier}:", bold=True)],
                    width)]
    for slot in packet.committee:
        if slot.missing:
            runs = [Run("✗ ", True, RED), Run(f"{slot.label}: ", True),
                    Run("missing", True, RED)]
        else:
            runs = [Run("✓ ", True, GREEN), Run(f"{slot.label}: ", True),
                    Run(", ".join(slot.holders))]
        items.append(text_item(runs, width))
    return [items]


def flow(groups: list[list[Item]], width: float) -> tuple[float, list[tuple[Item, float,
                                                                          float]]]:
    """Items left to right, wrapping; each group starts a row. (height, placed items)."""
    placed: list[tuple[Item, float, float]] = []
    y = 0.0
    for items in groups:
        x = 0.0
        for item in items:
            if x > 0 and x + item.w > width:
                x, y = 0.0, y + ITEM_H + 1.0
            placed.append((item, x, y))
            x += item.w + 6.0
        y += ITEM_H + 1.0
    return y, placed


# -- drawing ----------------------------------------------------------------------------


def _line_style(connector: Any, influence: bool) -> None:
    """A reporting line (solid) or an influence (a dashed arrow)."""
    line_props(connector._element.spPr, INFLUENCE_INK if influence else LINE_INK,
               1.0 if influence else 0.9, "dash" if influence else "", arrow=influence)


def _sentiment(person: Person) -> str:
    return person.sentiment if person.sentiment in SENTIMENT_FILLS else "unknown"


def card_lines(person: Person) -> list[Para]:
    """The card's text: badge, sentiment and the no-contact mark; the name; the title.
    The name takes up to three lines (four with no title), the title what is left."""
    sentiment = _sentiment(person)
    ink = WHITE if sentiment == "detractor" else INK
    top = [Run(person.badge or "?", True, ink), Run(f" · {sentiment}", False, ink)]
    if person.stale:
        top.append(Run(" · 90 d", True, ink))
    lines = [Para(fit_line(top, TEXT_W, SMALL), SMALL)]
    room = CARD_H - 2 * PAD_Y - SMALL * LINE
    most = int(room // (NAME_SIZE * LINE))
    names = wrap(person.name, TEXT_W, NAME_SIZE, True, min(3, most)) or ["–"]
    if len(names) == 3 and not person.title and most > 3:
        names = wrap(person.name, TEXT_W, NAME_SIZE, True, most)
    lines += [Para((Run(n, True, ink),), NAME_SIZE) for n in names]
    left = int((room - len(names) * NAME_SIZE * LINE + 0.01) // (SMALL * LINE))
    lines += [Para((Run(t, False, ink),), SMALL)
              for t in wrap(person.title, TEXT_W, SMALL, False, min(3, left))]
    return lines


def _card(slide: Slide, person: Person, x: float, y: float) -> Any:
    sentiment = _sentiment(person)
    shape = slide.rect(Area(x, y, CARD_W, CARD_H), fill=SENTIMENT_FILLS[sentiment].lstrip("#"),
                       line=INK, width=BORDERS.get(person.influence, BORDERS["medium"]),
                       dash="dash" if sentiment == "unknown" else "",
                       rounded=True, name=f"Person: {_svg.clean(person.name)[:60]}")
    frame = shape.text_frame
    frame_setup(frame, inset_x=PAD_X, inset_y=PAD_Y)
    write(frame, card_lines(person))
    return shape


def _ghost(slide: Slide, person: Person, x: float, y: float, where: str) -> Any:
    shape = slide.rect(Area(x, y, CARD_W, CARD_H), fill=WHITE, line=MUTED, width=0.8,
                       dash="sysDot", rounded=True,
                       name=f"Ghost: {_svg.clean(person.name)[:60]}")
    lines = [Para((Run("Reports of", False, MUTED),), SMALL)]
    lines += [Para((Run(n, True, INK),), NAME_SIZE)
              for n in wrap(person.name, TEXT_W, NAME_SIZE, True, 2)]
    lines.append(Para((Run(where, False, MUTED),), SMALL))
    frame_setup(shape.text_frame, inset_x=PAD_X, inset_y=PAD_Y)
    write(shape.text_frame, lines)
    return shape


def _mark_words(count: int, part: int, here: int, total: int) -> str:
    where = "below" if part == here else f"on part {part} of {total}"
    words = f"↓ {count} report{'s' if count != 1 else ''} {where}"
    if width_of(words, SMALL) <= CARD_W - 4:
        return words
    return f"↓ {count} on part {part}" if part != here else f"↓ {count} below"


Site = tuple[Any, int]


def _sites(shape: Any, x: float, y: float, sites: dict[tuple[float, float], Site]) -> None:
    for index, (sx, sy) in enumerate(((x + CARD_W / 2, y), (x, y + CARD_H / 2),
                                      (x + CARD_W / 2, y + CARD_H), (x + CARD_W, y + CARD_H / 2))):
        sites[(round(sx, 1), round(sy, 1))] = (shape, index)


def _connector(slide: Slide, a: tuple[float, float], b: tuple[float, float],
               sites: dict[tuple[float, float], Site], influence: bool = False) -> Any:
    connector = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(emu(a[0])),
                                           Emu(emu(a[1])), Emu(emu(b[0])), Emu(emu(b[1])))
    # An end on a card's connection site is glued to the card (it is there already).
    glue = connector._element.nvCxnSpPr.cNvCxnSpPr
    for tag, point in (("stCxn", a), ("endCxn", b)):
        site = sites.get((round(point[0], 1), round(point[1], 1)))
        if site is not None:
            etree.SubElement(glue, A + tag, {"id": str(site[0].shape_id),
                                             "idx": str(site[1])})
    _line_style(connector, influence)
    connector.name = "Influence" if influence else "Reports to"
    return connector


def _influence_ends(a: tuple[float, float], b: tuple[float, float]
                    ) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where an influence arrow leaves card a and reaches card b (given their top-left
    corners): the middles of the sides that face each other, where it is glued."""
    ax, ay = a
    bx, by = b
    if by >= ay + CARD_H:  # b below a
        return (ax + CARD_W / 2, ay + CARD_H), (bx + CARD_W / 2, by)
    if by + CARD_H <= ay:  # b above
        return (ax + CARD_W / 2, ay), (bx + CARD_W / 2, by + CARD_H)
    if bx >= ax + CARD_W:  # b to the right
        return (ax + CARD_W, ay + CARD_H / 2), (bx, by + CARD_H / 2)
    return (ax, ay + CARD_H / 2), (bx + CARD_W, by + CARD_H / 2)


def _draw_part(slide: Slide, packet: Packet, layout: MapLayout, number: int, area: Area,
               ) -> None:
    tree = layout.tree
    part = layout.parts[number - 1]
    chart = part.chart
    people = packet.people
    total = len(layout.parts)
    ox = area.x + max(0.0, (area.w - chart.w) / 2)
    oy = area.y
    sites: dict[tuple[float, float], Site] = {}
    where: dict[int, tuple[float, float]] = {}
    for i, x, y in chart.cards:
        shape = _card(slide, people[i], ox + x, oy + y)
        _sites(shape, ox + x, oy + y, sites)
        where[i] = (ox + x, oy + y)
    for i, x, y in chart.ghosts:
        home = layout.part_of[i]
        words = "card above" if home == number else f"card on part {home} of {total}"
        shape = _ghost(slide, people[i], ox + x, oy + y, words)
        _sites(shape, ox + x, oy + y, sites)
    for points in chart.lines:
        for a, b in itertools.pairwise(points):
            _connector(slide, (ox + a[0], oy + a[1]), (ox + b[0], oy + b[1]), sites)
    for i, x, y in chart.marks:
        kids = tree.children[i]
        words = _mark_words(len(kids), layout.part_of[kids[0]], number, total)
        slide.text(Area(ox + x, oy + y, CARD_W, SMALL * LINE + 3.0),
                   [Para((Run(words, False, MUTED),), SMALL)], name="Continued",
                   inset_x=2.0, inset_y=1.0)
    for words, x, y in chart.bands:  # over its cards, as wide as the room to the right
        band = Area(ox + x, oy + y, area.right - ox - x, NAME_SIZE * LINE + 3.0)
        text = truncate(words, band.w - 4.0, NAME_SIZE, True)
        slide.text(band, [Para((Run(text, True),), NAME_SIZE)], name="Department",
                   inset_x=2.0, inset_y=1.0)
    # Influences under the cards: made last (they are glued to the cards), moved to the back.
    arrows = []
    for i, _x, _y in chart.cards:
        for target in people[i].influences:
            j = tree.index.get(target)
            if j is None or j == i or j not in where:
                continue
            a, b = _influence_ends(where[i], where[j])
            arrows.append(_connector(slide, a, b, sites, influence=True))
    tree_element = slide.shapes._spTree
    for arrow in reversed(arrows):
        element = arrow._element
        tree_element.remove(element)
        tree_element.insert(2, element)  # after the group's own properties: at the back


def _elsewhere_lines(items: Sequence[str], width: float) -> list[Para]:
    if not items:
        return []
    return paras("Influence on another part: " + "; ".join(items), width - 6, SMALL,
                 colour=MUTED, max_lines=2)


def map_slides(deck: Deck, packet: Packet) -> None:
    info = deck.layouts["title_only"]
    area = info.content
    committee_h, committee = flow(committee_items(packet, area.w), area.w)
    legend_h, legend = flow(legend_items(area.w), area.w)
    strip_h = committee_h + legend_h + GAP / 2
    lead = [f"{len(packet.people)} people on the map; "
            f"{len(packet.missing_roles)} committee role(s) missing"
            + (": " + ", ".join(s.label for s in packet.missing_roles) if packet.missing_roles
               else "") + "."]
    note = notes.notes(packet, "map", lead=lead)
    if not packet.people:
        slide = deck.slide("title_only", TITLE, note)
        slide.note(area, "No stakeholders mapped: the plan names no stakeholders, so there "
                   "is no map.", 14.0, colour=INK, bold=True)
        _strip(slide, area, committee, legend, committee_h)
        return
    room = area.h - strip_h - GAP

    def reserve(tree: Tree, parts: Parts) -> float:
        if len(parts) < 2:
            return 0.0
        numbers = part_numbers(parts)
        tallest = 0.0
        for number, units in enumerate(parts, start=1):
            cards = [c for _, block in units for c in block.cards]
            lines = _elsewhere_lines(elsewhere_words(tree, cards, numbers, number), area.w)
            tallest = max(tallest, sum(p.height for p in lines) + 4.0 + GAP / 2 if lines
                          else 0.0)
        return tallest

    layout = layout_map(packet.people, geometry(area.w, room), room, room, reserve)
    total = len(layout.parts)
    for part in layout.parts:
        title = TITLE if total == 1 else f"{TITLE} ({part.number} of {total})"
        slide = deck.slide("title_only", title, note)
        _draw_part(slide, packet, layout, part.number, area)
        lines = _elsewhere_lines(part.elsewhere, area.w)
        if lines:
            height = sum(p.height for p in lines) + 4.0
            top = area.bottom - strip_h - height - GAP / 2
            slide.text(Area(area.x, top, area.w, height), lines, name="Influence elsewhere")
        _strip(slide, area, committee, legend, committee_h)


def _strip(slide: Slide, area: Area, committee: list[tuple[Item, float, float]],
           legend: list[tuple[Item, float, float]], committee_h: float) -> None:
    """The committee and the legend along the bottom of the room."""
    legend_h = max((y for _, _, y in legend), default=0.0) + ITEM_H + 1.0
    top = area.bottom - committee_h - legend_h - GAP / 2
    for item, x, y in committee:
        item.draw(slide, area.x + x, top + y)
    top += committee_h + GAP / 2
    for item, x, y in legend:
        item.draw(slide, area.x + x, top + y)
