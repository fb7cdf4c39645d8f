"""The relationship map: an org chart from `reports_to`, legible at any size of map.

Layout, in points (one SVG user unit is one point on paper):

* Every person is a card of fixed size (CARD_W x CARD_H): role badge, sentiment word and
  the no-contact clock on top, then four lines for the name (bold) and the title: two
  each, or three for a long name. Text is wrapped at spaces and hyphens with the font's
  own advance widths, and cut with an ellipsis only beyond its lines; nothing is ever
  scaled down.
* A subtree is a block: its root card on top, the root card alone in the block's top
  band. A manager's reports are arranged in one of three ways, whichever fits the width
  it is given and covers the least area (a page-sized block is avoided): a row under a
  bus line; rows wrapped under each other, fed by a trunk in a lane on the left; or a
  stack, the reports' blocks under each other, indented, on a spine. Lines run only in
  the gaps between blocks, so they never cross a card.
* The map is split into parts, one printed page each: the forest of roots is one unit,
  laid out at the full width. A unit taller than a page is cut between its trees (a
  part per top-level branch) or has a branch detached: the smallest whose leaving
  makes it fit, else the biggest. The manager's card stays and says where its reports
  went; they become a unit of their own, headed by a dashed copy of the manager's card.
  A unit of many cards with no branch left is cut into chunks. Units are then packed
  into parts, each into the first part with room for it.
  People with neither manager nor reports in the plan, when there are many, are grouped
  by department.
* Influence lines are dashed arrows drawn under the cards; one whose ends are on
  different parts is listed in words under its part instead.

The same packet always gives the same picture: everything is ordered by the plan's own
order, never by a set or a hash, and coordinates are rounded to 0.1.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from planpack.render.charts import _svg
from planpack.render.charts._svg import INK, MUTED, num, rect, text
from planpack.render.packet import Packet, Person, RoleSlot

CANVAS_W = 500.0  # printed width in pt (176 mm), for a text width of about 180 mm
PAD = 3.0  # around the drawing, so the thickest border is not clipped
INNER_W = CANVAS_W - 2 * PAD
MAX_H = 680.0  # printed height of one part in pt (240 mm): one A4 page with a heading

CARD_W, CARD_H = 86.0, 56.0
GAP = 8.0  # between sibling blocks
TREE_GAP = 16.0  # between separate trees and units
VGAP = 22.0  # from a manager's card to the reports' tops, in rows
LANE = 10.0  # wrapped rows: the lane on the left for the trunk
INDENT, SPINE, STACK_TOP, STACK_GAP = 14.0, 7.0, 10.0, 8.0  # the stack arrangement
MARK_H = 12.0  # under a card whose reports are on another part
BAND_H = 15.0  # a department's heading
MAX_TRIALS = 24  # branches tried when looking for the smallest one to detach
GROUP_AT = 6  # this many people with neither manager nor reports: group by department

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


@dataclass
class Block:
    """A laid-out piece of the map, its origin at its top-left corner."""

    w: float
    h: float
    root_x: float = 0.0  # the left edge of its top card
    cards: list[tuple[int, float, float]] = field(default_factory=list)  # person, x, y
    ghosts: list[tuple[int, float, float]] = field(default_factory=list)
    marks: list[tuple[int, float, float]] = field(default_factory=list)  # under the card at
    bands: list[tuple[str, float, float]] = field(default_factory=list)
    lines: list[tuple[Point, ...]] = field(default_factory=list)
    parts: list[tuple[Block, float, float]] = field(default_factory=list)  # blocks within

    @property
    def anchor(self) -> float:
        return self.root_x + CARD_W / 2

    def add(self, other: Block, dx: float, dy: float) -> None:
        """Place another block inside this one: by reference, flattened only when drawn, so
        trying many layouts costs the number of reports, not the size of the subtree."""
        self.parts.append((other, dx, dy))

    def flat(self) -> Block:
        """The same block with everything in it at its own coordinates."""
        out = Block(self.w, self.h, self.root_x)
        todo: list[tuple[Block, float, float]] = [(self, 0.0, 0.0)]
        while todo:
            block, dx, dy = todo.pop()
            out.cards += [(i, x + dx, y + dy) for i, x, y in block.cards]
            out.ghosts += [(i, x + dx, y + dy) for i, x, y in block.ghosts]
            out.marks += [(i, x + dx, y + dy) for i, x, y in block.marks]
            out.bands += [(t, x + dx, y + dy) for t, x, y in block.bands]
            out.lines += [tuple((x + dx, y + dy) for x, y in pts) for pts in block.lines]
            todo += [(b, x + dx, y + dy) for b, x, y in reversed(block.parts)]
        return out


@dataclass(frozen=True)
class Unit:
    """What one block of a part shows: roots under a heading (none, a manager, a department)."""

    roots: tuple[int, ...]
    ghost: int | None = None  # the manager whose reports these are, drawn dashed
    band: str = ""  # a department's heading


class Tree:
    """The forest of `reports_to`, defensive about loops and unknown managers."""

    def __init__(self, people: Sequence[Person]) -> None:
        self.people = people
        index: dict[str, int] = {}
        for i, person in enumerate(people):
            index.setdefault(person.key, i)
        self.index = index
        parent: list[int | None] = []
        for i, person in enumerate(people):
            j = index.get(person.reports_to) if person.reports_to is not None else None
            parent.append(None if j == i else j)
        # A manager chain that loops: the loop's first member in plan order becomes a root.
        state = [0] * len(people)
        for start in range(len(people)):
            path: list[int] = []
            node = start if state[start] == 0 else None
            while node is not None and state[node] == 0:
                state[node] = 1
                path.append(node)
                node = parent[node]
            if node is not None and state[node] == 1:
                parent[min(path[path.index(node):])] = None
            for member in path:
                state[member] = 2
        self.parent = parent
        self.children: list[list[int]] = [[] for _ in people]
        for i, j in enumerate(parent):
            if j is not None:
                self.children[j].append(i)
        self.roots = [i for i, j in enumerate(parent) if j is None]
        self.detached: set[int] = set()  # whose reports are drawn on a unit of their own
        self._memo: dict[int, dict[float, list[Block]]] = {}

    def kids(self, i: int) -> list[int]:
        return [] if i in self.detached else self.children[i]

    def size(self, i: int) -> int:
        """How many cards the subtree of i shows, i included."""
        return 1 + sum(self.size(k) for k in self.kids(i))

    def detach(self, i: int, on: bool = True) -> None:
        """Draw i's reports on a unit of their own (or, with on=False, back under i)."""
        if on:
            self.detached.add(i)
        else:
            self.detached.discard(i)
        node: int | None = i
        while node is not None:  # only the layouts of i and its managers change
            self._memo.pop(node, None)
            node = self.parent[node]

    # -- layout -------------------------------------------------------------------------

    def card(self, i: int) -> Block:
        block = Block(CARD_W, CARD_H, cards=[(i, 0.0, 0.0)])
        if i in self.detached and self.children[i]:
            block.h += MARK_H
            block.marks.append((i, 0.0, CARD_H))
        return block

    def options(self, i: int, max_w: float) -> list[Block]:
        """The ways to lay out i's subtree within max_w: the most compact first, then the
        others that fit, lowest first (a row with room to spare may take a lower one)."""
        memo = self._memo.setdefault(i, {})
        if max_w not in memo:
            kids = self.kids(i)
            if not kids:
                memo[max_w] = [self.card(i)]
            else:
                found = self.arrangements(self.card(i), kids, max_w)
                best = _best(found, max_w, compact=True)
                others = sorted((b for b in found if b is not best and b.w <= max_w + 0.01),
                                key=lambda b: (b.h, b.w))
                memo[max_w] = [best, *others]
        return memo[max_w]

    def layout(self, i: int, max_w: float) -> Block:
        """The most compact block of i's subtree no wider than max_w (if any is)."""
        return self.options(i, max_w)[0]

    def top_layout(self, i: int) -> Block:
        """A tree at the top of a unit: at the full width, as low as it can be."""
        kids = self.kids(i)
        if not kids:
            return self.card(i)
        return _best(self.arrangements(self.card(i), kids, INNER_W), INNER_W, compact=False)

    def arrangements(self, head: Block, kids: list[int], max_w: float) -> list[Block]:
        full = [self.options(k, max_w) for k in kids]
        options = [row(head, lower(full, max_w))]
        if options[0].w > max_w:
            inner = [self.options(k, max_w - LANE) for k in kids]
            rows: list[list[list[Block]]] = [[]]
            used = 0.0
            for choices in inner:
                width = choices[0].w
                if rows[-1] and used + GAP + width > max_w - LANE:
                    rows.append([])
                    used = 0.0
                used += (GAP if rows[-1] else 0.0) + width
                rows[-1].append(choices)
            options.append(wrapped(head, [lower(r, max_w - LANE) for r in rows], max_w))
        options.append(stack(head, [self.layout(k, max_w - INDENT) for k in kids]))
        return options

    def unit_block(self, unit: Unit) -> Block:
        """A unit laid out at the full width, as low as it can be."""
        if unit.ghost is not None:
            head = Block(CARD_W, CARD_H, ghosts=[(unit.ghost, 0.0, 0.0)])
            return _best(self.arrangements(head, list(unit.roots), INNER_W), INNER_W,
                         compact=False)
        blocks = [self.top_layout(r) for r in unit.roots]
        top = BAND_H if unit.band else 0.0
        out = shelves(blocks, INNER_W, TREE_GAP, top)
        if unit.band:
            out.bands.append((unit.band, 0.0, 10.5))
            out.w = max(out.w, min(INNER_W, _svg.text_width(unit.band, 8, True)))
        return out

    def visible(self, unit: Unit) -> list[tuple[int, int]]:
        """(depth, person) of every card the unit shows, in plan order of the walk."""
        out: list[tuple[int, int]] = []
        todo = [(0, r) for r in reversed(unit.roots)]
        while todo:
            depth, node = todo.pop()
            out.append((depth, node))
            todo += [(depth + 1, k) for k in reversed(self.kids(node))]
        return out


