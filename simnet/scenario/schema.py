"""The JSON Schema of scenario files, for editors that complete and check YAML."""

from __future__ import annotations

from typing import Any

from simnet.scenario.models import Scenario

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def scenario_json_schema() -> dict[str, Any]:
    """The scenario schema as editors read it: the model's fields plus the loader's ``extends`` key."""
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = SCHEMA_DIALECT
    schema["title"] = "simnet scenario"
    schema["properties"]["extends"] = {
        "description": "Scenario file(s) this one builds on, relative to this file; keys here override theirs.",
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}],
    }
    _drop_required(schema)
    return schema


def _drop_required(node: Any) -> None:
    """Remove ``required`` lists: a variant that ``extends`` writes only what it changes.

    ``simnet validate`` still reports every missing key, with its place, on the merged scenario.
    """
    if isinstance(node, dict):
        node.pop("required", None)
        for value in node.values():
            _drop_required(value)
    elif isinstance(node, list):
        for value in node:
            _drop_required(value)
