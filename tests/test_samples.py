"""The sample plans are the demo: they must stay valid, varied and realistic."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT

from planpack.check import CheckRun, check_plans
from planpack.loader.plans import load_plan
from planpack.loader.program import load_program

PLANS = ROOT / "plans"


@pytest.fixture(scope="module")
def run() -> CheckRun:
    config = load_program(ROOT / "planpack.yaml")
    return check_plans([PLANS], config, AS_OF, with_health=True, jobs=1)


def test_every_sample_passes_validate(run: CheckRun) -> None:
    assert len(run.reports) >= 6
    assert [f for f in run.findings if f.severity.value == "error"] == []


def test_green_samples_have_no_warnings(run: CheckRun) -> None:
    for report in run.reports:
        assert report.health is not None
        if report.health.grade == "green":
            assert report.warnings == [], report.file


def test_samples_cover_every_grade_tier_and_two_managers(run: CheckRun) -> None:
    grades = Counter(r.health.grade for r in run.reports if r.health)
    assert grades["green"] >= 2 and grades["amber"] >= 2 and grades["red"] >= 1
    plans = [load_plan(path).plan for path in sorted(PLANS.glob("*.yaml"))]
    assert all(plan is not None for plan in plans)
    assert {p.account.tier for p in plans if p} == {1, 2, 3}
    assert len({p.team.manager for p in plans if p and p.team.manager}) == 2


def test_one_sample_has_a_large_relationship_map() -> None:
    sizes = [len(p.plan.stakeholders) for p in map(load_plan, PLANS.glob("*.yaml")) if p.plan]
    assert max(sizes) >= 30


def test_committed_snapshots_are_what_make_snapshots_pulls(tmp_path: Path) -> None:
    from support.sample_org import make_snapshots

    shutil.copy(ROOT / "planpack.yaml", tmp_path / "planpack.yaml")
    make_snapshots(tmp_path, PLANS)
    made = {p.name: p.read_bytes() for p in (tmp_path / ".planpack" / "snapshots").iterdir()}
    committed = {p.name: p.read_bytes() for p in (ROOT / ".planpack" / "snapshots").iterdir()}
    assert made == committed, "the sample snapshots are stale: run `make snapshots`"


def test_every_sample_has_salesforce_data(run: CheckRun) -> None:
    assert all(r.snapshot_fetched_at == "2026-12-01T06:00:00Z" for r in run.reports)
