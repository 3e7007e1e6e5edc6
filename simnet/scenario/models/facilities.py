"""The city hub, the county parks and the village service: capacities, shifts, waves, days."""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from simnet.scenario.models.base import ClockHour, Identifier, PositiveFloat, RuleError, Share, SpecModel
from simnet.scenario.models.distributions import Distribution, Exponential

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Shift(SpecModel):
    """A working period of a sorting line; ``end_h`` past 24 runs into the next morning."""

    start_h: ClockHour
    end_h: ClockHour
    capacity_share: Annotated[
        float, Field(gt=0, le=1, description="Share of the lines (or of the full rate) working in this shift.")
    ] = 1.0

    @model_validator(mode="after")
    def _ordered(self) -> Shift:
        if not self.start_h < self.end_h <= self.start_h + 24:
            raise RuleError(
                f"a shift must end after it starts and last at most 24 h; found {self.start_h:g}–{self.end_h:g} h.",
                ("end_h",),
                "write a night shift as e.g. start_h: 18, end_h: 28 (04:00 next day)",
            )
        return self

    @property
    def hours(self) -> float:
        """Length of the shift in hours."""
        return self.end_h - self.start_h


def check_shifts(shifts: tuple[Shift, ...]) -> tuple[Shift, ...]:
    """Shifts of one line do not overlap within the 24-hour day."""
    intervals = sorted(
        (
            (shift.start_h % 24 + offset, shift.start_h % 24 + offset + shift.hours, index)
            for index, shift in enumerate(shifts)
            for offset in (0, 24)
        ),
    )
    for (_, first_end, first), (second_start, _, second) in itertools.pairwise(intervals):
        if second_start < first_end - 1e-9 and first != second:
            raise RuleError(
                f"shifts {min(first, second)} and {max(first, second)} overlap.",
                (max(first, second),),
                "make shifts follow each other; use capacity_share for fewer lines",
            )
    return shifts


# Reference §1.3 "Operating pattern": the hub runs through the night, lines > 20 h/day.
DEFAULT_HUB_SHIFTS = (Shift(start_h=18, end_h=28), Shift(start_h=6, end_h=16))


class Breakdowns(SpecModel):
    """Random failures of a sorting line: all its capacity stops until repaired."""

    time_between_failures_h: Distribution = Exponential(mean=200.0)
    repair_time_h: Distribution = Exponential(mean=2.0)

    @model_validator(mode="after")
    def _failures_take_time(self) -> Breakdowns:
        if self.time_between_failures_h.mean <= 0:
            raise RuleError(
                "the time between failures must be positive on average.",
                ("time_between_failures_h",),
                "give a mean time between failures in hours, e.g. {kind: exponential, mean: 200}",
            )
        return self


class Hub(SpecModel):
    """The city sorting hub (市级分拨中心): capacity per day, or lines × rate per hour."""

    capacity_per_day: Annotated[
        int | None, Field(gt=0, description="Parcels the hub sorts per day over its shifts.")
    ] = None
    sorting_lines: Annotated[int | None, Field(gt=0, le=1000)] = None
    line_rate_per_h: Annotated[float | None, Field(gt=0, description="Parcels per hour of one line.")] = None
    shifts: Annotated[tuple[Shift, ...], Field(min_length=1)] = DEFAULT_HUB_SHIFTS
    breakdowns: Breakdowns | None = None
    dispatch_cutoffs_h: Annotated[
        tuple[ClockHour, ...],
        Field(min_length=1, description="Clock times at which trunk trucks leave for the county parks."),
    ] = (2.0, 4.0, 6.0)

    line_haul_departures_h: Annotated[
        tuple[ClockHour, ...] | None,
        Field(
            min_length=1,
            description="Clock times outbound line-haul leaves the hub with upward parcels (pickups); "
            "none: they leave the model on reaching the hub.",
        ),
    ] = None
    line_haul_capacity_per_departure: Annotated[
        int | None, Field(gt=0, description="Upward parcels one line-haul departure takes, oldest first; none: all.")
    ] = None

    _check_shifts = field_validator("shifts")(check_shifts)

    @model_validator(mode="after")
    def _line_haul(self) -> Hub:
        departures = self.line_haul_departures_h
        if departures is None and self.line_haul_capacity_per_departure is not None:
            raise RuleError(
                "line_haul_capacity_per_departure needs line_haul_departures_h.",
                ("line_haul_capacity_per_departure",),
                "list the departures, e.g. line_haul_departures_h: [6, 14, 22], or remove the capacity",
            )
        if departures is not None and len({hour % 24 for hour in departures}) != len(departures):
            raise RuleError(
                "a line-haul departure is listed twice (clock times repeat every 24 h).",
                ("line_haul_departures_h",),
                "list each departure time once",
            )
        return self

    @model_validator(mode="after")
    def _one_capacity(self) -> Hub:
        by_lines = self.sorting_lines is not None or self.line_rate_per_h is not None
        if self.capacity_per_day is None and not by_lines:
            raise RuleError(
                "the hub needs a capacity.",
                ("capacity_per_day",),
                "set capacity_per_day (e.g. 5_000_000), or sorting_lines and line_rate_per_h",
            )
        if self.capacity_per_day is not None and by_lines:
            raise RuleError(
                "give capacity_per_day or sorting_lines × line_rate_per_h, not both.",
                ("capacity_per_day",),
                "remove one of the two (set it to null in a variant)",
            )
        if by_lines and (self.sorting_lines is None or self.line_rate_per_h is None):
            missing = "line_rate_per_h" if self.line_rate_per_h is None else "sorting_lines"
            raise RuleError(f"{missing} is needed with the other.", (missing,), f"set {missing}")
        return self

    @property
    def full_rate_per_h(self) -> float:
        """Sorting rate with every line working (capacity_share 1)."""
        if self.sorting_lines is not None and self.line_rate_per_h is not None:
            return self.sorting_lines * self.line_rate_per_h
        assert self.capacity_per_day is not None
        return self.capacity_per_day / sum(shift.hours * shift.capacity_share for shift in self.shifts)

    @property
    def daily_capacity(self) -> float:
        """Parcels the hub can sort in one day of shifts, without breakdowns."""
        return self.full_rate_per_h * sum(shift.hours * shift.capacity_share for shift in self.shifts)


