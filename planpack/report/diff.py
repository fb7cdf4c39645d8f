"""`planpack diff` output: text for a terminal, markdown for a pull-request comment, JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from planpack.health.model import Health
from planpack.history.compare import Change
from planpack.history.diff import DiffRun, PlanDiff

TITLES = {"account": "Account", "team": "Team", "cadence": "Cadence", "summary": "Summary",
          "objectives": "Objectives", "stakeholders": "Stakeholders",
          "whitespace": "Whitespace", "opportunities": "Opportunities", "risks": "Risks",
          "actions": "Actions", "intelligence": "Intelligence", "reviews": "Reviews"}


def _value(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def change_text(change: Change, quote: Any = str) -> str:
    """One change as a line a person reads; `quote` escapes plan text for the format."""
    subject = quote(change.subject)
    note = f" ({quote(change.note)})" if change.note else ""
    arrow = f"{quote(_value(change.before))} → {quote(_value(change.after))}"
    if change.kind in ("added", "removed"):
        what = f" {change.field.rstrip('s')}" if change.section == "whitespace" and change.field \
            in ("products", "units") else ""
        return f"{change.kind}{what}: {subject}{note}"
    if change.kind in ("completed", "dropped"):
        return f"{change.kind}: {subject}"
    if change.kind == "moved":
        return f"due moved: {subject}: {arrow}{note}"
    if change.section == "summary":
        return "summary rewritten"
    if change.section in ("account", "cadence") or change.subject == change.field:
        return f"{change.field}: {arrow}{note}"
    if change.field == "influences":
        other = change.after if change.after is not None else change.before
        return f"{subject} {change.note} {quote(str(other))}"
    return f"{change.field}: {subject}: {arrow}{note}"


def _health(health: Health | None) -> str:
    return f"{health.score} {health.grade}" if health else "not scored"


def health_line(diff: PlanDiff) -> str:
    before = diff.before.health if diff.before else None
    after = diff.after.health if diff.after else None
    if before and after:
        delta = after.score - before.score
        if delta == 0 and before.grade == after.grade:
            return f"health {after.score} {after.grade} (unchanged)"
        grade = f", {before.grade} → {after.grade}" if before.grade != after.grade else ""
        return f"health {before.score} → {after.score} ({delta:+d}){grade}"
    if after:
        return f"health {after.score} {after.grade} (new)"
    if before:
        return f"health was {before.score} {before.grade} (removed)"
    return "health: not scored"


def moved_components(diff: PlanDiff) -> list[str]:
    before = diff.before.health if diff.before else None
    after = diff.after.health if diff.after else None
    if not (before and after):
        return []
    old = {c.name: c.score for c in before.components}
    return [f"{c.name} {old[c.name]:g} → {c.score:g} ({c.score - old[c.name]:+g})"
            for c in after.components if c.score != old.get(c.name)]


def _grouped(diff: PlanDiff) -> list[tuple[str, list[Change]]]:
    groups: dict[str, list[Change]] = {}
    for change in diff.changes:
        groups.setdefault(change.section, []).append(change)
    return [(TITLES[section], changes) for section, changes in groups.items()]


def _files(diff: PlanDiff, quote: Any = str) -> str:
    if diff.status == "renamed" and diff.old_file != diff.new_file:
        return f"{quote(diff.old_file)} → {quote(diff.new_file)}, renamed"
    return f"{quote(diff.new_file or diff.old_file)}, {diff.status}"


def _errors(diff: PlanDiff) -> str:
    count = len(diff.after.errors) if diff.after else 0
    return f"{count} error{'s' if count != 1 else ''}"


def _headline(run: DiffRun) -> str:
    changed = len(run.plans)
    return (f"{changed} plan{'s' if changed != 1 else ''} changed between {run.base} "
            f"and {run.head}")


def as_text(run: DiffRun) -> str:
    lines = [_headline(run)]
    failing = [d for d in run.plans if d.now_failing]
    if failing:
        lines.append("now failing validation: " + ", ".join(
            f"{d.new_file} ({_errors(d)})" for d in failing))
    for diff in run.plans:
        lines += ["", f"{diff.slug}: {health_line(diff)}", f"  {_files(diff)}"]
        if diff.note:
            lines.append(f"  note: {diff.note}")
        moved = moved_components(diff)
        if moved:
            lines.append("  components moved: " + ", ".join(moved))
        for title, changes in _grouped(diff):
            lines.append(f"  {title}")
            lines += [f"    - {change_text(c)}" for c in changes]
        if not diff.changes and diff.status == "modified":
            lines.append("  no change to the plan's content (formatting or comments only)")
    return "\n".join(lines) + "\n"


_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: Any) -> str:
    """Plan text as literal markdown: no links, emphasis, HTML or tables from a plan."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def _code(text: Any) -> str:
    return f"`{str(text).replace('`', '')}`"


def as_markdown(run: DiffRun) -> str:
    lines = [f"## planpack: {md(_headline(run))}"]
    failing = [d for d in run.plans if d.now_failing]
    if failing:
        lines += ["", "**Now failing validation:** " + ", ".join(
            f"{_code(d.new_file)} ({_errors(d)}: "
            f"{md(d.after.errors[0].message) if d.after and d.after.errors else ''})"
            for d in failing)]
    for diff in run.plans:
        lines += ["", f"### {md(diff.slug)}: {md(health_line(diff))}", ""]
        detail = _files(diff, _code)
        moved = moved_components(diff)
        if moved:
            detail += ". Components moved: " + ", ".join(moved)
        lines.append(detail + ".")
        if diff.note:
            lines += ["", f"_{md(diff.note)}_"]
        for title, changes in _grouped(diff):
            lines += ["", f"**{title}**", ""]
            lines += [f"- {change_text(c, md)}" for c in changes]
        if not diff.changes and diff.status == "modified":
            lines += ["", "No change to the plan's content (formatting or comments only)."]
    return "\n".join(lines) + "\n"


def _health_json(health: Health | None) -> dict[str, Any] | None:
    if health is None:
        return None
    return {"score": health.score, "grade": health.grade,
            "components": {c.name: c.score for c in health.components}}


def as_json(run: DiffRun) -> str:
    plans = [{
        "plan": d.slug, "status": d.status, "old_file": d.old_file, "new_file": d.new_file,
        "note": d.note, "now_failing": d.now_failing,
        "health_before": _health_json(d.before.health if d.before else None),
        "health_after": _health_json(d.after.health if d.after else None),
        "errors_after": [f.as_dict() for f in d.after.errors] if d.after else [],
        "changes": [c.as_dict() for c in d.changes],
    } for d in run.plans]
    return json.dumps({"base": run.base, "head": run.head, "plans": plans}, indent=2,
                      ensure_ascii=False) + "\n"


FORMATS = {"text": as_text, "markdown": as_markdown, "json": as_json}