def _best(options: list[Block], max_w: float, *, compact: bool) -> Block:
    """Fitting the width first; then the least area (a subtree) or height (a unit)."""
    def cost(block: Block) -> tuple[float, ...]:
        fits = block.w <= max_w + 0.01
        if compact:
            return (not fits, block.h > MAX_H / 2, block.w * block.h, block.h)
        return (not fits, block.h, block.w)
    return min(options, key=cost)  # min keeps the first of equals: the order is fixed


def row(head: Block, kids: list[Block]) -> Block:
    """The reports side by side under a bus line, the manager centred over them."""
    total = sum(k.w for k in kids) + GAP * (len(kids) - 1)
    w = max(total, head.w)
    out = Block(w, 0.0)
    x = (w - total) / 2
    anchors = []
    for kid in kids:
        out.add(kid, x, CARD_H + VGAP)
        anchors.append(x + kid.anchor)
        x += kid.w + GAP
    middle = (anchors[0] + anchors[-1]) / 2
    out.root_x = min(max(middle - CARD_W / 2, 0.0), w - CARD_W)
    out.add(head, out.root_x, 0.0)
    top = out.anchor
    bus = CARD_H + VGAP / 2
    if len(anchors) == 1 and abs(anchors[0] - top) < 0.05:
        out.lines.append(((top, CARD_H), (top, CARD_H + VGAP)))
    else:
        out.lines.append(((top, CARD_H), (top, bus)))
        out.lines.append(((min(anchors[0], top), bus), (max(anchors[-1], top), bus)))
        out.lines += [((a, bus), (a, CARD_H + VGAP)) for a in anchors]
    out.h = CARD_H + VGAP + max(k.h for k in kids)
    return out


