"""Plan files to `Plan` models, or to findings that say exactly what is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planpack.findings import Finding
from planpack.loader.document import mapping_from_bytes, read_mapping, validate_model
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
    data: Any = None  # the file as YAML data, when it could be read as a mapping


def slug_of(path: Path) -> str:
    return path.name.removesuffix(".yaml").removesuffix(".yml")


def load_plan(path: Path, file: str | None = None, content: bytes | None = None) -> LoadedPlan:
    """The plan at `path` (shown as `file` in messages); `content`, when given, is what
    the file holds, for versions that are not on disk (from git)."""
    shown = file if file is not None else str(path)
    if content is None:
        document, findings = read_mapping(path, shown, WHAT)
    else:
        document, findings = mapping_from_bytes(content, shown, WHAT)
    if document is None:
        return LoadedPlan(
            path, shown, slug_of(path), None, SourceMap(None),
            sorted(findings, key=Finding.sort_key),
        )
    plan, schema_findings = validate_model(Plan, document.data, document.source, shown)
    return LoadedPlan(
        path, shown, slug_of(path), plan, document.source,
        sorted(findings + schema_findings, key=Finding.sort_key), document.data,
    )
