"""The health gauge: the 0-100 score on a half dial, in the grade's colour, with its words.

Never colour alone: the score is written in the middle, the grade's label under the dial,
and each grade has its own mark (a tick in a circle, "!" in a triangle, a cross in a
diamond), so the gauge reads the same in greyscale.
"""

from __future__ import annotations

import math

from markupsafe import Markup

from planpack.health.model import GRADE_LABELS, Health
from planpack.render.charts import _svg

GRADE_COLOURS = {"green": "#1a7f4b", "amber": "#b26b00", "red": "#b3261e"}
NONE_COLOUR = "#8c8c8c"
TRACK = "#e3e3e3"

# 146 x 96 pt (51.5 x 33.9 mm): printed at this size, its smallest text is 7 pt.
WIDTH, HEIGHT = 146.0, 96.0
CX, CY, RADIUS, BAND = 73.0, 68.0, 52.0, 13.0


def _point(fraction: float, radius: float = RADIUS) -> tuple[float, float]:
    """The point on the dial at `fraction` of the way from 0 (left) to 100 (right)."""
    angle = math.pi * (1 - fraction)
    return CX + radius * math.cos(angle), CY - radius * math.sin(angle)


def _arc(start: float, end: float, colour: str, cls: str) -> str:
    x0, y0 = _point(start)
    x1, y1 = _point(end)
    n = _svg.num
    return (f'<path d="M{n(x0)},{n(y0)} A{n(RADIUS)},{n(RADIUS)} 0 0 1 {n(x1)},{n(y1)}" '
            f'fill="none" stroke="{colour}" stroke-width="{n(BAND)}" class="{cls}"/>')


def grade_mark(grade: str | None, x: float, y: float, size: float = 10.0) -> str:
    """The grade's shape, centred on (x, y): it carries the grade without its colour."""
    n = _svg.num
    r = size / 2
    colour = GRADE_COLOURS.get(grade or "", NONE_COLOUR)
    if grade == "green":  # a tick in a circle
        return (f'<circle cx="{n(x)}" cy="{n(y)}" r="{n(r)}" fill="{colour}"/>'
                f'<path d="M{n(x - r * .5)},{n(y)} L{n(x - r * .1)},{n(y + r * .4)} '
                f'L{n(x + r * .5)},{n(y - r * .4)}" fill="none" stroke="#ffffff" '
                f'stroke-width="{n(size / 7)}"/>')
    if grade == "amber":  # "!" in a triangle
        return (f'<path d="M{n(x)},{n(y - r)} L{n(x + r * 1.1)},{n(y + r * .9)} '
                f'L{n(x - r * 1.1)},{n(y + r * .9)} Z" fill="{colour}"/>'
                f'<path d="M{n(x)},{n(y - r * .35)} L{n(x)},{n(y + r * .3)}" stroke="#ffffff" '
                f'stroke-width="{n(size / 7)}"/>'
                f'<circle cx="{n(x)}" cy="{n(y + r * .6)}" r="{n(size / 14)}" fill="#ffffff"/>')
    if grade == "red":  # a cross in a diamond
        return (f'<path d="M{n(x)},{n(y - r * 1.1)} L{n(x + r * 1.1)},{n(y)} '
                f'L{n(x)},{n(y + r * 1.1)} L{n(x - r * 1.1)},{n(y)} Z" fill="{colour}"/>'
                f'<path d="M{n(x - r * .4)},{n(y - r * .4)} L{n(x + r * .4)},{n(y + r * .4)} '
                f'M{n(x + r * .4)},{n(y - r * .4)} L{n(x - r * .4)},{n(y + r * .4)}" '
                f'stroke="#ffffff" stroke-width="{n(size / 7)}"/>')
    return (f'<circle cx="{n(x)}" cy="{n(y)}" r="{n(r)}" fill="none" stroke="{colour}" '
            f'stroke-width="1" stroke-dasharray="2 1.5"/>')


def gauge(health: Health | None) -> Markup:
    """The health score as a half dial; a grey "Not scored" dial when there is none."""
    scored = health is not None and health.grade in GRADE_COLOURS
    score = max(0, min(100, int(health.score))) if health is not None else 0
    grade = health.grade if health is not None and scored else None
    label = GRADE_LABELS[grade] if grade else "Not scored"
    colour = GRADE_COLOURS.get(grade or "", NONE_COLOUR)
    body = [_arc(0, 1, TRACK, "gauge-track")]
    if scored and score > 0:
        body.append(_arc(0, score / 100, colour, f"gauge-value gauge-{grade}"))
    for fraction, words in ((0, "0"), (1, "100")):
        x, _ = _point(fraction)
        body.append(_svg.text(x, CY + 10, words, 7, anchor="middle", fill=_svg.MUTED))
    if scored:
        body.append(_svg.text(CX, CY - 5, str(score), 24, bold=True, anchor="middle",
                              cls="gauge-score"))
        body.append(_svg.text(CX, CY + 7, "of 100", 7, anchor="middle", fill=_svg.MUTED))
    else:
        body.append(_svg.text(CX, CY - 7, "–", 20, bold=True, anchor="middle", fill=_svg.MUTED,
                              cls="gauge-score"))
    label_size = 9.0
    label_width = _svg.text_width(label, label_size, bold=True)
    mark_x = CX - (label_width + 13) / 2 + 4.5
    body.append(grade_mark(grade, mark_x, HEIGHT - 9.5, 9.0))
    body.append(_svg.text(mark_x + 8.5, HEIGHT - 6.3, label, label_size, bold=True,
                          cls="gauge-label"))
    words = f"Health {score} of 100, {label}" if scored else "Health not scored"
    return _svg.markup(_svg.document(WIDTH, HEIGHT, body, cls="chart-gauge", label=words))


ROW, NAME_W, BAR_W = 17.0, 78.0, 96.0


def components(health: Health | None) -> Markup:
    """The score's four components as bars: name, score of 100, and weight in the total."""
    parts = list(health.components) if health is not None else []
    width = NAME_W + BAR_W + 74
    height = 14 + ROW * max(1, len(parts)) + 4
    body = [_svg.text(0, 9, "Component", 7, fill=_svg.MUTED),
            _svg.text(NAME_W + BAR_W + 6, 9, "score", 7, fill=_svg.MUTED),
            _svg.text(width, 9, "weight", 7, anchor="end", fill=_svg.MUTED)]
    if not parts:
        body.append(_svg.text(0, 14 + ROW - 5, "Not scored", 8, fill=_svg.MUTED))
    for index, part in enumerate(parts):
        top = 14 + index * ROW
        value = max(0.0, min(100.0, float(part.score)))
        name = part.name.replace("_", " ").capitalize()
        body.append(_svg.text(0, top + 10, _svg.truncate(name, NAME_W - 4, 8), 8))
        body.append(_svg.rect(NAME_W, top + 3, BAR_W, 8, fill=TRACK))
        if value > 0:
            body.append(_svg.rect(NAME_W, top + 3, BAR_W * value / 100, 8, fill="#3f5f7f",
                                  cls="component-bar"))
        body.append(_svg.text(NAME_W + BAR_W + 6, top + 10, f"{value:.0f}", 8, bold=True))
        body.append(_svg.text(width, top + 10, f"{part.weight:g}", 8, anchor="end"))
    words = "Health components: " + ", ".join(
        f"{p.name} {p.score:.0f} (weight {p.weight:g})" for p in parts) if parts else \
        "Health components: not scored"
    return _svg.markup(_svg.document(width, height, body, cls="chart-components", label=words))
