"""Outbound line-haul at the hub: a pickup's times by hand, the count at midnight, and a direction check.

The hand case is the cost-attribution county (``test_cost_attribution.py``): its one pickup appears
at v2 at 2:30, rides back with the park van of 3:00 (at the park at 4:24), leaves on the 18:00
return truck and reaches the hub at 18:30 (30 km at 60 km/h). The rule is in ``engine/line_haul.py``.
"""

import pytest

from simnet.engine.backlog import BACKLOG_TIERS, UNITS
from simnet.engine.metrics import replication_metrics
from simnet.engine.model import run_replication
from simnet.engine.reference import run_reference
from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text
from simnet.scenario.errors import ScenarioError
from tests.validation.test_cost_attribution import SCENARIO, TwoCarrierDemand

APPEAR_H = 2.5
HUB_ARRIVAL_H = 18.5


def _outcomes(*overrides: str):
    plan = build_plan(scenario_from_text(SCENARIO, "line-haul.yaml", overrides), default_planner())
    fast = run_replication(plan, 0, demand=TwoCarrierDemand()).outcome()
    reference = run_reference(plan, 0, demand=TwoCarrierDemand())
    return fast, reference


@pytest.mark.parametrize(
    ("departures", "capacity", "departed_h"),
    [
        (None, None, HUB_ARRIVAL_H),  # no line-haul: it leaves the model on reaching the hub
        ("[20]", None, 20.0),  # the next departure the same evening
        ("[18.5]", None, 18.5),  # a departure at the very moment it arrives takes it
        ("[6, 18]", None, 24.0 + 6.0),  # 18:00 left before it came: the next morning's 06:00
        ("[2, 20]", 1, 20.0),  # room for one, and it is the only one
    ],
)
def test_a_pickups_first_kilometre_by_hand(departures, capacity, departed_h):
    overrides = [] if departures is None else [f"hub.line_haul_departures_h={departures}"]
    overrides += [] if capacity is None else [f"hub.line_haul_capacity_per_departure={capacity}"]
    for outcome in _outcomes(*overrides):
        metrics = replication_metrics(outcome)
        assert metrics["pickups_at_hub"] == 1
        assert metrics["pickup_time_h_mean"] == pytest.approx(departed_h - APPEAR_H)


def test_a_pickup_waiting_for_line_haul_at_midnight_is_counted_at_the_hub():
    """With only a 06:00 departure it waits at the hub from 18:30 to 06:00: the backlog of day 0 has it."""
    hub, pickup = BACKLOG_TIERS.index("hub"), UNITS.index("pickup")
    for outcome in _outcomes("hub.line_haul_departures_h=[6]"):
        assert outcome.backlog_by_day[0, hub, pickup] == 1
        assert outcome.backlog_by_day[0].sum() == 1  # nothing else waits anywhere at midnight


def test_capacity_needs_departures():
    with pytest.raises(ScenarioError, match="line_haul_capacity_per_departure"):
        scenario_from_text(SCENARIO, "line-haul.yaml", ["hub.line_haul_capacity_per_departure=10"])


def test_a_departure_listed_twice_is_refused():
    with pytest.raises(ScenarioError, match="listed twice"):
        scenario_from_text(SCENARIO, "line-haul.yaml", ["hub.line_haul_departures_h=[6, 30]"])


CITY = """
name: line-haul-direction
seed: 11
horizon_days: 2
warmup_days: 1
drain_days: 3
replications: 1
demand: {parcels_per_day: 1500, rural_share: 0.4, pickups_per_village_per_day: 3}
network: {generate: {counties: 2, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 5000, line_haul_capacity_per_departure: 15}
fleets: {trunk: {count: 2}, park: {count: 2}, depot: {count: 1}}
"""


def test_more_departures_never_lengthen_the_first_kilometre():
    """Each added departure is one more chance to leave: the mean pickup time never rises (same seed).

    With 15 places per departure and about 36 pickups a day, one departure a day leaves a queue.
    """
    means = []
    for departures in ("[22]", "[10, 22]", "[2, 10, 16, 22]"):
        scenario = scenario_from_text(CITY, "direction.yaml", [f"hub.line_haul_departures_h={departures}"])
        outcome = run_replication(build_plan(scenario, default_planner()), 1).outcome()
        means.append(replication_metrics(outcome)["pickup_time_h_mean"])
    assert means[0] >= means[1] >= means[2]
    assert means[0] > means[2]
