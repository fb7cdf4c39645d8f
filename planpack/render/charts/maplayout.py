"""The relationship map's layout, independent of how it is drawn (SVG page, PowerPoint slide).

Everything is measured in one unit, points, from the top-left corner of the room the map
has on a part (a printed page, a slide): cards of a fixed size (`Geometry.card_w` x
`card_h`), laid out as a tidy tree, split into parts no wider than `Geometry.width` and no
taller than the room a part has. The result is positions only: cards, dashed copies of a
manager's card ("ghosts"), marks under a card whose reports went elsewhere, department
headings and the reporting lines, which run only in the gaps between cards.

* A subtree is a block: its root card on top, the root card alone in the block's top
  band. A manager's reports are arranged in one of three ways, whichever fits the width
  it is given and covers the least area (a page-sized block is avoided): a row under a
  bus line; rows wrapped under each other, fed by a trunk in a lane on the left; or a
  stack, the reports' blocks under each other, indented, on a spine.
* The forest of roots is one unit, laid out at the full width. A unit taller than a
  part is cut between its trees (a part per top-level branch) or has a branch detached:
  the smallest whose leaving makes it fit, else the biggest. The manager's card stays
  and is marked; the reports become a unit of their own, headed by a ghost of the
  manager's card. A unit of many cards with no branch left is cut into chunks. Units are
  then packed into parts, each into the first part with room for it. People with neither
  manager nor reports in the plan, when there are many, are grouped by department.

The same people and geometry always give the same layout: everything is ordered by the
plan's own order, never by a set or a hash.

planpack.render.charts.orgchart draws it as SVG for the PDF (with the default geometry);
planpack.render.deck.orgchart draws it with shapes and connectors on slides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from planpack.render.charts import _svg
from planpack.render.packet import Person

MAX_TRIALS = 24  # branches tried when looking for the smallest one to detach
GROUP_AT = 6  # this many people with neither manager nor reports: group by department

Point = tuple[float, float]


@dataclass(frozen=True)
class Geometry:
    """The sizes a layout works with, in points. The defaults are the PDF's."""

    width: float = 494.0  # the room for the map across a part
    part_h: float = 680.0  # a part's full height: a subtree half as tall is avoided
    card_w: float = 86.0
    card_h: float = 56.0
    gap: float = 8.0  # between sibling blocks
    tree_gap: float = 16.0  # between separate trees and units
    vgap: float = 22.0  # from a manager's card to the reports' tops, in rows
    lane: float = 10.0  # wrapped rows: the lane on the left for the trunk
    indent: float = 14.0  # the stack arrangement: how far the reports are indented,
    spine: float = 7.0  # where the spine runs,
    stack_top: float = 10.0  # the room under the manager's card,
    stack_gap: float = 8.0  # and between the reports' blocks
    mark_h: float = 12.0  # under a card whose reports are on another part
    band_h: float = 15.0  # a department's heading
    band_size: float = 8.0  # its type size (bold), which it is measured with
    band_y: float = 10.5  # where its text is put, from the top of its unit (in SVG, its
                          # baseline)
    pack_across: bool = False  # a part's units side by side where they fit (else stacked)

    def anchor(self, block: Block) -> float:
        """The x of the middle of a block's top card, where its line from above arrives."""
        return block.root_x + self.card_w / 2


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

    def __init__(self, people: Sequence[Person], geometry: Geometry | None = None) -> None:
        self.people = people
        self.g = geometry or Geometry()
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
        g = self.g
        block = Block(g.card_w, g.card_h, cards=[(i, 0.0, 0.0)])
        if i in self.detached and self.children[i]:
            block.h += g.mark_h
            block.marks.append((i, 0.0, g.card_h))
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
                best = _best(found, max_w, self.g, compact=True)
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
        width = self.g.width
        return _best(self.arrangements(self.card(i), kids, width), width, self.g, compact=False)

    def arrangements(self, head: Block, kids: list[int], max_w: float) -> list[Block]:
        g = self.g
        full = [self.options(k, max_w) for k in kids]
        options = [row(head, lower(full, max_w, g), g)]
        if options[0].w > max_w:
            inner = [self.options(k, max_w - g.lane) for k in kids]
            rows: list[list[list[Block]]] = [[]]
            used = 0.0
            for choices in inner:
                width = choices[0].w
                if rows[-1] and used + g.gap + width > max_w - g.lane:
                    rows.append([])
                    used = 0.0
                used += (g.gap if rows[-1] else 0.0) + width
                rows[-1].append(choices)
            options.append(wrapped(head, [lower(r, max_w - g.lane, g) for r in rows], g))
        options.append(stack(head, [self.layout(k, max_w - g.indent) for k in kids], g))
        return options

    def unit_block(self, unit: Unit) -> Block:
        """A unit laid out at the full width, as low as it can be."""
        g = self.g
        if unit.ghost is not None:
            head = Block(g.card_w, g.card_h, ghosts=[(unit.ghost, 0.0, 0.0)])
            return _best(self.arrangements(head, list(unit.roots), g.width), g.width, g,
                         compact=False)
        blocks = [self.top_layout(r) for r in unit.roots]
        top = g.band_h if unit.band else 0.0
        out = shelves(blocks, g.width, g.tree_gap, g, top)
        if unit.band:
            out.bands.append((unit.band, 0.0, g.band_y))
            out.w = max(out.w, min(g.width, _svg.text_width(unit.band, g.band_size, True)))
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

    def fits(self, block: Block, room: float) -> bool:
        return block.w <= self.g.width + 0.01 and block.h <= room


