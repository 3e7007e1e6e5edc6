"""The fast engine gives every parcel the same times as the per-parcel reference engine.

Each scenario below runs both engines with the same seed and compares every rural parcel's
hub, park, town and delivery times (to 1e-9 h), the trips, km, hours and every cost and metric,
and the costs attributed to each village's and carrier's parcels and pickups (with facility
costs on), all to a relative 1e-9 (float sums taken in another order). Urban parcels leave at the hub; their
times enter the hub metrics, compared too.
"""

import math
from pathlib import Path

import numpy as np
import pytest

from simnet.engine.metrics import replication_metrics, replication_tables
from simnet.engine.model import run_replication
from simnet.engine.reference import run_reference
from simnet.metric_names import KEY_METRICS
from simnet.planning import build_plan, default_planner
from simnet.scenario import load_scenario, scenario_from_text
from tests.validation.test_hand_calculation import SCENARIO as HAND_SCENARIO
from tests.validation.test_hand_calculation import ListedDemand

TIME_TOLERANCE_H = 1e-9
RELATIVE_TOLERANCE = 1e-9
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
TIMES = ("hub_done_h", "park_arrival_h", "park_done_h", "town_arrival_h", "delivered_h")

BASE = """
name: equivalence
seed: {seed}
horizon_days: 3
warmup_days: 1
drain_days: 2
replications: 1
demand: {{parcels_per_day: 2500, rural_share: 0.4, pickups_per_village_per_day: 2}}
network: {{generate: {{counties: 2, towns_per_county: 2, villages_per_town: 3}}}}
hub: {{capacity_per_day: 5000}}
fleets: {{trunk: {{count: 2}}, park: {{count: 2}}, depot: {{count: 1}}}}
output: {{parcel_sample_size: 1000000}}
costs: {{facility_cny_per_day: {{hub_per_daily_capacity: 0.01, park: 500, depot: 200, town: 50, village: 3}}}}
"""

