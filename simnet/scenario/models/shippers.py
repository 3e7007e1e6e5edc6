"""Factories and e-commerce parks that send parcels out of the city (快递进厂): where, how many, who collects."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from simnet.scenario.models.base import ClockHour, Identifier, PositiveFloat, RuleError, SpecModel


class Shipper(SpecModel):
    """A factory or e-commerce park at a county seat or a town, with its outbound parcels and their collection."""

    id: Identifier
    name: str = ""
    at: Annotated[
        Identifier,
        Field(description="A county id (the shipper lies at the county seat, by its park) or a town id."),
    ]
    parcels_per_day: Annotated[PositiveFloat, Field(description="Outbound parcels per day, on average (Poisson).")]
    ready_from_h: Annotated[ClockHour, Field(description="Parcels become ready from this clock time …")] = 8.0
    ready_until_h: Annotated[ClockHour, Field(description="… to this one, evenly over the window.")] = 18.0
    collected_by: Annotated[
        Literal["trunk_return", "dedicated_van", "park_vans"],
        Field(
            description="'trunk_return': at a county seat, parcels wait at the park for a trunk truck going back "
            "to the hub; 'dedicated_van': a van from the park fetches them at van_departures_h; 'park_vans': at a "
            "town, the park's vans collect them on the routes they form at each wave (the town is one of their stops)."
        ),
    ]
    van_departures_h: Annotated[
        tuple[ClockHour, ...] | None,
        Field(min_length=1, description="Clock times the dedicated van leaves the park; none: at ready_until_h."),
    ] = None
    vehicle_type: Annotated[Identifier, Field(description="The dedicated van's vehicle type.")] = "diesel_van"

    @model_validator(mode="after")
    def _window_and_van(self) -> Shipper:
        if not self.ready_from_h < self.ready_until_h <= self.ready_from_h + 24:
            raise RuleError(
                "the ready window must end after it starts and last at most 24 h.",
                ("ready_until_h",),
                "give e.g. ready_from_h: 8, ready_until_h: 18",
            )
        if self.van_departures_h is not None and self.collected_by != "dedicated_van":
            raise RuleError(
                "van_departures_h is for collected_by: dedicated_van.",
                ("van_departures_h",),
                "remove van_departures_h, or set collected_by: dedicated_van",
            )
        return self

    @property
    def van_clock_h(self) -> tuple[float, ...]:
        """The dedicated van's departures as clock times within the day, in order."""
        return tuple(sorted(hour % 24 for hour in self.van_departures_h or (self.ready_until_h,)))