def lower(choices: list[list[Block]], width: float) -> list[Block]:
    """One block per report for a row: the compact ones, then, while the row's tallest has
    a lower way that fits the room left in the row, that one."""
    chosen = [c[0] for c in choices]
    while True:
        total = sum(b.w for b in chosen) + GAP * (len(chosen) - 1)
        tallest = max(range(len(chosen)), key=lambda n: (chosen[n].h, -n))
        better = [b for b in choices[tallest][1:] if b.h < chosen[tallest].h
                  and total - chosen[tallest].w + b.w <= width + 0.01]
        if not better:
            return chosen
        chosen[tallest] = better[0]


def wrapped(head: Block, rows: list[list[Block]], max_w: float) -> Block:
    """The reports in rows, each row under its own bus, the buses fed by a trunk on the left."""
    out = Block(0.0, 0.0)
    trunk = LANE / 2
    y = CARD_H + VGAP
    buses: list[tuple[float, list[float]]] = []
    width = head.w
    for blocks in rows:
        x = LANE
        anchors = []
        for kid in blocks:
            out.add(kid, x, y)
            anchors.append(x + kid.anchor)
            x += kid.w + GAP
        width = max(width, x - GAP)
        buses.append((y - VGAP / 2, anchors))
        y += max(k.h for k in blocks) + VGAP
    out.w = width
    first = buses[0][1]
    out.root_x = min(max((first[0] + first[-1]) / 2 - CARD_W / 2, 0.0), width - CARD_W)
    out.add(head, out.root_x, 0.0)
    top = out.anchor
    out.lines.append(((top, CARD_H), (top, buses[0][0])))
    for number, (bus, anchors) in enumerate(buses):
        right = max(anchors[-1], top) if number == 0 else anchors[-1]
        out.lines.append(((trunk, bus), (right, bus)))
        out.lines += [((a, bus), (a, bus + VGAP / 2)) for a in anchors]
    out.lines.append(((trunk, buses[0][0]), (trunk, buses[-1][0])))
    out.h = y - VGAP
    return out


