"""The plan format as a JSON Schema, draft-07, for editors and other checkers.

pydantic writes draft 2020-12; the VS Code YAML extension (yaml-language-server)
reads draft-07 only. The differences that matter here are `$defs` (draft-07
calls it `definitions`) and keywords beside `$ref`, which draft-07 ignores, so
they are moved into an `allOf`.
"""

from __future__ import annotations

import json
from typing import Any

from planpack.models.plan import Plan

SCHEMA_ID = "https://planpack.dev/schemas/plan-v1.json"


def plan_schema() -> dict[str, Any]:
    schema = Plan.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    out: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        **_draft07(schema),
        "definitions": {name: _draft07(d) for name, d in sorted(definitions.items())},
    }
    return out


def _draft07(node: Any) -> Any:
    if isinstance(node, list):
        return [_draft07(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _draft07(value) for key, value in node.items()}
    if "$ref" in converted and len(converted) > 1:
        ref = converted.pop("$ref")
        converted["allOf"] = [{"$ref": ref}]
    return converted


def schema_text() -> str:
    return json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"
