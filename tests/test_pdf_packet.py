"""The PDF packets, opened again with pypdf and checked for what a reader sees.

The QBR packet of the largest sample is rendered inside a small git repository made
with pinned dates (so its "What changed" section and its sources are the same on
every machine), then compared section by section with golden text in
tests/golden/. After an intended change to the templates, the charts or the sample,
regenerate them with `make golden` and review the diff.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from conftest import AS_OF, COMPLETE_TIER1, ROOT

from planpack.loader.program import load_program
from planpack.render import Rendered, render_plan

GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("PLANPACK_UPDATE_GOLDEN") == "1"
SAMPLE = "alpine-cold-chain"


def git(repo: Path, *args: str, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "Katrin Vogel", "GIT_AUTHOR_EMAIL": "katrin.vogel@example.com",
           "GIT_COMMITTER_NAME": "Katrin Vogel",
           "GIT_COMMITTER_EMAIL": "katrin.vogel@example.com"}
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample as it was at its QBR (2026-10-21) and as it is now, in git."""
    root = tmp_path_factory.mktemp("packets")
    shutil.copy(ROOT / "planpack.yaml", root / "planpack.yaml")
    shutil.copytree(ROOT / ".planpack" / "snapshots", root / ".planpack" / "snapshots")
    (root / "plans").mkdir()
    now = (ROOT / "plans" / f"{SAMPLE}.yaml").read_text(encoding="utf-8")
    then = edit(now, "    due: 2026-12-15\n    status: in_progress\n",
                "    due: 2026-11-30\n    status: in_progress\n")
    then = edit(then, "    due: 2026-11-20\n    status: done\n    done_on: 2026-11-19\n",
                "    due: 2026-11-20\n    status: open\n")
    then = edit(then, "  - name: Matthias Keller\n", "  - name: Matthias Keller\n") \
        .replace("    sentiment: supporter\n", "    sentiment: neutral\n", 1)
    start = then.index("  - id: ceo-customer-council")
    then = then[:start] + then[then.index("  - id: security-questionnaire"):]
    plan = root / "plans" / f"{SAMPLE}.yaml"
    git(root, "init", "-q", "-b", "main", when="2026-10-01T09:00:00Z")
    plan.write_text(then, encoding="utf-8")
    git(root, "add", "-A", when="2026-10-20T16:00:00Z")
    git(root, "commit", "-q", "-m", "Prepare the QBR", when="2026-10-20T16:00:00Z")
    plan.write_text(now, encoding="utf-8")
    git(root, "commit", "-q", "-am", "After the check-in", when="2026-11-19T10:00:00Z")
    yield root


@pytest.fixture(scope="module")
def packets(repo: Path) -> Iterator[dict[str, Rendered]]:
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        config = load_program(repo / "planpack.yaml")
        plan = Path("plans") / f"{SAMPLE}.yaml"
        yield {kind: render_plan(plan, config, AS_OF, kind=kind, out=repo / "out")
               for kind in ("qbr", "checkin")}
    finally:
        os.chdir(cwd)


def reader(rendered: Rendered) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(rendered.path.read_bytes()))


def page_texts(rendered: Rendered) -> list[str]:
    """Each page's text without the running header and footer, whitespace normalised."""
    packet = rendered.packet
    kind = "QBR packet" if packet.kind == "qbr" else "Check-in"
    header = f"Confidential {kind}, {packet.as_of_text}"
    footer = re.compile(re.escape(packet.account) + r" page \d+ of \d+")
    pages = []
    for page in reader(rendered).pages:
        lines = [" ".join(line.split()) for line in page.extract_text().splitlines()]
        pages.append("\n".join(line for line in lines
                               if line and line != header and not footer.fullmatch(line)))
    return pages


def sections(rendered: Rendered) -> list[tuple[str, str]]:
    """(bookmark title, the text from its heading to the next one), in document order."""
    titles = [item.title for item in reader(rendered).outline if not isinstance(item, list)]
    text = "\n".join(page_texts(rendered))
    found, at = [], 0
    for title in titles:
        start = text.index(title, at)
        found.append((title, start))
        at = start + len(title)
    return [(title, text[start:(found[i + 1][1] if i + 1 < len(found) else len(text))].strip())
            for i, (title, start) in enumerate(found)]


def test_the_qbr_bookmarks_follow_the_design(packets: dict[str, Rendered]) -> None:
    titles = [item.title for item in reader(packets["qbr"]).outline if not isinstance(item, list)]
    assert titles == [
        "Alpine Cold Chain AG", "Summary", "Relationship map", "Whitespace",
        "Opportunity roadmap", "Actions", "What changed since the last review", "Risks",
        "Objectives", "Intelligence", "Who owns what (RACI)", "Sources",
    ]


def test_the_metadata_a_reader_sees(packets: dict[str, Rendered]) -> None:
    pdf = reader(packets["qbr"])
    meta = pdf.metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.subject) == (
        "Alpine Cold Chain AG: QBR packet, 1 Dec 2026", "Katrin Vogel",
        "FY27 Strategic Accounts: Alpine Cold Chain AG, tier 1",
    )
    assert "Alpine Cold Chain AG" in str(meta.get("/Keywords"))
    assert meta.get("/CreationDate") == "D:20261201000000Z"
    assert pdf.trailer["/Root"]["/Lang"] == "en"


def test_fonts_are_embedded(packets: dict[str, Rendered]) -> None:
    for page in reader(packets["qbr"]).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()
            # The bundled DejaVu Sans, under the stylesheet's family name.
            assert "Packet-Sans" in str(font.get_object()["/BaseFont"])