def _best(options: list[Block], max_w: float, g: Geometry, *, compact: bool) -> Block:
    """Fitting the width first; then the least area (a subtree) or height (a unit)."""
    def cost(block: Block) -> tuple[float, ...]:
        fits = block.w <= max_w + 0.01
        if compact:
            return (not fits, block.h > g.part_h / 2, block.w * block.h, block.h)
        return (not fits, block.h, block.w)
    return min(options, key=cost)  # min keeps the first of equals: the order is fixed


def row(head: Block, kids: list[Block], g: Geometry) -> Block:
    """The reports side by side under a bus line, the manager centred over them."""
    total = sum(k.w for k in kids) + g.gap * (len(kids) - 1)
    w = max(total, head.w)
    out = Block(w, 0.0)
    x = (w - total) / 2
    anchors = []
    for kid in kids:
        out.add(kid, x, g.card_h + g.vgap)
        anchors.append(x + g.anchor(kid))
        x += kid.w + g.gap
    middle = (anchors[0] + anchors[-1]) / 2
    out.root_x = min(max(middle - g.card_w / 2, 0.0), w - g.card_w)
    out.add(head, out.root_x, 0.0)
    top = g.anchor(out)
    bus = g.card_h + g.vgap / 2
    if len(anchors) == 1 and abs(anchors[0] - top) < 0.05:
        out.lines.append(((top, g.card_h), (top, g.card_h + g.vgap)))
    else:
        out.lines.append(((top, g.card_h), (top, bus)))
        out.lines.append(((min(anchors[0], top), bus), (max(anchors[-1], top), bus)))
        out.lines += [((a, bus), (a, g.card_h + g.vgap)) for a in anchors]
    out.h = g.card_h + g.vgap + max(k.h for k in kids)
    return out


def lower(choices: list[list[Block]], width: float, g: Geometry) -> list[Block]:
    """One block per report for a row: the compact ones, then, while the row's tallest has
    a lower way that fits the room left in the row, that one."""
    chosen = [c[0] for c in choices]
    while True:
        total = sum(b.w for b in chosen) + g.gap * (len(chosen) - 1)
        tallest = max(range(len(chosen)), key=lambda n: (chosen[n].h, -n))
        better = [b for b in choices[tallest][1:] if b.h < chosen[tallest].h
                  and total - chosen[tallest].w + b.w <= width + 0.01]
        if not better:
            return chosen
        chosen[tallest] = better[0]


def wrapped(head: Block, rows: list[list[Block]], g: Geometry) -> Block:
    """The reports in rows, each row under its own bus, the buses fed by a trunk on the left."""
    out = Block(0.0, 0.0)
    trunk = g.lane / 2
    y = g.card_h + g.vgap
    buses: list[tuple[float, list[float]]] = []
    width = head.w
    for blocks in rows:
        x = g.lane
        anchors = []
        for kid in blocks:
            out.add(kid, x, y)
            anchors.append(x + g.anchor(kid))
            x += kid.w + g.gap
        width = max(width, x - g.gap)
        buses.append((y - g.vgap / 2, anchors))
        y += max(k.h for k in blocks) + g.vgap
    out.w = width
    first = buses[0][1]
    out.root_x = min(max((first[0] + first[-1]) / 2 - g.card_w / 2, 0.0), width - g.card_w)
    out.add(head, out.root_x, 0.0)
    top = g.anchor(out)
    out.lines.append(((top, g.card_h), (top, buses[0][0])))
    for number, (bus, anchors) in enumerate(buses):
        right = max(anchors[-1], top) if number == 0 else anchors[-1]
        out.lines.append(((trunk, bus), (right, bus)))
        out.lines += [((a, bus), (a, bus + g.vgap / 2)) for a in anchors]
    out.lines.append(((trunk, buses[0][0]), (trunk, buses[-1][0])))
    out.h = y - g.vgap
    return out


def stack(head: Block, kids: list[Block], g: Geometry) -> Block:
    """The reports' blocks under each other, indented, each joined to a spine on the left."""
    out = Block(max(head.w, g.indent + max(k.w for k in kids)), 0.0)
    out.add(head, 0.0, 0.0)
    y = g.card_h + g.stack_top
    last = y
    for kid in kids:
        out.add(kid, g.indent, y)
        last = y + g.card_h / 2
        out.lines.append(((g.spine, last), (g.indent + kid.root_x, last)))
        y += kid.h + g.stack_gap
    out.lines.append(((g.spine, g.card_h), (g.spine, last)))
    out.h = y - g.stack_gap
    return out