def stack(head: Block, kids: list[Block]) -> Block:
    """The reports' blocks under each other, indented, each joined to a spine on the left."""
    out = Block(max(head.w, INDENT + max(k.w for k in kids)), 0.0)
    out.add(head, 0.0, 0.0)
    y = CARD_H + STACK_TOP
    last = y
    for kid in kids:
        out.add(kid, INDENT, y)
        last = y + CARD_H / 2
        out.lines.append(((SPINE, last), (INDENT + kid.root_x, last)))
        y += kid.h + STACK_GAP
    out.lines.append(((SPINE, CARD_H), (SPINE, last)))
    out.h = y - STACK_GAP
    return out


def shelves(blocks: list[Block], max_w: float, gap: float, top: float = 0.0) -> Block:
    """Blocks left to right in rows, no lines between them."""
    out = Block(0.0, top)
    x, y, tallest = 0.0, top, 0.0
    for block in blocks:
        if x > 0 and x + block.w > max_w:
            x, y, tallest = 0.0, y + tallest + VGAP, 0.0
        out.add(block, x, y)
        out.w = max(out.w, x + block.w)
        tallest = max(tallest, block.h)
        out.h = max(out.h, y + block.h)
        x += block.w + gap
    return out


# -- splitting into parts ---------------------------------------------------------------


