"""The PowerPoint deck, opened again with python-pptx and checked for what a presenter gets.

Real sample plans are rendered through render_plan (as `planpack render --format pptx`
does), plus plans written here to stress the layout: 45 people on four levels, 60
actions, a 2,000-character word, HTML and Jinja in names. Every shape must lie inside the
slide, tables and charts must carry the packet's numbers, every slide has speaker notes,
and the same plan gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest
from conftest import AS_OF, ROOT
from pptx import Presentation

from planpack.history.compare import Change
from planpack.loader.program import load_program
from planpack.models.program import DeckLayouts
from planpack.render import Rendered, render_plan
from planpack.render.deck import build_deck
from planpack.render.deck import slides as deck_slides
from planpack.render.packet import Packet, Person
from planpack.report.diff import change_text

ALPINE = "plans/alpine-cold-chain.yaml"
CASCADIA = "plans/cascadia-grocers.yaml"
SAMPLES = sorted(f"plans/{p.name}" for p in (ROOT / "plans").glob("*.yaml"))
TEMPLATE = ROOT / "templates" / "deck.pptx"
WORD = "W" * 2000


# -- rendering and reading back ---------------------------------------------------------


def render(monkeypatch: pytest.MonkeyPatch, out: Path, plan: str | Path, kind: str = "qbr"
           ) -> Rendered:
    monkeypatch.chdir(ROOT)
    return render_plan(Path(plan), load_program(Path("planpack.yaml")), AS_OF, kind=kind,
                       out=out, formats=("pptx",))


def deck(rendered: Rendered) -> Any:
    assert rendered.path.suffix == ".pptx"
    return Presentation(str(rendered.path))


def squash(text: str) -> str:
    return " ".join(text.split())


def titles(presentation: Any) -> list[str]:
    return [squash(slide.shapes.title.text_frame.text) for slide in presentation.slides]


def shapes(container: Any) -> Iterator[Any]:
    """Every shape, those inside groups too."""
    for shape in container:
        yield shape
        if shape.shape_type is not None and shape.shape_type == 6:  # a group
            yield from shapes(shape.shapes)


def texts(slide: Any) -> list[str]:
    """The text of every shape and table cell on a slide."""
    out = []
    for shape in shapes(slide.shapes):
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            out += [c.text_frame.text for row in shape.table.rows for c in row.cells]
    return out


def tables(presentation: Any, name: str) -> list[Any]:
    return [shape.table for slide in presentation.slides for shape in slide.shapes
            if shape.name == name and shape.has_table]


def rows(table: Any) -> list[list[str]]:
    return [[squash(c.text_frame.text) for c in row.cells] for row in table.rows]


def charts(presentation: Any) -> dict[str, Any]:
    return {shape.name: shape.chart for slide in presentation.slides for shape in slide.shapes
            if shape.has_chart}


def notes(slide: Any) -> str:
    assert slide.has_notes_slide
    return str(slide.notes_slide.notes_text_frame.text)


def assert_inside(presentation: Any) -> int:
    """Every shape (and group, table, chart, connector) within the slide; tables exactly
    as tall and wide as their rows and columns. Returns how many shapes were checked."""
    width, height = presentation.slide_width, presentation.slide_height
    count = 0
    for number, slide in enumerate(presentation.slides, start=1):
        for shape in shapes(slide.shapes):
            left, top, w, h = shape.left, shape.top, shape.width, shape.height
            assert None not in (left, top, w, h), (number, shape.name)
            assert left >= 0 and top >= 0, (number, shape.name, left, top)
            assert left + w <= width, (number, shape.name, left + w, width)
            assert top + h <= height, (number, shape.name, top + h, height)
            if getattr(shape, "has_table", False) and shape.has_table:
                assert sum(r.height for r in shape.table.rows) == h, shape.name
                assert sum(c.width for c in shape.table.columns) == w, shape.name
            count += 1
    return count


def run_sizes(slide: Any) -> Iterator[tuple[str, float | None]]:
    """(text, size in pt) of every run on the slide outside its title."""
    for shape in shapes(slide.shapes):
        if shape.is_placeholder and shape.placeholder_format.idx == 0:
            continue
        frames = []
        if shape.has_text_frame:
            frames.append(shape.text_frame)
        if getattr(shape, "has_table", False) and shape.has_table:
            frames += [c.text_frame for row in shape.table.rows for c in row.cells]
        for frame in frames:
            for paragraph in frame.paragraphs:
                for run in paragraph.runs:
                    size = run.font.size
                    yield run.text, size.pt if size is not None else None


def boxes(slide: Any, prefix: str) -> list[tuple[str, int, int, int, int]]:
    return [(s.name, s.left, s.top, s.width, s.height) for s in slide.shapes
            if s.name.startswith(prefix)]


def overlap(a: tuple[str, int, int, int, int], b: tuple[str, int, int, int, int]) -> bool:
    return a[1] < b[1] + b[3] and b[1] < a[1] + a[3] and a[2] < b[2] + b[4] and \
        b[2] < a[2] + a[4]


# -- plans written for the tests --------------------------------------------------------

SENTIMENTS = ("advocate", "supporter", "neutral", "skeptic", "detractor", "unknown")


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def stakeholder(name: str, title: str, n: int, role: str, reports_to: str | None = None,
                influences: tuple[str, ...] = ()) -> list[str]:
    lines = [f"  - name: {quoted(name)}", f"    title: {quoted(title)}",
             f"    department: Department {n % 3}", f"    role: {role}",
             f"    influence: {('high', 'medium', 'low')[n % 3]}",
             f"    sentiment: {SENTIMENTS[n % 6]}",
             f"    last_contact: {'2026-11-01' if n % 2 else '2026-01-01'}"]
    if reports_to:
        lines.append(f"    reports_to: {quoted(reports_to)}")
    if influences:
        lines.append("    influences: [" + ", ".join(quoted(i) for i in influences) + "]")
    return lines


def big_plan(folder: Path, *, actions: int = 60) -> Path:
    """45 people on four levels (a CEO, 4 VPs, 10 directors, 30 managers), `actions`
    actions, a 2,000-character word, HTML, Jinja and a URL in plan text."""
    lines = ["schema_version: 1", "account:", "  name: Acme <b>Corp</b> {{ 7 * 7 }}",
             "  tier: 3", "team:", "  owner: owner@example.com", "  members:",
             "    - email: owner@example.com", "      role: account_executive",
             "      owns: [actions, risks]", "stakeholders:"]
    ceo = "<script>alert(1)</script> Okonkwo"
    lines += stakeholder(ceo, "Chief Executive Officer {{ 7 * 7 }}", 0, "economic_buyer")
    vps = [f"Vice President {i} Marguerite Lindqvist-Okafor" for i in range(4)]
    lines += itertools.chain.from_iterable(
        stakeholder(v, "Vice President, Global Supply Chain Operations", 1 + i,
                    "decision_maker", ceo) for i, v in enumerate(vps))
    directors = [f"Director {i} Zoë Brandt-Häusler" for i in range(10)]
    lines += itertools.chain.from_iterable(
        stakeholder(d, "Director of Regional Distribution and Warehousing", 5 + i,
                    "influencer", vps[i % 4]) for i, d in enumerate(directors))
    lines += itertools.chain.from_iterable(
        stakeholder(f"Manager {i} Łukasz Nowak" + (f" {WORD}" if i == 5 else ""),
                    "Transport Planner", 15 + i, "user", directors[i % 10],
                    (directors[(i + 3) % 10],) if i % 7 == 0 else ())
        for i in range(30))
    lines.append("actions:")
    for i in range(actions):
        title = (WORD if i == 3 else
                 "{{ 7 * 7 }} <script>alert(1)</script> https://example.com/a?b=c&d=e"
                 if i == 4 else f"Action {i} " + "follow up " * (i % 5))
        lines += [f"  - title: {quoted(title)}", "    owner: owner@example.com",
                  f"    due: 2026-{i % 12 + 1:02d}-15",
                  f"    status: {('open', 'in_progress', 'done', 'dropped', 'blocked')[i % 5]}",
                  f"    outcome: {quoted(f'Outcome {i} ' + 'x' * (i * 7))}"]
    lines += ["risks:", f"  - title: {quoted(WORD)}", "    severity: high",
              f"    mitigation: {quoted(WORD)}", "    owner: owner@example.com"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def alpine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Rendered]]:
    with pytest.MonkeyPatch.context() as mp:
        out = tmp_path_factory.mktemp("alpine")
        yield {kind: render(mp, out, ALPINE, kind) for kind in ("qbr", "checkin")}


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rendered]:
    with pytest.MonkeyPatch.context() as mp:
        folder = tmp_path_factory.mktemp("big")
        yield render(mp, folder / "out", big_plan(folder / "plans"))


# -- the slides -------------------------------------------------------------------------


def test_alpine_qbr_slides_in_order(alpine: dict[str, Rendered]) -> None:
    assert titles(deck(alpine["qbr"])) == [
        "Alpine Cold Chain AG", "Health",
        "Relationship map (1 of 3)", "Relationship map (2 of 3)", "Relationship map (3 of 3)",
        "Whitespace", "Opportunity roadmap", "Actions", "Commitments from the last review",
        "What changed since the last review", "Risks", "Who owns what (RACI)", "Next steps",
    ]


def test_alpine_checkin_slides_in_order(alpine: dict[str, Rendered]) -> None:
    assert titles(deck(alpine["checkin"])) == [
        "Alpine Cold Chain AG: Check-in, 1 Dec 2026", "Done and slipped", "Next"]


def test_slides_use_the_layouts_by_role(alpine: dict[str, Rendered]) -> None:
    layouts = {squash(slide.shapes.title.text_frame.text): slide.slide_layout.name
               for slide in deck(alpine["qbr"]).slides}
    assert layouts.pop("Alpine Cold Chain AG") == "Title Slide"
    assert layouts.pop("What changed since the last review") == "Title and Content"
    assert layouts.pop("Next steps") == "Title and Content"
    assert set(layouts.values()) == {"Title Only"}
    for slide in deck(alpine["qbr"]).slides:  # every title in the title placeholder
        assert slide.shapes.title is not None and slide.shapes.title.is_placeholder


def test_the_title_slide_says_who_and_how_healthy(alpine: dict[str, Rendered]) -> None:
    packet = alpine["qbr"].packet
    assert packet.health is not None
    words = squash(" ".join(texts(deck(alpine["qbr"]).slides[0])))
    for part in (packet.account, f"QBR, {packet.as_of_text} · {packet.program}",
                 f"Tier {packet.tier}", packet.owner, packet.manager,
                 f"Health {packet.health.score}/100 · {packet.grade_label}"):
        assert part in words


def test_health_slide(alpine: dict[str, Rendered]) -> None:
    packet = alpine["qbr"].packet
    assert packet.health is not None
    slide = deck(alpine["qbr"]).slides[1]
    words = squash(" ".join(texts(slide)))
    assert f"{packet.health.score}/100 {packet.grade_label}" in words  # colour and words
    for points, message, fix in packet.top_deductions:
        assert f"−{points} points: {squash(message)}"[:40] in words
        assert f"Fix: {fix}"[:30] in words
    for figure in packet.figures:
        assert figure.value in words and figure.label in words
    grade = next(s for s in slide.shapes if s.name == "Health grade")
    assert str(grade.fill.fore_color.rgb) == "1A7F4B"  # green: on track


def test_chart_data_is_the_packets(alpine: dict[str, Rendered]) -> None:
    packet = alpine["qbr"].packet
    assert packet.health is not None
    found = charts(deck(alpine["qbr"]))
    health = found["Chart: health components"]
    (series,) = health.plots[0].series
    assert list(series.values) == [c.score for c in packet.health.components]
    assert len(health.plots[0].categories) == 4
    pipeline = found["Chart: pipeline by quarter"]
    categories = list(pipeline.plots[0].categories)
    roadmap = packet.roadmap
    assert [c.removesuffix(" (now)") for c in categories] == list(roadmap.quarters)
    assert categories[roadmap.quarters.index(roadmap.current)].endswith("(now)")
    open_, planned = pipeline.plots[0].series
    assert list(open_.values) == [t.open for t in roadmap.totals]
    assert list(planned.values) == [t.planned for t in roadmap.totals]
    # The totals are the deals' amounts, by quarter.
    for total in roadmap.totals:
        deals = [d for d in roadmap.deals if d.quarter == total.quarter]
        assert total.open == sum(d.amount or 0 for d in deals if not d.planned)
        assert total.planned == sum(d.amount or 0 for d in deals if d.planned)
    for chart in (health, pipeline):  # native, with an embedded workbook to edit
        assert chart.part.chart_workbook.xlsx_part is not None


def test_whitespace_table_is_the_packets(alpine: dict[str, Rendered]) -> None:
    ws = alpine["qbr"].packet.whitespace
    assert ws is not None
    (table,) = tables(deck(alpine["qbr"]), "Whitespace table")
    got = rows(table)
    assert got[0] == ["Product \\ unit", *ws.units, "Potential"]
    for product, cells, total, row in zip(ws.products, ws.rows, ws.row_totals, got[1:-1],
                                          strict=True):
        assert row[0] == product and row[-1] == total
        for cell, text in zip(cells, row[1:-1], strict=True):
            label = f"{cell.label} [{cell.note_mark}]" if cell.note_mark else cell.label
            assert text.startswith(label)
            assert cell.amount_text in text
    assert got[-1] == ["Potential", *ws.column_totals, ws.total]
    fills = {"owned": "1F6F78", "pipeline": "3B7DD8", "target": "F2B134",
             "competitor": "C0392B", "internal": "8C8C8C", "unknown": "FFFFFF"}
    for r, cells in enumerate(ws.rows, start=1):
        for c, cell in enumerate(cells, start=1):
            if cell.status in fills:
                assert str(table.cell(r, c).fill.fore_color.rgb) == fills[cell.status]
    words = squash(" ".join(texts(next(s for s in deck(alpine["qbr"]).slides
                                       if s.shapes.title.text_frame.text == "Whitespace"))))
    for label in ("Owned", "Pipeline", "Target", "Competitor", "In-house", "n/a: not a fit",
                  "?: unknown"):
        assert label in words  # the legend
    for mark, note in ws.notes:
        assert f"[{mark}] {note}" in words


def test_no_whitespace_matrix(alpine: dict[str, Rendered]) -> None:
    packet = dataclasses.replace(alpine["qbr"].packet, whitespace=None)
    presentation = Presentation(io.BytesIO(build_deck(packet, TEMPLATE, DeckLayouts())))
    slide = next(s for s in presentation.slides
                 if s.shapes.title.text_frame.text == "Whitespace")
    assert "No whitespace matrix in this plan." in texts(slide)


def test_roadmap_deals_table(alpine: dict[str, Rendered]) -> None:
    roadmap = alpine["qbr"].packet.roadmap
    (table,) = tables(deck(alpine["qbr"]), "Deals table")
    got = rows(table)[1:]
    assert len(got) == len(roadmap.deals) + len(roadmap.undated)
    for deal, row in zip((*roadmap.deals, *roadmap.undated), got, strict=True):
        assert row[0].startswith(deal.name)
        assert ("◇ planned" in row[0]) == deal.planned
        assert row[1:5] == [deal.stage, deal.amount_text, deal.probability_text,
                            deal.close_text]
    slide = next(s for s in deck(alpine["qbr"]).slides
                 if s.shapes.title.text_frame.text == "Opportunity roadmap")
    assert "Closed-won this fiscal year" in " ".join(texts(slide))


def test_action_rows_are_the_packets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path
                                     ) -> None:
    rendered = render(monkeypatch, tmp_path, CASCADIA)
    packet = rendered.packet
    overdue = [a for a in packet.actions if a.overdue_days]
    assert len(overdue) == 3
    (table,) = tables(deck(rendered), "Actions table")
    got = rows(table)
    assert got[0] == ["Action", "Owner", "Due", "Status", "Outcome"]
    assert len(got) - 1 == len(packet.actions)
    for action, row in zip(packet.actions, got[1:], strict=True):
        assert row[0].startswith(action.title)
        assert row[1:3] == [action.owner, action.due_text]
        if action.overdue_days:
            assert row[3] == f"▲ {action.overdue_days} d overdue {action.status_label}"
        else:
            assert "overdue" not in row[3]
        assert row[4] == (action.outcome or "–")
    for r, action in enumerate(packet.actions, start=1):
        status = table.cell(r, 3)
        colour = status.text_frame.paragraphs[0].runs[0].font.color
        if action.overdue_days:  # in colour as well as in words
            assert str(colour.rgb) == "B3261E"
            assert str(status.fill.fore_color.rgb) == "FBE3E1"
    commitments = rows(tables(deck(rendered), "Commitments table")[0])[1:]
    for commitment, row in zip(packet.commitments, commitments, strict=True):
        assert row[0] == commitment.text
        assert row[1] == (f"✓ {commitment.covered_by}" if commitment.covered_by
                          else "✗ not covered")


def test_speaker_notes_carry_the_findings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path
                                          ) -> None:
    rendered = render(monkeypatch, tmp_path, CASCADIA)
    packet = rendered.packet
    slides = {squash(s.shapes.title.text_frame.text): s for s in deck(rendered).slides}
    for title, slide in slides.items():
        assert notes(slide).strip(), title
    by_rule: dict[str, list[str]] = {}
    for finding in packet.findings:
        by_rule.setdefault(finding.rule, []).append(finding.message)
    actions = notes(slides["Actions"])
    for message in by_rule["action-overdue"]:
        assert message in actions
    assert "action-overdue" in actions and "Fix: " in actions
    assert "review-overdue" in notes(slides[packet.account])
    assert "checkin-overdue" in notes(slides["Health"])
    for _points, message, fix in packet.top_deductions:
        assert message in notes(slides["Health"]) and fix in notes(slides["Health"])
    relationship = notes(slides["Relationship map"])
    assert "crm-no-activity" in relationship and "crm-missing-contact" in relationship
    assert "crm-closed-lost" in notes(slides["Opportunity roadmap"])
    assert "action-overdue" not in relationship
    # Every finding is on some slide's notes.
    every = "\n".join(notes(s) for s in slides.values())
    for finding in packet.findings:
        assert finding.message in every


def test_a_slide_with_no_findings_says_so(alpine: dict[str, Rendered]) -> None:
    slides = deck(alpine["qbr"]).slides
    risks = next(s for s in slides if s.shapes.title.text_frame.text == "Risks")
    assert "No findings behind this slide" in notes(risks)


# -- fitting ----------------------------------------------------------------------------


@pytest.mark.parametrize("plan", SAMPLES)
def test_every_shape_inside_every_slide(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                        plan: str) -> None:
    for kind in ("qbr", "checkin"):
        presentation = deck(render(monkeypatch, tmp_path, plan, kind))
        assert assert_inside(presentation) > len(presentation.slides)
        for slide in presentation.slides:
            assert notes(slide).strip()
            for text, size in run_sizes(slide):
                assert size is None or size >= 8, (text, size)


def test_long_text_is_fitted_and_actions_continue(big: Rendered) -> None:
    presentation = deck(big)
    assert_inside(presentation)
    names = titles(presentation)
    assert names.count("Actions (cont.)") >= 2
    assert names.index("Actions") + 1 == names.index("Actions (cont.)")
    found = [row for table in tables(presentation, "Actions table") for row in rows(table)
             if row[0] != "Action"]
    assert len(found) == 60  # every action once, continued across slides
    for table in tables(presentation, "Actions table"):
        assert rows(table)[0] == ["Action", "Owner", "Due", "Status", "Outcome"]
    longest = max((text for slide in presentation.slides for text, _ in run_sizes(slide)),
                  key=len)
    assert len(longest) < 200  # the 2,000-character word was broken into lines ...
    words = "".join(t for slide in presentation.slides for t in texts(slide))
    assert "WWWWWWWWWW…" in words  # ... and cut with an ellipsis where its room ends
    for slide in presentation.slides:
        for text, size in run_sizes(slide):
            assert size is None or size >= 8, (text, size)


def test_markup_appears_literally(big: Rendered) -> None:
    presentation = deck(big)
    words = "\n".join(t for slide in presentation.slides for t in texts(slide))
    assert "{{ 7 * 7 }} <script>alert(1)</script> https://example.com/a?b=c&d=e" in \
        squash(words)
    assert "<script>alert(1)</script> Okonkwo" in squash(words)  # on the map
    assert titles(presentation)[0] == "Acme <b>Corp</b> {{ 7 * 7 }}"
    assert "&lt;" not in words and "Acme <b>Corp</b> 49" not in words and "Corp 49" not in words


def map_slides(presentation: Any) -> list[Any]:
    return [s for s in presentation.slides
            if s.shapes.title.text_frame.text.startswith("Relationship map")]


def assert_map_clear(maps: list[Any]) -> list[str]:
    """No two shapes of a map slide overlap (lines aside), no text under 8 pt, titles
    numbered; returns the names on the person cards."""
    for number, slide in enumerate(maps, start=1):
        assert squash(slide.shapes.title.text_frame.text) == (
            f"Relationship map ({number} of {len(maps)})" if len(maps) > 1
            else "Relationship map")
    seen = []
    for slide in maps:
        cards = boxes(slide, "Person: ") + boxes(slide, "Ghost: ")
        for a, b in itertools.combinations(cards, 2):
            assert not overlap(a, b), (a[0], b[0])
        # Nothing else overlaps either: cards, marks, the legend, the committee (lines
        # aside, and allowing for a rounding EMU where a mark sits under its card).
        solid = [(s.name, s.left + 2, s.top + 2, s.width - 4, s.height - 4)
                 for s in slide.shapes
                 if s.shape_type != 9 and s.name not in ("Title", "Reports to", "Influence",
                                                        "Legend line")]
        assert len(solid) > len(cards)
        for a, b in itertools.combinations(solid, 2):
            assert not overlap(a, b), (a[0], b[0])
        seen += [name for name, *_ in boxes(slide, "Person: ")]
        for text, size in run_sizes(slide):
            assert size is not None and size >= 8, (text, size)
    return seen


def test_45_people_split_across_map_slides(big: Rendered) -> None:
    maps = map_slides(deck(big))
    assert len(maps) > 1
    seen = assert_map_clear(maps)
    assert len(seen) == 45 and len(set(seen)) == 45  # each person once
    for slide in maps:
        glued = [s for s in slide.shapes if s.name == "Reports to" and s._element.find(
            ".//{http://schemas.openxmlformats.org/drawingml/2006/main}stCxn") is not None]
        assert glued  # reporting lines follow their cards
    legend = " ".join(texts(maps[0]))
    for word in ("advocate", "detractor", "unknown (dashed)", "high", "90 d",
                 "economic buyer", "reports to", "influences"):
        assert word in legend


def person(name: str, reports_to: str | None, n: int) -> Person:
    return Person(key=name, name=name, title="Director of Regional Operations",
                  department=f"Department {n % 4}", role="user", badge="US",
                  influence=("high", "medium", "low")[n % 3], sentiment=SENTIMENTS[n % 6],
                  coverage="brief", reports_to=reports_to, influences=(), last_contact=None,
                  stale=n % 2 == 0, in_salesforce=False)


@pytest.mark.parametrize("shape", ["flat", "wide", "chain"])
def test_other_shapes_of_map(alpine: dict[str, Rendered], shape: str) -> None:
    """Forty loose people (grouped by department), a manager with 44 reports, a chain of
    30: every card once, nothing overlapping, nothing off the slide."""
    if shape == "flat":
        people = tuple(person(f"Loose Person {i}", None, i) for i in range(40))
    elif shape == "wide":
        people = (person("Boss", None, 0),
                  *(person(f"Report {i}", "Boss", i + 1) for i in range(44)))
    else:
        people = (person("Chain 0", None, 0),
                  *(person(f"Chain {i}", f"Chain {i - 1}", i) for i in range(1, 30)))
    packet = dataclasses.replace(alpine["qbr"].packet, people=people)
    presentation = Presentation(io.BytesIO(build_deck(packet, TEMPLATE, DeckLayouts())))
    assert_inside(presentation)
    seen = assert_map_clear(map_slides(presentation))
    assert sorted(seen) == sorted(f"Person: {p.name}" for p in people)
    if shape == "flat":
        words = " ".join(t for s in map_slides(presentation) for t in texts(s))
        assert "Department 0 · 10 people, no manager in the plan" in words


def test_missing_committee_roles_are_marked(alpine: dict[str, Rendered]) -> None:
    packet = alpine["qbr"].packet
    gap = dataclasses.replace(packet.committee[0], holders=())
    packet = dataclasses.replace(packet, committee=(gap, *packet.committee[1:]))
    presentation = Presentation(io.BytesIO(build_deck(packet, TEMPLATE, DeckLayouts())))
    first_map = next(s for s in presentation.slides
                     if s.shapes.title.text_frame.text.startswith("Relationship map"))
    assert f"✗ {gap.label}: missing" in texts(first_map)
    next_steps = next(s for s in presentation.slides
                      if s.shapes.title.text_frame.text == "Next steps")
    assert f"{gap.label}: missing, no stakeholder holds the role" in \
        squash(" ".join(texts(next_steps)))


def test_what_changed_uses_the_diff_wording_and_continues(alpine: dict[str, Rendered]
                                                          ) -> None:
    changes = tuple(
        [Change("account", "changed", "tier", "tier", 2, 1),
         Change("stakeholders", "added", "Nadia Rahman", note="technical_evaluator")]
        + [Change("actions", "moved", f"Action number {i}", "due", date(2026, 11, 1),
                  date(2026, 12, 1), "+30 d") for i in range(40)]
        + [Change("actions", "completed", "Answer the questionnaire")])
    packet = dataclasses.replace(alpine["qbr"].packet, changes=changes,
                                 changes_note="compared with the commit of 2026-10-21")
    presentation = Presentation(io.BytesIO(build_deck(packet, TEMPLATE, DeckLayouts())))
    assert_inside(presentation)
    pages = [s for s in presentation.slides
             if s.shapes.title.text_frame.text.startswith("What changed")]
    assert len(pages) > 1
    assert squash(pages[1].shapes.title.text_frame.text) == \
        "What changed since the last review (cont.)"
    body = "\n".join(p.text for s in pages for p in s.placeholders[1].text_frame.paragraphs)
    lines = [squash(line) for line in body.split("\n")]
    for change in changes:
        assert squash(change_text(change)) in lines
    for heading in ("Account", "Stakeholders", "Actions"):
        assert heading in lines
    assert "Compared with the commit of 2026-10-21." in lines
    empty = Presentation(io.BytesIO(build_deck(dataclasses.replace(packet, changes=()),
                                               TEMPLATE, DeckLayouts())))
    assert any("No changes recorded." in "\n".join(texts(s)) for s in empty.slides)


def test_empty_plan_sections(alpine: dict[str, Rendered]) -> None:
    packet = dataclasses.replace(alpine["qbr"].packet, people=(), risks=(), actions=(),
                                 commitments=(), raci=(), upcoming=(), health=None,
                                 top_deductions=(), grade_label="Not scored")
    presentation = Presentation(io.BytesIO(build_deck(packet, TEMPLATE, DeckLayouts())))
    assert_inside(presentation)
    words = squash(" ".join(t for s in presentation.slides for t in texts(s)))
    for expected in ("No stakeholders mapped", "No risks recorded.",
                     "No actions in this plan.", "No team member owns a section yet",
                     "No forward action", "The plan is not scored", "Health: Not scored"):
        assert expected in words


def test_another_slide_size_and_a_very_long_account_name(alpine: dict[str, Rendered],
                                                         tmp_path: Path) -> None:
    """A 4:3 master (python-pptx's own), and an account name the title must cut."""
    template = tmp_path / "four-three.pptx"
    Presentation().save(str(template))
    four_three = Presentation(str(template))
    assert (four_three.slide_width, four_three.slide_height) == (9144000, 6858000)
    packet = dataclasses.replace(alpine["qbr"].packet, account="Alpine " + WORD)
    layouts = {role: next(layout for layout in four_three.slide_layouts
                          if layout.name == getattr(DeckLayouts(), role))
               for role in ("title", "title_only", "content")}
    # Through slides.build: build_deck puts the account name in the core properties,
    # which python-pptx limits to 255 characters.
    deck_slides.build(four_three, layouts, packet)
    buffer = io.BytesIO()
    four_three.save(buffer)
    reopened = Presentation(io.BytesIO(buffer.getvalue()))
    assert assert_inside(reopened) > 100
    title = reopened.slides[0].shapes.title.text_frame.text
    assert title.startswith("Alpine WWW") and title.endswith("…") and len(title) < 300
    maps = [t for t in titles(reopened) if t.startswith("Relationship map")]
    assert len(maps) > 4  # a narrower slide: the map splits into more parts, not smaller
    for slide in reopened.slides:
        for text, size in run_sizes(slide):
            assert size is None or size >= 8, (text, size)


# -- the same bytes, and what LibreOffice makes of it -----------------------------------


def test_the_same_plan_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    for plan, kind in ((ALPINE, "qbr"), (CASCADIA, "checkin")):
        first = render(monkeypatch, tmp_path / "a", plan, kind).path.read_bytes()
        second = render(monkeypatch, tmp_path / "b", plan, kind).path.read_bytes()
        assert first == second


def test_libreoffice_opens_the_deck(alpine: dict[str, Rendered], tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the deck is not converted")
    source = alpine["qbr"].path
    profile = tmp_path / "profile"
    try:
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                       check=True, capture_output=True, timeout=180)
    except subprocess.TimeoutExpired:
        pytest.fail("LibreOffice did not finish converting the deck within 180 s")
    pdf = tmp_path / (source.stem + ".pdf")
    assert pdf.exists()
    assert len(pypdf.PdfReader(str(pdf)).pages) == len(deck(alpine["qbr"]).slides)


def test_packet_is_the_only_source(alpine: dict[str, Rendered]) -> None:
    """The deck of an edited packet follows the packet, not the plan file."""
    packet: Packet = alpine["qbr"].packet
    edited = dataclasses.replace(packet, figures=(
        dataclasses.replace(packet.figures[0], value="$9.9M"), *packet.figures[1:]))
    presentation = Presentation(io.BytesIO(build_deck(edited, TEMPLATE, DeckLayouts())))
    assert "$9.9M" in " ".join(texts(presentation.slides[1]))
