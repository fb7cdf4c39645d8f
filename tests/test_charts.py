"""The packet's charts: well-formed, escaped, legible SVG, the same bytes every time.

The pictures are parsed back with ElementTree and measured: no two cards overlap, no
text is smaller than 7 pt at the printed size, every person of the plan is on the map,
and the roadmap marks the current quarter and draws planned deals hollow. One test runs
them through WeasyPrint and reads the PDF back, so their text is real text.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pypdf
import pytest
from conftest import AS_OF, ROOT
from markupsafe import Markup

from planpack.health.model import ComponentScore, Health
from planpack.loader.program import ProgramConfig, load_program
from planpack.render import prepare
from planpack.render.charts import CHARTS
from planpack.render.charts import _svg as svg_helpers
from planpack.render.packet import Deal, Packet, Person, Roadmap, RoleSlot
from planpack.render.pdf import Renderer
from planpack.render.templates import search_path

NS = "{http://www.w3.org/2000/svg}"
PT_PER = {"pt": 1.0, "mm": 72 / 25.4, "px": 0.75, "in": 72.0}
PAGE_PT = (297 - 30) * 72 / 25.4  # an A4 page less generous margins
orgchart_module = sys.modules["planpack.render.charts.orgchart"]

SAMPLES = sorted(p.name for p in (ROOT / "plans").glob("*.yaml"))


# -- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def config() -> ProgramConfig:
    return load_program(ROOT / "planpack.yaml")


@pytest.fixture(scope="module")
def packets(config: ProgramConfig) -> dict[str, Packet]:
    return {name: prepare(ROOT / "plans" / name, config, AS_OF) for name in SAMPLES}


@pytest.fixture(scope="module")
def alpine(packets: dict[str, Packet]) -> Packet:
    return packets["alpine-cold-chain.yaml"]


def person(name: str, reports_to: str | None, n: int, *, title: str = "Director",
           influences: tuple[str, ...] = ()) -> Person:
    sentiments = ("advocate", "supporter", "neutral", "skeptic", "detractor", "unknown")
    roles = (("economic_buyer", "EB"), ("decision_maker", "DM"), ("champion", "CH"),
             ("coach", "CO"), ("influencer", "IN"), ("technical_evaluator", "TE"),
             ("user", "US"), ("blocker", "BL"), ("unknown", "?"))
    role, badge = roles[n % len(roles)]
    return Person(key=name, name=name, title=title, department=f"Department {n % 4}",
                  role=role, badge=badge, influence=("high", "medium", "low")[n % 3],
                  sentiment=sentiments[n % len(sentiments)], coverage="brief",
                  reports_to=reports_to, influences=influences, last_contact=None,
                  stale=n % 3 == 0, in_salesforce=False)


def big_map(base: Packet) -> Packet:
    """45 people on four levels: a CEO, 4 VPs, 10 directors, 30 managers."""
    titles = ("Chief Executive Officer", "Vice President, Global Supply Chain Operations",
              "Director of Regional Distribution and Warehousing", "Transport Planner")
    people = [person("Adaeze Okonkwo-Whitfield", None, 0, title=titles[0])]
    vps = [f"Vice President {i} Marguerite Lindqvist" for i in range(4)]
    people += [person(n, people[0].key, len(people) + i, title=titles[1])
               for i, n in enumerate(vps)]
    directors = [f"Director {i} Zoë Brandt-Häusler" for i in range(10)]
    people += [person(n, vps[i % 4], 5 + i, title=titles[2]) for i, n in enumerate(directors)]
    people += [person(f"Manager {i} Łukasz Nowak", directors[i % 10], 15 + i,
                      title=titles[3], influences=(directors[(i + 3) % 10],) if i % 7 == 0
                      else ())
               for i in range(30)]
    assert len(people) == 45
    return dataclasses.replace(base, people=tuple(people))


# -- reading the pictures back ----------------------------------------------------------


def parse(markup: Markup) -> list[ET.Element]:
    """Each <svg> of a chart, checked to be complete SVG with a viewBox and a print size."""
    assert isinstance(markup, Markup)
    pieces = str(markup).split('<div class="map-break"></div>')
    roots = []
    for piece in pieces:
        root = ET.fromstring(piece)
        assert root.tag == f"{NS}svg"
        assert len(root.get("viewBox", "").split()) == 4
        assert re.fullmatch(r"[\d.]+(pt|mm)", root.get("width", ""))
        assert re.fullmatch(r"[\d.]+(pt|mm)", root.get("height", ""))
        assert "Packet Sans" in root.get("font-family", "")
        roots.append(root)
    return roots


def printed_scale(root: ET.Element) -> float:
    """Points on paper per user unit."""
    width = root.get("width", "")
    unit = width[-2:]
    return float(width[:-2]) * PT_PER[unit] / float(root.get("viewBox", "").split()[2])


def printed_height(root: ET.Element) -> float:
    height = root.get("height", "")
    return float(height[:-2]) * PT_PER[height[-2:]]


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def box(element: ET.Element) -> tuple[float, float, float, float]:
    return (float(element.get("x", 0)), float(element.get("y", 0)),
            float(element.get("width", 0)), float(element.get("height", 0)))


def overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and \
        b[1] < a[1] + a[3]


def texts(root: ET.Element) -> Iterator[ET.Element]:
    return root.iter(f"{NS}text")


def all_text(roots: list[ET.Element]) -> str:
    return " ".join(t.text or "" for root in roots for t in texts(root))


def squash(words: str) -> str:
    return re.sub(r"\s+", "", words)


def cards(roots: list[ET.Element]) -> list[tuple[int, ET.Element, ET.Element]]:
    """(part, group, rect) of every real person card."""
    out = []
    for number, root in enumerate(roots):
        for group in root.iter(f"{NS}g"):
            if "person" in classes(group):
                rects = [r for r in group.iter(f"{NS}rect") if "card" in classes(r)]
                assert len(rects) == 1
                out.append((number, group, rects[0]))
    return out


def card_name(group: ET.Element) -> str:
    return "".join(t.text or "" for t in group.iter(f"{NS}text") if "name" in classes(t))


def assert_legible(roots: list[ET.Element]) -> None:
    """Every text at 7 pt or more on paper; each part fits a page."""
    for root in roots:
        scale = printed_scale(root)
        for element in texts(root):
            size = element.get("font-size")
            assert size is not None, element.text
            assert float(size) * scale >= 7 - 1e-9, (element.text, size)
        assert printed_height(root) <= PAGE_PT


def assert_no_overlap(roots: list[ET.Element], cls: str = "card") -> int:
    """No two boxes of the class intersect, and each is inside its picture."""
    count = 0
    for root in roots:
        view = [float(v) for v in root.get("viewBox", "").split()]
        boxes = [box(r) for r in root.iter(f"{NS}rect") if cls in classes(r)]
        for x, y, w, h in boxes:
            assert view[0] <= x and x + w <= view[0] + view[2]
            assert view[1] <= y and y + h <= view[1] + view[3]
        for a, b in itertools.combinations(boxes, 2):
            assert not overlaps(a, b), (a, b)
        count += len(boxes)
    return count


def assert_lines_clear(roots: list[ET.Element]) -> None:
    """No reporting line passes through a card: they run in the gaps between blocks."""
    for root in roots:
        boxes = [box(r) for r in root.iter(f"{NS}rect") if "card" in classes(r)]
        for path in root.iter(f"{NS}path"):
            if "reports-line" not in classes(path):
                continue
            points = [tuple(float(v) for v in pair.split(","))
                      for pair in re.findall(r"[ML]([-\d.]+,[-\d.]+)", path.get("d", ""))]
            for (x0, y0), (x1, y1) in itertools.pairwise(points):
                assert x0 == x1 or y0 == y1  # only straight runs
                segment = (min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))
                for x, y, w, h in boxes:
                    inner = (x + 0.5, y + 0.5, w - 1, h - 1)
                    assert not (segment[0] <= inner[0] + inner[2] and inner[0] <=
                                segment[0] + segment[2] and segment[1] <= inner[1] + inner[3]
                                and inner[1] <= segment[1] + segment[3]), (segment, inner)


def assert_text_inside_cards(roots: list[ET.Element]) -> None:
    """Each card's lines start inside it and, measured with the font, end inside it."""
    for _, group, card in cards(roots):
        x, y, w, h = box(card)
        for element in group.iter(f"{NS}text"):
            tx, ty = float(element.get("x", 0)), float(element.get("y", 0))
            size = float(element.get("font-size", 0))
            width = svg_helpers.text_width(element.text or "", size,
                                           element.get("font-weight") == "bold")
            left = tx - width / 2 if element.get("text-anchor") == "middle" else tx
            assert x <= left and left + width <= x + w + 0.5, element.text
            assert y + size * 0.7 <= ty <= y + h - 1, element.text


