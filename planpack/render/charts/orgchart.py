"""The relationship map: an org chart from `reports_to`, legible at any size of map.

Layout, in points (one SVG user unit is one point on paper):

* Every person is a card of fixed size (CARD_W x CARD_H): role badge, sentiment word and
  the no-contact clock on top, then four lines for the name (bold) and the title: two
  each, or three for a long name. Text is wrapped at spaces and hyphens with the font's
  own advance widths, and cut with an ellipsis only beyond its lines; nothing is ever
  scaled down.
* The layout (planpack.render.charts.maplayout, shared with the deck's slides) places
  the cards as a tidy tree whose lines run only in the gaps between blocks, so they never
  cross a card, and splits the map into parts, one printed page each: by top-level
  branch, or by detaching a branch whose manager's card stays and says where its
  reports went (they follow under a dashed copy of the manager's card). People with
  neither manager nor reports in the plan, when there are many, are grouped by
  department. This module only draws it, with GEOMETRY's sizes.
* Influence lines are dashed arrows drawn under the cards; one whose ends are on
  different parts is listed in words under its part instead.

The same packet always gives the same picture: everything is ordered by the plan's own
order, never by a set or a hash, and coordinates are rounded to 0.1.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from markupsafe import Markup

from planpack.render.charts import _svg
from planpack.render.charts._svg import INK, MUTED, num, rect, text
from planpack.render.charts.maplayout import (
    Block,
    Geometry,
    MapLayout,
    Parts,
    Tree,
    Unit,
    elsewhere,
    layout_map,
    paginate,
    part_map,
)
from planpack.render.packet import Packet, Person, RoleSlot

CANVAS_W = 500.0  # printed width in pt (176 mm), for a text width of about 180 mm
PAD = 3.0  # around the drawing, so the thickest border is not clipped
INNER_W = CANVAS_W - 2 * PAD
MAX_H = 680.0  # printed height of one part in pt (240 mm): one A4 page with a heading

CARD_W, CARD_H = 86.0, 56.0
# The layout's sizes on paper (the spacing is maplayout.Geometry's default).
GEOMETRY = Geometry(width=INNER_W, part_h=MAX_H, card_w=CARD_W, card_h=CARD_H)

NAME_SIZE, TITLE_SIZE, SMALL = 8.0, 7.0, 7.0
TEXT_W = CARD_W - 8

SENTIMENT_FILLS = {"advocate": "#1a9850", "supporter": "#91cf60", "neutral": "#bdbdbd",
                   "skeptic": "#fc8d59", "detractor": "#d73027", "unknown": "#ffffff"}
BORDERS = {"high": 2.4, "medium": 1.2, "low": 0.5}
LINE_INK = "#4d4d4d"
INFLUENCE_INK = "#5b3b8c"
MISSING_INK = "#b3261e"
ROLE_WORDS = (("EB", "economic buyer"), ("DM", "decision maker"), ("CH", "champion"),
              ("CO", "coach"), ("IN", "influencer"), ("TE", "technical evaluator"),
              ("US", "user"), ("BL", "blocker"), ("?", "role unknown"))

Point = tuple[float, float]
# Kept importable from here: the layout moved to maplayout.
__all__ = ["GEOMETRY", "Block", "Tree", "Unit", "orgchart", "paginate"]


# -- drawing ----------------------------------------------------------------------------


def _clock(x: float, y: float, r: float = 4.0) -> str:
    """A small clock centred on (x, y): no contact in 90 days."""
    return (f'<g class="stale-clock"><circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" '
            f'fill="#ffffff" stroke="{INK}" stroke-width="0.8"/>'
            f'<path d="M{num(x)},{num(y - r * .65)} L{num(x)},{num(y)} '
            f'L{num(x + r * .5)},{num(y + r * .3)}" fill="none" stroke="{INK}" '
            f'stroke-width="0.8"/></g>')


def _badge(x: float, y: float, badge: str) -> tuple[str, float]:
    width = max(14.0, _svg.text_width(badge, SMALL, True) + 6)
    return (rect(x, y, width, 10, fill="#ffffff", stroke=INK, width=0.6, rx=2, cls="badge")
            + text(x + width / 2, y + 7.6, badge, SMALL, bold=True, anchor="middle"),
            width)


def _style(person: Person) -> tuple[str, str, float, str]:
    """(sentiment, fill, border width, dash) of a person's card."""
    sentiment = person.sentiment if person.sentiment in SENTIMENT_FILLS else "unknown"
    border = BORDERS.get(person.influence, BORDERS["medium"])
    dash = "3 2" if sentiment == "unknown" else ""
    return sentiment, SENTIMENT_FILLS[sentiment], border, dash