CASES = {
    "separate carriers": [],
    "half consolidated": ["parks.consolidated_share=0.5"],
    "consolidated, two legs": ["parks.consolidated_share=1", "service.last_mile=two_leg"],
    "outside carriers stop at town stations": [
        "parks.outside_carriers_deliver_to=town_station",
        "parks.consolidated_carriers=[zto, yto]",
        "parks.consolidated_share=null",
    ],
    "line-haul out, capacity binding": [
        "hub.line_haul_departures_h=[5, 21]",
        "hub.line_haul_capacity_per_departure=8",
    ],
    "harvest month, fresh produce, line-haul": [
        "demand.farm_season={first_day: 2026-11-30, monthly_multipliers: {12: 2.5}}",
        "demand.fresh_share=0.3",
        "demand.fresh_max_h=20",
        "hub.line_haul_departures_h=[6, 20]",
        "parks.cold_chain_capacity_per_day=6",
    ],
    "hub breakdowns": [
        "hub.breakdowns.time_between_failures_h={kind: exponential, mean: 10}",
        "hub.breakdowns.repair_time_h={kind: exponential, mean: 1}",
        "hub.sorting_lines=3",
        "hub.line_rate_per_h=250",
        "hub.capacity_per_day=null",
    ],
    "hub shifts with gaps": [
        "hub.shifts=[{start_h: 20, end_h: 26}, {start_h: 9, end_h: 12, capacity_share: 0.5}, {start_h: 14, end_h: 17}]"
    ],
    "one truck, one van, small vans (fleet limits and overflow)": [
        "fleets.trunk.count=1",
        "fleets.park.count=1",
        "fleets.depot.count=1",
        "parks.consolidated_share=0.5",
        "vehicle_types.diesel_van.capacity_parcels=40",
    ],
    "three delivery days a week": ["service.deliveries_per_week=3", "parks.consolidated_share=1"],
    "hub too small, many pickups": [
        "hub.capacity_per_day=3000",
        "demand.pickups_per_village_per_day=30",
        "vehicle_types.diesel_van.capacity_parcels=60",
    ],
    "peak day and day-to-day variation": [
        "demand.peak_days=[{day: 2, multiplier: 1.8}]",
        "demand.daily_volume_cv=0.2",
        "parks.dispatch_waves_h=[7, 10, 15]",
    ],
    "formed routes bound by capacity": [
        "parks.consolidated_share=1",
        "vehicle_types.diesel_van.capacity_parcels=25",
        "fleets.park.count=3",
    ],
    "formed routes bound by max_route_h": [
        "parks.consolidated_share=1",
        "vehicle_types.diesel_van.max_route_h=1.2",
    ],
    "mixed fleet with a county override": [
        "parks.consolidated_share=1",
        "fleets.park={vehicles: [{vehicle_type: diesel_van, count: 1}, {vehicle_type: e_tricycle, count: 2}],"
        " max_route_h: 3, counties: {c02: {vehicles: [{vehicle_type: ev_van, count: 1},"
        " {vehicle_type: e_tricycle, count: 1}]}}}",
        "demand.parcels_per_day=1500",
        "vehicle_types.diesel_van.capacity_parcels=120",
    ],
    "pickups wait up to pickup_max_wait_h": [
        "parks.consolidated_share=0.5",
        "service.deliveries_per_week=3",
        "service.pickup_max_wait_h=4",
        "demand.pickups_per_village_per_day=6",
        "demand.parcels_per_day=1000",
    ],
    "EV range and e-tricycles, two legs": [
        "parks.consolidated_share=1",
        "service.last_mile=two_leg",
        "fleets.park.vehicle_type=ev_van",
        "fleets.town={vehicle_type: e_tricycle, count: 1}",
        "vehicle_types.e_tricycle.capacity_parcels=20",
    ],
    "village points open 9-17 with one locker cell": [
        "parks.consolidated_share=0.5",
        "village_points={opening_hours: [[9, 17]], locker_cells: 1, collection_delay_h: {kind: exponential, mean: 10}}",
    ],
    "closed overnight at villages, town stations with lockers": [
        "village_points={opening_hours: [[0.5, 8.75]], locker_cells: 2,"
        " collection_delay_h: {kind: lognormal, mean: 6, cv: 1}}",
        "town_stations={opening_hours: [[10, 11], [14, 15]], locker_cells: 3,"
        " collection_delay_h: {kind: uniform, low: 1, high: 20}}",
        "parks.outside_carriers_deliver_to=town_station",
        "parks.consolidated_carriers=[zto, yto]",
        "parks.consolidated_share=null",
    ],
    "bus lines per town, capacity binding, pickups riding back": [
        "parks.consolidated_share=1",
        "bus_lines={town_lines: {departures_h: [7, 12, 15.5], capacity_parcels: 150},"
        " station_handling_cny_per_parcel: 0.1, co2_kg_per_parcel: 0.02}",
    ],
    "bus lines to village points with hours and one locker cell": [
        "parks.consolidated_share=1",
        "bus_lines={town_lines: {departures_h: [7, 12, 15.5], capacity_parcels: 150}}",
        "village_points={opening_hours: [[13, 17]], locker_cells: 1,"
        " collection_delay_h: {kind: exponential, mean: 10}}",
    ],
    "bus lines with a transfer, listed villages, two legs": [
        "parks.consolidated_share=0.5",
        "service.last_mile=two_leg",
        "bus_lines={lines: [{id: a, stops: [c01, c01-t01, c01-t01-v01], departures_h: [7, 13], capacity_parcels: 200},"
        " {id: b, stops: [c01-t01, c01-t01-v02, c01-t01-v03], departures_h: [8, 14.5], capacity_parcels: 40,"
        " travel_h: [0.3, 0.25]},"
        " {id: c, stops: [c02, c02-t02-v01, c02-t02], departures_h: [9], capacity_parcels: 300}],"
        " serve: {kind: listed, villages: [c01-t01-v02, c01-t01-v03, c02-t02-v01]}, transfer_cny_per_parcel: 0.3}",
    ],
    "two hubs, each its own shifts, trunk fleet, breakdowns and line-haul": [
        "hub=null",
        "hubs=[{id: east, x_km: 15, y_km: 5, capacity_per_day: 2600, counties: [c01],"
        " line_haul_departures_h: [6, 20], line_haul_capacity_per_departure: 4, urban_share: 0.7},"
        " {id: west, x_km: -15, y_km: -5, sorting_lines: 2, line_rate_per_h: 150, counties: [c02], urban_share: 0.3,"
        " shifts: [{start_h: 19, end_h: 27}, {start_h: 8, end_h: 15}], dispatch_cutoffs_h: [3, 5],"
        " breakdowns: {time_between_failures_h: {kind: exponential, mean: 12}},"
        " trunk: {vehicle_type: trailer_17m5, count: 1}}]",
        "parks.consolidated_share=0.5",
        "demand.fresh_share=0.2",
    ],
    "shippers: trunk return at a county seat, dedicated vans to towns, line-haul binding": [
        "shippers=[{id: f1, at: c01, parcels_per_day: 300, collected_by: trunk_return, ready_from_h: 6,"
        " ready_until_h: 20},"
        " {id: f2, at: c02-t01, parcels_per_day: 150, collected_by: dedicated_van, van_departures_h: [12, 18],"
        " vehicle_type: e_tricycle},"
        " {id: f3, at: c01-t02, parcels_per_day: 80, collected_by: dedicated_van}]",
        "vehicle_types.e_tricycle.capacity_parcels=60",
        "hub.line_haul_departures_h=[6, 20]",
        "hub.line_haul_capacity_per_departure=150",
    ],
    "shippers collected by park vans on direct routes, two at one town, room binding": [
        "parks.consolidated_share=0.5",
        "shippers=[{id: f1, at: c01-t01, parcels_per_day: 400, collected_by: park_vans},"
        " {id: f2, at: c01-t01, parcels_per_day: 60, collected_by: park_vans, ready_from_h: 20, ready_until_h: 30},"
        " {id: f3, at: c02-t02, parcels_per_day: 100, collected_by: park_vans},"
        " {id: f4, at: c02, parcels_per_day: 50, collected_by: trunk_return}]",
        "hub.line_haul_departures_h=[6, 20]",
    ],
    "shippers collected by park vans at town stations (two legs)": [
        "parks.consolidated_share=1",
        "service.last_mile=two_leg",
        "shippers=[{id: f1, at: c01-t02, parcels_per_day: 500, collected_by: park_vans, ready_from_h: 9,"
        " ready_until_h: 15}, {id: f2, at: c02-t01, parcels_per_day: 120, collected_by: dedicated_van}]",
    ],
}


