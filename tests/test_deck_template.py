"""The deck template: planpack's own, made reproducibly, and a team's master in its place."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AS_OF, COMPLETE_TIER1, ROOT
from pptx import Presentation

from planpack.loader.program import load_program
from planpack.render import render_plan
from planpack.render.deck.template import make
from planpack.render.pdf import RenderError


def test_the_committed_template_is_what_the_script_makes() -> None:
    committed = (ROOT / "templates" / "deck.pptx").read_bytes()
    assert make() == committed, "templates/deck.pptx is stale: run `make deck-template`"


def test_the_default_template_is_16_9_with_the_layouts_planpack_uses() -> None:
    deck = Presentation(str(ROOT / "templates" / "deck.pptx"))
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    names = [layout.name for layout in deck.slide_layouts]
    assert {"Title Slide", "Title Only", "Title and Content"} <= set(names)
    for layout in deck.slide_layouts:
        for shape in layout.placeholders:
            assert shape.left + shape.width <= deck.slide_width, (layout.name, shape.name)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(COMPLETE_TIER1, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    return tmp_path


def render(project: Path, *formats: str) -> list[Path]:
    config = load_program(None, project)
    return render_plan(project / "plans" / "acme.yaml", config, AS_OF, out=project / "out",
                       formats=formats).paths


def team_master(path: Path, rename: dict[str, str] | None = None, example_slide: bool = False
                ) -> None:
    deck = Presentation(str(ROOT / "templates" / "deck.pptx"))
    for layout in deck.slide_layouts:
        layout.name = (rename or {}).get(layout.name, layout.name)
    if example_slide:
        slide = deck.slides.add_slide(deck.slide_layouts[0])
        slide.shapes.title.text = "EXAMPLE SLIDE FROM THE MASTER"
    deck.save(str(path))


def test_a_teams_master_is_used_and_its_example_slides_dropped(project: Path) -> None:
    team_master(project / "templates" / "deck.pptx", example_slide=True)
    (deck,) = render(project, "pptx")
    titles = [s.shapes.title.text for s in Presentation(str(deck)).slides if s.shapes.title]
    assert "EXAMPLE SLIDE FROM THE MASTER" not in titles
    assert titles[0] == "Northwind Logistics"


def test_a_master_without_a_layout_names_what_it_has(project: Path) -> None:
    team_master(project / "templates" / "deck.pptx", {"Title Only": "Heading only"})
    with pytest.raises(RenderError) as error:
        render(project, "pptx")
    message = str(error.value)
    assert "has no slide layout named 'Title Only' (for deck.layouts.title_only)" in message
    assert "'Heading only'" in message and "set deck.layouts.title_only in planpack.yaml" in message


def test_layout_names_come_from_planpack_yaml(project: Path) -> None:
    team_master(project / "templates" / "deck.pptx", {"Title Only": "Heading only"})
    (project / "planpack.yaml").write_text(
        "deck:\n  layouts:\n    title_only: Heading only\n", encoding="utf-8")
    (deck,) = render(project, "pptx")
    assert Presentation(str(deck)).slides


def test_a_corrupt_template_is_a_clear_error_and_nothing_is_written(project: Path) -> None:
    (project / "templates" / "deck.pptx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(RenderError) as error:
        render(project, "pdf", "pptx")
    assert "is not a PowerPoint (.pptx) file python-pptx can open" in str(error.value)
    assert not (project / "out").exists()  # the PDF was made, but nothing was written


def test_an_unknown_format(project: Path) -> None:
    with pytest.raises(RenderError) as error:
        render(project, "docx")
    assert str(error.value) == "unknown format docx; expected pdf or pptx, or both: pdf,pptx"


def test_a_very_long_account_name_fits_the_document_properties(project: Path) -> None:
    long_name = "Northwind " + "x" * 2000
    (project / "plans" / "acme.yaml").write_text(
        COMPLETE_TIER1.replace("name: Northwind Logistics", f"name: {long_name}"),
        encoding="utf-8")
    (deck,) = render(project, "pptx")
    properties = Presentation(str(deck)).core_properties
    assert len(properties.title) == 255 and properties.title.startswith("Northwind xxx")
