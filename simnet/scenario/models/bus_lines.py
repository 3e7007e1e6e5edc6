"""Scheduled rural bus lines that carry parcels (客货邮融合): stops, timetables, prices, villages served."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from simnet.scenario.models.base import (
    ClockHour,
    Identifier,
    NonNegativeFloat,
    PositiveCount,
    PositiveFloat,
    RuleError,
    SpecModel,
)


class BusLine(SpecModel):
    """One bus line: its stops in order from the park (or a stop of another line), its departures and its room."""

    id: Identifier
    stops: Annotated[
        tuple[str, ...],
        Field(
            min_length=2,
            description="Site ids in the order the bus calls: the county park (or a stop of another line of the "
            "county, for a feeder line) first, then towns and villages.",
        ),
    ]
    departures_h: Annotated[
        tuple[ClockHour, ...],
        Field(min_length=1, description="Clock times the bus leaves its first stop, every day, increasing."),
    ]
    travel_h: Annotated[
        tuple[PositiveFloat, ...] | None,
        Field(
            description="Hours from each stop to the next (one fewer than the stops); absent: the roads' fastest "
            "path at bus_lines.speed_kmh."
        ),
    ] = None
    capacity_parcels: Annotated[
        PositiveCount, Field(description="Parcels (or pickups) a departure carries at once.")
    ] = 150

    @model_validator(mode="after")
    def _consistent(self) -> BusLine:
        for index, stop in enumerate(self.stops):
            if stop in self.stops[:index]:
                raise RuleError(
                    f"stop {stop!r} is listed twice on line {self.id!r}.",
                    ("stops", index),
                    "call at each site once per line; a loop back to a stop is a second line",
                )
        for index in range(1, len(self.departures_h)):
            if self.departures_h[index] <= self.departures_h[index - 1]:
                raise RuleError(
                    "departure times must increase.",
                    ("departures_h", index),
                    f"list the departures in clock order, each after {self.departures_h[index - 1]} h",
                )
        if self.departures_h[-1] - self.departures_h[0] >= 24:
            raise RuleError(
                "the departures of a day must lie within 24 hours.",
                ("departures_h", len(self.departures_h) - 1),
                "give each departure once, as a time of one day",
            )
        if self.travel_h is not None and len(self.travel_h) != len(self.stops) - 1:
            raise RuleError(
                f"travel_h has {len(self.travel_h)} values but the line has {len(self.stops)} stops.",
                ("travel_h",),
                f"give {len(self.stops) - 1} travel times, one from each stop to the next",
            )
        return self


class TownLines(SpecModel):
    """Lines generated for every town of every county: the park, the town, then the town's villages nearest first."""

    departures_h: Annotated[
        tuple[ClockHour, ...], Field(min_length=1, description="Clock times each town line leaves the park.")
    ] = (7.0, 10.0, 13.0, 16.0)
    capacity_parcels: Annotated[PositiveCount, Field(description="Parcels a departure carries at once.")] = 150

    @model_validator(mode="after")
    def _increasing(self) -> TownLines:
        for index in range(1, len(self.departures_h)):
            if self.departures_h[index] <= self.departures_h[index - 1]:
                raise RuleError(
                    "departure times must increase.",
                    ("departures_h", index),
                    f"list the departures in clock order, each after {self.departures_h[index - 1]} h",
                )
        return self


class ServeOnLine(SpecModel):
    """Every village that is a stop of some line is served by bus."""

    kind: Literal["on_line"] = "on_line"


class ServeListed(SpecModel):
    """Only the listed villages are served by bus; each must be a stop of some line."""

    kind: Literal["listed"]
    villages: Annotated[tuple[str, ...], Field(min_length=1, description="Village site ids served by bus.")]


class ServeBeyond(SpecModel):
    """Villages on a line farther from their park by road than ``distance_km`` are served by bus."""

    kind: Literal["beyond_km"]
    distance_km: Annotated[NonNegativeFloat, Field(description="Road distance from the park, km.")]


ServePolicy = Annotated[ServeOnLine | ServeListed | ServeBeyond, Field(discriminator="kind")]


class BusLines(SpecModel):
    """Parcels of the park's member carriers ride scheduled buses to the villages the policy names."""

    lines: Annotated[tuple[BusLine, ...], Field(description="Listed lines (explicit networks, tests).")] = ()
    town_lines: Annotated[
        TownLines | None, Field(description="One line per town, generated for any network (see TownLines).")
    ] = None
    serve: ServePolicy = ServeOnLine()
    speed_kmh: Annotated[
        PositiveFloat, Field(description="Bus speed on every road class, for lines without travel_h.")
    ] = 35.0
    price_cny_per_parcel: Annotated[
        NonNegativeFloat, Field(description="Paid to the bus operator per parcel or pickup carried.")
    ] = 0.5
    transfer_cny_per_parcel: Annotated[
        NonNegativeFloat, Field(description="Paid again each time a parcel changes lines.")
    ] = 0.5
    station_handling_cny_per_parcel: Annotated[
        NonNegativeFloat, Field(description="Handling at the bus station of the park, per unit boarding there.")
    ] = 0.0
    co2_kg_per_parcel: Annotated[
        NonNegativeFloat,
        Field(description="CO₂ attributed to each parcel or pickup per line ridden (the bus runs anyway: 0)."),
    ] = 0.0
    pickups_ride: Annotated[
        bool, Field(description="Member carriers' pickups at bus-served villages ride back to the park by bus.")
    ] = True

    @model_validator(mode="after")
    def _some_lines(self) -> BusLines:
        if not self.lines and self.town_lines is None:
            raise RuleError(
                "bus_lines has no lines.", ("lines",), "list lines, or give town_lines to make one per town"
            )
        ids = [line.id for line in self.lines]
        for index, line_id in enumerate(ids):
            if line_id in ids[:index]:
                raise RuleError(
                    f"line id {line_id!r} is used twice.", ("lines", index, "id"), "give each line its own id"
                )
        return self