# -- the relationship map ---------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_orgchart_of_every_sample(packets: dict[str, Packet], name: str) -> None:
    packet = packets[name]
    roots = parse(CHARTS["orgchart"](packet))
    assert_legible(roots)
    assert assert_no_overlap(roots) >= len(packet.people)
    assert_text_inside_cards(roots)
    assert_lines_clear(roots)
    found = sorted(squash(card_name(group)) for _, group, _ in cards(roots))
    assert found == sorted(squash(p.name) for p in packet.people)


def test_alpine_map_shows_all_31_people_once(alpine: Packet) -> None:
    assert len(alpine.people) == 31
    roots = parse(CHARTS["orgchart"](alpine))
    names = sorted(squash(card_name(group)) for _, group, _ in cards(roots))
    assert names == sorted(squash(p.name) for p in alpine.people)
    assert_no_overlap(roots)
    assert_legible(roots)


def test_map_legend_and_committee(alpine: Packet) -> None:
    roots = parse(CHARTS["orgchart"](alpine))
    words = all_text(roots)
    for word in ("advocate", "supporter", "neutral", "skeptic", "detractor", "unknown",
                 "high", "medium", "low", "no contact in 90 days", "reports to", "influences",
                 "economic buyer", "champion"):
        assert word in words, word
    for root in roots:  # the legend is on every part
        assert any("legend" in classes(g) for g in root.iter(f"{NS}g"))
    committee = [g for g in roots[0].iter(f"{NS}g") if "committee-role" in classes(g)]
    assert [t.text for t in committee[0].iter(f"{NS}text")] == ["Economic buyer:", "Zoë Brandt"]
    assert "missing" not in words
    assert any("stale-clock" in classes(g) for root in roots for g in root.iter(f"{NS}g"))
    assert any("influence" in classes(p) for root in roots for p in root.iter(f"{NS}path"))


