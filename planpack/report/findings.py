"""`planpack validate` output in the four formats CI systems and people read."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from planpack.check import CheckRun
from planpack.findings import Finding, Severity


def summary(run: CheckRun, strict: bool) -> str:
    plans = len(run.reports)
    failed = sum(1 for r in run.reports if r.errors or (strict and r.warnings))
    errors = sum(len(r.errors) for r in run.reports)
    warnings = sum(len(r.warnings) for r in run.reports)
    notes = sum(len(r.notes) for r in run.reports)
    verdict = "all valid" if not failed else f"{failed} failed"
    mode = " (strict: warnings fail)" if strict and warnings else ""
    return (
        f"{plans} plan{'s' if plans != 1 else ''} checked, {verdict}: "
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
        + (f", {notes} note{'s' if notes != 1 else ''}" if notes else "")
        + mode
    )


def text_line(f: Finding) -> str:
    field = f"{f.field}: " if f.field else ""
    return f"{f.file}:{f.line}:{f.column}: {f.severity.value}[{f.rule}] {field}{f.message}"


def as_text(run: CheckRun, strict: bool) -> str:
    lines = []
    for finding in run.findings:
        lines.append(text_line(finding))
        if finding.fix:
            lines.append(f"    fix: {finding.fix}")
    lines.append(summary(run, strict))
    return "\n".join(lines) + "\n"


def json_list(findings: list[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"


def as_json(run: CheckRun, strict: bool) -> str:
    return json_list(run.findings)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(findings: list[Finding], strict: bool) -> list[str]:
    """Workflow commands: each finding becomes an annotation on the pull request's diff."""
    lines = []
    for f in findings:
        if f.severity is Severity.INFO:
            level = "notice"
        else:
            level = "error" if f.severity is Severity.ERROR or strict else "warning"
        title = _escape_property(f"{f.rule} {f.field}".strip())
        message = f"{f.field}: {f.message}" if f.field else f.message
        if f.fix:
            message += f" (fix: {f.fix})"
        lines.append(
            f"::{level} file={_escape_property(f.file)},line={f.line},col={f.column},"
            f"title={title}::{_escape_data(message)}"
        )
    return lines


def as_github(run: CheckRun, strict: bool) -> str:
    return "\n".join([*github_lines(run.findings, strict), summary(run, strict)]) + "\n"


def as_junit(run: CheckRun, strict: bool) -> str:
    """One test case per plan; its errors (and, when strict, warnings) are its failures."""
    suite = ET.Element("testsuite", name="planpack validate", tests=str(len(run.reports)))
    failures = 0
    for report in run.reports:
        case = ET.SubElement(suite, "testcase", classname="planpack.plans", name=report.slug,
                             file=report.file)
        failing = report.errors + (report.warnings if strict else [])
        if failing:
            failures += 1
            failure = ET.SubElement(
                case, "failure", type=failing[0].rule,
                message=f"{len(failing)} problem{'s' if len(failing) != 1 else ''}",
            )
            failure.text = "\n".join(text_line(f) for f in failing)
        others = [f for f in report.findings if f not in failing]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(text_line(f) for f in others)
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


FORMATS = {"text": as_text, "json": as_json, "github": as_github, "junit": as_junit}
