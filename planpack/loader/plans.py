"""Plan files to `Plan` models, or to findings that say exactly what is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planpack.findings import Finding
from planpack.loader.document import read_mapping, validate_model
from planpack.loader.yaml_reader import SourceMap
from planpack.models.plan import Plan

WHAT = "a plan (schema_version:, account:, team:, ...)"


@dataclass
class LoadedPlan:
    """One plan file after loading: the model if it validated, and what was found."""

    path: Path
    file: str  # as the user names it, for messages
    slug: str
    plan: Plan | None
    source: SourceMap
    findings: list[Finding] = field(default_factory=list)


def slug_of(path: Path) -> str:
    return path.name.removesuffix(".yaml").removesuffix(".yml")


def load_plan(path: Path, file: str | None = None) -> LoadedPlan:
    shown = file if file is not None else str(path)
    document, findings = read_mapping(path, shown, WHAT)
    if document is None:
        return LoadedPlan(
            path, shown, slug_of(path), None, SourceMap(None),
            sorted(findings, key=Finding.sort_key),
        )
    plan, schema_findings = validate_model(Plan, document.data, document.source, shown)
    return LoadedPlan(
        path, shown, slug_of(path), plan, document.source,
        sorted(findings + schema_findings, key=Finding.sort_key),
    )
