"""Scenario points of a sweep: every combination of the varied values (a grid), or the values zipped."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from simnet.scenario import LoadedScenario, ScenarioError
from simnet.scenario.errors import Location
from simnet.scenario.layers import Override, parse_override


@dataclass(frozen=True)
class Vary:
    """One varied key and its values, with where it was asked for (a ``--vary`` option or the file)."""

    key: str
    values: tuple[Any, ...]
    location: Location


@dataclass(frozen=True)
class Point:
    """A scenario point: the value of each varied key."""

    index: int
    values: tuple[tuple[str, Any], ...]
    locations: tuple[Location, ...]

    def overrides(self) -> list[Override]:
        """The point as overrides on the base scenario (its ``sweep`` section dropped)."""
        point = [
            Override(tuple(key.split(".")), value, location)
            for (key, value), location in zip(self.values, self.locations, strict=True)
        ]
        return [Override(("sweep",), None, Location("sweep point")), *point]

    @property
    def parameters(self) -> dict[str, Any]:
        """Varied key → value."""
        return dict(self.values)


def parse_vary(text: str) -> Vary:
    """``key=v1,v2,v3`` (values in YAML syntax, e.g. ``hub.capacity_per_day=3e6,4e6``)."""
    override = parse_override(f"{text.partition('=')[0]}=[{text.partition('=')[2]}]", "--vary")
    location = Location(f"--vary {text}")
    if not isinstance(override.value, list) or not override.value or "=" not in text:
        raise ScenarioError.single(
            location, "a sweep needs 'key=value1,value2,...'", "write e.g. --vary hub.capacity_per_day=3e6,4e6"
        )
    return Vary(".".join(override.keys), tuple(override.value), location)


def varies_of(loaded: LoadedScenario) -> list[Vary]:
    """The varied keys of a scenario's ``sweep:`` section, located in its file."""
    sweep = loaded.scenario.sweep
    if sweep is None:
        raise ScenarioError.single(
            loaded.source_map.locate(()),
            "nothing to sweep: the scenario has no 'sweep:' section and no --vary was given",
            "add --vary KEY=V1,V2 (e.g. --vary hub.capacity_per_day=3e6,4e6), or a sweep: section",
        )
    return [
        Vary(key, tuple(values), loaded.source_map.locate(("sweep", "vary", key))) for key, values in sweep.vary.items()
    ]


def sweep_points(varies: Sequence[Vary], *, zipped: bool) -> list[Point]:
    """The points: every combination (grid, first key slowest), or the i-th values together (zipped)."""
    if zipped:
        lengths = {vary.key: len(vary.values) for vary in varies}
        if len(set(lengths.values())) > 1:
            raise ScenarioError.single(
                varies[0].location,
                f"zipped keys need equally many values; found {lengths}",
                "give every --vary the same number of values, or drop --zip for a full grid",
            )
        combos: list[tuple[Any, ...]] = list(zip(*(vary.values for vary in varies), strict=True))
    else:
        combos = list(itertools.product(*(vary.values for vary in varies)))
    keys = [vary.key for vary in varies]
    locations = tuple(vary.location for vary in varies)
    return [Point(index, tuple(zip(keys, combo, strict=True)), locations) for index, combo in enumerate(combos)]
