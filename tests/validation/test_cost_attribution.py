"""Cost attribution by hand: a county of two villages and two carriers, every trip's cost and load written out.

The city is the hand-calculated one (``test_hand_calculation.py``) with a second carrier ``b``
that stays out of the park and runs its own depot, and with facility costs. Four parcels and one
pickup are listed; each expected share below is derived in the comment beside it from the rules
of ``engine/attribution.py``. Both engines must give the same attributed costs.
"""

import numpy as np
import pytest

from simnet.engine.attribution import ITEM_INDEX
from simnet.engine.metrics import replication_metrics, replication_tables
from simnet.engine.model import run_replication
from simnet.engine.reference import run_reference
from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text
from tests.listed_demand import DayZeroDemand
from tests.validation.test_hand_calculation import SCENARIO as HAND_SCENARIO

SCENARIO = (
    HAND_SCENARIO.replace("horizon_days: 1\n", "horizon_days: 2\n")
    .replace(
        "carriers: [{id: solo, name: 独家, share: 1.0}]",
        "carriers: [{id: a, name: 甲, share: 0.5}, {id: b, name: 乙, share: 0.5}]",
    )
    .replace("  consolidated_share: 1.0\n", "  consolidated_share: null\n  consolidated_carriers: [a]\n")
    .replace("  sorting_rate_per_h: 20 ", "  depot_sorting_rate_per_h: 20\n  sorting_rate_per_h: 20 ")
    .replace(
        "  village_commission_cny_per_parcel: 0.5\n",
        "  village_commission_cny_per_parcel: 0.5\n"
        "  facility_cny_per_day: {hub_per_daily_capacity: 0.01, park: 10, depot: 6, town: 100, village: 2}\n",
    )
)

ARRIVALS_H = np.array([0.0, 0.05, 1.0, 1.05])
CARRIERS = np.array([0, 1, 0, 1], dtype=np.int16)  # a, b, a, b
VILLAGES = np.array([0, 0, 1, 1], dtype=np.int32)  # v1, v1, v2, v2


def TwoCarrierDemand() -> DayZeroDemand:
    """Four parcels (a and b to each village) and one pickup of carrier a at v2, on day 0 only."""
    return DayZeroDemand(ARRIVALS_H, VILLAGES, CARRIERS, pickup_h=2.5)


# Trips (cost by the hand-calculation test): the 2:00 truck, 60 km, 6 L, 1 h: 60 + 48 + 30 = 138,
# carrying the 4 parcels; the 18:00 return truck, 138, carrying the pickup; the park van at 3:00,
# park → v1 → v2 → park, 34 km, 6.8 kWh, 1.4 h: 17 + 6.8 + 28 = 51.8, carrying a's 2 parcels and
# the pickup; the depot van at 3:00 on the same round, 51.8, carrying b's 2 parcels.
TRUNK_PER_PARCEL = 138 / 4
PARK_VAN_PER_UNIT = 51.8 / 3
DEPOT_VAN_PER_UNIT = 51.8 / 2
# Fixed costs of day 0: the truck pool (one truck out) 100 over its 5 units (4 parcels, 1 pickup);
# the park van 50 over its 3 units; the depot van 50 over its 2.
POOL_PER_UNIT = 100 / 5
# Facilities of day 0: hub 0.01 × 240 parcels/day of capacity = 2.4 over the 4 parcels it received;
# the park 10 over a's 2 parcels; b's depot 6 over b's 2; each village point 2 over its 2 parcels.
# No town station is used (vans go to the villages), so none costs anything.
FACILITY_A = 2.4 / 4 + 10 / 2 + 2 / 2
FACILITY_B = 2.4 / 4 + 6 / 2 + 2 / 2
# Handling: hub 0.25, park 0.15 (a) or depot 0.30 (b); commission 0.5.
PARCEL_A = TRUNK_PER_PARCEL + POOL_PER_UNIT + PARK_VAN_PER_UNIT + 50 / 3 + 0.25 + 0.15 + 0.5 + FACILITY_A
PARCEL_B = TRUNK_PER_PARCEL + POOL_PER_UNIT + DEPOT_VAN_PER_UNIT + 50 / 2 + 0.25 + 0.30 + 0.5 + FACILITY_B
PICKUP = 138 + POOL_PER_UNIT + PARK_VAN_PER_UNIT + 50 / 3
# Day 1 (measured, no demand) has no units: its facility costs, 2.4 + 10 + 6 + 2 × 2 = 22.4, stay
# unattributed. Every unit has finished by its end, so the run stops there (no drain day is simulated).
UNATTRIBUTED = 22.4
# Everything booked in the run: trunk 2 × 138 + 100, vans 2 × (51.8 + 50), handling 4 × 0.25 +
# 2 × 0.15 + 2 × 0.30, commission 4 × 0.5, facilities 2 days × 22.4 (days 0 and 1).
ALL_TIME = 276 + 100 + 2 * 101.8 + 1.0 + 0.3 + 0.6 + 2.0 + 2 * 22.4