def _units(tree: Tree) -> list[Unit]:
    """The forest as one unit; many loose people (no manager, no reports) by department."""
    loose = [r for r in tree.roots if not tree.children[r]]
    if len(loose) < GROUP_AT:
        return [Unit(tuple(tree.roots))] if tree.roots else []
    units = [Unit(tuple(r for r in tree.roots if tree.children[r]))] \
        if len(loose) < len(tree.roots) else []
    departments: dict[str, list[int]] = {}
    for r in loose:
        departments.setdefault(_svg.clean(tree.people[r].department) or "No department",
                               []).append(r)
    for name, members in departments.items():
        count = f"{len(members)} {'person' if len(members) == 1 else 'people'}"
        units.append(Unit(tuple(members), band=f"{name} · {count}, no manager in the plan"))
    return units


def paginate(tree: Tree, first: float, room: float) -> list[list[tuple[Unit, Block]]]:
    """Units no taller than a part, packed in order into parts: the first has less room."""
    queue = _units(tree)
    done: list[tuple[Unit, Block]] = []
    while queue:
        unit = queue.pop(0)
        limit = first if not done else room
        block = tree.unit_block(unit)
        pending: list[Unit] = []
        while block.w > INNER_W + 0.01 or block.h > limit:
            extra = _split(tree, unit, limit)
            if extra is None:
                break
            unit, more = extra
            pending += more
            block = tree.unit_block(unit)
        # What was detached follows in the order of its managers' cards; a cut-off rest last.
        order = {n: index for index, (_, n) in enumerate(tree.visible(unit))}
        pending.sort(key=lambda u: order.get(u.ghost, len(order)) if u.ghost is not None
                     and u.ghost in order else len(order))
        queue[:0] = pending
        done.append((unit, block.flat()))
    # First fit: a unit goes on the first part with room for it, so a small unit can
    # fill the end of an earlier part; the order within a part stays the plan's.
    parts: list[list[tuple[Unit, Block]]] = []
    used: list[float] = []
    for unit, block in done:
        for number, units in enumerate(parts):
            limit = first if number == 0 else room
            if used[number] + TREE_GAP + block.h <= limit:
                units.append((unit, block))
                used[number] += TREE_GAP + block.h
                break
        else:
            parts.append([(unit, block)])
            used.append(block.h)
    return parts


def _split(tree: Tree, unit: Unit, room: float) -> tuple[Unit, list[Unit]] | None:
    """Shrink a unit that does not fit: returns it and the units made from what it lost.

    A forest of several trees is cut between trees (a part per top-level branch) when
    its first tree fits alone; otherwise a branch is detached, its manager's card
    staying: the smallest one whose leaving is enough, or else the biggest. A unit with
    no branch left is cut in two. None when it cannot shrink (one card always fits).
    """
    if unit.ghost is None and len(unit.roots) > 1:
        first = tree.unit_block(replace(unit, roots=unit.roots[:1]))
        if first.w <= INNER_W + 0.01 and first.h <= room:
            return _chunk(tree, unit, room)
        # The first tree alone is too big: open it up, the others stay with it for now.
    top = 0 if unit.ghost is not None or len(unit.roots) == 1 else 1
    branches = [(-tree.size(n), depth, order, n)
                for order, (depth, n) in enumerate(tree.visible(unit))
                if depth >= top and tree.kids(n)]
    inner = [b for b in branches if b[1] > 0]  # a root's reports stay with it if they can
    if inner or branches:
        node = _smallest_enough(tree, unit, inner or branches, room)
        kids = tuple(tree.kids(node))
        tree.detach(node)
        return unit, [Unit(kids, ghost=node)]
    return _chunk(tree, unit, room) if len(unit.roots) > 1 else None


