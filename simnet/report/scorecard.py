"""The plan's targets (scenario ``targets:``) checked against a run: coverage, frequency, park, hub, on time, cost.

A target is met when the mean over replications reaches its threshold (at least, or for the cost
at most); the hub's is met when its daily capacity covers the busiest planned day's parcels times
the factor asked. A target set to null in the scenario is left off the scorecard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from simnet.scenario import Scenario

TOLERANCE = 1e-9
"""Shares computed as ratios may fall short of 1 by rounding only."""

Direction = Literal["at_least", "at_most"]

TARGET_LABELS: dict[str, tuple[str, str]] = {
    "village_coverage": ("village coverage", "建制村快递服务覆盖率"),
    "village_visits_per_week_min": ("deliveries a week to every village", "村级每周投递次数"),
    "park_entry_rate": ("carriers in the park", "快递企业入园率"),
    "co_delivery_share": ("co-delivery coverage", "共同配送覆盖率"),
    "hub_capacity": ("hub capacity against peak-day demand", "分拨中心处理能力对比高峰日需求"),
    "on_time_48h": ("delivered within 48 h", "48小时内送达率"),
    "cost_per_parcel_cny": ("cost per rural parcel (CNY)", "农村件单件成本（元）"),
}
"""Target key → (English, Chinese) name, without the figure (the figure comes from the scenario)."""


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
    direction: Direction = "at_least"
    """Met when the value is at least the target, or (a cost ceiling) at most."""


def _mean(summary: pd.DataFrame, metric: str) -> float:
    if metric not in summary.index:
        return math.nan
    value = summary.loc[metric, "mean"]
    return math.nan if value is None or pd.isna(value) else float(value)


def _check(key: str, value: float, target: float, unit: str, direction: Direction = "at_least") -> Target:
    if math.isnan(value):
        met = None
    elif direction == "at_least":
        met = value >= target - TOLERANCE
    else:
        met = value <= target + TOLERANCE
    return Target(key, value, target, met, unit, direction=direction)


def peak_day_demand(scenario: Scenario) -> float:
    """Parcels arriving at the hub on the busiest planned day: parcels per day × the largest peak multiplier."""
    multiplier = max((peak.multiplier for peak in scenario.demand.peak_days), default=1.0)
    return scenario.demand.parcels_per_day * max(multiplier, 1.0)


def _visits_per_week(summary: pd.DataFrame, scenario: Scenario, target: float) -> Target:
    """Deliveries a week, counted over whole weeks only: not measured when the horizon is under 7 days."""
    key = "village_visits_per_week_min"
    if scenario.horizon_days < 7:
        return Target(key, math.nan, target, None, "per_week", "unknown_short_horizon")
    return _check(key, _mean(summary, key), target, "per_week")


def scorecard(summary: pd.DataFrame, scenario: Scenario) -> list[Target]:
    """The scenario's targets that are set, each met or missed by the mean over replications (hub: by the scenario)."""
    goals = scenario.targets
    targets: list[Target] = []
    if goals.village_coverage is not None:
        targets.append(_check("village_coverage", _mean(summary, "village_coverage"), goals.village_coverage, "share"))
    if goals.village_visits_per_week_min is not None:
        targets.append(_visits_per_week(summary, scenario, goals.village_visits_per_week_min))
    for key in ("park_entry_rate", "co_delivery_share"):
        goal = getattr(goals, key)
        if goal is not None:
            targets.append(_check(key, _mean(summary, key), goal, "share"))
    if goals.hub_capacity_over_peak_day is not None:
        needed = goals.hub_capacity_over_peak_day * peak_day_demand(scenario)
        targets.append(_check("hub_capacity", scenario.hub_capacity_per_day, needed, "parcels"))
    if goals.on_time_48h is not None:
        targets.append(_check("on_time_48h", _mean(summary, "on_time_48h"), goals.on_time_48h, "share"))
    if goals.cost_per_parcel_cny is not None:
        cost = _mean(summary, "cost_per_parcel_cny")
        targets.append(_check("cost_per_parcel_cny", cost, goals.cost_per_parcel_cny, "cny_per_parcel", "at_most"))
    return targets


def target_label(target: Target, lang: Literal["en", "zh"] = "en") -> str:
    """What the target is about, in ``lang`` (its key when unnamed)."""
    pair = TARGET_LABELS.get(target.key)
    return target.key if pair is None else pair[1 if lang == "zh" else 0]


def _shown(unit: str, value: float) -> str:
    if math.isnan(value):
        return "–"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "per_week":
        return f"{value:.1f}"
    if unit == "cny_per_parcel":
        return f"{value:.3f}"
    return f"{value:,.0f}"


def shown_value(target: Target) -> str:
    """The value reached, formatted for its unit ("–" when not measured)."""
    return _shown(target.unit, target.value)


def shown_goal(target: Target) -> str:
    """The threshold with its direction, e.g. ``≥ 80.0%`` or ``≤ 1.500``."""
    return f"{'≥' if target.direction == 'at_least' else '≤'} {_shown(target.unit, target.target)}"


def lost_targets(
    summary_a: pd.DataFrame, scenario_a: Scenario, summary_b: pd.DataFrame, scenario_b: Scenario
) -> list[tuple[Target, Target]]:
    """Targets run B misses that run A met, both scored with B's thresholds (A with its own hub and demand)."""
    with_b_targets = scenario_a.model_copy(update={"targets": scenario_b.targets})
    return newly_missed(scorecard(summary_a, with_b_targets), scorecard(summary_b, scenario_b))


def newly_missed(before: list[Target], after: list[Target]) -> list[tuple[Target, Target]]:
    """Targets met ``before`` (run A) and missed ``after`` (run B), as (A's, B's) pairs in B's order.

    A target not measured on either side is not counted as lost: nothing is known of it.
    """
    met_before = {target.key: target for target in before if target.met is True}
    return [(met_before[target.key], target) for target in after if target.met is False and target.key in met_before]
