"""A city small enough to follow by hand: every parcel's times, the trips, the km and the cost.

The network (one county, one town, two villages) and the three parcels are listed, so nothing is
random. Each expected number below is derived in the comment beside it from the scenario values.
"""

import numpy as np
import pytest

from simnet.engine.metrics import replication_metrics, replication_tables
from simnet.engine.model import run_replication
from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text
from tests.listed_demand import DayZeroDemand

SCENARIO = """
name: hand calculation
seed: 1
horizon_days: 1
warmup_days: 0
drain_days: 1
replications: 1
carriers: [{id: solo, name: 独家, share: 1.0}]
demand: {parcels_per_day: 3, rural_share: 1.0, pickups_per_village_per_day: 0}
network:
  hub: {x_km: 0, y_km: 0}
  counties:
    - id: c1
      park: {x_km: 30, y_km: 0}
      towns:
        - id: t1
          x_km: 30
          y_km: 10
          villages:
            - {id: v1, x_km: 30, y_km: 13, demand_weight: 2}
            - {id: v2, x_km: 34, y_km: 10, demand_weight: 1}
  roads:
    - {from: hub, to: c1, road_class: expressway, length_km: 30}
    - {from: c1, to: t1, road_class: county, length_km: 10}
    - {from: t1, to: v1, road_class: village, length_km: 3}
    - {from: t1, to: v2, road_class: village, length_km: 4}
hub:
  capacity_per_day: 240          # one 24 h shift: 10 parcels/h, 0.1 h per parcel
  shifts: [{start_h: 0, end_h: 24}]
  dispatch_cutoffs_h: [2.0]
parks:
  consolidated_share: 1.0
  sorting_rate_per_h: 20         # 0.05 h per parcel
  shifts: [{start_h: 0, end_h: 24}]
  dispatch_waves_h: [3.0]
  return_departures_h: [18.0]
service:
  deliveries_per_week: 7
  stop_time_h: 0.1
vehicle_types:
  truck:
    capacity_parcels: 100
    speed_kmh: {expressway: 60}
    cost_per_day_cny: 100
    cost_per_km_cny: 1.0
    driver_cost_per_h_cny: 30
    energy: {kind: diesel, litres_per_100km: 10}
  van:
    capacity_parcels: 10
    speed_kmh: {county: 40, village: 20}
    cost_per_day_cny: 50
    cost_per_km_cny: 0.5
    driver_cost_per_h_cny: 20
    energy: {kind: electric, kwh_per_100km: 20}
fleets:
  trunk: {vehicle_type: truck, count: 1}
  park: {vehicle_type: van, count: 1}
  town: {vehicle_type: van, count: 1}
  depot: {vehicle_type: van, count: 1}
costs:
  handling_cny_per_parcel: {hub: 0.25, park: 0.15, depot: 0.3, town: 0.1}
  village_commission_cny_per_parcel: 0.5
  diesel_cny_per_l: 8.0
  electricity_cny_per_kwh: 1.0
emissions: {diesel_co2_kg_per_l: 2.68, grid_co2_kg_per_kwh: 0.54}
output: {parcel_sample_size: 100}
"""

ARRIVALS_H = np.array([0.0, 0.05, 1.0])
VILLAGES = np.array([0, 1, 0], dtype=np.int32)  # v1, v2, v1 (indexes into the network's villages)
PICKUP_APPEAR_H = 2.5  # one pickup at v2, waiting when the 3:00 van leaves


def ListedDemand() -> DayZeroDemand:
    """Three parcels and one pickup on day 0, none after."""
    return DayZeroDemand(ARRIVALS_H, VILLAGES, pickup_h=PICKUP_APPEAR_H)


@pytest.fixture(scope="module")
def run():
    scenario = scenario_from_text(SCENARIO, "hand.yaml")
    plan = build_plan(scenario, default_planner())
    built = run_replication(plan, 0, demand=ListedDemand())
    return plan, replication_metrics(built.outcome()), replication_tables(built.outcome())


def test_one_route_serves_both_villages_heavier_first(run):
    """Planned for 2 + 1 parcels a day with room for 10: one route, v1 (weight 2) before v2."""
    plan, _, _ = run
    (park,) = [point for point in plan.points if point.tier == "park"]
    names = [[plan.network.site_ids[site] for site in route.stops] for route in park.routes]
    assert names == [["v1", "v2"]]