def test_missing_committee_roles_are_red_and_say_missing(alpine: Packet) -> None:
    committee = (RoleSlot("economic_buyer", "Economic buyer", ("Zoë Brandt",)),
                 RoleSlot("champion", "Champion", ()),
                 RoleSlot("decision_maker", "Decision maker", ()))
    roots = parse(CHARTS["orgchart"](dataclasses.replace(alpine, committee=committee)))
    missing = [g for g in roots[0].iter(f"{NS}g") if {"committee-role", "missing"} <=
               classes(g)]
    assert len(missing) == 2
    for group in missing:
        words = [t for t in group.iter(f"{NS}text")]
        assert words[-1].text == "missing"
        assert words[-1].get("fill") == "#b3261e"
        assert group.find(f"{NS}path") is not None  # a cross mark beside the colour


def test_45_people_on_four_levels_stay_legible(alpine: Packet) -> None:
    packet = big_map(alpine)
    markup = CHARTS["orgchart"](packet)
    roots = parse(markup)
    assert len(roots) > 1  # split over several pages rather than shrunk
    assert str(markup).count('<div class="map-break"></div>') == len(roots) - 1
    assert_legible(roots)
    assert_no_overlap(roots)
    assert assert_no_overlap(roots, "card-ghost") >= 1
    assert_text_inside_cards(roots)
    assert_lines_clear(roots)
    found = sorted(squash(card_name(group)) for _, group, _ in cards(roots))
    assert found == sorted(squash(p.name) for p in packet.people)  # each once, in full
    for number, root in enumerate(roots, start=1):
        assert root.get("data-part") == str(number)
        assert f"part {number} of {len(roots)}" in all_text([root])