def _smallest_enough(tree: Tree, unit: Unit, branches: list[tuple[int, int, int, int]],
                     room: float) -> int:
    """The smallest branch whose leaving makes the unit fit; else the biggest branch."""
    def fits_without(node: int) -> bool:
        tree.detach(node)
        block = tree.unit_block(unit)
        tree.detach(node, on=False)
        return block.w <= INNER_W + 0.01 and block.h <= room

    biggest = min(branches)[3]
    if not fits_without(biggest):
        return biggest
    # A branch lower than the overflow can hardly make up for it on its own: not tried.
    over = tree.unit_block(unit).h - room
    smallest_first = sorted((b for b in branches if b[3] != biggest
                             and tree.layout(b[3], INNER_W).h >= over),
                            key=lambda b: (-b[0], b[1], b[2]))
    for _size, _depth, _order, node in smallest_first[:MAX_TRIALS]:
        if fits_without(node):
            return node
    return biggest


def _chunk(tree: Tree, unit: Unit, room: float) -> tuple[Unit, list[Unit]]:
    """The longest run of the unit's roots that fits, and the rest as a unit of its own."""
    count = 1
    while count + 1 < len(unit.roots):
        trial = tree.unit_block(replace(unit, roots=unit.roots[:count + 1]))
        if trial.w > INNER_W + 0.01 or trial.h > room:
            break
        count += 1
    rest = replace(unit, roots=unit.roots[count:],
                   band=f"{unit.band.split(' · ')[0]} (continued)" if unit.band else "")
    return replace(unit, roots=unit.roots[:count]), [rest]


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
    reserve = 0.0
    for _attempt in range(4):
        tree = Tree(people)
        parts = paginate(tree, base - committee_h - 10 - reserve, base - reserve)
        needed = 14 + _elsewhere_height(tree, parts) if len(parts) > 1 else 0.0
        if needed <= reserve:
            break
        reserve = needed
    part_of = _part_map(parts)
    svgs = [_draw_part(packet, tree, units, number, len(parts), part_of,
                       committee if number == 1 else [], committee_h if number == 1 else 0.0,
                       legend, legend_h)
            for number, units in enumerate(parts, start=1)]
    return _svg.markup(*svgs)


def _elsewhere(tree: Tree, cards: list[tuple[int, float, float]], part_of: dict[int, int],
               here: int) -> list[str]:
    """Influence lines whose target's card is on another part, in words."""
    people = tree.people
    out = []
    for i, _x, _y in cards:
        for target in people[i].influences:
            j = tree.index.get(target)
            if j is not None and j != i and part_of.get(j, here) != here:
                out.append(f"{people[i].name} → {people[j].name} (part {part_of[j]})")
    return out


def _elsewhere_lines(items: list[str]) -> list[str]:
    if not items:
        return []
    return _svg.wrap("Influence on another part: " + "; ".join(items), INNER_W, SMALL,
                     max_lines=3)


def _part_map(parts: list[list[tuple[Unit, Block]]]) -> dict[int, int]:
    part_of: dict[int, int] = {}
    for number, units in enumerate(parts, start=1):
        for _, block in units:
            for i, _x, _y in block.cards:
                part_of[i] = number
    return part_of


def _elsewhere_height(tree: Tree, parts: list[list[tuple[Unit, Block]]]) -> float:
    part_of = _part_map(parts)
    tallest = 0.0
    for number, units in enumerate(parts, start=1):
        cards = [c for _, block in units for c in block.cards]
        lines = _elsewhere_lines(_elsewhere(tree, cards, part_of, number))
        tallest = max(tallest, 9.0 * len(lines) + 4 if lines else 0.0)
    return tallest


def _draw_part(packet: Packet, tree: Tree, units: list[tuple[Unit, Block]], number: int,
               total: int, part_of: dict[int, int], committee: list[str], committee_h: float,
               legend: list[str], legend_h: float) -> str:
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
    stacked = Block(0.0, 0.0)
    for _unit, block in units:
        stacked.add(block, 0.0, stacked.h + (TREE_GAP if stacked.h else 0.0))
        stacked.h += (TREE_GAP if stacked.h else 0.0) + block.h
    chart = stacked.flat()
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
    lines = _elsewhere_lines(_elsewhere(tree, chart.cards, part_of, number))
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