def test_every_parcel_time_by_hand(run):
    """Hub at 10/h FIFO, truck at 2:00 (0.5 h), park at 20/h, van at 3:00 via t1 to v1 then v2."""
    _, _, tables = run
    parcels = sorted(tables["parcels"], key=lambda row: row["hub_arrival_h"])
    # hub: 0.0 → 0.1; 0.05 waits for the first → 0.2; 1.0 → 1.1 (0.1 h each at 10/h)
    assert [row["hub_done_h"] for row in parcels] == pytest.approx([0.1, 0.2, 1.1], abs=1e-9)
    # the 2:00 truck takes all three; 30 km at 60 km/h = 0.5 h → park at 2.5
    assert [row["park_arrival_h"] for row in parcels] == pytest.approx([2.5, 2.5, 2.5], abs=1e-9)
    # park line at 20/h, 0.05 h each, in hub order: 2.55, 2.60, 2.65
    assert [row["park_done_h"] for row in parcels] == pytest.approx([2.55, 2.60, 2.65], abs=1e-9)
    # van leaves 3.0; park→t1 10 km / 40 = 0.25 h, t1→v1 3 km / 20 = 0.15 h → v1 at 3.40;
    # 0.1 h stop, v1→t1→v2 7 km / 20 = 0.35 h → v2 at 3.85
    assert [row["delivered_h"] for row in parcels] == pytest.approx([3.40, 3.85, 3.40], abs=1e-9)


def test_metrics_by_hand(run):
    """Delivery times, trips, km, CO₂ and every cost item of the day, derived in the comments."""
    _, metrics, _ = run
    # delivery times 3.40 − 0, 3.85 − 0.05, 3.40 − 1.0 = 3.40, 3.80, 2.40 → mean 3.2
    assert metrics["delivery_time_h_mean"] == pytest.approx((3.40 + 3.80 + 2.40) / 3)
    assert metrics["parcels_in"] == 3
    assert metrics["parcels_delivered"] == 3
    assert metrics["parcels_backlog"] == 0
    # trips: truck down at 2:00, van at 3:00, truck with the pickup at 18:00 (a round trip)
    assert metrics["trips"] == 3
    # km: truck 2 × 30 twice; van park→v1 13 + v1→v2 7 + v2→park 14 = 34
    assert metrics["vehicle_km"] == pytest.approx(60 + 60 + 34)
    # hours: truck 1.0 twice; van 0.40 + 0.35 + 0.45 driving + 2 stops × 0.1 = 1.40
    assert metrics["vehicle_hours"] == pytest.approx(1.0 + 1.0 + 1.40)
    # CO₂: truck 120 km × 0.10 L/km × 2.68 = 32.16 kg; van 34 km × 0.20 kWh/km × 0.54 = 3.672 kg
    assert metrics["co2_kg"] == pytest.approx(32.16 + 3.672)
    # cost: truck trips 2 × (60 km × 1.0 + 6 L × 8.0 + 1.0 h × 30) = 276, truck-day fixed 100;
    # van 34 × 0.5 + 6.8 kWh × 1.0 + 1.4 h × 20 = 51.8, van-day fixed 50;
    # handling 3 × (0.25 hub + 0.15 park) = 1.2; commission 3 × 0.5 = 1.5
    total = 276 + 100 + 51.8 + 50 + 1.2 + 1.5
    assert metrics["cost_total_cny"] == pytest.approx(total)
    # attributed (engine/attribution.py): the pickup shares the van (4 units) and the truck pool's
    # day (4 units) and alone pays the 18:00 return truck (138); each parcel pays 138 / 3 of the
    # 2:00 truck, 100 / 4 pool, (51.8 + 50) / 4 van and its handling and commission 0.9
    assert metrics["cost_per_parcel_cny"] == pytest.approx(138 / 3 + 100 / 4 + 101.8 / 4 + 0.9)
    # the pickup waits at v2 from 2.5, goes with the 3:00 van (back at the park at 4.40),
    # leaves the park at 18:00 and reaches the hub at 18.5: 16.0 h
    assert metrics["pickup_time_h_mean"] == pytest.approx(18.5 - 2.5)
    assert metrics["village_coverage"] == 1.0
    assert metrics["co_delivery_share"] == 1.0


def test_cost_table_by_tier_and_kind(run):
    """The cost table splits the same total by tier and kind (vehicle fixed, distance, energy, driver, handling)."""
    _, _, tables = run
    by_key = {}
    for row in tables["costs"]:
        key = (row["tier"], row["kind"])
        by_key[key] = by_key.get(key, 0.0) + row["cost_cny"]
    assert by_key == pytest.approx(
        {
            ("trunk", "distance"): 120.0,
            ("trunk", "energy"): 96.0,
            ("trunk", "driver_time"): 60.0,
            ("trunk", "vehicle_fixed"): 100.0,
            ("park", "distance"): 17.0,
            ("park", "energy"): 6.8,
            ("park", "driver_time"): 28.0,
            ("park", "vehicle_fixed"): 50.0,
            ("hub", "handling"): 0.75,
            ("park", "handling"): 0.45,
            ("village", "commission"): 1.5,
        }
    )
