"""What waits at the end of each day, by hand: a parcel that misses the last truck and a pickup that misses the van.

The hand-calculated city (``test_hand_calculation.py``): the hub sorts 10 parcels an hour, one
truck leaves at 2:00, the park van at 3:00, the return truck at 18:00. Both engines must count
the same.
"""

import numpy as np
import pytest

from simnet.engine.metrics import replication_tables
from simnet.engine.model import run_replication
from simnet.engine.reference import run_reference
from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text
from tests.listed_demand import DayZeroDemand
from tests.validation.test_hand_calculation import SCENARIO

ARRIVALS_H = np.array([0.0, 23.0])
VILLAGES = np.array([0, 1], dtype=np.int32)  # v1, v2


def LateDemand() -> DayZeroDemand:
    """Day 0: a parcel for v1 at 0:00, one for v2 at 23:00, and a pickup appearing at v2 at 20:00."""
    return DayZeroDemand(ARRIVALS_H, VILLAGES, pickup_h=20.0)


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_backlog_by_day_and_tier_by_hand(engine):
    """End of day 1: the 23:00 parcel at the hub (sorted 23.1, next truck 2:00), the pickup at v2's point
    (the 3:00 van went to v1 only). End of day 2: the 2:00 truck and 3:00 van took both on; the pickup
    left the park at 18:00. Nothing waits anywhere else."""
    plan = build_plan(scenario_from_text(SCENARIO, "hand.yaml"), default_planner())
    if engine == "fast":
        outcome = run_replication(plan, 0, demand=LateDemand()).outcome()
    else:
        outcome = run_reference(plan, 0, demand=LateDemand())
    rows = replication_tables(outcome)["backlog"]
    waiting = {
        (row["day"], row["tier"]): (row["parcels"], row["pickups"]) for row in rows if row["parcels"] or row["pickups"]
    }
    assert waiting == {(1, "hub"): (1, 0), (1, "village"): (0, 1)}
    assert {row["day"] for row in rows} == {1, 2}  # the measured day and the drain day
    assert {row["tier"] for row in rows} == {"hub", "park", "depot", "town", "village"}
