"""Carriers and demand: how many parcels arrive at the city hub, when, for whom and where."""

from __future__ import annotations

import datetime
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from simnet.scenario.models.base import (
    ClockHour,
    Identifier,
    NonNegativeFloat,
    RuleError,
    Share,
    SpecModel,
)

SHARE_TOLERANCE = 1e-6
"""How far carrier shares may sum from 1 (rounding in hand-written files)."""

# Reference §1.3 "Default wave structure" (E): inbound line-haul 20:00–04:00 carries 60–75 % of
# the day's volume with its peak 23:00–03:00, a secondary wave 10:00–16:00. These weights give
# 70 % in 20:00–04:00 and 24 % in 10:00–16:00.
DEFAULT_HOURLY_PROFILE: tuple[float, ...] = (
    10,
    10,
    10,
    10,
    1,
    1,
    0.5,
    0.5,
    0.5,
    0.5,
    4,
    4,
    4,
    4,
    4,
    4,
    0.5,
    0.5,
    0.5,
    0.5,
    5,
    5,
    10,
    10,
)


class Carrier(SpecModel):
    """An express carrier and its share of the parcels arriving at the city hub."""

    id: Identifier
    name: str = Field(min_length=1, description="Display name; Chinese is welcome (中通).")
    share: Annotated[float, Field(gt=0, le=1, description="Share of all parcels, 0–1; shares sum to 1.")]


class PeakDay(SpecModel):
    """A day whose volume is a multiple of normal, such as Nov 11 (双十一)."""

    day: Annotated[int, Field(ge=1, description="Day of the measured horizon, 1 = first day after warm-up.")]
    multiplier: Annotated[float, Field(gt=0, le=20, description="Volume relative to a normal day.")]
    label: str = ""


class FarmSeason(SpecModel):
    """The calendar of village pickups (农产品进城): a multiplier per month, e.g. 2.5 in a harvest month."""

    first_day: Annotated[
        datetime.date,
        Field(description="Calendar date of the first simulated day (warm-up included); on service.start_weekday."),
    ]
    monthly_multipliers: Annotated[
        dict[Annotated[int, Field(ge=1, le=12)], Annotated[float, Field(gt=0, le=20)]],
        Field(description="Pickups relative to normal in each listed month (1 = January); other months 1."),
    ] = {}  # noqa: RUF012 - pydantic copies defaults

    def multiplier(self, day: int) -> float:
        """Pickup multiplier of simulated day ``day`` (0-based, warm-up included), by its calendar month."""
        month = (self.first_day + datetime.timedelta(days=day)).month
        return self.monthly_multipliers.get(month, 1.0)


class Demand(SpecModel):
    """Daily parcel volume at the city hub, its variation, timing and the upward pickup flow."""

    parcels_per_day: Annotated[int, Field(gt=0, description="Parcels arriving at the city hub on a normal day.")]
    rural_share: Annotated[Share, Field(description="Share of parcels bound for the rural counties.")] = 0.08
    daily_volume_cv: Annotated[
        float, Field(ge=0, le=1, description="Coefficient of variation of the daily volume, day to day.")
    ] = 0.05
    hourly_profile: Annotated[
        tuple[NonNegativeFloat, ...],
        Field(min_length=24, max_length=24, description="24 relative weights of arrivals per hour, from 00:00."),
    ] = DEFAULT_HOURLY_PROFILE
    peak_days: tuple[PeakDay, ...] = ()
    pickups_per_village_per_day: Annotated[
        NonNegativeFloat, Field(description="Mean parcels sent from each village point per day (upward flow).")
    ] = 10.0
    pickup_start_h: ClockHour = 8.0
    pickup_end_h: ClockHour = 18.0
    farm_season: Annotated[
        FarmSeason | None, Field(description="Pickups by calendar month (harvests); none: the same every day.")
    ] = None
    fresh_share: Annotated[
        Share, Field(description="Share of pickups that are fresh produce, which must reach line-haul in time.")
    ] = 0.0
    # Reference §1.11 "Upward defaults" (E): picking → consumer within 48 h for berries, lychee and
    # cherries; half of it for the first kilometre, to the line-haul departure at the city hub.
    fresh_max_h: Annotated[
        float,
        Field(gt=0, le=720, description="Longest time from appearing to the line-haul departure for fresh produce."),
    ] = 24.0

    @field_validator("hourly_profile")
    @classmethod
    def _profile_has_weight(cls, profile: tuple[float, ...]) -> tuple[float, ...]:
        if sum(profile) <= 0:
            raise ValueError("the hourly profile needs at least one hour with a positive weight.")
        return profile

    @field_validator("peak_days")
    @classmethod
    def _one_peak_per_day(cls, peaks: tuple[PeakDay, ...]) -> tuple[PeakDay, ...]:
        seen: dict[int, int] = {}
        for index, peak in enumerate(peaks):
            if peak.day in seen:
                raise RuleError(
                    f"day {peak.day} is listed twice (entries {seen[peak.day]} and {index}).",
                    (index, "day"),
                    "give each peak day once, with one multiplier",
                )
            seen[peak.day] = index
        return peaks

    @field_validator("pickup_end_h")
    @classmethod
    def _pickup_window(cls, end_h: float, info: ValidationInfo) -> float:
        start_h = info.data.get("pickup_start_h")
        if start_h is not None and end_h <= start_h:
            raise ValueError("pickup_end_h must be after pickup_start_h.")
        return end_h


def check_carrier_shares(carriers: tuple[Carrier, ...]) -> None:
    """Carrier ids are unique and shares sum to 1; raise ``RuleError`` otherwise."""
    seen: dict[str, int] = {}
    for index, carrier in enumerate(carriers):
        if carrier.id in seen:
            raise RuleError(
                f"carrier id {carrier.id!r} is used twice (entries {seen[carrier.id]} and {index}).",
                (index, "id"),
                "give every carrier its own id",
            )
        seen[carrier.id] = index
    total = sum(carrier.share for carrier in carriers)
    if abs(total - 1) > SHARE_TOLERANCE:
        raise RuleError(
            f"carrier shares sum to {total:.6g}, not 1.",
            (),
            "make the shares add up to 1 (for example divide each by their sum)",
        )