def _close(a: float, b: float) -> bool:
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return abs(a - b) <= RELATIVE_TOLERANCE * max(1.0, abs(a))


def _compare(plan, demand=None):
    fast = run_replication(plan, 0, demand=demand).outcome()
    reference = run_reference(plan, 0, demand=demand)
    fast_metrics, reference_metrics = replication_metrics(fast), replication_metrics(reference)
    for name in fast_metrics:
        assert _close(fast_metrics[name], reference_metrics[name]), (name, fast_metrics[name], reference_metrics[name])
    fast_tables, reference_tables = replication_tables(fast), replication_tables(reference)
    fast_parcels = {row["parcel"]: row for row in fast_tables["parcels"]}
    reference_parcels = {row["parcel"]: row for row in reference_tables["parcels"]}
    assert fast_parcels.keys() == reference_parcels.keys()
    for parcel, row in fast_parcels.items():
        for column in TIMES:
            mine, theirs = row[column], reference_parcels[parcel][column]
            assert (math.isnan(mine) and math.isnan(theirs)) or abs(mine - theirs) <= TIME_TOLERANCE_H, (
                parcel,
                column,
                mine,
                theirs,
            )
    for table in (
        "costs",
        "trips",
        "lines",
        "fleets",
        "formed_routes",
        "cost_to_serve_villages",
        "cost_to_serve_carriers",
        "backlog",
        "lockers",
        "bus_lines",
        "hubs",
        "hub_hours",
        "counties",
        "shippers",
    ):
        assert len(fast_tables[table]) == len(reference_tables[table]), table
        for mine, theirs in zip(fast_tables[table], reference_tables[table], strict=True):
            for key, value in mine.items():
                other = theirs[key]
                assert (value == other) or (isinstance(value, float) and _close(value, other)), (
                    table,
                    key,
                    value,
                    other,
                )
    mine, theirs = fast.attributed, reference.attributed
    scale = max(1.0, float(np.abs(mine.by_village).max(initial=0.0)))
    for name in ("by_village", "by_carrier", "unattributed", "arrived_by_village", "arrived_by_carrier"):
        assert np.allclose(getattr(mine, name), getattr(theirs, name), rtol=0, atol=RELATIVE_TOLERANCE * scale), name
    return fast_metrics, len(fast_parcels)


@pytest.mark.parametrize("overrides", CASES.values(), ids=CASES.keys())
def test_same_times_trips_and_costs(overrides):
    """Every parcel's times, every trip, km and cost item agree between the fast and the reference engine."""
    plan = build_plan(scenario_from_text(BASE.format(seed=3), "equivalence.yaml", overrides), default_planner())
    metrics, parcels = _compare(plan)
    assert parcels > 1000  # the comparison covered real traffic, not an empty run
    assert set(KEY_METRICS) <= set(metrics)


@pytest.mark.parametrize("seed", [5, 17])
def test_other_seeds(seed):
    """Equivalence does not hang on one seed's numbers."""
    plan = build_plan(
        scenario_from_text(BASE.format(seed=seed), "equivalence.yaml", ["parks.consolidated_share=0.5"]),
        default_planner(),
    )
    _compare(plan)


