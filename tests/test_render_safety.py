"""The renderer reads only template files, treats plan text as text, and never leaves
half a PDF behind."""

from __future__ import annotations

import http.server
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from conftest import AS_OF, COMPLETE_TIER1

from planpack.loader.program import load_program
from planpack.render import render_plan
from planpack.render.pdf import RenderError


class Hits(http.server.BaseHTTPRequestHandler):
    count = 0

    def do_GET(self) -> None:
        Hits.count += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Hits.count = 0
    with socketserver.TCPServer(("127.0.0.1", 0), Hits) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
        httpd.shutdown()
        thread.join()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "plans").mkdir()
    return tmp_path


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def render(project: Path, plan_text: str) -> tuple[Path, list[str]]:
    plan = project / "plans" / "acme.yaml"
    plan.write_text(plan_text, encoding="utf-8")
    result = render_plan(plan, load_program(None, project), AS_OF, out=project / "out")
    return result.path, result.refused


def test_plan_text_is_text_and_fetches_nothing(project: Path, server: str) -> None:
    hostile = (f'<img src="file:///etc/passwd"> <b>bold</b> '
               f'<style>@import url({server}/x.css)</style> {{{{ 7 * 7 }}}}')
    text = COMPLETE_TIER1.replace("summary: Northwind runs 40 warehouses in EMEA.",
                                  f"summary: '{hostile}'")
    text = text.replace("title: Meet the CFO", f"title: 'Meet <i>the</i> CFO url({server}/a)'")
    pdf, refused = render(project, text)
    shown = text_of(pdf)
    assert '<img src="file:///etc/passwd">' in shown.replace("\n", " ")
    assert "{{ 7 * 7 }}" in shown and "49" not in shown.split("{{ 7 * 7 }}")[0][-5:]
    assert "root:" not in shown  # /etc/passwd was not read
    assert Hits.count == 0 and refused == []


def test_a_template_override_can_read_only_template_files(project: Path, server: str) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "qbr.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block body %}'
        '<h1>{{ packet.account }}</h1>'
        '<img src="file:///etc/passwd">'
        f'<img src="{server}/pixel.png">'
        f'<link rel="stylesheet" href="{server}/evil.css">'
        '<div style="background: url(file:///etc/hostname)">x</div>'
        '{% endblock %}', encoding="utf-8")
    pdf, refused = render(project, COMPLETE_TIER1)
    assert Hits.count == 0
    assert sorted(refused) == sorted([
        "file:///etc/passwd", f"{server}/pixel.png", f"{server}/evil.css",
        "file:///etc/hostname",
    ])
    assert "Northwind Logistics" in text_of(pdf)


def test_a_template_cannot_reach_into_python(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "qbr.html.j2").write_text(
        "{{ packet.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(RenderError) as error:
        render(project, COMPLETE_TIER1)
    assert str(error.value).startswith("template qbr.html.j2 (or one it includes) failed: ")
    assert "__class__" in str(error.value)


def test_a_failed_render_leaves_the_last_good_packet(project: Path) -> None:
    good, _ = render(project, COMPLETE_TIER1)
    before = good.read_bytes()
    (project / "templates").mkdir()
    (project / "templates" / "qbr.html.j2").write_text("{{ packet.no_such_field }}",
                                                       encoding="utf-8")
    with pytest.raises(RenderError) as error:
        render(project, COMPLETE_TIER1)
    assert "no_such_field" in str(error.value)
    assert good.read_bytes() == before
    assert sorted(p.name for p in good.parent.iterdir()) == [good.name]  # no temporary files


def test_an_invalid_plan_is_a_render_error(project: Path) -> None:
    with pytest.raises(RenderError) as error:
        render(project, COMPLETE_TIER1.replace("  tier: 1", "  tier: 9"))
    assert str(error.value) == ("plans/acme.yaml:5:9: error[schema-value] account.tier: found 9, "
                                "expected one of 1, 2 or 3")
    assert not (project / "out").exists()


def test_a_very_long_word_wraps(project: Path) -> None:
    word = "x" * 2000
    pdf, _ = render(project, COMPLETE_TIER1.replace(
        "summary: Northwind runs 40 warehouses in EMEA.", f"summary: {word}"))
    # Wrapped, every character is on the page: none ran off the right edge unprinted.
    assert "".join(text_of(pdf).split()).count("x" * 100) >= 19