def test_very_flat_map_is_grouped_by_department(alpine: Packet) -> None:
    people = tuple(person(f"Loose Person {i}", None, i) for i in range(40))
    roots = parse(CHARTS["orgchart"](dataclasses.replace(alpine, people=people)))
    assert_legible(roots)
    assert_no_overlap(roots)
    words = all_text(roots)
    assert "Department 0 · 10 people" in words
    assert len(cards(roots)) == 40


def test_wide_flat_team_wraps_into_rows(alpine: Packet) -> None:
    people = (person("Boss", None, 0),
              *(person(f"Report {i}", "Boss", i + 1) for i in range(44)))
    roots = parse(CHARTS["orgchart"](dataclasses.replace(alpine, people=people)))
    assert_legible(roots)
    assert_no_overlap(roots)
    assert len(cards(roots)) == 45


def test_deep_chains_and_caterpillars_split_by_branch(alpine: Packet) -> None:
    chain = [person("Chain 0", None, 0), *(person(f"Chain {i}", f"Chain {i - 1}", i)
                                            for i in range(1, 30))]
    caterpillar = [person("Spine 0", None, 0)]  # each one has five leaves and a successor
    while len(caterpillar) < 60:
        manager = caterpillar[-1].key
        caterpillar += [person(f"Leaf {len(caterpillar) + j}", manager, j) for j in range(5)]
        caterpillar.append(person(f"Spine {len(caterpillar)}", manager, 5))
    for people in (chain, caterpillar):
        roots = parse(CHARTS["orgchart"](dataclasses.replace(alpine, people=tuple(people))))
        assert len(roots) > 1
        assert_legible(roots)
        assert_no_overlap(roots)
        assert_text_inside_cards(roots)
        assert_lines_clear(roots)
        found = sorted(card_name(group) for _, group, _ in cards(roots))
        assert found == sorted(p.name for p in people)
        continued = [t.text or "" for root in roots for t in texts(root)
                     if "continued" in classes(t)]
        assert continued and all(re.fullmatch(r"↓ \d+ reports? (on part \d+|below)", c)
                                 for c in continued)


def test_special_characters_are_escaped(alpine: Packet) -> None:
    nasty = '<script> "A" & B'
    people = list(alpine.people)
    people[1] = dataclasses.replace(people[1], name=nasty, key=nasty,
                                    title="R&D <b>Head</b> 'quoted'")
    markup = str(CHARTS["orgchart"](dataclasses.replace(alpine, people=tuple(people))))
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup and "&amp;" in markup and "&quot;A&quot;" in markup
    roots = parse(Markup(markup))
    assert squash(nasty) in [squash(card_name(g)) for _, g, _ in cards(roots)]
    assert "R&D <b>Head</b>" in all_text(roots)


def test_long_words_wrap_and_never_leave_the_card(alpine: Packet) -> None:
    word = "W" * 2000
    people = list(alpine.people)
    people[0] = dataclasses.replace(people[0], name=word, key=word, title="x" * 2000)
    people[1] = dataclasses.replace(people[1], name="Ann " + "Verylongname-" * 12,
                                    key="b", title="")
    people[2] = dataclasses.replace(people[2], name="C\x00ontrol\x1b chars\ttoo")
    roots = parse(CHARTS["orgchart"](dataclasses.replace(alpine, people=tuple(people))))
    assert_text_inside_cards(roots)
    assert_lines_clear(roots)
    assert_no_overlap(roots)
    assert_legible(roots)
    shown = [card_name(g) for _, g, _ in cards(roots)]
    assert any(s.startswith("WWW") and s.endswith("…") for s in shown)
    assert "Controlcharstoo" in [squash(s) for s in shown]


def test_loops_and_unknown_managers_are_roots(alpine: Packet) -> None:
    people = (person("A", "B", 0), person("B", "C", 1), person("C", "A", 2),
              person("D", "A", 3), person("E", "Nobody", 4), person("F", "F", 5))
    roots = parse(CHARTS["orgchart"](dataclasses.replace(alpine, people=people)))
    assert sorted(card_name(g) for _, g, _ in cards(roots)) == ["A", "B", "C", "D", "E", "F"]
    tree = orgchart_module.Tree(people)
    assert [people[i].name for i in tree.roots] == ["A", "E", "F"]