def draw_card(person: Person, x: float, y: float) -> str:
    sentiment, fill, border, dash = _style(person)
    ink = "#ffffff" if sentiment == "detractor" else INK
    influence = person.influence if person.influence in BORDERS else "medium"
    out = [f'<g class="person sentiment-{sentiment} influence-{influence}">',
           rect(x, y, CARD_W, CARD_H, fill=fill, stroke=INK, width=border, dash=dash, rx=3,
                cls="card")]
    badge, badge_w = _badge(x + 4, y + 4, person.badge or "?")
    out.append(badge)
    room = CARD_W - 8 - badge_w - 4 - (11 if person.stale else 0)
    out.append(text(x + 8 + badge_w, y + 11.6, _svg.truncate(sentiment, room, SMALL), SMALL,
                    fill=ink, cls="sentiment"))
    if person.stale:
        out.append(_clock(x + CARD_W - 8.5, y + 9))
    # The name first: two lines, or three (the title then gets one) rather than cut it.
    names = _svg.wrap(person.name, TEXT_W, NAME_SIZE, bold=True, max_lines=3) or ["–"]
    if len(names) == 3 and not person.title:
        names = _svg.wrap(person.name, TEXT_W, NAME_SIZE, bold=True, max_lines=4)
    baseline = y + 23.5
    for line in names:
        out.append(text(x + 4, baseline, line, NAME_SIZE, bold=True, fill=ink, cls="name"))
        baseline += 9.5
    for line in _svg.wrap(person.title, TEXT_W, TITLE_SIZE, max_lines=4 - len(names)):
        out.append(text(x + 4, baseline - 0.5, line, TITLE_SIZE, fill=ink, cls="title"))
        baseline += 8.5
    out.append("</g>")
    return "".join(out)


def draw_ghost(person: Person, x: float, y: float, part: int, here: int) -> str:
    out = ['<g class="person-ghost">',
           rect(x, y, CARD_W, CARD_H, fill="#ffffff", stroke=MUTED, width=0.8, dash="1.5 2",
                rx=3, cls="card card-ghost"),
           text(x + 4, y + 11, "Reports of", SMALL, fill=MUTED)]
    baseline = y + 22
    for line in _svg.wrap(person.name, TEXT_W, NAME_SIZE, bold=True, max_lines=2):
        out.append(text(x + 4, baseline, line, NAME_SIZE, bold=True, cls="ghost-name"))
        baseline += 9.5
    where = "card above" if part == here else f"card on part {part}"
    out.append(text(x + 4, y + CARD_H - 5, where, SMALL, fill=MUTED))
    out.append("</g>")
    return "".join(out)


def _mark_text(count: int, part: int, here: int) -> str:
    where = "below" if part == here else f"on part {part}"
    words = f"↓ {count} report{'s' if count != 1 else ''} {where}"
    if _svg.text_width(words, SMALL) <= CARD_W:
        return words
    return f"↓ {count} on part {part}"


def _edge_point(box: tuple[float, float, float, float], toward: Point) -> Point:
    """Where the line from the box's centre toward a point leaves the box."""
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(w / 2 / abs(dx) if dx else math.inf, h / 2 / abs(dy) if dy else math.inf)
    return cx + dx * scale, cy + dy * scale


