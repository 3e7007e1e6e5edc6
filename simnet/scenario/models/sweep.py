"""The ``sweep:`` section: values of scenario keys to run as a grid (or zipped) of scenario points."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, JsonValue, model_validator

from simnet.scenario.models.base import RuleError, SpecModel

KeyPath = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$")]


class Sweep(SpecModel):
    """Keys to vary (dotted paths as with ``--set``) and their values; every combination, or zipped."""

    vary: Annotated[dict[KeyPath, Annotated[list[JsonValue], Field(min_length=1)]], Field(min_length=1)]
    mode: Annotated[
        Literal["grid", "zip"], Field(description="grid: every combination; zip: the i-th values of each key together.")
    ] = "grid"

    @model_validator(mode="after")
    def _zip_lengths_match(self) -> Sweep:
        lengths = {key: len(values) for key, values in self.vary.items()}
        if self.mode == "zip" and len(set(lengths.values())) > 1:
            raise RuleError(
                f"zipped keys need equally many values; found {lengths}.",
                ("vary",),
                "give every key the same number of values, or use mode: grid",
            )
        return self
