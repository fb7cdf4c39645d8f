"""`planpack score` output: text for people, a stable JSON list for tools."""

from __future__ import annotations

import json
from typing import Any

from planpack.check import CheckRun, PlanReport


def _points(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def as_text(run: CheckRun) -> str:
    lines: list[str] = []
    for report in run.reports:
        health = report.health
        if health is None:
            lines.append(f"{report.slug}: not scored, {len(report.errors)} error(s) "
                         f"(run planpack validate {report.file})")
            lines.append("")
            continue
        lines.append(f"{report.slug}: {health.score}/100 {health.grade} ({health.label})  "
                     f"{report.file}")
        if report.snapshot_fetched_at is None:
            lines.append("  no Salesforce data")
        for c in health.components:
            lines.append(f"  {c.name:<14}{_points(c.score):>5}/100  weight {_points(c.weight)}")
        for d in health.deductions:
            lines.append(f"  -{_points(d.points):<5} {d.rule}: {d.message}")
            lines.append(f"         fix: {d.fix}")
        lines.append("")
    lines.append(summary(run))
    return "\n".join(lines) + "\n"


def summary(run: CheckRun) -> str:
    scored = [r.health for r in run.reports if r.health is not None]
    grades = [h.grade for h in scored]
    counts = {grade: grades.count(grade) for grade in ("green", "amber", "red")}
    text = f"{len(scored)} plan{'s' if len(scored) != 1 else ''} scored: " + ", ".join(
        f"{n} {grade}" for grade, n in counts.items()
    )
    if scored:
        text += f"; average {sum(h.score for h in scored) / len(scored):.0f}"
    unscored = len(run.reports) - len(scored)
    if unscored:
        text += f"; {unscored} not scored (invalid)"
    return text


def plan_json(report: PlanReport) -> dict[str, Any]:
    health = report.health
    return {
        "plan": report.slug,
        "file": report.file,
        "score": health.score if health else None,
        "grade": health.grade if health else None,
        "components": {
            c.name: {"score": c.score, "weight": c.weight} for c in health.components
        } if health else {},
        "deductions": [d.as_dict() for d in health.deductions] if health else [],
        "errors": [f.as_dict() for f in report.errors] if health is None else [],
        # When the Salesforce data behind the score was fetched; null: none was used.
        "salesforce_fetched_at": report.snapshot_fetched_at,
    }


def as_json(run: CheckRun) -> str:
    return json.dumps([plan_json(r) for r in run.reports], indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": as_text, "json": as_json}