def test_no_people_gives_a_short_picture(alpine: Packet) -> None:
    markup = CHARTS["orgchart"](dataclasses.replace(alpine, people=()))
    (root,) = parse(markup)
    assert "No stakeholders mapped" in all_text([root])
    assert "Economic buyer:" in all_text([root])
    assert_legible([root])


def test_charts_are_deterministic(config: ProgramConfig, alpine: Packet) -> None:
    again = prepare(ROOT / "plans" / "alpine-cold-chain.yaml", config, AS_OF)
    for chart, argument in (("orgchart", alpine), ("roadmap", alpine),
                            ("gauge", alpine.health), ("components", alpine.health)):
        first = str(CHARTS[chart](argument))
        assert first == str(CHARTS[chart](argument))
        assert first == str(CHARTS[chart](again if chart in ("orgchart", "roadmap")
                                          else again.health))
        assert not re.search(r"\d\.\d\d", first)  # coordinates rounded to 0.1
    big = big_map(alpine)
    assert str(CHARTS["orgchart"](big)) == str(CHARTS["orgchart"](big_map(alpine)))


# -- the roadmap ------------------------------------------------------------------------


def deal(name: str, quarter: str, amount: float | None = 100_000, *, planned: bool = False,
         stage: str = "Proposal") -> Deal:
    return Deal(name, amount, "$100K" if amount else "–", "planned" if planned else stage,
                None if planned else 50.0, "–" if planned else "50%",
                AS_OF if quarter else None, "2026-12-01" if quarter else "–", quarter, planned,
                "", "")


def deal_groups(roots: list[ET.Element]) -> list[ET.Element]:
    return [g for root in roots for g in root.iter(f"{NS}g") if "deal-box" in classes(g)]


@pytest.mark.parametrize("name", SAMPLES)
def test_roadmap_of_every_sample(packets: dict[str, Packet], name: str) -> None:
    packet = packets[name]
    roots = parse(CHARTS["roadmap"](packet))
    assert_legible(roots)
    assert assert_no_overlap(roots, "deal") == len(packet.roadmap.deals) + \
        len(packet.roadmap.undated)
    words = all_text(roots)
    for quarter in packet.roadmap.quarters:
        assert quarter in words
    for d in (*packet.roadmap.deals, *packet.roadmap.undated):
        assert squash(d.name) in squash(words)
        assert d.amount_text in words


def test_roadmap_marks_the_current_quarter(alpine: Packet) -> None:
    (root,) = parse(CHARTS["roadmap"](alpine))
    current = [r for r in root.iter(f"{NS}rect") if "current-quarter" in classes(r)]
    assert len(current) == 1
    x, _, w, _ = box(current[0])
    labels = {t.text: float(t.get("x", 0)) for t in texts(root)
              if classes(t) & {"quarter", "now"}}
    assert x < labels[alpine.roadmap.current] < x + w
    assert x < labels["now"] < x + w


def test_planned_deals_are_hollow_and_labelled(alpine: Packet) -> None:
    roots = parse(CHARTS["roadmap"](alpine))
    groups = deal_groups(roots)
    planned = [g for g in groups if "deal-planned" in classes(g)]
    assert len(planned) == sum(d.planned for d in alpine.roadmap.deals) > 0
    for group in planned:
        rect = next(r for r in group.iter(f"{NS}rect") if "deal" in classes(r))
        assert rect.get("fill") in ("none", "#ffffff")
        assert rect.get("stroke-dasharray")
        assert "planned" in " ".join(t.text or "" for t in group.iter(f"{NS}text"))
    for group in groups:
        if "deal-open" in classes(group):
            rect = next(r for r in group.iter(f"{NS}rect") if "deal" in classes(r))
            assert rect.get("fill") not in ("none", "#ffffff")
            assert not rect.get("stroke-dasharray")
    assert "planned (not yet in Salesforce)" in all_text(roots)


