"""Shared pieces of the scenario models: the strict base class, rule errors and clock times."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from simnet.scenario.errors import Path


class SpecModel(BaseModel):
    """Base of every scenario model: immutable, unknown keys refused, no NaN or infinity."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, validate_default=True)


class RuleError(ValueError):
    """A cross-field rule broken inside a model; ``path`` points below the model's own place."""

    def __init__(self, message: str, path: Path = (), hint: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.hint = hint


_CLOCK = re.compile(r"^(\d{1,2}):([0-5]\d)$")


def _clock_hours(value: Any) -> Any:
    """Accept ``"06:30"`` as 6.5 hours; numbers pass through to the range check."""
    if isinstance(value, str):
        match = _CLOCK.match(value.strip())
        if match is None:
            raise ValueError("expected hours as a number or a clock time 'HH:MM'")
        return int(match.group(1)) + int(match.group(2)) / 60
    return value


_CLOCK_DESCRIPTION = "Hour of the day (0–24, up to 48 for the next day), as 6.5 or '06:30'."

ClockHour = Annotated[
    float,
    BeforeValidator(_clock_hours),
    Field(ge=0, le=48),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 48},
                {"type": "string", "pattern": _CLOCK.pattern},
            ],
            "description": _CLOCK_DESCRIPTION,
        }
    ),
]
"""A time of day in hours from midnight; values past 24 fall on the next day."""

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,63}$",
        description="Short ASCII name (letters, digits, '_' or '-'), used in --set paths and tables.",
    ),
]
"""An id planners type on the command line; display names may be Chinese, ids are ASCII."""

PositiveCount = Annotated[int, Field(gt=0)]
NonNegativeFloat = Annotated[float, Field(ge=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
Share = Annotated[float, Field(ge=0, le=1)]
