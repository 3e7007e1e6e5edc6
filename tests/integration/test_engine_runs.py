"""Whole runs of the engine: conservation, determinism, common random numbers and planners' directions."""

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from simnet.cli import main
from simnet.engine.metrics import replication_metrics
from simnet.engine.model import ConservationError, check_conservation, run_replication
from simnet.experiment.replications import run_scenario
from simnet.metric_names import KEY_METRICS
from simnet.planning import build_plan, default_planner
from simnet.scenario import load_scenario, scenario_from_text

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"

# The shipped scenarios, shrunk to two counties and three measured days so a run takes seconds:
# the city's hub volume stays, and the rural share shrinks with the counties (10 → 2, so 0.08 → 0.016)
# to keep each village's volume as in the full city.
SHRINK = (
    "network.generate.counties=2",
    "demand.rural_share=0.016",
    "horizon_days=3",
    "drain_days=2",
    "replications=2",
)

SMALL = """
name: small
seed: 11
horizon_days: 3
warmup_days: 1
drain_days: 2
replications: 2
demand: {parcels_per_day: 20000, rural_share: 0.3, pickups_per_village_per_day: 3}
network: {generate: {counties: 2, towns_per_county: 3, villages_per_town: 4}}
hub: {capacity_per_day: 30000}
fleets: {trunk: {count: 4}, park: {count: 5}, depot: {count: 3}}
"""


@cache
def shipped(name: str, *extra: str) -> dict[str, float]:
    """Mean metrics of a shrunk shipped scenario (cached: several tests compare the same runs)."""
    scenario = load_scenario(SCENARIOS / f"{name}.yaml", [*SHRINK, *extra])
    result = run_scenario(scenario)
    return {name: estimate.mean for name, estimate in result.summary.items()}


def test_conservation_holds_under_a_backlog():
    """With too little hub capacity, parcels in = delivered + backlog and the backlog is positive."""
    scenario = scenario_from_text(SMALL, overrides=["hub.capacity_per_day=15000"])
    metrics = replication_metrics(run_replication(build_plan(scenario, default_planner()), 0).outcome())
    assert metrics["parcels_backlog"] > 0
    assert metrics["parcels_in"] == metrics["parcels_delivered"] + metrics["parcels_backlog"]


def test_conservation_check_catches_a_lost_parcel():
    """Removing one waiting parcel after a run makes the conservation check fail."""
    scenario = scenario_from_text(SMALL, overrides=["hub.capacity_per_day=15000"])
    built = run_replication(build_plan(scenario, default_planner()), 0)
    outbound = built.hubs[0].trunk.outbound
    queue = next(q for q in outbound if np.count_nonzero(built.context.stats.measured(q.columns["arrival_h"])))
    queue.pop_first(1)
    with pytest.raises(ConservationError, match="conservation violated"):
        check_conservation(built)


def _run_cli(tmp_path: Path, name: str, *args: str) -> dict:
    out = tmp_path / name
    scenario = tmp_path / "small.yaml"
    scenario.write_text(SMALL, encoding="utf-8")
    assert main(["run", str(scenario), "--out", str(out), *args]) == 0
    return json.loads((out / "metrics.json").read_text(encoding="utf-8"))


def test_same_seed_same_metrics_other_seed_differs(tmp_path):
    """Same seed ⇒ identical metrics.json; a different seed ⇒ different metrics."""
    first = _run_cli(tmp_path, "a")
    again = _run_cli(tmp_path, "b")
    other = _run_cli(tmp_path, "c", "--seed", "12")
    assert first == again
    assert first["replications"][0]["parcels_in"] != other["replications"][0]["parcels_in"]


def test_run_writes_every_key_metric(tmp_path):
    """metrics.json holds every key metric of DESIGN.md §5, summarised with mean, CI and n."""
    document = _run_cli(tmp_path, "d")
    for name in KEY_METRICS:
        assert set(document["summary"][name]) == {"mean", "ci_low", "ci_high", "n"}
        assert name in document["replications"][0]


def test_common_random_numbers_across_hub_capacity():
    """Two scenarios differing only in hub capacity see the same demand, replication by replication."""
    small = scenario_from_text(SMALL)
    large = scenario_from_text(SMALL, overrides=["hub.capacity_per_day=60000"])
    for replication in range(2):
        a = replication_metrics(run_replication(build_plan(small, default_planner()), replication).outcome())
        b = replication_metrics(run_replication(build_plan(large, default_planner()), replication).outcome())
        assert (a["parcels_in"], a["rural_parcels_in"], a["pickups_in"]) == (
            b["parcels_in"],
            b["rural_parcels_in"],
            b["pickups_in"],
        )


def test_more_hub_capacity_never_raises_hub_waiting():
    """With the same arrivals (common random numbers), a faster FIFO line finishes every parcel no later.

    One replication suffices: the property holds path by path, not only on average.
    """
    waits = [
        shipped("baseline", f"hub.capacity_per_day={capacity}", "replications=1")["hub_wait_h_mean"]
        for capacity in (4e6, 5e6, 6e6)
    ]
    assert waits == sorted(waits, reverse=True)
    assert waits[0] > waits[-1]


def test_consolidation_saves_km_and_cost():
    """Carriers sharing the county parks drive fewer vehicle-km at a lower cost per parcel."""
    baseline = shipped("baseline")
    consolidated = shipped("consolidated")
    assert consolidated["vehicle_km"] < baseline["vehicle_km"]
    assert consolidated["cost_per_parcel_cny"] < baseline["cost_per_parcel_cny"]
    assert consolidated["co_delivery_share"] == 1.0
    assert baseline["co_delivery_share"] == 0.0


def test_peak_day_slows_delivery_and_fills_the_hub():
    """Nov 11 at 1.9 × volume (six days, to hold its post-peak tail): longer hub queues, later deliveries."""
    baseline = shipped("baseline", "horizon_days=6", "replications=1")
    peak = shipped("peak-day", "horizon_days=6", "replications=1")
    assert peak["parcels_in"] > baseline["parcels_in"]
    assert peak["hub_queue_max"] > baseline["hub_queue_max"]
    assert peak["delivery_time_h_p95"] > baseline["delivery_time_h_p95"]


def test_ev_fleet_cuts_co2():
    """EV vans and e-tricycles on the last tiers emit less CO₂ per parcel than diesel vans."""
    assert shipped("ev-fleet")["co2_g_per_parcel"] < shipped("consolidated")["co2_g_per_parcel"]
    assert shipped("ev-fleet")["co2_g_per_parcel"] < shipped("baseline")["co2_g_per_parcel"]
