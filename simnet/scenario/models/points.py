"""Where residents collect their parcels: opening hours, smart-locker cells and the collection delay.

One section for every village point (``village_points``) and one for every town station that is a
parcel's final stop (``town_stations``); the rule they feed is stated in ``engine/lockers.py``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from simnet.scenario.models.base import ClockHour, RuleError, SpecModel
from simnet.scenario.models.distributions import Distribution, Exponential

DEFAULT_COLLECTION_DELAY_MEAN_H = 15.0
"""E: 80 % collected within 24 h (docs/sources.md#collection-delay); an exponential's mean is 24 / ln 5 ≈ 15 h."""


class PickupPoints(SpecModel):
    """Opening hours, locker cells and residents' collection delay of one kind of point (village or town)."""

    opening_hours: Annotated[
        tuple[tuple[ClockHour, ClockHour], ...],
        Field(
            min_length=1,
            description="Clock intervals [start, end) the point is open every day, in order; default always open.",
        ),
    ] = ((0.0, 24.0),)
    locker_cells: Annotated[
        int, Field(ge=0, le=10_000, description="Smart-locker cells a parcel left while closed can go into.")
    ] = 0
    collection_delay_h: Annotated[
        Distribution, Field(description="Time from a parcel's availability until its resident collects it.")
    ] = Exponential(mean=DEFAULT_COLLECTION_DELAY_MEAN_H)

    @model_validator(mode="after")
    def _hours_in_one_day_and_apart(self) -> PickupPoints:
        previous_end_h = 0.0
        for index, (start_h, end_h) in enumerate(self.opening_hours):
            if not start_h < end_h <= 24:
                raise RuleError(
                    f"an opening interval must end after it starts, by 24:00; found {start_h:g}–{end_h:g} h.",
                    ("opening_hours", index),
                    "write hours open past midnight as two intervals, e.g. [[0, 2], [18, 24]]",
                )
            if start_h < previous_end_h:
                raise RuleError(
                    f"opening interval {start_h:g}–{end_h:g} h starts before the one before it ends "
                    f"({previous_end_h:g} h).",
                    ("opening_hours", index),
                    "list the intervals in time order without overlaps, or merge them",
                )
            previous_end_h = end_h
        return self

    @property
    def always_open(self) -> bool:
        """Whether the point never closes (the intervals cover the whole day)."""
        covered_h = sum(end_h - start_h for start_h, end_h in self.opening_hours)
        return covered_h >= 24.0
