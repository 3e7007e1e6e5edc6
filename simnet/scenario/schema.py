"""The JSON Schema of scenario files, for editors that complete and check YAML."""

from __future__ import annotations

from typing import Any

from simnet.scenario.models import Scenario

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def scenario_json_schema() -> dict[str, Any]:
    """The scenario schema as editors read it: the model's fields plus the loader's ``extends`` key.

    A file that ``extends`` another needs none of the required keys itself.
    """
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = SCHEMA_DIALECT
    schema["title"] = "simnet scenario"
    schema["properties"]["extends"] = {
        "description": "Scenario file(s) this one builds on, relative to this file; keys here override theirs.",
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}],
    }
    required = schema.pop("required", [])
    schema["if"] = {"required": ["extends"]}
    schema["else"] = {"required": required}
    return schema
