"""Parcels on a rural bus line, followed by hand: boarding, arrival and cost of every parcel, in both engines.

The city is the hand-calculated one (tests/validation/test_hand_calculation.py): hub at 10 parcels/h,
the 2:00 truck reaching the park at 2.5, the park line at 20/h. One bus line calls at the park, t1,
v1 and v2 with travel times 0.5, 0.2 and 0.3 h (so v1 at 0.7 h and v2 at 1.0 h after leaving, and
back at the park 2.0 h after leaving), two departures a day (3:00, 5:00) and room for two units.
"""

import numpy as np
import pytest

from simnet.engine.metrics import replication_metrics, replication_tables
from simnet.engine.model import run_replication
from simnet.engine.reference import run_reference
from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text
from tests.listed_demand import DayZeroDemand
from tests.validation.test_hand_calculation import SCENARIO as HAND_SCENARIO
from tests.validation.test_reference_equivalence import BASE

BUS = (
    "bus_lines={lines: [{id: b, stops: [c1, t1, v1, v2], departures_h: [3, 5], travel_h: [0.5, 0.2, 0.3],"
    " capacity_parcels: 2}], price_cny_per_parcel: 0.8, station_handling_cny_per_parcel: 0.2}"
)
ARRIVALS_H = np.array([0.0, 0.05, 0.1, 0.15, 1.0])
VILLAGES = np.array([0, 1, 1, 0, 1], dtype=np.int32)  # v1, v2, v2, v1, v2
PICKUP_APPEAR_H = 2.5  # one pickup at v2


def FiveParcels() -> DayZeroDemand:
    """Five parcels and one pickup on day 0, none after."""
    return DayZeroDemand(ARRIVALS_H, VILLAGES, pickup_h=PICKUP_APPEAR_H)


@pytest.fixture(scope="module", params=["fast", "reference"])
def run(request):
    plan = build_plan(scenario_from_text(HAND_SCENARIO, "hand.yaml", [BUS]), default_planner())
    if request.param == "fast":
        outcome = run_replication(plan, 0, demand=FiveParcels()).outcome()
    else:
        outcome = run_reference(plan, 0, demand=FiveParcels())
    return replication_metrics(outcome), replication_tables(outcome)


def test_every_parcel_boards_and_arrives_as_written(run):
    """Room for two: the 3:00 bus takes the two oldest, the 5:00 bus the next two, the fifth waits a day."""
    _, tables = run
    parcels = sorted(tables["parcels"], key=lambda row: row["hub_arrival_h"])
    # hub 0.1 h each in turn: 0.1, 0.2, 0.3, 0.4, and 1.1; truck at 2:00 → park at 2.5
    assert [row["hub_done_h"] for row in parcels] == pytest.approx([0.1, 0.2, 0.3, 0.4, 1.1], abs=1e-9)
    # park line 0.05 h each: ready for the bus at 2.55, 2.60, 2.65, 2.70, 2.75
    assert [row["park_done_h"] for row in parcels] == pytest.approx([2.55, 2.60, 2.65, 2.70, 2.75], abs=1e-9)
    # 3:00 bus: parcels 0 (v1) and 1 (v2) board, v1 at 3.7, v2 at 4.0; parcels 2–4 find no room.
    # 5:00 bus: parcels 2 (v2) and 3 (v1) board, v1 at 5.7, v2 at 6.0; parcel 4 finds no room again.
    # next day's 3:00 bus (27.0): parcel 4 (v2) at 28.0.
    assert [row["delivered_h"] for row in parcels] == pytest.approx([3.7, 4.0, 6.0, 5.7, 28.0], abs=1e-9)


def test_bus_table_metrics_and_costs_by_hand(run):
    """Departures, loads, the pickup riding back, bus costs and delivery times, as derived in the comments."""
    metrics, tables = run
    (day,) = tables["bus_lines"]
    # two departures; 4 parcels board; the pickup (v2, appeared 2.5) boards the 3:00 bus's run back at
    # v2 (4.0); left waiting at the park: 3 at 3:00 and 1 at 5:00; both departures full outward.
    assert (day["departures"], day["parcels"], day["pickups"], day["transfers"], day["left_waiting"]) == (2, 4, 1, 0, 4)
    assert day["peak_load_mean"] == pytest.approx(1.0)
    # the pickup reaches the park at 3 + 2.0 = 5.0, the 18:00 trunk return, the hub 0.5 h later: 16.0 h
    assert metrics["pickup_time_h_mean"] == pytest.approx(16.0)
    # delivery times: 3.7 − 0, 4.0 − 0.05, 6.0 − 0.1, 5.7 − 0.15, 28.0 − 1.0 → mean 44.1 / 5 = 8.82
    assert metrics["delivery_time_h_mean"] == pytest.approx((3.7 + 3.95 + 5.9 + 5.55 + 27.0) / 5)
    assert metrics["bus_share"] == pytest.approx(1.0)
    # each parcel: fare 0.8 + station handling 0.2 on boarding at the park
    assert metrics["bus_cost_per_parcel_cny"] == pytest.approx(1.0)
    bus_costs = {(row["kind"]): row["cost_cny"] for row in tables["costs"] if row["tier"] == "bus"}
    # booked in the window (day 0): fares of 4 parcels and the pickup, 5 × 0.8 = 4.0; handling of the 4
    # parcels boarding and the pickup leaving at the park, 5 × 0.2 = 1.0 (parcel 4 pays on day 1)
    assert bus_costs == pytest.approx({"fare": 4.0, "handling": 1.0})
    # the village points' commission, 0.5 for each of the 4 parcels left there on day 0, as from a van
    commission = sum(row["cost_cny"] for row in tables["costs"] if row["kind"] == "commission")
    assert commission == pytest.approx(4 * 0.5)
    # no van leaves: the bus carries every parcel and the pickup; the truck drives 2 × 30 km twice
    assert metrics["vehicle_km"] == pytest.approx(120.0)
    # parcel 4 waits at the park at the end of day 1
    park = [row for row in tables["backlog"] if row["day"] == 1 and row["tier"] == "park"]
    assert park[0]["parcels"] == 1


def test_bus_replacing_vans_cuts_the_park_fleets_km():
    """Direction: buses with room to spare on every town's line take the parcels vans carried, so the park's
    vans drive fewer km (only outside carriers' depots keep their vans)."""
    park_km = {}
    for label, extra in (
        ("vans", []),
        ("bus", ["bus_lines={town_lines: {departures_h: [7, 12], capacity_parcels: 1000}}"]),
    ):
        plan = build_plan(
            scenario_from_text(BASE.format(seed=3), "e.yaml", ["parks.consolidated_share=1", *extra]),
            default_planner(),
        )
        trips = replication_tables(run_replication(plan, 0).outcome())["trips"]
        park_km[label] = sum(row["vehicle_km"] for row in trips if row["tier"] == "park")
    assert park_km["vans"] > 0
    assert park_km["bus"] < 0.5 * park_km["vans"]