def influence_path(source: tuple[float, float, float, float],
                   target: tuple[float, float, float, float]) -> str:
    """A dashed curve from one card to another, its arrowhead drawn (no marker, no id)."""
    sc = (source[0] + source[2] / 2, source[1] + source[3] / 2)
    tc = (target[0] + target[2] / 2, target[1] + target[3] / 2)
    dist = math.hypot(tc[0] - sc[0], tc[1] - sc[1]) or 1.0
    bend = min(80.0, max(24.0, 0.3 * dist))
    # The curve bows to the right of its direction, so A->B and B->A never coincide.
    control = ((sc[0] + tc[0]) / 2 - (tc[1] - sc[1]) / dist * bend,
               (sc[1] + tc[1]) / 2 + (tc[0] - sc[0]) / dist * bend)
    start = _edge_point(source, control)
    end = _edge_point(target, control)
    dx, dy = end[0] - control[0], end[1] - control[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    back = (end[0] - 6 * ux, end[1] - 6 * uy)
    head = (f'<path d="M{num(end[0])},{num(end[1])} L{num(back[0] - 2.5 * uy)},'
            f'{num(back[1] + 2.5 * ux)} L{num(back[0] + 2.5 * uy)},{num(back[1] - 2.5 * ux)} Z"'
            f' fill="{INFLUENCE_INK}"/>')
    return (f'<g class="influence-line"><path d="M{num(start[0])},{num(start[1])} '
            f'Q{num(control[0])},{num(control[1])} {num(back[0])},{num(back[1])}" fill="none" '
            f'stroke="{INFLUENCE_INK}" stroke-width="0.9" stroke-dasharray="3 2" '
            f'class="influence"/>{head}</g>')


# -- legend and committee ---------------------------------------------------------------

Item = tuple[float, float, Callable[[float, float], str]]  # width, height, draw at (x, y)


def flow(groups: list[list[Item]], width: float, gap: float = 10.0) -> tuple[float, list[str]]:
    """Items left to right, wrapping; each group starts a new row. Returns (height, svg)."""
    out: list[str] = []
    y = 0.0
    for items in groups:
        x, tallest = 0.0, 0.0
        for w, h, draw in items:
            if x > 0 and x + w > width:
                x, y, tallest = 0.0, y + tallest + 3, 0.0
            out.append(draw(x, y))
            x += w + gap
            tallest = max(tallest, h)
        y += tallest + 3
    return y, out


def _label(words: str, bold: bool = False, size: float = SMALL) -> Item:
    width = _svg.text_width(words, size, bold)
    return width, 10.0, lambda x, y: text(x, y + 8, words, size, bold=bold)


def legend_items(width: float) -> list[list[Item]]:
    def swatch(sentiment: str) -> Item:
        fill = SENTIMENT_FILLS[sentiment]
        dash = "2 1.5" if sentiment == "unknown" else ""
        words = "unknown (dashed)" if sentiment == "unknown" else sentiment

        def draw(x: float, y: float) -> str:
            box = rect(x, y + 1.5, 12, 8, fill=fill, stroke=INK, width=0.6, dash=dash)
            return f'<g class="legend-sentiment">{box}{text(x + 16, y + 8, words, SMALL)}</g>'
        return 16 + _svg.text_width(words, SMALL), 10.0, draw

    def border(level: str) -> Item:
        words = f"{level} (border)" if level == "high" else level

        def draw(x: float, y: float) -> str:
            box = rect(x + 1.2, y + 1.2, 13, 7.6, fill="#ffffff", stroke=INK,
                       width=BORDERS[level])
            return f'<g class="legend-influence">{box}{text(x + 20, y + 8, words, SMALL)}</g>'
        return 20 + _svg.text_width(words, SMALL), 10.0, draw

    def clock() -> Item:
        words = "no contact in 90 days"
        return 12 + _svg.text_width(words, SMALL), 10.0, lambda x, y: (
            f'<g class="legend-clock">{_clock(x + 4.5, y + 5)}'
            f'{text(x + 12, y + 8, words, SMALL)}</g>')

    def lines(dashed: bool) -> Item:
        words = "influences" if dashed else "reports to"
        w = 26 + _svg.text_width(words, SMALL)

        def draw(x: float, y: float) -> str:
            if dashed:
                shape = (f'<path d="M{num(x)},{num(y + 5)} L{num(x + 19)},{num(y + 5)}" '
                         f'stroke="{INFLUENCE_INK}" stroke-width="0.9" stroke-dasharray="3 2"'
                         f'/><path d="M{num(x + 17)},{num(y + 2)} L{num(x + 22)},{num(y + 5)} '
                         f'L{num(x + 17)},{num(y + 8)} Z" fill="{INFLUENCE_INK}"/>')
            else:
                shape = _svg.line([(x, y + 5), (x + 22, y + 5)], stroke=LINE_INK)
            return f'<g class="legend-line">{shape}{text(x + 26, y + 8, words, SMALL)}</g>'
        return w, 10.0, draw

    def role(badge: str, words: str) -> Item:
        badge_w = max(14.0, _svg.text_width(badge, SMALL, True) + 6)
        w = badge_w + 3 + _svg.text_width(words, SMALL)
        return w, 10.0, lambda x, y: (
            f'<g class="legend-role">{_badge(x, y, badge)[0]}'
            f'{text(x + badge_w + 3, y + 8, words, SMALL)}</g>')

    return [
        [_label("Sentiment:", True), *(swatch(s) for s in SENTIMENT_FILLS)],
        [_label("Influence:", True), *(border(level) for level in BORDERS),
         clock(), lines(False), lines(True)],
        [_label("Role:", True), *(role(b, w) for b, w in ROLE_WORDS)],
    ]


def committee_items(slots: Sequence[RoleSlot], tier: int, width: float) -> list[list[Item]]:
    if not slots:
        return [[_label(f"Buying committee: no roles required for tier {tier}", size=7.5)]]
    items: list[Item] = [_label(f"Buying committee required for tier {tier}:", True, 7.5)]
    for slot in slots:
        label = f"{slot.label}:"
        label_w = _svg.text_width(label, 7.5, True)
        if slot.missing:
            words, bold, colour = "missing", True, MISSING_INK
        else:
            words, bold, colour = ", ".join(slot.holders), False, INK
        room = width - 12 - label_w - 4
        words = _svg.truncate(words, room, 7.5, bold)
        w = 12 + label_w + 4 + _svg.text_width(words, 7.5, bold)

        def draw(x: float, y: float, label: str = label, label_w: float = label_w,
                 words: str = words, bold: bool = bold, colour: str = colour,
                 missing: bool = slot.missing) -> str:
            if missing:  # a cross: the gap reads without its colour too
                mark = (f'<path d="M{num(x + 1)},{num(y + 2)} L{num(x + 8)},{num(y + 9)} '
                        f'M{num(x + 8)},{num(y + 2)} L{num(x + 1)},{num(y + 9)}" '
                        f'stroke="{MISSING_INK}" stroke-width="1.6"/>')
            else:  # a tick
                mark = (f'<path d="M{num(x + 1)},{num(y + 5.5)} L{num(x + 3.5)},{num(y + 8.5)} '
                        f'L{num(x + 8.5)},{num(y + 2)}" fill="none" stroke="{INK}" '
                        'stroke-width="1.3"/>')
            cls = "committee-role missing" if missing else "committee-role"
            return (f'<g class="{cls}">{mark}{text(x + 12, y + 8, label, 7.5, bold=True)}'
                    f'{text(x + 12 + label_w + 4, y + 8, words, 7.5, bold=bold, fill=colour)}'
                    '</g>')
        items.append((w, 10.0, draw))
    return [items]


# -- the chart --------------------------------------------------------------------------


def orgchart(packet: Packet) -> Markup:
    """The relationship map as one or more <svg> parts (a page each), legend on each."""
    people = packet.people
    committee_h, committee = flow(committee_items(packet.committee, packet.tier, INNER_W),
                                  INNER_W)
    legend_h, legend = flow(legend_items(INNER_W), INNER_W)
    if not people:
        body = [text(PAD, PAD + 12, "No stakeholders mapped", 10, bold=True),
                text(PAD, PAD + 25, "The plan names no stakeholders, so there is no map.",
                     7.5, fill=MUTED),
                f'<g transform="translate({num(PAD)},{num(PAD + 36)})">{"".join(committee)}</g>']
        height = PAD + 36 + committee_h + PAD
        return _svg.markup(_svg.document(CANVAS_W, height, body, cls="chart-orgchart",
                                         label="Relationship map: no stakeholders mapped",
                                         extra=' data-part="1" data-parts="1"'))
    # Room for the chart on a part: less the legend, the committee (on the first part),
    # and, when there are several parts, a caption and the influence lines between parts.
    base = MAX_H - 2 * PAD - legend_h - 12

    def reserve(tree: Tree, parts: Parts) -> float:
        return 14 + _elsewhere_height(tree, parts) if len(parts) > 1 else 0.0

    layout = layout_map(people, GEOMETRY, base - committee_h - 10, base, reserve)
    total = len(layout.parts)
    svgs = [_draw_part(packet, layout, part.number, total,
                       committee if part.number == 1 else [],
                       committee_h if part.number == 1 else 0.0, legend, legend_h)
            for part in layout.parts]
    return _svg.markup(*svgs)


def _elsewhere_lines(items: Sequence[str]) -> list[str]:
    if not items:
        return []
    return _svg.wrap("Influence on another part: " + "; ".join(items), INNER_W, SMALL,
                     max_lines=3)


def _elsewhere_height(tree: Tree, parts: Parts) -> float:
    part_of = part_map(parts)
    tallest = 0.0
    for number, units in enumerate(parts, start=1):
        cards = [c for _, block in units for c in block.cards]
        lines = _elsewhere_lines(elsewhere(tree, cards, part_of, number))
        tallest = max(tallest, 9.0 * len(lines) + 4 if lines else 0.0)
    return tallest


def _draw_part(packet: Packet, layout: MapLayout, number: int, total: int,
               committee: list[str], committee_h: float, legend: list[str], legend_h: float
               ) -> str:
    tree, part_of = layout.tree, layout.part_of
    part = layout.parts[number - 1]
    people = packet.people
    body: list[str] = []
    y = PAD
    if total > 1:
        body.append(text(PAD, y + 8, f"Relationship map, part {number} of {total}", 7.5,
                         bold=True, fill=MUTED, cls="map-caption"))
        y += 14
    if committee:
        body.append(f'<g class="committee" transform="translate({num(PAD)},{num(y)})">'
                    + "".join(committee) + "</g>")
        y += committee_h + 10
    chart = part.chart
    ox, oy = PAD, y
    boxes = {i: (ox + x, oy + y_, CARD_W, CARD_H) for i, x, y_ in chart.cards}
    body += [_svg.line([(ox + x, oy + y_) for x, y_ in pts], stroke=LINE_INK, width=0.8,
                       cls="reports-line") for pts in chart.lines]
    for i, _x, _y in chart.cards:
        for target in people[i].influences:
            j = tree.index.get(target)
            if j is not None and j != i and j in boxes:
                body.append(influence_path(boxes[i], boxes[j]))
    for i, x, y_ in chart.cards:
        body.append(draw_card(people[i], ox + x, oy + y_))
    for i, x, y_ in chart.ghosts:
        body.append(draw_ghost(people[i], ox + x, oy + y_, part_of[i], number))
    for i, x, y_ in chart.marks:
        kids = tree.children[i]
        words = _mark_text(len(kids), part_of[kids[0]], number)
        body.append(text(ox + x, oy + y_ + 9, words, SMALL, fill=MUTED, cls="continued"))
    for words, x, y_ in chart.bands:
        body.append(text(ox + x, oy + y_, _svg.truncate(words, INNER_W, 8, True), 8, bold=True,
                         cls="department"))
    y = oy + chart.h + 12
    lines = _elsewhere_lines(part.elsewhere)
    if lines:
        for line in lines:
            body.append(text(PAD, y + 7, line, SMALL, fill=MUTED, cls="influence-elsewhere"))
            y += 9
        y += 4
    body.append(f'<g class="legend" transform="translate({num(PAD)},{num(y)})">'
                + "".join(legend) + "</g>")
    height = y + legend_h + PAD
    count = len(chart.cards)
    label = (f"Relationship map, part {number} of {total}: "
             f"{count} {'person' if count == 1 else 'people'}")
    return _svg.document(CANVAS_W, height, body, cls="chart-orgchart", label=label,
                         extra=f' data-part="{number}" data-parts="{total}"')
