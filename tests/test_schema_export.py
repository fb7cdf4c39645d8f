"""plan.schema.json: in sync with the models, valid draft-07, agreeing with planpack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import COMPLETE_TIER1, ROOT

from planpack.cli import cli
from planpack.loader.yaml_reader import parse
from planpack.schema_export import plan_schema, schema_text

SAMPLES = sorted((ROOT / "plans").glob("*.yaml"))


def _walk(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += _walk(value)
    elif isinstance(node, list):
        for value in node:
            found += _walk(value)
    return found


def test_committed_schema_matches_the_models() -> None:
    committed = (ROOT / "plan.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "plan.schema.json is stale: run `make schema`"


def test_schema_command_prints_the_schema() -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == plan_schema()


def test_schema_is_valid_draft_07_without_newer_keywords() -> None:
    schema = plan_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    for node in _walk(schema):
        assert "$defs" not in node and "prefixItems" not in node
        # draft-07 ignores keywords beside $ref, so none may be there
        if "$ref" in node:
            assert set(node) == {"$ref"}, node
            assert node["$ref"].startswith("#/definitions/")


def test_every_field_has_a_description() -> None:
    schema = plan_schema()
    undocumented = [
        f"{owner}.{name}"
        for owner, definition in [("Plan", schema), *schema["definitions"].items()]
        for name, prop in definition.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert undocumented == []


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_plans_pass_the_schema(sample: Path) -> None:
    data = parse(sample.read_text(encoding="utf-8")).data
    errors = list(jsonschema.Draft7Validator(plan_schema()).iter_errors(data))
    assert [e.message for e in errors] == []


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_plans_point_editors_at_the_schema(sample: Path) -> None:
    first = sample.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../plan.schema.json"


def test_schema_refuses_what_planpack_refuses() -> None:
    validator = jsonschema.Draft7Validator(plan_schema())
    good = parse(COMPLETE_TIER1).data
    assert list(validator.iter_errors(good)) == []
    typo = parse(COMPLETE_TIER1.replace("stakeholders:", "stakeholdrs:")).data
    assert any("stakeholdrs" in e.message for e in validator.iter_errors(typo))
    bad_id = parse(COMPLETE_TIER1.replace("industry: Transportation",
                                          "salesforce_id: 003Dn00000Abc12IAB")).data
    assert [list(e.path) for e in validator.iter_errors(bad_id)] == [
        ["account", "salesforce_id"]
    ]
    bad_tier = parse(COMPLETE_TIER1.replace("tier: 1", "tier: 4")).data
    assert [list(e.path) for e in validator.iter_errors(bad_tier)] == [["account", "tier"]]
