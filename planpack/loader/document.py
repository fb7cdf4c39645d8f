"""A YAML file read as a mapping, with every problem as a located finding.

Shared by plan files and planpack.yaml, so both obey the same input rules and
report them the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planpack.findings import Finding, Loc, Severity, format_loc
from planpack.loader.schema_errors import blank_optional_fields, translate
from planpack.loader.yaml_reader import (
    Document,
    InputError,
    Mark,
    SourceMap,
    check_size,
    decode,
    parse,
    read_bytes,
)


def error(file: str, mark: Mark, rule: str, loc: Loc, message: str, fix: str | None) -> Finding:
    return Finding(
        file, mark.line, mark.column, Severity.ERROR, rule, format_loc(loc), message, fix
    )


def read_mapping(path: Path, file: str, what: str) -> tuple[Document | None, list[Finding]]:
    """The file's document if its top level is a mapping, and the problems found reading it.

    `what` names the file's kind in messages ("a plan", "planpack.yaml").
    """
    try:
        raw = read_bytes(path)
    except InputError as exc:
        return None, [error(file, exc.mark, exc.rule, (), exc.message, exc.fix)]
    return mapping_from_bytes(raw, file, what)


def mapping_from_bytes(raw: bytes, file: str, what: str) -> tuple[Document | None, list[Finding]]:
    """As read_mapping, for content that is not a file on disk (a version from git)."""
    try:
        document = parse(decode(check_size(raw)))
    except InputError as exc:
        return None, [error(file, exc.mark, exc.rule, (), exc.message, exc.fix)]
    findings = [error(file, p.mark, p.rule, p.loc, p.message, p.fix) for p in document.problems]
    if not isinstance(document.data, dict):
        found = "a list" if isinstance(document.data, list) else "a single value"
        findings.append(
            error(file, document.source.mark(()), "yaml-top-level", (),
                  f"the top level is {found}; {what} is a mapping of keys to values", None)
        )
        return None, findings
    return document, findings


def validate_model(
    model: type[BaseModel], data: Any, source: SourceMap, file: str
) -> tuple[Any, list[Finding]]:
    """`model` validated from `data`, or None and the located schema findings.

    A key written with no value (`stakeholders:`) means the same as leaving it
    out, unless the field is required. That is handled only when validation
    fails, so valid plans pay nothing for it.
    """
    for _ in range(_MAX_BLANK_PASSES):
        try:
            return model.model_validate(data), []
        except ValidationError as exc:
            blanks = blank_optional_fields(exc, model)
            if not blanks:
                return None, [
                    error(file, p.mark, p.rule, p.loc, p.message, p.fix)
                    for p in translate(exc, model, source)
                ]
            data = _without(data, blanks)
    raise AssertionError("unreachable: each pass removes at least one blank key")


_MAX_BLANK_PASSES = 1000


def _without(data: Any, locs: list[Loc]) -> Any:
    """A copy of `data` with the keys at `locs` removed (their parents copied)."""
    if not locs:
        return data
    if isinstance(data, dict):
        here = {loc[0] for loc in locs if len(loc) == 1}
        out = {}
        for key, value in data.items():
            if key in here:
                continue
            deeper = [loc[1:] for loc in locs if len(loc) > 1 and loc[0] == key]
            out[key] = _without(value, deeper)
        return out
    if isinstance(data, list):
        return [
            _without(item, [loc[1:] for loc in locs if len(loc) > 1 and loc[0] == i])
            for i, item in enumerate(data)
        ]
    return data