def test_roadmap_stacks_crowded_quarters_and_lists_undated(alpine: Packet) -> None:
    quarters = tuple(f"Q{q} FY{y}" for y in (27, 28, 29) for q in (1, 2, 3, 4))
    deals = tuple(deal(f"Deal {i} with a rather long name for a box", "Q2 FY27",
                       planned=i % 3 == 0) for i in range(40))
    undated = (deal("Someday & <maybe>", "", None),)
    won = (deal("Won one", "Q1 FY27"),)
    packet = dataclasses.replace(alpine, roadmap=Roadmap(quarters, "Q2 FY27", deals, won,
                                                         undated))
    markup = CHARTS["roadmap"](packet)
    roots = parse(markup)
    assert len(roots) > 1  # 40 deals in one quarter continue on another page
    assert_legible(roots)
    assert_no_overlap(roots, "deal")
    words = all_text(roots)
    assert "no close date" in words and "Someday & <maybe>" in words
    assert "no amount · Proposal · 50%" in words
    assert "Won this fiscal year: 1 deal, $100K." in words
    assert len(deal_groups(roots)) == 41
    assert "&lt;maybe&gt;" in str(markup)


def test_empty_roadmap(alpine: Packet) -> None:
    packet = dataclasses.replace(alpine, roadmap=Roadmap(("Q1 FY27", "Q2 FY27", "Q3 FY27",
                                                          "Q4 FY27"), "Q1 FY27", (), (), ()))
    (root,) = parse(CHARTS["roadmap"](packet))
    assert "No open or planned opportunities" in all_text([root])


# -- the gauge --------------------------------------------------------------------------


@pytest.mark.parametrize(("grade", "label", "colour"), [
    ("green", "On track", "#1a7f4b"), ("amber", "Needs attention", "#b26b00"),
    ("red", "At risk", "#b3261e")])
def test_gauge_shows_score_label_and_colour(grade: str, label: str, colour: str) -> None:
    health = Health(57, grade, (ComponentScore("completeness", 80.0, 35.0),), ())
    (root,) = parse(CHARTS["gauge"](health))
    assert_legible([root])
    words = [t.text for t in texts(root)]
    assert "57" in words and label in words
    values = [p for p in root.iter(f"{NS}path") if "gauge-value" in classes(p)]
    assert values[0].get("stroke") == colour


def test_gauge_not_scored() -> None:
    (root,) = parse(CHARTS["gauge"](None))
    assert "Not scored" in all_text([root])
    assert not [p for p in root.iter(f"{NS}path") if "gauge-value" in classes(p)]


def test_components(alpine: Packet) -> None:
    (root,) = parse(CHARTS["components"](alpine.health))
    assert_legible([root])
    words = all_text([root])
    assert "Completeness" in words and "Relationships" in words
    assert len([r for r in root.iter(f"{NS}rect") if "component-bar" in classes(r)]) == 4
    (empty,) = parse(CHARTS["components"](None))
    assert "Not scored" in all_text([empty])


# -- through WeasyPrint -----------------------------------------------------------------


def test_charts_render_to_pdf_as_real_text(alpine: Packet) -> None:
    packet = dataclasses.replace(alpine, committee=(*alpine.committee,
                                                    RoleSlot("coach", "Coach", ())))
    parts = [CHARTS["gauge"](packet.health), CHARTS["components"](packet.health),
             CHARTS["orgchart"](packet), CHARTS["roadmap"](packet),
             CHARTS["orgchart"](big_map(packet))]
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>charts</title>"
            "<style>.map-break { break-before: page; }</style></head><body>"
            + "".join(str(p) for p in parts) + "</body></html>")
    renderer = Renderer(search_path(None))
    pdf = renderer.pdf(html)
    assert renderer.warnings == []
    assert renderer.refused == []
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    extracted = squash(" ".join(page.extract_text() for page in reader.pages))
    for p in (*alpine.people, *big_map(alpine).people):
        assert squash(p.name) in extracted, p.name
    for d in alpine.roadmap.deals:
        assert squash(d.name) in extracted, d.name
    for words in ("On track", "missing", "now", "no contact in 90 days", "planned"):
        assert squash(words) in extracted, words