def test_page_one_decides(packets: dict[str, Rendered]) -> None:
    first = page_texts(packets["qbr"])[0]
    packet = packets["qbr"].packet
    assert packet.health is not None
    assert f"{packet.health.score}" in first and packet.grade_label in first
    for _, message, _ in packet.top_deductions:
        assert " ".join(message.split())[:40] in first
    for figure in packet.figures:
        assert figure.label in first and figure.value in first


def test_every_action_and_its_marks(packets: dict[str, Rendered]) -> None:
    text = "\n".join(page_texts(packets["qbr"]))
    for action in packets["qbr"].packet.actions:
        assert " ".join(action.title.split()) in text.replace("\n", " ")


def test_what_changed_since_the_qbr(packets: dict[str, Rendered]) -> None:
    changed = " ".join(dict(sections(packets["qbr"]))["What changed since the last review"]
                       .split())
    assert "Invite Matthias Keller to the Meridian customer council" in changed
    assert "+15 d" in changed
    assert "Answer the Swiss hosting security questionnaire" in changed


def test_sources_name_the_commit_and_the_snapshot(packets: dict[str, Rendered], repo: Path
                                                  ) -> None:
    sources = dict(sections(packets["qbr"]))["Sources"]
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert head[:12] in sources
    assert "2026-12-01 06:00:00 UTC" in sources
    assert "plans/alpine-cold-chain.yaml" in sources


def test_the_checkin_packet_is_short(packets: dict[str, Rendered]) -> None:
    pdf = reader(packets["checkin"])
    assert len(pdf.pages) <= 2
    text = "\n".join(page_texts(packets["checkin"]))
    for heading in ("Health", "Done", "Slipped", "Next"):
        assert heading in text


def test_same_inputs_same_bytes(packets: dict[str, Rendered], repo: Path) -> None:
    first = packets["qbr"].path.read_bytes()
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        again = render_plan(Path("plans") / f"{SAMPLE}.yaml", load_program(repo / "planpack.yaml"),
                            AS_OF, out=repo / "again")
    finally:
        os.chdir(cwd)
    assert again.path.read_bytes() == first


@pytest.mark.parametrize("kind", ["qbr", "checkin"])
def test_golden_text(packets: dict[str, Rendered], kind: str) -> None:
    folder = GOLDEN / f"{SAMPLE}-{kind}"
    found = sections(packets[kind])
    expected_files = sorted(folder.glob("*.txt")) if folder.exists() else []
    if UPDATE:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for n, (title, text) in enumerate(found, 1):
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
            (folder / f"{n:02d}-{slug}.txt").write_text(text + "\n", encoding="utf-8")
        return
    assert expected_files, "no golden text: run `make golden`"
    assert [p.read_text(encoding="utf-8").rstrip("\n") for p in expected_files] == [
        text for _, text in found
    ], "the packet's text changed: review it, then run `make golden`"


def test_missing_roles_are_called_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "plans").mkdir()
    plan = tmp_path / "plans" / "acme.yaml"
    plan.write_text(COMPLETE_TIER1.replace("    role: champion\n", "    role: coach\n"),
                    encoding="utf-8")
    rendered = render_plan(plan, load_program(None, tmp_path), AS_OF, out=tmp_path / "out")
    text = " ".join("\n".join(page_texts(rendered)).split())
    assert "Champion" in text and "missing" in text.lower()


def test_names_in_other_scripts_have_real_glyphs(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from fontTools.ttLib import TTFont

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "plans").mkdir()
    names = {"greek": "Ελένη Παπαδοπούλου", "cyrillic": "Дмитрий Иванов",
             "arabic": "فاطمة الزهراء", "latin": "Łukasz Nowak-Ørsted"}
    people = "".join(f"  - name: {name}\n    role: influencer\n" for name in names.values())
    plan = tmp_path / "plans" / "acme.yaml"
    plan.write_text(COMPLETE_TIER1.replace("whitespace:\n", people + "whitespace:\n"),
                    encoding="utf-8")
    rendered = render_plan(plan, load_program(None, tmp_path), AS_OF, out=tmp_path / "out")
    # Names may wrap inside a card: compare without the line breaks.
    text = "".join("".join(page_texts(rendered)).split())
    for script in ("greek", "cyrillic", "latin"):
        assert "".join(names[script].split()) in text
    # Every letter is in an embedded font's character map: no missing-glyph boxes.
    covered: set[int] = set()
    for page in reader(rendered).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            data = descriptor.get_object()["/FontFile2"].get_data()
            covered |= set(TTFont(io.BytesIO(data)).getBestCmap() or {})
            to_unicode = font.get_object().get("/ToUnicode")
            if to_unicode is not None:
                covered |= {int(h, 16) for h in re.findall(
                    rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4})>", to_unicode.get_object().get_data())}
    letters = {ord(c) for name in names.values() for c in name if c.isalpha()}
    assert letters <= covered


def test_overdue_actions_are_marked_in_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    monkeypatch.chdir(ROOT)
    config = load_program(ROOT / "planpack.yaml")
    rendered = render_plan(Path("plans/cascadia-grocers.yaml"), config, AS_OF, out=tmp_path)
    actions = " ".join(dict(sections(rendered))["Actions"].split())
    overdue = [a for a in rendered.packet.actions if a.overdue_days]
    assert len(overdue) == 3
    for action in overdue:
        assert f"{action.overdue_days} d overdue" in actions


def test_long_tables_repeat_their_header(packets: dict[str, Rendered]) -> None:
    # Alpine's 31 people fill more than a page: every page of the table has its header.
    pages = [text for text in page_texts(packets["qbr"]) if "Matthias Keller" in text
             or "Ursula Frick" in text]
    table_pages = [text for text in pages if "Last contact" in text]
    assert len(table_pages) >= 2
    for text in table_pages:
        assert "Name\nTitle\nRole" in text or "Name Title Role" in text.replace("\n", " ")
