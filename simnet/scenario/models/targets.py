"""The plan's targets a run is scored against: each a threshold on one metric, or null to leave it out."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from simnet.scenario.models.base import SpecModel


class Targets(SpecModel):
    """Thresholds the scorecard and 'simnet compare --fail-if targets' check; null leaves a target out.

    Defaults are the municipal plans' figures (docs/sources.md#plan-figures); the plans set no
    on-time or cost figure, so those two are left out unless given.
    """

    village_coverage: Annotated[
        float | None,
        Field(ge=0, le=1, description="Village coverage (share 0–1) at least this. Plan: every village, 1.0."),
    ] = 1.0
    village_visits_per_week_min: Annotated[
        float | None,
        Field(
            ge=0,
            le=7,
            description="Fewest deliveries a week to any village point at least this (visits per week). Plan: 5.",
        ),
    ] = 5.0
    park_entry_rate: Annotated[
        float | None,
        Field(ge=0, le=1, description="Share of carriers in the county park at least this (0–1). Plan: 0.8."),
    ] = 0.8
    co_delivery_share: Annotated[
        float | None,
        Field(ge=0, le=1, description="Share of rural parcels co-delivered at least this (0–1). Plan: 0.9."),
    ] = 0.9
    hub_capacity_over_peak_day: Annotated[
        float | None,
        Field(
            gt=0,
            le=100,
            description="The hub's daily capacity at least this many times the busiest planned day's parcels "
            "(parcels per day × the largest peak multiplier). Plan: 1.0, capacity for the peak.",
        ),
    ] = 1.0
    on_time_48h: Annotated[
        float | None,
        Field(
            ge=0,
            le=1,
            description="Share of rural parcels delivered within 48 h at least this (0–1). No plan figure: null.",
        ),
    ] = None
    cost_per_parcel_cny: Annotated[
        float | None,
        Field(ge=0, description="Cost per rural parcel at most this (CNY per parcel). No plan figure: null."),
    ] = None