def shelves(blocks: list[Block], max_w: float, gap: float, g: Geometry, top: float = 0.0
            ) -> Block:
    """Blocks left to right in rows, no lines between them."""
    out = Block(0.0, top)
    x, y, tallest = 0.0, top, 0.0
    for block in blocks:
        if x > 0 and x + block.w > max_w:
            x, y, tallest = 0.0, y + tallest + g.vgap, 0.0
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


Parts = list[list[tuple[Unit, Block]]]


def paginate(tree: Tree, first: float, room: float) -> Parts:
    """Units no taller than a part, packed in order into parts: the first has less room."""
    g = tree.g
    queue = _units(tree)
    done: list[tuple[Unit, Block]] = []
    while queue:
        unit = queue.pop(0)
        limit = first if not done else room
        block = tree.unit_block(unit)
        pending: list[Unit] = []
        while not tree.fits(block, limit):
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
    parts: Parts = []
    used: list[float] = []
    for unit, block in done:
        for number, units in enumerate(parts):
            limit = first if number == 0 else room
            height = (arrange([*units, (unit, block)], g).h if g.pack_across
                      else used[number] + g.tree_gap + block.h)
            if height <= limit:
                units.append((unit, block))
                used[number] = height
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
        if tree.fits(first, room):
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
        return tree.fits(block, room)

    biggest = min(branches)[3]
    if not fits_without(biggest):
        return biggest
    # A branch lower than the overflow can hardly make up for it on its own: not tried.
    over = tree.unit_block(unit).h - room
    smallest_first = sorted((b for b in branches if b[3] != biggest
                             and tree.layout(b[3], tree.g.width).h >= over),
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
        if not tree.fits(trial, room):
            break
        count += 1
    rest = replace(unit, roots=unit.roots[count:],
                   band=f"{unit.band.split(' · ')[0]} (continued)" if unit.band else "")
    return replace(unit, roots=unit.roots[:count]), [rest]


# -- the whole map, ready to draw -------------------------------------------------------


@dataclass(frozen=True)
class MapPart:
    """One part of the map: its units, and everything on it flattened to one block whose
    origin is the top-left corner of the room for the map on that part."""

    number: int  # from 1
    units: tuple[Unit, ...]
    chart: Block
    elsewhere: tuple[str, ...]  # influences to a card on another part, in words


@dataclass(frozen=True)
class MapLayout:
    tree: Tree
    parts: tuple[MapPart, ...]
    part_of: dict[int, int]  # person -> the part their card is on


def arrange(units: Sequence[tuple[Unit, Block]], g: Geometry) -> Block:
    """A part's units as one block: under each other, or (pack_across) in rows."""
    if g.pack_across:
        return shelves([block for _, block in units], g.width, g.tree_gap, g)
    return stack_units(units, g)


def stack_units(units: Sequence[tuple[Unit, Block]], g: Geometry) -> Block:
    """A part's units under each other, as one flat block."""
    stacked = Block(0.0, 0.0)
    for _unit, block in units:
        stacked.add(block, 0.0, stacked.h + (g.tree_gap if stacked.h else 0.0))
        stacked.h += (g.tree_gap if stacked.h else 0.0) + block.h
        stacked.w = max(stacked.w, block.w)
    return stacked.flat()


def part_map(parts: Parts) -> dict[int, int]:
    part_of: dict[int, int] = {}
    for number, units in enumerate(parts, start=1):
        for _, block in units:
            for i, _x, _y in block.cards:
                part_of[i] = number
    return part_of


def elsewhere(tree: Tree, cards: Sequence[tuple[int, float, float]], part_of: dict[int, int],
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


Reserve = Callable[[Tree, Parts], float]


def layout_map(people: Sequence[Person], geometry: Geometry, first: float, room: float,
               reserve: Reserve | None = None) -> MapLayout:
    """The map split into parts: the first part has `first` points of height for the map,
    the others `room`. `reserve(tree, parts)`, if given, is the height a drawing needs on
    every part beside the map for that split (a caption, the influences listed in words):
    the map is laid out again with that much less room, until the reserve suffices."""
    spare = 0.0
    for _attempt in range(4):
        tree = Tree(people, geometry)
        parts = paginate(tree, first - spare, room - spare)
        needed = reserve(tree, parts) if reserve is not None else 0.0
        if needed <= spare:
            break
        spare = needed
    part_of = part_map(parts)
    out = []
    for number, units in enumerate(parts, start=1):
        chart = arrange(units, geometry).flat()
        out.append(MapPart(number, tuple(u for u, _ in units), chart,
                           tuple(elsewhere(tree, chart.cards, part_of, number))))
    return MapLayout(tree, tuple(out), part_of)


__all__ = ["Block", "Geometry", "MapLayout", "MapPart", "Tree", "Unit", "elsewhere",
           "layout_map", "paginate", "part_map", "stack_units"]
