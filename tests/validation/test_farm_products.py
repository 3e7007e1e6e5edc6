"""Farm products going up (农产品进城): a harvest calendar for pickups, and fresh produce with a time limit.

The hand case is the cost-attribution county (``test_cost_attribution.py``, see ``test_line_haul.py``):
its one pickup appears at 2:30 and reaches the hub at 18:30; with a line-haul departure at 20:00 its
first kilometre is 20 − 2.5 = 17.5 h.
"""

import math

import pytest

from simnet.engine.metrics import replication_metrics, replication_tables
from simnet.engine.model import run_replication
from simnet.engine.reference import run_reference
from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text
from simnet.scenario.errors import ScenarioError
from tests.validation.test_cost_attribution import SCENARIO, TwoCarrierDemand

FIRST_KILOMETRE_H = 17.5


@pytest.mark.parametrize(("limit_h", "over"), [(17.5, 0.0), (17.4, 1.0), (30.0, 0.0)])
def test_a_fresh_pickup_is_over_its_limit_exactly_when_it_should_be(limit_h, over):
    overrides = ["hub.line_haul_departures_h=[20]", "demand.fresh_share=1", f"demand.fresh_max_h={limit_h}"]
    plan = build_plan(scenario_from_text(SCENARIO, "fresh.yaml", overrides), default_planner())
    for outcome in (
        run_replication(plan, 0, demand=TwoCarrierDemand()).outcome(),
        run_reference(plan, 0, demand=TwoCarrierDemand()),
    ):
        metrics = replication_metrics(outcome)
        assert metrics["pickup_time_h_mean"] == pytest.approx(FIRST_KILOMETRE_H)
        assert metrics["pickup_time_h_p95"] == pytest.approx(FIRST_KILOMETRE_H, abs=1 / 60)
        assert metrics["fresh_over_limit_share"] == over
        (county,) = replication_tables(outcome)["counties"]
        assert county["fresh_over_limit_share"] == over
        assert county["pickups_in"] == 1


def test_without_fresh_produce_the_share_is_not_measured():
    plan = build_plan(scenario_from_text(SCENARIO, "fresh.yaml"), default_planner())
    assert math.isnan(
        replication_metrics(run_replication(plan, 0, demand=TwoCarrierDemand()).outcome())["fresh_over_limit_share"]
    )


CITY = """
name: harvest
seed: 5
horizon_days: 3
warmup_days: 1
drain_days: 2
replications: 1
demand: {parcels_per_day: 500, rural_share: 0.4, pickups_per_village_per_day: 4}
network: {generate: {counties: 2, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 5000}
fleets: {trunk: {count: 2}, park: {count: 2}, depot: {count: 1}}
service: {start_weekday: fri}
"""
VILLAGES = 12
RATE = 4
SEASON = "demand.farm_season={first_day: 2026-10-30, monthly_multipliers: {11: 3}}"
"""Friday 30 October is the warm-up day; the measured days are 31 October, 1 and 2 November."""


def _pickups_in(*overrides: str) -> int:
    scenario = scenario_from_text(CITY, "harvest.yaml", overrides)
    return int(replication_metrics(run_replication(build_plan(scenario, default_planner()), 1).outcome())["pickups_in"])


def test_a_harvest_month_multiplies_the_pickups_of_its_days():
    """Measured pickups are Poisson with mean villages × rate × (1 + 3 + 3): October's day once, November's thrice.

    Checked within 4 standard deviations (√mean), and against the same city without a season (3 normal days).
    """
    harvest_mean = VILLAGES * RATE * (1 + 3 + 3)
    assert abs(_pickups_in(SEASON) - harvest_mean) < 4 * math.sqrt(harvest_mean)
    normal_mean = VILLAGES * RATE * 3
    assert abs(_pickups_in() - normal_mean) < 4 * math.sqrt(normal_mean)


def test_the_first_day_must_fall_on_the_start_weekday():
    with pytest.raises(ScenarioError, match=r"is a fri, but service\.start_weekday is mon"):
        scenario_from_text(CITY, "harvest.yaml", [SEASON, "service.start_weekday=mon"])


def test_months_run_from_1_to_12():
    with pytest.raises(ScenarioError, match="monthly_multipliers"):
        scenario_from_text(
            CITY, "harvest.yaml", ["demand.farm_season={first_day: 2026-10-30, monthly_multipliers: {13: 2}}"]
        )


@pytest.mark.parametrize(
    ("capacity_per_day", "first_kilometre_h"),
    [
        # 2 a day: 12 h in the cold chain from 4:24 (the van back at the park) to 16:24, in time for the
        # 18:00 return truck; at the hub 18:30, as without a cold chain: 18.5 - 2.5 = 16 h
        (2, 16.0),
        # 1 a day: out at 28:24, the 18:00 return has left; the next is 42:00, at the hub 42:30: 40 h
        (1, 40.0),
    ],
)
def test_fresh_produce_waits_for_the_parks_cold_chain(capacity_per_day, first_kilometre_h):
    overrides = ["demand.fresh_share=1", f"parks.cold_chain_capacity_per_day={capacity_per_day}"]
    plan = build_plan(scenario_from_text(SCENARIO, "cold.yaml", overrides), default_planner())
    fast = run_replication(plan, 0, demand=TwoCarrierDemand()).outcome()
    for outcome in (fast, run_reference(plan, 0, demand=TwoCarrierDemand())):
        assert replication_metrics(outcome)["pickup_time_h_mean"] == pytest.approx(first_kilometre_h)