# Reference §1.4 "County park sorting line" (E): a morning wave 05:00–09:00 and an afternoon
# wave 15:00–19:00; dispatch to villages 08:00–10:00.
DEFAULT_PARK_SHIFTS = (Shift(start_h=4, end_h=12), Shift(start_h=14, end_h=20))


class Parks(SpecModel):
    """County co-distribution parks (县级共配园区) and the depots of carriers that stay out."""

    consolidated_share: Annotated[
        Share | None, Field(description="Share of carriers in the park, largest carriers first.")
    ] = 0.0
    consolidated_carriers: tuple[Identifier, ...] | None = None
    sorting_rate_per_h: PositiveFloat = 8_000.0
    shifts: Annotated[tuple[Shift, ...], Field(min_length=1)] = DEFAULT_PARK_SHIFTS
    depot_sorting_rate_per_h: Annotated[
        PositiveFloat, Field(description="Rate of each outside carrier's own county depot.")
    ] = 2_000.0
    dispatch_waves_h: Annotated[tuple[ClockHour, ...], Field(min_length=1)] = (8.0, 13.0)
    return_departures_h: Annotated[
        tuple[ClockHour, ...],
        Field(min_length=1, description="Clock times trunk trucks leave parks for the hub with pickups."),
    ] = (18.0,)
    cold_chain_capacity_per_day: Annotated[
        PositiveFloat | None,
        Field(description="Fresh produce a park's cold chain handles per day, around the clock; none: no cold chain."),
    ] = None
    outside_carriers_deliver_to: Annotated[
        Literal["village", "town_station"],
        Field(description="How far carriers outside the park carry parcels; at a town station villagers collect."),
    ] = "village"

    _check_shifts = field_validator("shifts")(check_shifts)

    @model_validator(mode="after")
    def _one_membership_rule(self) -> Parks:
        if self.consolidated_share is not None and self.consolidated_carriers is not None:
            raise RuleError(
                "give consolidated_share or consolidated_carriers, not both.",
                ("consolidated_carriers",),
                "set the other one to null (a variant of a scenario with a share: consolidated_share: null)",
            )
        if self.consolidated_share is None and self.consolidated_carriers is None:
            raise RuleError(
                "say which carriers join the park.",
                ("consolidated_share",),
                "set consolidated_share (0–1) or list consolidated_carriers",
            )
        return self


class Service(SpecModel):
    """How villages are served: how often, on which weekdays, and over which legs."""

    deliveries_per_week: Annotated[int, Field(ge=1, le=7)] = 5
    delivery_weekdays: Annotated[
        tuple[Weekday, ...] | None, Field(description="Days villages are served; spread over the week when absent.")
    ] = None
    start_weekday: Annotated[Weekday, Field(description="Weekday of the first simulated day (warm-up included).")] = (
        "mon"
    )
    last_mile: Annotated[
        Literal["direct", "two_leg"],
        Field(description="direct: park → villages; two_leg: park → town stations → villages."),
    ] = "direct"
    town_dispatch_waves_h: Annotated[tuple[ClockHour, ...], Field(min_length=1)] = (13.0,)
    stop_time_h: Annotated[float, Field(ge=0, le=5, description="Time spent at each stop of a route.")] = 0.15
    pickup_max_wait_h: Annotated[
        float,
        Field(
            ge=0,
            le=168,
            description=(
                "A stop with only pickups waiting is visited once its oldest pickup has waited this long "
                "(otherwise its pickups ride with the next route that brings it parcels); a day by default, "
                "so village pickups are collected at least daily."
            ),
        ),
    ] = 24.0

    @model_validator(mode="after")
    def _weekdays_match(self) -> Service:
        days = self.delivery_weekdays
        if days is None:
            return self
        if len(set(days)) != len(days):
            raise RuleError("a weekday is listed twice.", ("delivery_weekdays",), "list each weekday once")
        if len(days) != self.deliveries_per_week:
            raise RuleError(
                f"{len(days)} delivery weekdays are listed but deliveries_per_week is {self.deliveries_per_week}.",
                ("delivery_weekdays",),
                "list as many weekdays as deliveries_per_week, or drop delivery_weekdays",
            )
        return self

    @property
    def weekdays(self) -> tuple[Weekday, ...]:
        """The delivery weekdays, spread evenly over the week when not listed."""
        if self.delivery_weekdays is not None:
            return self.delivery_weekdays
        count = self.deliveries_per_week
        return tuple(WEEKDAYS[(index * 7) // count] for index in range(count))
