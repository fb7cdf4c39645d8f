"""Pydantic's validation errors, as findings a plan's author can act on.

pydantic says "Input should be 'high', 'medium' or 'low'"; a plan's author
needs the line, the field path, what was found and what was expected, and a
suggestion when the fix is obvious ("did you mean 'stakeholders'?").
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from planpack.findings import Loc, describe, format_loc
from planpack.loader.yaml_reader import MarkedProblem, SourceMap

_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "dict_type": "a mapping of keys to values",
}

_CUSTOM_RULES = {
    "calendar_date": "schema-date",
    "date_format": "schema-date",
    "salesforce_id": "schema-id",
    "email": "schema-email",
    "opportunity_identity": "schema-missing",
    "tier": "schema-value",
    "scalar": "schema-value",
    "url": "schema-value",
    "weights_total": "schema-value",
}

_CUSTOM_FIX = {
    "calendar_date": "check the day and month",
    "date_format": "write the date as YYYY-MM-DD, for example 2026-12-18",
    "salesforce_id": "copy the Id again from the record's URL in Salesforce",
    "opportunity_identity": "add `salesforce_id:` for an opportunity in Salesforce, "
    "or `name:` for a planned one",
}

_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "less_than_equal": ("le", "at most"),
    "greater_than": ("gt", "more than"),
    "less_than": ("lt", "less than"),
}


def translate(
    exc: ValidationError, model: type[BaseModel], source: SourceMap
) -> list[MarkedProblem]:
    problems: dict[tuple[Loc, str], MarkedProblem] = {}
    for error in exc.errors(include_url=False):
        problem = _one(error, model, source)
        problems.setdefault((problem.loc, problem.rule), problem)
    return list(problems.values())


def blank_optional_fields(exc: ValidationError, model: type[BaseModel]) -> list[Loc]:
    """Paths of keys written with no value whose field is optional."""
    blanks: list[Loc] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if error.get("input", ...) is not None or error["type"] == "missing" or not loc:
            continue
        parent = _model_at(model, loc[:-1])
        field = parent.model_fields.get(str(loc[-1])) if parent is not None else None
        if field is not None and not field.is_required():
            blanks.append(loc)
    return blanks


def _one(error: ErrorDetails, model: type[BaseModel], source: SourceMap) -> MarkedProblem:
    kind = error["type"]
    raw_loc = tuple(error["loc"])
    on_key = bool(raw_loc) and raw_loc[-1] == "[key]"
    loc: Loc = tuple(p for p in raw_loc if p != "[key]")
    found = error.get("input")
    ctx = error.get("ctx") or {}

    if loc == ("schema_version",):
        return _schema_version(kind, found, source)
    if kind == "missing":
        return _missing(loc, model, source)
    if kind == "extra_forbidden":
        return _unknown_key(loc, model, source)

    # A blank value has no text of its own to point at: point at its key.
    mark = source.mark(loc, key=on_key or found is None)
    if kind in _CUSTOM_RULES:
        return MarkedProblem(_CUSTOM_RULES[kind], loc, error["msg"], mark, _CUSTOM_FIX.get(kind))
    if kind == "literal_error":
        choices = _choices(model, loc, key=on_key)
        message = f"found {describe(found)}, expected one of {_list(choices)}"
        suggestion = _closest(found, choices)
        fix = None
        if suggestion is not None:
            message += f"; did you mean {suggestion!r}?"
            fix = f"write {suggestion}"
        return MarkedProblem("schema-value", loc, message, mark, fix)
    if kind in _BOUNDS:
        name, words = _BOUNDS[kind]
        bound = ctx[name]
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return MarkedProblem(
            "schema-value", loc, f"found {describe(found)}, expected {words} {bound}", mark
        )
    if found is None and kind in _EXPECTED:
        return MarkedProblem(
            "schema-value", loc, f"has no value, expected {_EXPECTED[kind]}", mark,
            fix="fill it in",
        )
    if kind in _EXPECTED:
        return MarkedProblem(
            "schema-value", loc, f"found {describe(found)}, expected {_EXPECTED[kind]}", mark
        )
    if kind == "string_pattern_mismatch":
        return MarkedProblem(
            "schema-value", loc,
            f"found {describe(found)}, expected text matching {ctx.get('pattern')}", mark,
        )
    message = error["msg"]
    return MarkedProblem("schema-value", loc, message[:1].lower() + message[1:], mark)


def _schema_version(kind: str, found: Any, source: SourceMap) -> MarkedProblem:
    if kind == "missing":
        return MarkedProblem(
            "schema-version", ("schema_version",), "is missing; this planpack reads version 1",
            source.mark(()), fix="add `schema_version: 1` as the first key",
        )
    newer = isinstance(found, int) and not isinstance(found, bool) and found > 1
    return MarkedProblem(
        "schema-version", ("schema_version",),
        f"found {describe(found)}, expected 1"
        + ("; this plan is newer than this planpack: upgrade planpack" if newer else ""),
        source.mark(("schema_version",)),
    )


def _missing(loc: Loc, model: type[BaseModel], source: SourceMap) -> MarkedProblem:
    key = loc[-1]
    parent = _model_at(model, loc[:-1])
    description = ""
    if parent is not None and isinstance(key, str) and key in parent.model_fields:
        text = parent.model_fields[key].description or ""
        description = text.strip().split("\n")[0].rstrip(".")
    message = "is required"
    if description:
        message += f": {description[:1].lower()}{description[1:]}"
    where = format_loc(loc[:-1]) or "the top level"
    return MarkedProblem(
        "schema-missing", loc, message, source.mark(loc[:-1]), fix=f"add `{key}:` to {where}"
    )


def _unknown_key(loc: Loc, model: type[BaseModel], source: SourceMap) -> MarkedProblem:
    key = str(loc[-1])
    mark = source.mark(loc, key=True)
    if key == "<<":
        return MarkedProblem(
            "schema-unknown-key", loc, "YAML merge keys (<<) are not supported", mark,
            fix="write the keys out in full",
        )
    parent = _model_at(model, loc[:-1])
    allowed = list(parent.model_fields) if parent is not None else []
    match = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if match:
        return MarkedProblem(
            "schema-unknown-key", loc, f"unknown key {key!r}; did you mean {match[0]!r}?", mark,
            fix=f"rename it to {match[0]}",
        )
    return MarkedProblem(
        "schema-unknown-key", loc,
        f"unknown key {key!r}; expected one of {', '.join(allowed)}", mark,
        fix="remove it, or check its indentation",
    )


def _closest(found: Any, choices: list[Any]) -> Any:
    if not isinstance(found, str):
        return None
    texts = [c for c in choices if isinstance(c, str)]
    lowered = {c.lower(): c for c in texts}
    if found.lower().replace(" ", "_").replace("-", "_") in lowered:
        return lowered[found.lower().replace(" ", "_").replace("-", "_")]
    match = difflib.get_close_matches(found, texts, n=1, cutoff=0.6)
    return match[0] if match else None


def _list(choices: list[Any]) -> str:
    shown = [str(c) for c in choices]
    return ", ".join(shown[:-1]) + " or " + shown[-1] if len(shown) > 1 else "".join(shown)


def _choices(model: type[BaseModel], loc: Loc, *, key: bool = False) -> list[Any]:
    if key:  # a mapping's key (`tiers: {4: ...}`): the choices are the dict's key type
        container = _unwrap(_annotation_at(model, loc[:-1]))
        args = typing.get_args(container) if typing.get_origin(container) is dict else ()
        annotation = args[0] if args else None
    else:
        annotation = _annotation_at(model, loc)
    literal = _find_literal(annotation)
    return list(typing.get_args(literal)) if literal is not None else []


def _find_literal(annotation: Any) -> Any:
    if typing.get_origin(annotation) is typing.Literal:
        return annotation
    for arg in typing.get_args(annotation):
        found = _find_literal(arg)
        if found is not None:
            return found
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and `| None`."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(rest) != 1:
                return annotation
            annotation = rest[0]
        else:
            return annotation


def _annotation_at(model: type[BaseModel], loc: Loc) -> Any:
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if origin is list:
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[1]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        else:
            return None
    return current


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    found = _unwrap(_annotation_at(model, loc))
    return found if isinstance(found, type) and issubclass(found, BaseModel) else None
