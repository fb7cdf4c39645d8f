"""`planpack build` end to end: outputs that reopen, a manifest that is right, rebuilds
that render only what changed, failures that stay with their plan, and roll-ups whose
numbers are the plans'."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import AS_OF, COMPLETE_TIER1, MINIMAL, ROOT
from pptx import Presentation
from pypdf import PdfReader

from planpack import atomic
from planpack.cli import cli

sys.path.insert(0, str(ROOT / "bench"))
from plangen import write_plans

DAY = AS_OF.isoformat()
BUILD = ["build", "--offline", "--as-of", DAY]


def planpack(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return data


def stamps(out: Path) -> dict[str, int]:
    """Each output file's modification time: what a rebuild must leave alone."""
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.suffix in (".pdf", ".pptx")}


def deck_text(path: Path) -> str:
    deck = Presentation(str(path))
    return "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                     if shape.has_text_frame)


def summary(result: Result) -> str:
    lines = [line for line in result.output.splitlines() if line.startswith("Built ")]
    assert lines, result.output
    return lines[-1]


def built_names(result: Result) -> set[str]:
    return set(re.findall(r"\] built plans/([\w-]+)\.yaml", result.output))


def programme(folder: Path, plans: int = 0, managers: int = 4) -> Path:
    """A programme like a team's: the repository's planpack.yaml, and generated plans."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "planpack.yaml", folder / "planpack.yaml")
    if plans:
        write_plans(folder / "plans", plans, AS_OF, managers=managers)
    else:
        (folder / "plans").mkdir()
    return folder


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    for name in [n for n in os.environ if n.startswith("SF_")]:
        monkeypatch.delenv(name)


# -- the sample plans, as `make demo` builds them ------------------------------------------

@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """The repository's sample programme copied, and built once in PDF and deck form."""
    folder = tmp_path_factory.mktemp("samples")
    for name in ("planpack.yaml", "plans", ".planpack"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy(source, folder / name)
    here = Path.cwd()
    os.chdir(folder)
    try:
        result = planpack(*BUILD, "--format", "pdf,pptx", "--jobs", "2")
    finally:
        os.chdir(here)
    return folder, result


def test_the_samples_build_into_packets_that_reopen(samples: tuple[Path, Result]) -> None:
    folder, result = samples
    assert result.exit_code == 0, result.output
    plans = sorted(p.stem for p in (folder / "plans").glob("*.yaml"))
    assert summary(result).startswith(f"Built {len(plans)} plans ({2 * len(plans)} files), "
                                      "0 unchanged, 0 failed")
    out = folder / "output"
    for slug in plans:
        name = next(line.split(": ", 1)[1] for line in
                    (folder / "plans" / f"{slug}.yaml").read_text().splitlines()
                    if line.startswith("  name: "))
        pdf = PdfReader(out / f"{slug}-qbr.pdf")
        assert name in pdf.pages[0].extract_text(), slug
        assert name in deck_text(out / f"{slug}-qbr.pptx"), slug
    assert not list(out.glob(".*.tmp"))


def test_the_samples_manifest_records_inputs_outputs_and_health(
        samples: tuple[Path, Result]) -> None:
    folder, _ = samples
    data = manifest(folder / "output")
    assert data["format"] == "planpack-manifest/1"
    config = str(folder / "planpack.yaml")
    scores = {row["plan"]: row for row in json.loads(CliRunner().invoke(
        cli, ["score", "--format", "json", "--as-of", DAY, "--config", config,
              str(folder / "plans")]).stdout)}
    assert set(data["plans"]) == {f"plans/{slug}.yaml" for slug in scores}
    for key, record in data["plans"].items():
        content = (folder / key).read_bytes()
        assert record["plan"] == hashlib.sha256(content).hexdigest()
        if record["snapshot_path"]:
            snapshot = (folder / record["snapshot_path"]).read_bytes()
            assert record["snapshot"] == hashlib.sha256(snapshot).hexdigest()
        assert {(o["path"], o["kind"], o["format"]) for o in record["outputs"]} == {
            (f"{record['slug']}-qbr.pdf", "qbr", "pdf"),
            (f"{record['slug']}-qbr.pptx", "qbr", "pptx")}
        assert (record["score"], record["grade"]) == (scores[record["slug"]]["score"],
                                                     scores[record["slug"]]["grade"])
        assert record["error"] is None
    assert {p.name for p in (folder / "output").glob("portfolio-manager*")} >= {
        "portfolio-manager.json", "portfolio-manager-grace-liu.pdf",
        "portfolio-manager-grace-liu.pptx"}
    assert set(data["rollups"]["outputs"]) == {
        p.name for p in (folder / "output").glob("portfolio-manager*")}


def test_the_samples_packets_say_how_old_their_data_is(samples: tuple[Path, Result]) -> None:
    folder, _ = samples
    linked = [r for r in manifest(folder / "output")["plans"].values() if r["snapshot_path"]]
    assert linked
    pdf = PdfReader(folder / "output" / f"{linked[0]['slug']}-qbr.pdf")
    sources = pdf.pages[-1].extract_text()
    fetched = json.loads((folder / linked[0]["snapshot_path"]).read_text())["fetched_at"]
    day, time = fetched.rstrip("Z").split("T")
    assert f"snapshot\n{day} {time} UTC" in sources


# -- a generated programme of a few dozen plans --------------------------------------------

def test_incremental_rebuilds_render_only_what_changed(tmp_path: Path) -> None:
    folder = programme(tmp_path / "p", plans=24)
    os.chdir(folder)
    deck = [*BUILD, "--format", "pptx", "--jobs", "2"]
    first = planpack(*deck)
    assert first.exit_code == 0, first.output
    assert summary(first).startswith("Built 24 plans (24 files), 0 unchanged, 0 failed")
    out = folder / "output"
    for n in (0, 11, 23):
        assert f"Account {n} Holdings" in deck_text(out / f"account-{n:04d}-qbr.pptx")
    assert len(list(out.glob("account-*-qbr.pptx"))) == 24
    before = stamps(out)

    again = planpack(*deck)
    assert summary(again).startswith("Built 0 plans (0 files), 24 unchanged, 0 failed")
    assert stamps(out) == before

    plan = folder / "plans" / "account-0007.yaml"
    plan.write_text(plan.read_text() + "# reviewed with the manager\n")
    touched = planpack(*deck)
    assert summary(touched).startswith("Built 1 plan (1 file), 23 unchanged, 0 failed")
    assert built_names(touched) == {"account-0007"}
    after = stamps(out)
    changed = {name for name in before if after[name] != before[name]}
    assert {n for n in changed if not n.startswith("portfolio-")} == {"account-0007-qbr.pptx"}
    assert manifest(out)["plans"]["plans/account-0007.yaml"]["plan"] == hashlib.sha256(
        plan.read_bytes()).hexdigest()

    # A team's own deck template (here: planpack's, copied) changes every deck's inputs.
    (folder / "templates").mkdir()
    shutil.copy(ROOT / "templates" / "deck.pptx", folder / "templates" / "deck.pptx")
    restyled = planpack(*deck)
    assert summary(restyled).startswith("Built 24 plans (24 files), 0 unchanged")

    forced = planpack(*deck, "--force", "--jobs", "1")
    assert summary(forced).startswith("Built 24 plans (24 files), 0 unchanged")


def test_another_as_of_or_kind_is_another_output(tmp_path: Path) -> None:
    folder = programme(tmp_path / "p", plans=3)
    os.chdir(folder)
    deck = ["build", "--offline", "--format", "pptx", "--jobs", "1"]
    assert planpack(*deck, "--as-of", DAY).exit_code == 0
    later = planpack(*deck, "--as-of", "2026-12-02")
    assert summary(later).startswith("Built 3 plans")
    checkin = planpack(*deck, "--as-of", "2026-12-02", "--kind", "checkin")
    assert summary(checkin).startswith("Built 3 plans")
    assert (folder / "output" / "account-0000-checkin.pptx").is_file()
    assert (folder / "output" / "account-0000-qbr.pptx").is_file()
    record = manifest(folder / "output")["plans"]["plans/account-0000.yaml"]
    assert {o["kind"] for o in record["outputs"]} == {"qbr", "checkin"}
    both = planpack(*deck, "--as-of", "2026-12-02", "--kind", "checkin")
    assert summary(both).startswith("Built 0 plans (0 files), 3 unchanged")


def test_the_same_inputs_give_the_same_bytes_on_one_worker_or_two(tmp_path: Path) -> None:
    folder = programme(tmp_path / "p", plans=3, managers=2)
    os.chdir(folder)
    for jobs, out in (("1", "one"), ("2", "two")):
        result = planpack(*BUILD, "--format", "pdf,pptx", "--jobs", jobs, "--out", out)
        assert result.exit_code == 0, result.output
    one = {p.name: p.read_bytes() for p in (folder / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (folder / "two").iterdir()}
    assert len(one) == 3 * 2 + 2 * 2 + 2  # packets, roll-ups, the JSON and the manifest
    assert one == two


def test_the_rollups_numbers_are_the_plans(tmp_path: Path) -> None:
    folder = programme(tmp_path / "p", plans=20, managers=3)
    os.chdir(folder)
    result = planpack(*BUILD, "--format", "pptx", "--jobs", "2")
    assert result.exit_code == 0, result.output
    out = folder / "output"
    rollups = json.loads((out / "portfolio-manager.json").read_text())
    scores = {row["plan"]: row for row in json.loads(CliRunner().invoke(
        cli, ["score", "--format", "json", "--as-of", DAY, "plans"]).stdout)}
    records = manifest(out)["plans"]
    assert {r["person"] for r in rollups} == {f"manager{n}@example.com" for n in range(3)}
    covered: list[str] = []
    for rollup in rollups:
        n = int(rollup["person"][len("manager"):].split("@")[0])
        slugs = [row["slug"] for row in rollup["rows"]]
        assert sorted(slugs) == [f"account-{i:04d}" for i in range(20) if i % 3 == n]
        covered += slugs
        for row in rollup["rows"]:
            assert row["score"] == scores[row["slug"]]["score"]
            assert row["grade"] == records[f"plans/{row['slug']}.yaml"]["grade"]
        assert [r["score"] for r in rollup["rows"]] == sorted(r["score"] for r in rollup["rows"])
        assert dict(map(tuple, rollup["by_tier"])) == dict(
            Counter(row["tier"] for row in rollup["rows"]))
        assert sum(count for _, count in rollup["distribution"]) == len(slugs)
        assert (out / f"portfolio-manager-manager{n}.pptx").is_file()
        assert rollup["name"] in deck_text(out / f"portfolio-manager-manager{n}.pptx")
    assert sorted(covered) == sorted(scores)


# -- failures stay with their plan ---------------------------------------------------------

def test_a_plan_that_fails_keeps_its_last_good_packet_and_the_others_build(
        tmp_path: Path) -> None:
    folder = programme(tmp_path / "p", plans=4)
    os.chdir(folder)
    deck = [*BUILD, "--format", "pptx", "--jobs", "1"]
    assert planpack(*deck).exit_code == 0
    out = folder / "output"
    good = (out / "account-0001-qbr.pptx").read_bytes()
    broken = folder / "plans" / "account-0001.yaml"
    broken.write_text(broken.read_text().replace("  tier: ", "  teir: ", 1))
    other = folder / "plans" / "account-0002.yaml"
    other.write_text(other.read_text() + "# touched\n")

    result = planpack(*deck)
    assert result.exit_code == 1
    assert summary(result).startswith("Built 1 plan (1 file), 2 unchanged, 1 failed")
    assert built_names(result) == {"account-0002"}
    assert re.search(r"FAILED plans/account-0001\.yaml:\d+:\d+: error\[schema-\S+\] account\.",
                     result.output)
    assert "(and 1 more error: planpack validate plans/account-0001.yaml)" in result.output
    assert (out / "account-0001-qbr.pptx").read_bytes() == good
    record = manifest(out)["plans"]["plans/account-0001.yaml"]
    assert record["error"].startswith("plans/account-0001.yaml:")
    assert [o["path"] for o in record["outputs"]] == ["account-0001-qbr.pptx"]

    # Still failing: tried again, not taken for current.
    assert planpack(*deck).exit_code == 1
    broken.write_text(broken.read_text().replace("  teir: ", "  tier: ", 1))
    fixed = planpack(*deck)
    assert fixed.exit_code == 0
    assert built_names(fixed) == {"account-0001"}
    assert manifest(out)["plans"]["plans/account-0001.yaml"]["error"] is None


def test_a_folder_of_valid_and_invalid_plans_builds_the_valid_and_lists_the_rest(
        tmp_path: Path) -> None:
    folder = programme(tmp_path / "p")
    plans = folder / "plans"
    (plans / "northwind.yaml").write_text(COMPLETE_TIER1)
    (plans / "minimal.yaml").write_text(MINIMAL)
    (plans / "typo.yaml").write_text(MINIMAL.replace("tier: 3", "tier: three"))
    (plans / "broken.yaml").write_text("account: [unclosed\n")
    os.chdir(folder)
    result = planpack(*BUILD, "--format", "pptx", "--jobs", "2")
    assert result.exit_code == 1
    assert summary(result).startswith("Built 2 plans (2 files), 0 unchanged, 2 failed")
    assert ("FAILED plans/typo.yaml:4:9: error[schema-value] account.tier: found 'three', "
            "expected one of 1, 2 or 3") in result.output
    assert "FAILED plans/broken.yaml:" in result.output
    out = folder / "output"
    assert {p.name for p in out.glob("*-qbr.pptx")} == {"northwind-qbr.pptx",
                                                        "minimal-qbr.pptx"}
    assert manifest(out)["plans"]["plans/typo.yaml"]["outputs"] == []


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = programme(tmp_path / "p", plans=1)
    os.chdir(folder)
    (folder / "taken").write_text("a file, not a folder\n")
    result = planpack(*BUILD, "--out", "taken/output")
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith(
        "Error: cannot write to taken/output: Not a directory")
    assert "choose another folder with --out" in result.output
    assert "Traceback" not in result.output


def test_a_missing_template_is_a_clear_error_before_anything_is_built(tmp_path: Path) -> None:
    folder = programme(tmp_path / "p", plans=2)
    (folder / "templates").mkdir()
    layout = (ROOT / "templates" / "qbr.html.j2").read_text()
    (folder / "templates" / "qbr.html.j2").write_text(
        layout.replace('{% extends "layouts/qbr.html.j2" %}',
                       '{% extends "layouts/qbr.html.j2" %}\n'
                       '{% block cover %}{% include "our-cover.html.j2" %}{% endblock %}'))
    os.chdir(folder)
    result = planpack(*BUILD, "--jobs", "1")
    assert result.exit_code == 2, result.output
    assert "our-cover.html.j2" in result.output
    assert "qbr.html.j2" in result.output
    assert not list((folder / "output").glob("*.pdf"))


def test_a_full_disk_is_a_clear_error_and_keeps_the_last_good_outputs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = programme(tmp_path / "p", plans=3)
    os.chdir(folder)
    deck = [*BUILD, "--format", "pptx", "--jobs", "1"]
    assert planpack(*deck).exit_code == 0
    out = folder / "output"
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", full)
    result = planpack(*deck, "--force")
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert "Traceback" not in result.output
    assert result.output.count("FAILED") == 1  # it stops at the first: the rest would fail too
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# -- what a person sees --------------------------------------------------------------------

def test_lines_for_logs_and_the_quiet_and_verbose_modes(tmp_path: Path) -> None:
    folder = programme(tmp_path / "p", plans=3)
    os.chdir(folder)
    deck = [*BUILD, "--format", "pptx", "--jobs", "1"]
    first = planpack(*deck, "-v")
    lines = [line for line in first.output.splitlines() if "] built " in line]
    assert len(lines) == 3
    assert re.fullmatch(r"\[\d/3\] built plans/account-000\d\.yaml \(account-000\d-qbr\.pptx; "
                        r"\d+\.\d s; worker \d+, peak \d+ MB\)", lines[0])
    assert "roll-ups for 3 managers" in first.output
    assert re.search(r"Built 3 plans \(3 files\), 0 unchanged, 0 failed in \d+\.\d s; "
                     r"outputs in output$", first.output.strip())

    unchanged = planpack(*deck, "-v")
    assert unchanged.output.count("unchanged plans/account-") == 3
    quiet = planpack(*deck, "--force", "-q")
    assert "] built " not in quiet.output
    assert summary(quiet).startswith("Built 3 plans")


def test_a_terminal_gets_a_progress_bar(tmp_path: Path) -> None:
    import pty

    folder = programme(tmp_path / "p", plans=3)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "planpack", *BUILD, "--format", "pptx", "--jobs", "1"],
        cwd=folder, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the pty closes when the build exits
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0
    text = seen.decode()
    assert "3 plans to build, 0 unchanged" in text
    assert re.search(r"Building\s+\[#+\]\s+3/3", text), text
    assert "plans/account-000" in text  # the plan just finished, beside the bar
    assert "] built " not in text  # the bar, not the log lines
    assert "Built 3 plans (3 files), 0 unchanged, 0 failed" in text


def test_without_credentials_the_build_uses_the_snapshots_there_are(tmp_path: Path) -> None:
    folder = programme(tmp_path / "p", plans=1)
    os.chdir(folder)
    result = planpack("build", "--as-of", DAY, "--format", "pptx", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "no Salesforce credentials: building from the existing snapshots" in result.output


def test_stale_snapshots_are_pulled_first_when_there_are_credentials(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from support.salesforce_standin import StandIn
    from support.sample_org import build as sample_org
    from support.sample_org import sample_plans

    folder = programme(tmp_path / "p")
    for slug in ("northwind-logistics", "harborline-freight"):
        shutil.copy(ROOT / "plans" / f"{slug}.yaml", folder / "plans")
    shutil.copytree(ROOT / ".planpack", folder / ".planpack")
    snapshots = folder / ".planpack" / "snapshots"
    linked = sorted(snapshots.glob("*.json"))
    old = {p.name: json.loads(p.read_text())["fetched_at"] for p in linked}
    os.chdir(folder)
    # The committed snapshots were fetched on 2026-12-01: older than 24 hours by now.
    with StandIn(sample_org(sample_plans(folder / "plans"))) as standin:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", standin.ca_file)
        monkeypatch.setenv("SF_INSTANCE_URL", standin.url)
        monkeypatch.setenv("SF_ACCESS_TOKEN", standin.token)
        for name in ("HTTPS_PROXY", "https_proxy"):
            monkeypatch.delenv(name, raising=False)
        first = planpack("build", "--as-of", DAY, "--format", "pptx", "--jobs", "1")
        assert first.exit_code == 0, first.output
        assert re.search(r"pulled 2 stale snapshots in \d+ API requests", first.output)
        assert standin.token not in first.output
        fresh = {p: json.loads((snapshots / p).read_text())["fetched_at"] for p in old}
        pulled = [name for name in old if fresh[name] > old[name]]
        assert len(pulled) == 2
        # Fresh now: nothing to pull, nothing to render.
        second = planpack("build", "--as-of", DAY, "--format", "pptx", "--jobs", "1")
    assert "pulled" not in second.output
    assert summary(second).startswith("Built 0 plans (0 files), 2 unchanged")
    records = manifest(folder / "output")["plans"].values()
    assert {r["snapshot"] for r in records} == {
        hashlib.sha256((folder / r["snapshot_path"]).read_bytes()).hexdigest() for r in records}


def test_half_set_credentials_fail_the_pull_but_not_the_packets(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = programme(tmp_path / "p", plans=1)
    os.chdir(folder)
    monkeypatch.setenv("SF_USERNAME", "ops@example.com")
    monkeypatch.setenv("SF_PASSWORD", "hunter2-secret")
    result = planpack("build", "--as-of", DAY, "--format", "pptx", "--jobs", "1")
    assert result.exit_code == 1
    assert "SF_SECURITY_TOKEN" in result.output
    assert "hunter2-secret" not in result.output
    assert (folder / "output" / "account-0000-qbr.pptx").is_file()


def _plan_with_next_review(name: str, day: str) -> str:
    text = COMPLETE_TIER1.replace("next_review: 2027-01-13", f"next_review: {day}")
    return text.replace("name: Northwind Logistics", f"name: {name}")


def test_due_within_builds_the_plans_whose_review_is_coming_or_overdue(tmp_path: Path) -> None:
    folder = programme(tmp_path / "p")
    plans = folder / "plans"
    (plans / "soon.yaml").write_text(_plan_with_next_review("Soon Co", "2026-12-10"))
    (plans / "overdue.yaml").write_text(_plan_with_next_review("Late Co", "2026-11-20"))
    (plans / "later.yaml").write_text(_plan_with_next_review("Later Co", "2027-01-13"))
    # No next_review: due by the tier's cadence (92 days) after the last review.
    (plans / "cadence.yaml").write_text(
        COMPLETE_TIER1.replace("  next_review: 2027-01-13\n", "")
        .replace("last_review: 2026-10-14", "last_review: 2026-09-05"))
    os.chdir(folder)
    result = planpack(*BUILD, "--format", "pptx", "--jobs", "1", "--due-within", "14")
    assert result.exit_code in (0, 1), result.output
    assert built_names(result) == {"soon", "overdue", "cadence"}
    assert ", 1 not due in " in summary(result)
    assert not (folder / "output" / "later-qbr.pptx").exists()
    # The manager's roll-up still covers every plan of theirs, due or not.
    rollups = json.loads((folder / "output" / "portfolio-manager.json").read_text())
    assert [len(r["rows"]) for r in rollups] == [4]


def test_ctrl_c_leaves_no_partial_files_and_a_manifest_of_what_was_done(
        tmp_path: Path) -> None:
    folder = programme(tmp_path / "p", plans=12)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "planpack", *BUILD, "--jobs", "2"], cwd=folder, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stdout is not None
    for line in process.stdout:
        if "] built " in line:
            break
    # As a terminal does: the whole foreground group, the workers with it.
    os.killpg(process.pid, signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130, errors
    assert "Interrupted" in errors
    assert "Traceback" not in errors
    out = folder / "output"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    records = manifest(out)["plans"]
    assert 1 <= len(records) < 12
    for record in records.values():
        for output in record["outputs"]:
            assert PdfReader(out / output["path"]).pages
    os.chdir(folder)
    rebuilt = planpack(*BUILD, "--jobs", "2")
    assert rebuilt.exit_code == 0
    assert summary(rebuilt).startswith(f"Built {12 - len(records)} plans")


# -- planpack portfolio --------------------------------------------------------------------

def test_portfolio_by_owner_as_pdf_with_links_to_the_packets_and_json(tmp_path: Path) -> None:
    folder = programme(tmp_path / "p", plans=4)
    os.chdir(folder)
    result = planpack("portfolio", "--by", "owner", "--format", "pdf,json", "--as-of", DAY)
    assert result.exit_code == 0, result.output
    out = folder / "output"
    groups = json.loads((out / "portfolio-owner.json").read_text())
    owners = {g["person"] for g in groups}
    assert len(owners) == len(list(out.glob("portfolio-owner-*.pdf")))
    first = groups[0]
    pdf = PdfReader(out / f"portfolio-owner-{first['slug']}.pdf")
    links = {annotation.get_object()["/A"].get("/URI") for page in pdf.pages
             for annotation in page.get("/Annots", [])}
    assert {f"{row['slug']}-qbr.pdf" for row in first["rows"]} <= links
    text = "".join(page.extract_text() for page in pdf.pages)
    for row in first["rows"]:
        assert row["account"] in text


def test_portfolio_lists_plans_it_cannot_load_and_exits_1(tmp_path: Path) -> None:
    folder = programme(tmp_path / "p", plans=2)
    (folder / "plans" / "broken.yaml").write_text(textwrap.dedent("""\
        schema_version: 1
        account: [unclosed
        """))
    os.chdir(folder)
    result = planpack("portfolio", "--format", "json", "--as-of", DAY)
    assert result.exit_code == 1
    assert "plans/broken.yaml:" in result.output
    assert "left out of the roll-ups" in result.output
    groups = json.loads((folder / "output" / "portfolio-manager.json").read_text())
    assert sum(len(g["rows"]) for g in groups) == 2
