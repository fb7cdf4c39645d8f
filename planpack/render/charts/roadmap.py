"""The roadmap: open and planned opportunities on a timeline of close quarters.

One column per quarter of `packet.roadmap.quarters`, the current one shaded and marked
"now"; a last column "no close date" for deals without one. Each deal is a box in its
quarter: name, amount, stage and probability, close date, and a bar whose length is the
amount (against the biggest deal shown). Open deals are filled boxes with a solid bar;
planned ones (not yet in Salesforce) are hollow, dashed, and say "planned": never colour
alone. Deals of one quarter stack downwards without overlapping. More than five columns
wrap into several strips; a strip taller than a page continues in the next <svg>.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from planpack.render import format as fmt
from planpack.render.charts import _svg
from planpack.render.charts._svg import INK, MUTED, rect, text
from planpack.render.packet import Deal, Packet

WIDTH = 500.0
PAD = 3.0
MAX_H = 680.0
MAX_COLUMNS = 5
HEADER_H = 30.0
BOX_GAP = 6.0
OPEN_FILL, DEAL_INK, CURRENT_FILL = "#e8f0fb", "#3b7dd8", "#ececec"
NAME_SIZE, SMALL = 7.5, 7.0
UNDATED = "no close date"


@dataclass(frozen=True)
class Box:
    deal: Deal
    name: tuple[str, ...]
    detail: tuple[str, ...]
    close: str
    height: float


def _detail(deal: Deal) -> str:
    parts = [deal.amount_text if deal.amount is not None else "no amount"]
    stage = _svg.clean(deal.stage)
    if deal.planned and "planned" not in stage.lower():
        parts.append("planned")
    if stage:
        parts.append(stage)
    if deal.probability is not None:
        parts.append(deal.probability_text)
    return " · ".join(parts)


def _box(deal: Deal, width: float) -> Box:
    inner = width - 8
    name = tuple(_svg.wrap(deal.name, inner, NAME_SIZE, bold=True, max_lines=3) or ["–"])
    detail = tuple(_svg.wrap(_detail(deal), inner, SMALL, max_lines=2))
    close = _svg.truncate(f"closes {deal.close_text}" if deal.close_date else UNDATED,
                          inner, SMALL)
    height = 4 + 9 * len(name) + 8.5 * len(detail) + 8.5 + 4 + 5 + 4
    return Box(deal, name, detail, close, height)


def _draw_box(box: Box, x: float, y: float, width: float, biggest: float) -> str:
    deal = box.deal
    kind = "planned" if deal.planned else "open"
    out = [f'<g class="deal-box deal-{kind}">',
           rect(x, y, width, box.height, fill="#ffffff" if deal.planned else OPEN_FILL,
                stroke=DEAL_INK, width=1, dash="3 2" if deal.planned else "", rx=2,
                cls=f"deal deal-{kind}")]
    baseline = y + 11
    for line in box.name:
        out.append(text(x + 4, baseline, line, NAME_SIZE, bold=True, cls="deal-name"))
        baseline += 9
    baseline -= 0.5
    for line in box.detail:
        out.append(text(x + 4, baseline, line, SMALL, cls="deal-detail"))
        baseline += 8.5
    out.append(text(x + 4, baseline, box.close, SMALL, fill=MUTED, cls="deal-close"))
    bar_y = y + box.height - 9
    if deal.amount is not None and deal.amount > 0 and biggest > 0:
        length = max(2.0, (width - 8) * deal.amount / biggest)
        if deal.planned:
            out.append(rect(x + 4.5, bar_y + 0.5, length - 1, 4, fill="#ffffff",
                            stroke=DEAL_INK, width=0.8, dash="2 1.5", cls="amount-bar"))
        else:
            out.append(rect(x + 4, bar_y, length, 5, fill=DEAL_INK, cls="amount-bar"))
    out.append("</g>")
    return "".join(out)


def _legend(width: float, won: str) -> tuple[float, list[str]]:
    out = []
    x = 0.0
    entries = (("open", "open opportunity (in Salesforce)"),
               ("planned", "planned (not yet in Salesforce)"),
               ("now", "current quarter"), ("bar", "bar length: amount"))
    y = 0.0
    for kind, words in entries:
        w = 20 + _svg.text_width(words, SMALL)
        if x > 0 and x + w > width:
            x, y = 0.0, y + 12
        if kind == "open":
            out.append(rect(x, y + 1, 14, 8, fill=OPEN_FILL, stroke=DEAL_INK, width=1))
        elif kind == "planned":
            out.append(rect(x, y + 1, 14, 8, fill="#ffffff", stroke=DEAL_INK, width=1,
                            dash="3 2"))
        elif kind == "now":
            out.append(rect(x, y + 1, 14, 8, fill=CURRENT_FILL, stroke=MUTED, width=0.5))
        else:
            out.append(rect(x, y + 3, 14, 4, fill=DEAL_INK))
        out.append(text(x + 18, y + 8, words, SMALL))
        x += w + 10
    y += 12
    if won:
        for line in _svg.wrap(won, width, SMALL, max_lines=2):
            out.append(text(0, y + 8, line, SMALL, cls="won-caption"))
            y += 10
    return y, [f'<g class="legend">{"".join(out)}</g>']


def roadmap(packet: Packet) -> Markup:
    """The roadmap as one <svg> (several, split by a map break, when it is very long)."""
    plan = packet.roadmap
    columns = list(plan.quarters)
    for deal in plan.deals:  # defensive: a deal outside the timeline still gets a column
        if deal.quarter and deal.quarter not in columns:
            columns.append(deal.quarter)
    by_column: dict[str, list[Deal]] = {c: [] for c in columns}
    undated = list(plan.undated)
    for deal in plan.deals:
        if deal.quarter:
            by_column[deal.quarter].append(deal)
        else:
            undated.append(deal)
    if undated:
        columns.append(UNDATED)
        by_column[UNDATED] = undated
    shown = [d for c in columns for d in by_column[c]]
    biggest = max((d.amount or 0.0 for d in shown), default=0.0)
    won = ""
    if plan.won:
        total = fmt.money_compact(sum(d.amount or 0.0 for d in plan.won), packet.currency)
        count = len(plan.won)
        won = f"Won this fiscal year: {count} deal{'s' if count != 1 else ''}, {total}."
    legend_h, legend = _legend(WIDTH - 2 * PAD, won)

    strips = [columns[i:i + MAX_COLUMNS] for i in range(0, len(columns), MAX_COLUMNS)]
    col_w = (WIDTH - 2 * PAD) / min(MAX_COLUMNS, max(4, len(columns)))
    # Each strip: its deals' boxes by column, cut into pages no taller than a part.
    room = MAX_H - 2 * PAD - legend_h - 10
    pieces: list[tuple[list[str], list[list[Box]], bool]] = []
    for strip in strips:
        stacks = [[_box(d, col_w - 8) for d in by_column[c]] for c in strip]
        first = True
        while first or any(stacks):
            page: list[list[Box]] = []
            for number, stack in enumerate(stacks):
                used, take = HEADER_H, 0
                while take < len(stack) and (take == 0 or used + stack[take].height <= room):
                    used += stack[take].height + BOX_GAP
                    take += 1
                page.append(stack[:take])
                stacks[number] = stack[take:]
            pieces.append((strip, page, not first))
            first = False
    # Pieces are packed into <svg>s, one page each.
    svgs: list[list[str]] = [[]]
    heights = [0.0]
    for strip, page, continued in pieces:
        height = HEADER_H + max((sum(b.height + BOX_GAP for b in col) for col in page),
                                default=0.0)
        height = max(height, HEADER_H + 40)
        if svgs[-1] and heights[-1] + 12 + height > room:
            svgs.append([])
            heights.append(0.0)
        top = PAD + heights[-1] + (12 if svgs[-1] else 0)
        svgs[-1].append(_strip(packet, strip, page, continued, top, col_w, height, biggest,
                               empty=not shown))
        heights[-1] = top - PAD + height
    out = []
    for number, body in enumerate(svgs, start=1):
        y = PAD + heights[number - 1] + 10
        body.append(f'<g transform="translate({_svg.num(PAD)},{_svg.num(y)})">'
                    + "".join(legend) + "</g>")
        label = (f"Roadmap: {len(shown)} open or planned opportunities by close quarter, "
                 f"current quarter {plan.current}")
        out.append(_svg.document(WIDTH, y + legend_h + PAD, body, cls="chart-roadmap",
                                 label=label,
                                 extra=f' data-part="{number}" data-parts="{len(svgs)}"'))
    return _svg.markup(*out)


def _strip(packet: Packet, strip: list[str], page: list[list[Box]], continued: bool,
           top: float, col_w: float, height: float, biggest: float, *, empty: bool) -> str:
    out = []
    current = packet.roadmap.current
    for number, column in enumerate(strip):
        x = PAD + number * col_w
        if column == current:
            out.append(rect(x, top, col_w, height, fill=CURRENT_FILL, cls="current-quarter"))
        if number:
            out.append(_svg.line([(x, top), (x, top + height)], stroke="#c8c8c8", width=0.5,
                                 dash="2 2" if column == UNDATED else ""))
        label = column + (" (cont.)" if continued else "")
        out.append(text(x + col_w / 2, top + 11, _svg.truncate(label, col_w - 6, 8, True), 8,
                        bold=True, anchor="middle", cls="quarter"))
        if column == current:
            pill = _svg.text_width("now", SMALL, True) + 8
            out.append(rect(x + (col_w - pill) / 2, top + 15, pill, 10, fill=INK, rx=5,
                            cls="now-mark"))
            out.append(text(x + col_w / 2, top + 22.6, "now", SMALL, bold=True,
                            anchor="middle", fill="#ffffff", cls="now"))
        y = top + HEADER_H
        if not page[number] and not empty and not continued:
            out.append(text(x + col_w / 2, y + 10, "no deals", SMALL, anchor="middle",
                            fill=MUTED))
        for box in page[number]:
            out.append(_draw_box(box, x + 4, y, col_w - 8, biggest))
            y += box.height + BOX_GAP
    out.append(_svg.line([(PAD, top + HEADER_H - 3), (PAD + len(strip) * col_w,
                                                       top + HEADER_H - 3)],
                         stroke=_svg.RULE, width=0.8, cls="axis"))
    if empty:
        out.append(text(PAD + len(strip) * col_w / 2, top + HEADER_H + 22,
                        "No open or planned opportunities", 8, anchor="middle", fill=MUTED))
    return "".join(out)
