"""What every chart shares: escaping, number formatting, text measuring and wrapping.

Coordinates are points: every chart's viewBox is as wide as its printed width in pt,
so a font-size of 7 in the picture is 7 pt on paper (as long as the template does not
scale the picture down). Numbers are rounded to 0.1 and written without trailing
zeros, so the same packet always gives the same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from markupsafe import Markup

from planpack.render.charts import _metrics

FONT = "Packet Sans, DejaVu Sans, sans-serif"
INK = "#1a1a1a"  # text and lines
MUTED = "#595959"  # secondary text: 7:1 on white
RULE = "#8c8c8c"
MIN_FONT = 7.0  # pt at the printed size: nothing smaller, ever
ELLIPSIS = "…"
MAP_BREAK = '<div class="map-break"></div>'

# XML 1.0 forbids most control characters; plan text is read from YAML, which should
# never produce them, but a picture must stay well-formed whatever the text is.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


def num(value: float) -> str:
    """A coordinate: rounded to 0.1, no trailing zero, never "-0"."""
    text = f"{round(value + 0.0, 1):.1f}".removesuffix(".0")
    return "0" if text in ("-0", "-0.0") else text


def clean(text: str) -> str:
    """Plan text as one line: whitespace collapsed, characters XML cannot carry dropped."""
    return _SPACES.sub(" ", _INVALID_XML.sub("", text)).strip()


def esc(text: str) -> str:
    """Text or an attribute value, XML-escaped (quotes too)."""
    return (clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _table() -> dict[bool, dict[int, int]]:
    out: dict[bool, dict[int, int]] = {}
    for bold, values in ((False, _metrics.REGULAR), (True, _metrics.BOLD)):
        widths: dict[int, int] = {}
        index = 0
        for low, high in _metrics.RANGES:
            for code in range(low, high + 1):
                if values[index] >= 0:
                    widths[code] = values[index]
                index += 1
        out[bold] = widths
    return out


_WIDTHS = _table()


@lru_cache(maxsize=4096)
def _char_width(char: str, bold: bool) -> int:
    """Thousandths of an em; generous for what the bundled font lacks (a fallback font)."""
    known = _WIDTHS[bold].get(ord(char))
    if known is not None:
        return known
    if unicodedata.combining(char):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1000
    return 760 if bold else 700


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The drawn width of one line of text at `size` pt, with 3% to spare."""
    return sum(_char_width(c, bold) for c in text) * size / 1000 * 1.03


def _fit(text: str, width: float, size: float, bold: bool, ellipsis: str = "") -> str:
    """The longest prefix of `text` (plus `ellipsis`) no wider than `width`."""
    limit = width - text_width(ellipsis, size, bold)
    used = 0.0
    scale = size / 1000 * 1.03
    for index, char in enumerate(text):
        used += _char_width(char, bold) * scale
        if used > limit:
            return text[:index].rstrip() + ellipsis
    return text + ellipsis if ellipsis else text


def truncate(text: str, width: float, size: float, bold: bool = False) -> str:
    """One line: the text, or as much as fits followed by an ellipsis."""
    text = clean(text)
    if text_width(text, size, bold) <= width:
        return text
    return _fit(text, width, size, bold, ELLIPSIS)


_PIECES = re.compile(r"[^ -]*-+|[^ -]+")


def wrap(text: str, width: float, size: float, bold: bool = False,
         max_lines: int = 2) -> list[str]:
    """Greedy word wrap into at most `max_lines` lines no wider than `width`.

    Lines break at spaces and after hyphens; a word longer than a line is broken inside.
    Text beyond the last line is cut and the last line ends with an ellipsis. An empty
    text gives no lines.
    """
    lines: list[str] = []
    current = ""
    for word in clean(text).split(" "):
        for number, piece in enumerate(_PIECES.findall(word)):
            if len(lines) > max_lines:
                break
            joiner = "" if number or not current else " "
            candidate = current + joiner + piece
            if text_width(candidate, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while text_width(piece, size, bold) > width and len(lines) <= max_lines:
                head = _fit(piece, width, size, bold) or piece[0]  # wider than a line
                lines.append(head)
                piece = piece[len(head):]
            current = piece
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit(lines[-1], width, size, bold, ELLIPSIS)
    return lines


def text(x: float, y: float, content: str, size: float, *, bold: bool = False,
         anchor: str = "start", fill: str = INK, cls: str = "") -> str:
    """One line of text, its baseline at y. `content` is plan text or a label: escaped here."""
    assert size >= MIN_FONT
    attrs = [f'x="{num(x)}"', f'y="{num(y)}"', f'font-size="{num(size)}"']
    if bold:
        attrs.append('font-weight="bold"')
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if fill != INK:
        attrs.append(f'fill="{fill}"')
    if cls:
        attrs.append(f'class="{cls}"')
    return f"<text {' '.join(attrs)}>{esc(content)}</text>"


def rect(x: float, y: float, w: float, h: float, *, fill: str = "none", stroke: str = "none",
         width: float = 0, dash: str = "", rx: float = 0, cls: str = "") -> str:
    attrs = [f'x="{num(x)}"', f'y="{num(y)}"', f'width="{num(w)}"', f'height="{num(h)}"']
    if rx:
        attrs.append(f'rx="{num(rx)}"')
    attrs.append(f'fill="{fill}"')
    if stroke != "none":
        attrs.append(f'stroke="{stroke}" stroke-width="{num(width)}"')
    if dash:
        attrs.append(f'stroke-dasharray="{dash}"')
    if cls:
        attrs.append(f'class="{cls}"')
    return f"<rect {' '.join(attrs)}/>"


def line(points: Iterable[tuple[float, float]], *, stroke: str = INK, width: float = 0.8,
         dash: str = "", cls: str = "") -> str:
    """A polyline as a path."""
    d = " ".join(f"{'M' if i == 0 else 'L'}{num(x)},{num(y)}"
                 for i, (x, y) in enumerate(points))
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    extra += f' class="{cls}"' if cls else ""
    return f'<path d="{d}" fill="none" stroke="{stroke}" stroke-width="{num(width)}"{extra}/>'


def document(width: float, height: float, body: Iterable[str], *, cls: str, label: str,
             defs: str = "", extra: str = "") -> str:
    """A complete <svg>: printed at `width` x `height` pt, one user unit per point."""
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {cls}" '
            f'width="{num(width)}pt" height="{num(height)}pt" '
            f'viewBox="0 0 {num(width)} {num(height)}" font-family="{FONT}" '
            f'role="img" aria-label="{esc(label)}"{extra}>')
    return head + (f"<defs>{defs}</defs>" if defs else "") + "".join(body) + "</svg>"


def markup(*svgs: str) -> Markup:
    """One or more complete <svg> elements; several are separated by a map break."""
    return Markup(MAP_BREAK.join(svgs))  # every piece was built, and its text escaped, here


__all__ = ["FONT", "INK", "MIN_FONT", "MUTED", "RULE", "clean", "document", "esc", "line",
           "markup", "num", "rect", "text", "text_width", "truncate", "wrap"]
