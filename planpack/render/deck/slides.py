"""The deck's slides, from the Packet: the QBR's ten sections, or the check-in's three.

Every figure and word comes from the Packet (planpack.render.packet), as in the PDF;
this module only lays it out: titles in the layout's title placeholder, the "content"
layout's body placeholder for lists, native charts and tables elsewhere. Speaker notes
on every slide carry the findings behind it (planpack.render.deck.notes).

QBR: title, health, relationship map (as many slides as it needs), whitespace,
opportunity roadmap, actions (and the last review's commitments), what changed,
risks, who owns what (RACI), next steps. Check-in: health, done and slipped, next.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from planpack.render.deck import charts, notes
from planpack.render.deck.frame import (
    AMBER,
    GAP,
    GRADE_COLOURS,
    GREY,
    INK,
    INSET_X,
    INSET_Y,
    MUTED,
    NONE_COLOUR,
    RED,
    WHITE,
    Area,
    Deck,
    Para,
    Run,
    Slide,
    fit_line,
    frame_setup,
    height_of,
    item,
    lines_room,
    no_autofit,
    paras,
    pt,
    truncate,
    width_of,
    wrap,
    write,
)
from planpack.render.deck.orgchart import Item, flow, map_slides, swatch
from planpack.render.deck.tables import Cell, Column, Flow, Piece, Table, cell
from planpack.render.packet import ActionRow, Deal, Packet
from planpack.report.diff import TITLES, change_text

STATUS_STYLE = {  # whitespace status: (fill, text)
    "owned": ("1F6F78", WHITE), "pipeline": ("3B7DD8", WHITE), "target": ("F2B134", INK),
    "competitor": ("C0392B", WHITE), "internal": ("8C8C8C", INK),
    "not_a_fit": ("E6E6E6", "444444"), "unknown": ("FFFFFF", INK),
}
STATUS_WORDS = (("owned", "Owned"), ("pipeline", "Pipeline"), ("target", "Target"),
                ("competitor", "Competitor"), ("internal", "In-house"),
                ("not_a_fit", "n/a: not a fit"), ("unknown", "?: unknown"))
OVERDUE_FILL = "FBE3E1"
MIN_UNIT_W = 72.0  # a whitespace unit's column, in pt: more units continue on a slide
MIN_MEMBER_W = 64.0  # a RACI member's column
TILE_H = 20.0 * 1.2 + 2 * 9.0 * 1.2 + 8.0 * 1.2 + 2 * 2.0  # a key figure: value, label, detail


def build(presentation: Any, layouts: dict[str, Any], packet: Packet) -> None:
    deck = Deck(presentation, layouts, packet)
    if packet.kind == "checkin":
        health_slide(deck, packet, packet.title)
        checkin_actions(deck, packet)
        next_actions(deck, packet)
        return
    title_slide(deck, packet)
    health_slide(deck, packet, "Health")
    map_slides(deck, packet)
    whitespace_slide(deck, packet)
    roadmap_slide(deck, packet)
    actions_slides(deck, packet)
    changes_slides(deck, packet)
    risks_slide(deck, packet)
    raci_slide(deck, packet)
    next_steps(deck, packet)


# -- title ------------------------------------------------------------------------------


def title_slide(deck: Deck, packet: Packet) -> None:
    kind = "QBR" if packet.kind == "qbr" else "Check-in"
    lead = [f"{packet.title}.", f"{len(packet.findings)} finding(s) in all."]
    other = notes.unclaimed(packet)
    slide = deck.slide("title", packet.account,
                       notes.notes(packet, "title", lead=lead, extra=other))
    health = packet.health
    grade = (f"Health {health.score}/100 · {packet.grade_label}" if health
             else f"Health: {packet.grade_label}")
    colour = GRADE_COLOURS.get(health.grade, INK) if health else MUTED
    tier = " · ".join(x for x in (f"Tier {packet.tier}", packet.industry, packet.region) if x)
    texts: list[tuple[str, bool, str | None]] = [
        (f"{kind}, {packet.as_of_text} · {packet.program}", False, None),
        (tier, False, None),
        (f"Owner: {packet.owner} · Manager: {packet.manager}", False, None),
        (grade, True, colour),
    ]
    placeholder = next((s for s in slide.shapes.placeholders
                        if s.placeholder_format.idx == 1), None)
    if placeholder is not None and placeholder.width and placeholder.height:
        area = Area(pt(placeholder.left), pt(placeholder.top), pt(placeholder.width),
                    pt(placeholder.height))
    else:
        area = slide.content.below(slide.content.h * 0.45)
    inner = Area(area.x + 7.2, area.y + 3.6, area.w - 14.4, area.h - 7.2)
    lines = fit_block(texts, inner, (24.0, 22.0, 20.0, 18.0, 16.0, 14.0, 12.0))
    centred = [Para(p.runs, p.size, "center") for p in lines]
    if placeholder is not None:
        no_autofit(placeholder._element.get_or_add_txBody())
        write(placeholder.text_frame, centred)
        placeholder.name = "Subtitle"
    else:
        slide.text(area, centred, name="Subtitle")


def fit_block(texts: Sequence[tuple[str, bool, str | None]], area: Area,
              sizes: Sequence[float], max_lines: int = 2) -> list[Para]:
    """Texts (each wrapped to at most `max_lines`) at the largest size at which they all
    fit the area whole; at the smallest, cut to the lines there is room for."""
    for number, size in enumerate(sizes):
        out: list[Para] = []
        whole = True
        for text, bold, colour in texts:
            lines = wrap(text, area.w, size, bold, max_lines + 1)
            whole = whole and len(lines) <= max_lines
            out += paras(text, area.w, size, bold=bold, colour=colour, max_lines=max_lines)
        if (whole and sum(p.height for p in out) <= area.h) or number == len(sizes) - 1:
            room = lines_room(area.h, size)
            return out[:room]
    return []


# -- health -----------------------------------------------------------------------------


def health_slide(deck: Deck, packet: Packet, title: str) -> None:
    slide = deck.slide("title_only", title, notes.notes(packet, "health",
                                                        lead=notes.deductions(packet)))
    area = slide.content
    tiles_h = _figures_height(area, packet)
    top = Area(area.x, area.y, area.w, area.h - tiles_h - (GAP if tiles_h else 0))
    left, right = top.columns(42, 58)
    health = packet.health
    if health is not None and health.components:
        heading_h = slide.note(left, "Components: score of 100 (weight)", 11.0, colour=INK,
                               bold=True, max_lines=1)
        charts.components(slide, left.below(heading_h, 2.0), health, packet.as_of)
    else:
        slide.note(left, "The plan is not scored: fix its errors (planpack validate) to see "
                   "its health.", 12.0, colour=MUTED, max_lines=4)
    chip_h = _grade_chip(slide, right, packet)
    rest = right.below(chip_h, GAP)
    room = rest.h - 2 * INSET_Y
    for size in (15.0, 14.0, 13.0, 12.0, 11.0, 10.0):
        lines = _deduction_lines(packet, rest.w - 2 * INSET_X, size)
        if sum(p.height for p in lines) <= room:
            break
    kept: list[Para] = []
    for line in lines:
        if sum(p.height for p in kept) + line.height > room:
            break
        kept.append(line)
    if kept:
        slide.text(rest.top(height_of(kept)), kept, name="Deductions")
    if tiles_h:
        _figures(slide, Area(area.x, area.bottom - tiles_h, area.w, tiles_h), packet)


def _deduction_lines(packet: Packet, width: float, size: float) -> list[Para]:
    """The top deductions and their fixes, at `size` (the fixes a point smaller)."""
    lines: list[Para] = []
    if packet.top_deductions:
        lines += paras("What costs the most points, and the fix", width, size + 1, bold=True,
                       max_lines=1)
        for points, message, fix in packet.top_deductions:
            lines += paras(f"−{points} points: {message}", width, size, max_lines=3,
                           space_before=size * 0.5)
            if fix:
                lines += paras(f"Fix: {fix}", width, size - 1, colour=MUTED, max_lines=2)
    elif packet.health is not None:
        lines += paras("No deductions: every component scores full marks.", width, size)
    return lines


def _grade_chip(slide: Slide, area: Area, packet: Packet) -> float:
    """The grade in its colour, with its score and words (never colour alone)."""
    health = packet.health
    runs: tuple[Run, ...]
    if health is None:
        runs = (Run(packet.grade_label, True, INK, size=18.0),)
        fill, line = WHITE, NONE_COLOUR
    else:
        runs = (Run(f"{health.score}", True, WHITE, size=28.0),
                Run("/100  ", False, WHITE, size=14.0),
                Run(packet.grade_label, True, WHITE, size=18.0))
        fill, line = GRADE_COLOURS.get(health.grade, NONE_COLOUR), None
    fitted = fit_line(runs, area.w - 16.0, 18.0)
    width = min(area.w, sum(width_of(r.text, r.size or 18.0, r.bold) for r in fitted) + 20.0)
    height = 28.0 * 1.2 + 10.0
    shape = slide.rect(Area(area.x, area.y, width, height), fill=fill, line=line,
                       rounded=True, name="Health grade")
    frame_setup(shape.text_frame, anchor="middle", inset_x=8.0, inset_y=3.0)
    write(shape.text_frame, [Para(fitted, 18.0, "center")])
    return height


def _figure_columns(area: Area, count: int) -> int:
    return max(1, min(count, int((area.w + GAP) // (120.0 + GAP))))


def _figures_height(area: Area, packet: Packet) -> float:
    if not packet.figures:
        return 0.0
    per_row = _figure_columns(area, len(packet.figures))
    rows = -(-len(packet.figures) // per_row)
    return rows * TILE_H + (rows - 1) * GAP


def _figures(slide: Slide, area: Area, packet: Packet) -> None:
    """The key figures as tiles: the value large, its label and detail under it."""
    per_row = _figure_columns(area, len(packet.figures))
    w = (area.w - GAP * (per_row - 1)) / per_row
    for index, figure in enumerate(packet.figures):
        row, column = divmod(index, per_row)
        box = Area(area.x + column * (w + GAP), area.y + row * (TILE_H + GAP), w, TILE_H)
        inner = w - 12.0
        lines = [Para((Run(truncate(figure.value, inner, 20.0, True), True),), 20.0),
                 *paras(figure.label, inner, 9.0, bold=True, max_lines=2)]
        if figure.detail:
            lines.append(Para((Run(truncate(figure.detail, inner, 8.0), False, MUTED),), 8.0))
        slide.text(box, lines, fill="F2F2F2", name=f"Figure: {figure.label}", inset_x=6.0)


# -- whitespace -------------------------------------------------------------------------


def _status_label(cell_label: str, mark: str) -> str:
    return f"{cell_label} [{mark}]" if mark else cell_label


def whitespace_slide(deck: Deck, packet: Packet) -> None:
    note = notes.notes(packet, "whitespace")
    ws = packet.whitespace
    page = Flow(deck, "title_only", "Whitespace", note)
    if ws is None:
        page.text("No whitespace matrix in this plan.", 14.0, colour=INK, bold=True)
        return
    area = deck.layouts["title_only"].content
    per_slide = max(1, int(area.w / MIN_UNIT_W - 2.5))
    for start in range(0, len(ws.units), per_slide):
        units = range(start, min(len(ws.units), start + per_slide))
        columns = (Column("Product \\ unit", 1.5), *(Column(ws.units[u], 1.0, "center")
                                                      for u in units),
                   Column("Potential", 1.0, "right"))
        rows = []
        for p, product in enumerate(ws.products):
            row = [cell(product, bold=True, max_lines=2)]
            for u in units:
                c = ws.rows[p][u]
                fill, ink = STATUS_STYLE.get(c.status, STATUS_STYLE["unknown"])
                pieces = [Piece(_status_label(c.label, c.note_mark), True, ink, max_lines=1)]
                if c.amount_text:
                    pieces.append(Piece(c.amount_text, False, ink, max_lines=1))
                if c.opportunity:
                    pieces.append(Piece(c.opportunity, False, ink, smaller=1.0, max_lines=1))
                row.append(Cell(tuple(pieces), fill, "center"))
            row.append(cell(ws.row_totals[p], align="right"))
            rows.append(tuple(row))
        footer = (cell("Potential", bold=True),
                  *(cell(ws.column_totals[u], bold=True, align="center") for u in units),
                  cell(ws.total, bold=True, align="right"))
        if start:
            page.gap()
        # Header and totals in dark grey: the theme's accent could be "owned"'s teal.
        page.table(Table(tuple(columns), tuple(rows), (footer,), name="Whitespace table",
                         size=14.0, floor=9.0, edge_fill="404040"))
    page.gap(4.0)
    _legend_block(page, [swatch(STATUS_STYLE[s][0], words, ink=STATUS_STYLE[s][1],
                                dash=s == "unknown") for s, words in STATUS_WORDS])
    page.text("Potential: the target and pipeline amounts, by product and by unit. Amounts "
              "are estimates or the linked opportunity's amount.", 9.0, max_lines=2)
    if ws.notes:  # the footnotes, one a line
        width = page.area.w - 2 * INSET_X
        page.lines([line for mark, text in ws.notes
                    for line in paras(f"[{mark}] {text}", width, 9.0, colour=MUTED,
                                      max_lines=2)], name="Footnotes")


def _legend_block(page: Flow, items: list[Item]) -> None:
    height, placed = flow([items], page.area.w)

    def draw(slide: Slide, area: Area) -> None:
        for legend_item, x, y in placed:
            legend_item.draw(slide, area.x + x, area.y + y)
    page.block(height, draw)


# -- roadmap ----------------------------------------------------------------------------


def _deal_row(deal: Deal, current: str) -> tuple[Cell, ...]:
    detail = " · ".join(x for x in (deal.product, deal.unit) if x)
    name = [Piece(deal.name, True, None, max_lines=3)]
    if deal.planned:
        name.append(Piece("◇ planned", True, MUTED, smaller=1.0, max_lines=1))
    if detail:
        name.append(Piece(detail, False, MUTED, smaller=1.0, max_lines=1))
    quarter = deal.quarter or "no close date"
    return (Cell(tuple(name)), cell(deal.stage or "–", max_lines=2),
            cell(deal.amount_text, align="right"), cell(deal.probability_text, align="right"),
            cell(deal.close_text),
            cell(f"{quarter} (now)" if deal.quarter and deal.quarter == current else quarter,
                 bold=bool(deal.quarter and deal.quarter == current)))


DEAL_COLUMNS = (Column("Opportunity", 3.0), Column("Stage", 1.3, fit="Negotiation"),
                Column("Amount", 1.0, "right", fit="$999.9K"),
                Column("Prob.", 0.8, "right", fit="100%"),
                Column("Close date", 1.2, fit="2026-12-31"),
                Column("Quarter", 1.2, fit="Q4 FY27"))


def roadmap_slide(deck: Deck, packet: Packet) -> None:
    roadmap = packet.roadmap
    page = Flow(deck, "title_only", "Opportunity roadmap", notes.notes(packet, "roadmap"))
    slide = page.slide
    left, right = slide.content.columns(37, 63)
    won_lines = _won_lines(packet, left.w - 2 * INSET_X)
    won_h = height_of(won_lines)
    chart_area = Area(left.x, left.y, left.w, left.h - won_h - GAP)
    heading_h = slide.note(chart_area, f"Pipeline by close quarter (now: {roadmap.current})",
                           11.0, colour=INK, bold=True, max_lines=1)
    charts.pipeline(slide, chart_area.below(heading_h, 2.0), roadmap, packet.currency,
                    packet.as_of)
    slide.text(Area(left.x, left.bottom - won_h, left.w, won_h), won_lines, name="Won")
    page.area = right
    deals = (*roadmap.deals, *roadmap.undated)
    if deals:
        page.table(Table(DEAL_COLUMNS, tuple(_deal_row(d, roadmap.current) for d in deals),
                         name="Deals table", size=11.0, floor=9.0),
                   heading="Open and planned opportunities")
    else:
        page.heading("Open and planned opportunities")
        page.text("No open or planned opportunity.", 11.0)


def _won_lines(packet: Packet, width: float) -> list[Para]:
    won = packet.roadmap.won
    lines = paras("Closed-won this fiscal year", width, 11.0, bold=True, max_lines=1)
    if not won:
        return lines + paras("None closed-won this fiscal year.", width, 10.0, colour=MUTED,
                             max_lines=1)
    shown = won[:4]
    for deal in shown:
        lines += paras(f"{deal.name} · {deal.amount_text} · {deal.close_text}", width, 10.0,
                       max_lines=1)
    if len(won) > len(shown):
        lines += paras(f"and {len(won) - len(shown)} more", width, 10.0, colour=MUTED,
                       max_lines=1)
    return lines


# -- actions ----------------------------------------------------------------------------

ACTION_COLUMNS = (Column("Action", 3.2), Column("Owner", 1.4),
                  Column("Due", 1.1, fit="2026-12-31"),
                  Column("Status", 1.6, fit="▲ 365 d overdue"), Column("Outcome", 3.0))


def status_pieces(action: ActionRow) -> tuple[tuple[Piece, ...], str | None]:
    """The status cell, in words and colour, and its fill."""
    if action.mark == "overdue":
        return ((Piece(f"▲ {action.overdue_days} d overdue", True, RED, max_lines=1),
                 Piece(action.status_label, False, MUTED, max_lines=1)), OVERDUE_FILL)
    if action.mark == "soon":
        return ((Piece("◆ due this week", True, AMBER, max_lines=1),
                 Piece(action.status_label, False, MUTED, max_lines=1)), None)
    if action.mark == "done":
        return (Piece("✓ done", False, GREY, max_lines=1),), None
    if action.mark == "dropped":
        return (Piece("✗ dropped", False, GREY, max_lines=1),), None
    return (Piece(action.status_label, False, None, max_lines=1),), None


def action_row(action: ActionRow) -> tuple[Cell, ...]:
    struck = action.mark == "dropped"
    grey = GREY if action.mark in ("done", "dropped") else None
    title = [Piece(action.title, True, grey, struck, max_lines=3)]
    if action.stakeholder:
        title.append(Piece(f"with {action.stakeholder}", False, MUTED, smaller=1.0,
                           max_lines=1))
    status, fill = status_pieces(action)
    overdue = RED if action.mark == "overdue" else grey
    return (Cell(tuple(title)), cell(action.owner, colour=grey, max_lines=2),
            cell(action.due_text, colour=overdue, bold=action.mark == "overdue"),
            Cell(status, fill), cell(action.outcome or "–", colour=grey or None,
                                     strike=struck, max_lines=3))


def action_table(actions: Sequence[ActionRow], name: str = "Actions table") -> Table:
    return Table(ACTION_COLUMNS, tuple(action_row(a) for a in actions), name=name,
                 size=11.0, floor=9.0)


LEGEND = "▲ overdue · ◆ due this week · ✓ done · ✗ dropped (struck through)"


def actions_slides(deck: Deck, packet: Packet) -> None:
    overdue = [a for a in packet.actions if a.overdue_days]
    lead = [f"{len(packet.actions)} actions, {len(overdue)} overdue"
            + (": " + "; ".join(f"{a.title} ({a.overdue_days} d)" for a in overdue)
               if overdue else "") + "."]
    page = Flow(deck, "title_only", "Actions", notes.notes(packet, "actions", lead=lead))
    if packet.actions:
        page.table(action_table(packet.actions), keep=height_of(paras(LEGEND, 1e6, 9.0)))
        page.text(LEGEND, 9.0, max_lines=1)
    else:
        page.text("No actions in this plan.", 12.0)
    page.gap()
    when = f" ({packet.last_review_date.day} {packet.last_review_date:%b %Y})" \
        if packet.last_review_date else ""
    heading = f"Commitments from the last review{when}"
    if not packet.commitments:
        page.heading(heading, keep=20.0)
        page.text("No commitments recorded at the last review.", 11.0)
        return
    rows = tuple(
        (cell(c.text, max_lines=3),
         cell(f"✓ {c.covered_by}", max_lines=3) if c.covered_by
         else cell("✗ not covered", bold=True, colour=RED))
        for c in packet.commitments)
    table = Table((Column("Commitment", 1.0), Column("Covered by", 1.0)), rows,
                  name="Commitments table", size=11.0, floor=9.0)
    if page.fits(table, heading):
        page.table(table, heading=heading)
    else:  # a slide of their own, rather than "Actions (cont.)"
        own = Flow(deck, "title_only", "Commitments from the last review",
                   notes.notes(packet, "actions", lead=lead))
        if packet.last_review_date:
            own.text(f"Made at the review of {when.strip(' ()')}.", 11.0)
        own.table(table)


# -- what changed -----------------------------------------------------------------------


BODY_SIZES = (18.0, 16.0, 14.0, 12.0)  # a list's items; its headings 3 pt larger


def body_pages(deck: Deck, title: str, note: str,
               build_lines: Callable[[Slide, float], list[Para]]) -> None:
    """Lines into the "content" layout's body: at the largest size at which they fit one
    slide, else at the smallest, continued on "(cont.)" slides."""
    slide = deck.slide("content", title, note)
    room = slide.body_area().h
    for size in BODY_SIZES:
        lines = build_lines(slide, size)
        if sum(p.height for p in lines) <= room:
            break
    while True:
        taken: list[Para] = []
        used = 0.0
        while lines and (used + lines[0].height <= room or not taken):
            used += lines[0].height
            taken.append(lines.pop(0))
        slide.body(taken)
        if not lines:
            return
        slide = deck.slide("content", f"{title} (cont.)", note)


def changes_slides(deck: Deck, packet: Packet) -> None:
    word = "review" if packet.kind == "qbr" else "check-in"
    title = f"What changed since the last {word}"
    lead = [f"{len(packet.changes)} change(s) recorded."]
    if packet.changes_note:
        lead.append(packet.changes_note[:1].upper() + packet.changes_note[1:] + ".")

    def lines(slide: Slide, size: float) -> list[Para]:
        area = slide.body_area()
        w0, w1 = area.w - slide.indent(0), area.w - slide.indent(1)
        out: list[Para | None] = []
        if not packet.changes:
            out.append(item("No changes recorded.", w0, size + 3, bold=True))
        section = None
        for change in packet.changes:
            if change.section != section:
                section = change.section
                out.append(item(TITLES.get(section, section.capitalize()), w0, size + 3,
                                bold=True, max_lines=1, space_before=size * 0.6 if out else 0))
            out.append(item(change_text(change), w1, size, max_lines=3, level=1, bullet=True,
                            space_before=size * 0.15))
        if packet.changes_note:
            out.append(item(packet.changes_note[:1].upper() + packet.changes_note[1:] + ".",
                            w0, size - 2, colour=MUTED, max_lines=3, space_before=size * 0.8))
        return [p for p in out if p]

    body_pages(deck, title, notes.notes(packet, "changes", lead=lead), lines)


# -- risks and RACI ---------------------------------------------------------------------


def risks_slide(deck: Deck, packet: Packet) -> None:
    page = Flow(deck, "title_only", "Risks", notes.notes(packet, "risks"))
    if not packet.risks:
        page.text("No risks recorded.", 14.0, colour=INK, bold=True)
        return
    rows = tuple(
        (cell(title, bold=True, max_lines=3),
         cell(f"▲ {severity}" if severity == "high" else severity,
              bold=severity == "high", colour=RED if severity == "high" else None),
         cell(mitigation or "–", max_lines=4), cell(owner, max_lines=2))
        for title, severity, mitigation, owner in packet.risks)
    page.table(Table((Column("Risk", 3.0), Column("Severity", 1.2, fit="▲ medium"),
                      Column("Mitigation", 4.0), Column("Owner", 1.5)), rows,
                     name="Risks table", size=14.0, floor=9.0))


def raci_slide(deck: Deck, packet: Packet) -> None:
    page = Flow(deck, "title_only", "Who owns what (RACI)", notes.notes(packet, "raci"))
    if not packet.raci or not packet.raci_sections:
        page.text("No team member owns a section yet (team.members[].owns).", 14.0,
                  colour=INK, bold=True)
        return
    area = deck.layouts["title_only"].content
    per_slide = max(1, int((area.w - 150.0) / MIN_MEMBER_W))
    members = list(packet.raci)
    for start in range(0, len(members), per_slide):
        chunk = members[start:start + per_slide]
        columns = (Column("Section", max(2.0, len(chunk) * 0.35)),
                   *(Column(name, 1.0, "center") for name, _ in chunk))
        rows = tuple(
            (cell(section.replace("_", " ").capitalize(), bold=True, max_lines=2),
             *(cell("●", bold=True, align="center") if section in owns
               else cell("·", colour=MUTED, align="center") for _, owns in chunk))
            for section in packet.raci_sections)
        if start:
            page.gap()
        page.table(Table(columns, rows, name="RACI table", size=14.0, floor=9.0))
    page.text("● owns the section (team.members[].owns); · does not.", 9.0, max_lines=1)


# -- next steps -------------------------------------------------------------------------


def next_steps(deck: Deck, packet: Packet) -> None:
    missing = packet.missing_roles
    lead = [f"{len(packet.upcoming)} forward action(s) coming up; "
            f"{len(missing)} committee role(s) missing."]

    def lines(slide: Slide, size: float) -> list[Para]:
        area = slide.body_area()
        w0, w1 = area.w - slide.indent(0), area.w - slide.indent(1)
        head, gap = size + 3, size * 0.15
        out: list[Para | None] = [item("Coming up", w0, head, bold=True, max_lines=1)]
        if packet.upcoming:
            out += [item(f"{a.due_text} · {a.title} · {a.owner}", w1, size, max_lines=2,
                         level=1, bullet=True, space_before=gap) for a in packet.upcoming]
        else:
            out.append(item("No forward action: add one with an owner and a due date.", w1,
                            size, level=1, bullet=True))
        out.append(item(f"Buying committee (tier {packet.tier})", w0, head, bold=True,
                        max_lines=1, space_before=size * 0.8))
        if missing:
            out += [item(f"{slot.label}: missing, no stakeholder holds the role", w1, size,
                         colour=RED, bold=True, level=1, bullet=True, space_before=gap)
                    for slot in missing]
        elif packet.committee:
            out.append(item(f"Every role tier {packet.tier} requires is filled.", w1, size,
                            level=1, bullet=True))
        else:
            out.append(item(f"Tier {packet.tier} requires no buying-committee roles.", w1,
                            size, level=1, bullet=True))
        return [p for p in out if p]

    body_pages(deck, "Next steps", notes.notes(packet, "next", lead=lead), lines)


# -- the check-in -----------------------------------------------------------------------


def _slipped_row(packet: Packet, action: ActionRow) -> tuple[Cell, ...]:
    pieces: list[Piece] = []
    if action.overdue_days:
        pieces.append(Piece(f"▲ {action.overdue_days} d overdue", True, RED, max_lines=1))
    for change in packet.changes:
        if change.section == "actions" and change.kind == "moved" and \
                action.title in change.subject:
            pieces.append(Piece(f"moved {change.note or 'later'}", True, AMBER, max_lines=1))
    row = list(action_row(action))
    row[3] = Cell(tuple(pieces) or (Piece(action.status_label),),
                  OVERDUE_FILL if action.overdue_days else None)
    return tuple(row)


def checkin_actions(deck: Deck, packet: Packet) -> None:
    lead = [f"{len(packet.done)} done since the last review, {len(packet.slipped)} slipped."]
    page = Flow(deck, "title_only", "Done and slipped",
                notes.notes(packet, "actions", lead=lead))
    if packet.done:
        page.table(action_table(packet.done, "Done table"),
                   heading="Done since the last review")
    else:
        page.heading("Done since the last review", keep=20.0)
        page.text("Nothing done since the last review.", 11.0)
    page.gap()
    if packet.slipped:
        columns = (*ACTION_COLUMNS[:3], Column("Slipped by", 1.6), ACTION_COLUMNS[4])
        page.table(Table(columns, tuple(_slipped_row(packet, a) for a in packet.slipped),
                         name="Slipped table", size=11.0, floor=9.0), heading="Slipped")
    else:
        page.heading("Slipped", keep=20.0)
        page.text("Nothing slipped: no action is overdue or was moved later.", 11.0)


def next_actions(deck: Deck, packet: Packet) -> None:
    page = Flow(deck, "title_only", "Next", notes.notes(packet, "next", "actions"))
    if packet.upcoming:
        page.table(action_table(packet.upcoming, "Next table"),
                   heading="The next forward actions")
    else:
        page.text("No forward action: add one with an owner and a due date.", 12.0)
    if packet.missing_roles:
        page.gap()
        page.text("Buying committee: " + ", ".join(s.label for s in packet.missing_roles)
                  + " missing.", 11.0, colour=RED, bold=True, max_lines=2)


__all__ = ["build"]
