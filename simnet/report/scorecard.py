"""The plan's targets (coverage, frequency, park entry, co-delivery, hub capacity) checked against a run."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from simnet.scenario import Scenario

TOLERANCE = 1e-9
"""Shares computed as ratios may fall short of 1 by rounding only."""


@dataclass(frozen=True)
class Target:
    """One plan target: its key, the value reached and the target, and whether it is met (None: not measured)."""

    key: str
    value: float
    target: float
    met: bool | None
    unit: str
    why_unknown: str = "unknown"
    """The label saying why a target was not measured (an i18n key)."""


def _mean(summary: pd.DataFrame, metric: str) -> float:
    if metric not in summary.index:
        return math.nan
    value = summary.loc[metric, "mean"]
    return math.nan if value is None or pd.isna(value) else float(value)


def _at_least(key: str, value: float, target: float, unit: str) -> Target:
    met = None if math.isnan(value) else value >= target - TOLERANCE
    return Target(key, value, target, met, unit)


def peak_day_demand(scenario: Scenario) -> float:
    """Parcels arriving at the hub on the busiest planned day: parcels per day × the largest peak multiplier."""
    multiplier = max((peak.multiplier for peak in scenario.demand.peak_days), default=1.0)
    return scenario.demand.parcels_per_day * max(multiplier, 1.0)


def _visits_per_week(summary: pd.DataFrame, scenario: Scenario) -> Target:
    """Deliveries a week, counted over whole weeks only: not measured when the horizon is under 7 days."""
    target = _at_least("village_visits_per_week_min", _mean(summary, "village_visits_per_week_min"), 5.0, "per_week")
    if scenario.horizon_days < 7:
        return Target(target.key, math.nan, target.target, None, target.unit, "unknown_short_horizon")
    return target


def scorecard(summary: pd.DataFrame, scenario: Scenario) -> list[Target]:
    """The plan's five targets, each met or missed by the mean over replications (hub: by the scenario)."""
    return [
        _at_least("village_coverage", _mean(summary, "village_coverage"), 1.0, "share"),
        _visits_per_week(summary, scenario),
        _at_least("park_entry_rate", _mean(summary, "park_entry_rate"), 0.8, "share"),
        _at_least("co_delivery_share", _mean(summary, "co_delivery_share"), 0.9, "share"),
        _at_least("hub_capacity", scenario.hub.daily_capacity, peak_day_demand(scenario), "parcels"),
    ]