def test_hand_calculated_city():
    """The reference engine reproduces the hand-calculated city too (its listed parcels and pickup)."""
    plan = build_plan(scenario_from_text(HAND_SCENARIO, "hand.yaml"), default_planner())
    metrics, parcels = _compare(plan, ListedDemand())
    assert parcels == 3
    assert metrics["pickup_time_h_mean"] == pytest.approx(16.0)


def _formed(overrides):
    plan = build_plan(scenario_from_text(BASE.format(seed=3), "equivalence.yaml", overrides), default_planner())
    return replication_tables(run_replication(plan, 0).outcome())["formed_routes"]


def test_cases_exercise_their_rules():
    """The new-rule cases above bind: capacity fills routes, max_route_h cuts them, both types and the
    county override are used, and stops with pickups alone are visited."""
    capacity = _formed(CASES["formed routes bound by capacity"])
    assert max(row["parcels"] for row in capacity) == 25
    assert any(row["stops"] > 1 for row in capacity)
    limited = _formed(CASES["formed routes bound by max_route_h"])
    free = _formed(CASES["formed routes bound by max_route_h"][:-1])
    assert all(row["vehicle_hours"] <= 1.2 + 1e-9 for row in limited if row["stops"] > 1)
    assert len(limited) > len(free)
    mixed = _formed(CASES["mixed fleet with a county override"])
    assert {row["vehicle_type"] for row in mixed if row["county"] == "c01"} == {"diesel_van", "e_tricycle"}
    assert {row["vehicle_type"] for row in mixed if row["county"] == "c02"} <= {"ev_van", "e_tricycle"}
    assert "ev_van" in {row["vehicle_type"] for row in mixed if row["county"] == "c02"}
    waiting = _formed(CASES["pickups wait up to pickup_max_wait_h"])
    assert any(row["parcels"] == 0 and row["pickups"] > 0 for row in waiting)


def test_locker_cases_exercise_their_rules():
    """The locker cases bind: parcels left while closed, cells that run out, cells used, and parcels waiting
    for the opening across midnight at village points (a village-tier backlog)."""
    for case, tier in (("village points open 9-17 with one locker cell", "village"),
                       ("closed overnight at villages, town stations with lockers", "town")):  # fmt: skip
        plan = build_plan(scenario_from_text(BASE.format(seed=3), "equivalence.yaml", CASES[case]), default_planner())
        outcome = run_replication(plan, 0).outcome()
        rows = [row for row in replication_tables(outcome)["lockers"] if row["tier"] == tier]
        assert sum(row["no_cell_parcels"] for row in rows) > 0
        assert sum(row["closed_hours_parcels"] for row in rows) > sum(row["no_cell_parcels"] for row in rows)
    backlog = replication_tables(outcome)["backlog"]
    assert sum(row["parcels"] for row in backlog if row["tier"] == "village") > 0


def test_lon_lat_county_from_csv():
    """The shipped CSV county (lon/lat sites, implied village-to-village links), shrunk to a few days, agrees.

    30,000 parcels a day at the hub with the rural share raised 4 × (0.02) keep 600 rural parcels a
    day (0.005 × 120,000, the volume this test first ran at) while the reference hub handles 4 ×
    fewer urban parcels.
    """
    scenario = load_scenario(
        SCENARIOS / "csv-county.yaml",
        ["horizon_days=2", "warmup_days=1", "drain_days=2", "demand.parcels_per_day=30000",
         "demand.rural_share=0.02", "replications=1"],
    )  # fmt: skip
    plan = build_plan(scenario, default_planner())
    _, parcels = _compare(plan)
    assert parcels > 500


def test_routes_chain_villages_directly():
    """With implied links a formed route drives village to village: some route has several village stops,
    and its km equal the straight legs between them (no detour through a town)."""
    plan = build_plan(scenario_from_text(BASE.format(seed=3), "equivalence.yaml", []), default_planner())
    network = plan.network
    formed = replication_tables(run_replication(plan, 0).outcome())["formed_routes"]
    assert any(row["stops"] > 1 and row["tier"] == "depot" for row in formed)
    point = next(p for p in plan.points if p.at_village)
    first, second = (int(site) for site in point.tour[:2])
    straight_km = plan.scenario.network.detour_factor * float(
        np.hypot(network.x_km[first] - network.x_km[second], network.y_km[first] - network.y_km[second])
    )
    rows = point.matrix_row
    assert point.matrix.distance_km[rows[first], rows[second]] <= straight_km + 1e-9
