"""Native PowerPoint charts: the presenter can click them and edit their data in Excel.

python-pptx embeds each chart's data as a small workbook written by XlsxWriter, which
dates the workbook "now"; FixedChartData dates it on the packet's day instead, so the
same packet gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import IO, Any

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Emu, Pt, lazyproperty

from planpack.health.model import Health
from planpack.render import format as fmt
from planpack.render.deck.frame import INK, Area, Slide, rgb
from planpack.render.packet import Roadmap

SCORE_FILL = "1F6F78"
OPEN_FILL = "3B7DD8"  # the whitespace's "pipeline" blue
CHART_TEXT = 10.0


class _DatedWriter(CategoryWorkbookWriter):
    """The chart's workbook, created on a fixed day."""

    day: date = date(2000, 1, 1)

    @contextmanager
    def _open_worksheet(self, xlsx_file: IO[bytes]) -> Iterator[tuple[Any, Any]]:
        from xlsxwriter import Workbook  # type: ignore[import-untyped]

        workbook = Workbook(xlsx_file, {"in_memory": True})
        workbook.set_properties({"created": datetime.combine(self.day, time(0, 0))})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class FixedChartData(CategoryChartData):
    def __init__(self, day: date, number_format: str = "General") -> None:
        super().__init__(number_format)  # type: ignore[no-untyped-call]
        self.day = day

    @lazyproperty
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        writer = _DatedWriter(self)  # type: ignore[no-untyped-call]
        writer.day = self.day
        return writer


def _series(data: FixedChartData, name: str, values: list[float]) -> None:
    data.add_series(name, values)  # type: ignore[no-untyped-call]


def _money_format(currency: str) -> str:
    """Thousands with the currency's symbol, as Excel writes it: "$"#,##0,"K"; nothing for
    zero, so an empty segment of a stacked bar carries no label."""
    symbol = fmt.SYMBOLS.get(currency, f"{currency} ").replace('"', "")
    return f'"{symbol}"#,##0,"K";-"{symbol}"#,##0,"K";""'


def _add(slide: Slide, area: Area, chart_type: Any, data: FixedChartData, name: str) -> Any:
    """A chart in `area` in the deck's style: named for the selection pane, the deck's
    text, no title, light grey gridlines on the value axis. Returns its graphic frame."""
    frame = slide.shapes.add_chart(chart_type, *slide.box(area), data)
    frame.name = name
    chart = frame.chart
    chart.font.size = Pt(CHART_TEXT)
    chart.font.color.rgb = rgb(INK)
    chart.has_title = False
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = rgb("D9D9D9")
    return frame


def components(slide: Slide, area: Area, health: Health, day: date) -> Any:
    """The four component scores as horizontal bars, 0-100, each labelled with its score."""
    data = FixedChartData(day, "0")
    data.categories = [f"{c.name.capitalize()} ({c.weight:g}%)" for c in health.components]
    _series(data, "Score", [c.score for c in health.components])
    frame = _add(slide, area, XL_CHART_TYPE.BAR_CLUSTERED, data, "Chart: health components")
    chart = frame.chart
    chart.has_legend = False
    value = chart.value_axis
    value.minimum_scale, value.maximum_scale, value.major_unit = 0, 100, 25
    value.tick_labels.font.size = Pt(CHART_TEXT)
    category = chart.category_axis
    category.reverse_order = True  # the first component on top, as the packet lists them
    category.tick_labels.font.size = Pt(CHART_TEXT)
    plot = chart.plots[0]
    plot.gap_width = 60
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = rgb(SCORE_FILL)
    labels = series.data_labels  # each score written on its bar
    labels.show_value = True
    labels.number_format, labels.number_format_is_linked = "0", False
    labels.position = XL_LABEL_POSITION.INSIDE_END
    labels.font.size = Pt(CHART_TEXT)
    labels.font.bold = True
    labels.font.color.rgb = rgb("FFFFFF")
    for index, component in enumerate(health.components):
        if component.score < 15:  # too short a bar to hold its label: beside it, dark
            label = series.points[index].data_label
            label.show_value = True
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            label.font.size = Pt(CHART_TEXT)
            label.font.bold = True
            label.font.color.rgb = rgb(INK)
    return frame


def roadmap_categories(roadmap: Roadmap) -> list[str]:
    return [f"{q} (now)" if q == roadmap.current else q for q in roadmap.quarters]


def pipeline(slide: Slide, area: Area, roadmap: Roadmap, currency: str, day: date) -> Any:
    """Open and planned amounts closing in each quarter, stacked; planned drawn hollow."""
    number_format = _money_format(currency)
    data = FixedChartData(day, number_format)
    data.categories = roadmap_categories(roadmap)
    _series(data, "Open (in Salesforce)", [t.open for t in roadmap.totals])
    _series(data, "Planned (not yet in Salesforce)", [t.planned for t in roadmap.totals])
    frame = _add(slide, area, XL_CHART_TYPE.COLUMN_STACKED, data, "Chart: pipeline by quarter")
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(CHART_TEXT)
    value = chart.value_axis
    value.minimum_scale = 0
    value.tick_labels.number_format = number_format
    value.tick_labels.number_format_is_linked = False
    value.tick_labels.font.size = Pt(CHART_TEXT)
    chart.category_axis.tick_labels.font.size = Pt(CHART_TEXT)
    plot = chart.plots[0]
    plot.gap_width = 70
    plot.overlap = 100
    open_, planned = plot.series
    open_.format.fill.solid()
    open_.format.fill.fore_color.rgb = rgb(OPEN_FILL)
    planned.format.fill.solid()
    planned.format.fill.fore_color.rgb = rgb("FFFFFF")
    line = planned.format.line
    line.color.rgb = rgb(OPEN_FILL)
    line.width = Emu(Pt(1.5))
    line.dash_style = MSO_LINE_DASH_STYLE.DASH
    for series, ink, bold in ((open_, "FFFFFF", True), (planned, INK, False)):
        labels = series.data_labels
        labels.show_value = True
        labels.number_format, labels.number_format_is_linked = number_format, False
        labels.position = XL_LABEL_POSITION.CENTER
        labels.font.size = Pt(CHART_TEXT)
        labels.font.bold = bold
        labels.font.color.rgb = rgb(ink)
    return frame