@pytest.fixture(scope="module")
def outcomes():
    plan = build_plan(scenario_from_text(SCENARIO, "attribution.yaml"), default_planner())
    fast = run_replication(plan, 0, demand=TwoCarrierDemand()).outcome()
    reference = run_reference(plan, 0, demand=TwoCarrierDemand())
    return fast, reference


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_trips_as_written_out(outcomes, engine):
    """The trips the shares below assume: two vans at 3:00 with 2 + 1 and 2 units, 34 km each."""
    outcome = outcomes[0 if engine == "fast" else 1]
    routes = replication_tables(outcome)["formed_routes"]
    assert sorted((row["tier"], row["parcels"], row["pickups"], row["vehicle_km"]) for row in routes) == [
        ("depot", 2, 0, pytest.approx(34.0)),
        ("park", 2, 1, pytest.approx(34.0)),
    ]
    assert replication_metrics(outcome)["trips"] == 4  # 2 trucks + 2 vans


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_every_attributed_cost_by_hand(outcomes, engine):
    """Each carrier's parcels, the pickup and the unattributed rest carry the costs derived above."""
    outcome = outcomes[0 if engine == "fast" else 1]
    tables = replication_tables(outcome)
    per_carrier = {}
    for row in tables["cost_to_serve_carriers"]:
        key = (row["carrier"], row["unit"])
        per_carrier[key] = per_carrier.get(key, 0.0) + row["cost_cny"]
    assert per_carrier == pytest.approx({("a", "parcel"): 2 * PARCEL_A, ("b", "parcel"): 2 * PARCEL_B,
                                         ("a", "pickup"): PICKUP})  # fmt: skip
    per_village = {}
    for row in tables["cost_to_serve_villages"]:
        if row["unit"] == "parcel":
            per_village[row["village"]] = per_village.get(row["village"], 0.0) + row["cost_cny"]
            assert row["units"] == 2  # one parcel of a and one of b in each village
    assert per_village == pytest.approx({"v1": PARCEL_A + PARCEL_B, "v2": PARCEL_A + PARCEL_B})
    van = {(row["tier"], row["kind"]): row["cost_per_unit_cny"] for row in tables["cost_to_serve_carriers"]
           if row["carrier"] == "b" and row["unit"] == "parcel"}  # fmt: skip
    assert van[("depot", "distance")] == pytest.approx(17 / 2)
    assert van[("depot", "vehicle_fixed")] == pytest.approx(50 / 2)
    assert van[("depot", "facility_fixed")] == pytest.approx(6 / 2)
    assert van[("trunk", "energy")] == pytest.approx(48 / 4)
    assert outcome.attributed.unattributed.sum() == pytest.approx(UNATTRIBUTED)
    assert outcome.attributed.unattributed[ITEM_INDEX[("park", "facility_fixed")]] == pytest.approx(10)


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_attributed_costs_add_up_to_the_ledger(outcomes, engine):
    """Horizon parcels + horizon pickups + units outside the horizon + unattributed = all booked in the run.

    Here every unit is in the horizon (2 days) and the run stops at its end, so the window's cost_total_cny
    is everything booked.
    """
    outcome = outcomes[0 if engine == "fast" else 1]
    attributed = outcome.attributed
    parts = attributed.horizon_cny("parcel") + attributed.horizon_cny("pickup") + attributed.outside_cny()
    assert parts + attributed.unattributed.sum() == pytest.approx(sum(outcome.ledger.all_time_cny.values()))
    assert sum(outcome.ledger.all_time_cny.values()) == pytest.approx(ALL_TIME)
    metrics = replication_metrics(outcome)
    assert metrics["cost_per_parcel_cny"] == pytest.approx((2 * PARCEL_A + 2 * PARCEL_B) / 4)
    assert metrics["cost_total_cny"] == pytest.approx(ALL_TIME)
