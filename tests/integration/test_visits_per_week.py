"""Village visits per week are counted over whole weeks of the horizon, never extrapolated."""

import math

import pandas as pd

from simnet.engine.metrics import replication_metrics
from simnet.engine.model import run_replication
from simnet.planning import build_plan, default_planner
from simnet.report.scorecard import scorecard
from simnet.scenario import scenario_from_text

CITY = """
name: visits
warmup_days: 1
drain_days: 1
replications: 1
demand: {parcels_per_day: 20000, rural_share: 0.5}
network: {generate: {counties: 1, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 40000}
service: {deliveries_per_week: 5}
"""


def visits(horizon_days):
    scenario = scenario_from_text(CITY, "visits.yaml", [f"horizon_days={horizon_days}"])
    metrics = replication_metrics(run_replication(build_plan(scenario, default_planner()), 0).outcome())
    return scenario, metrics["village_visits_per_week_min"]


def test_three_days_is_not_measured():
    """A 3-day horizon has no whole week: the metric is NaN (null in metrics.json) and the scorecard says why."""
    scenario, value = visits(3)
    assert math.isnan(value)
    summary = pd.DataFrame({"mean": [value]}, index=["village_visits_per_week_min"])
    (target,) = [t for t in scorecard(summary, scenario) if t.key == "village_visits_per_week_min"]
    assert target.met is None
    assert target.why_unknown == "unknown_short_horizon"


def test_two_weeks_of_five_delivery_days_give_five():
    """14 days of a 5-days-a-week service with parcels for every village every day: 5 visits in each week."""
    _, value = visits(14)
    assert value == 5.0
