"""A stop whose only business is pickups joins a wave only once its oldest pickup has waited pickup_max_wait_h."""

import numpy as np

from simnet.engine.model import build_replication
from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text
from tests.unit.planning.test_flows import CITY


def test_due_exactly_when_the_oldest_has_waited_long_enough():
    """Pickups ready at 10 h and 20 h at two stops, max wait 12 h: at 21.9 h none is due, at 22 h the first stop."""
    scenario = scenario_from_text(CITY, "due.yaml", ["service.pickup_max_wait_h=12", "parks.consolidated_share=1"])
    built = build_replication(build_plan(scenario, default_planner()), 0)
    point = built.points[0]
    first, second = point.plan.tour[:2]
    point.pickups.push(
        {
            "seq": np.array([0, 1, 2], dtype=np.int64),
            "appear_h": np.array([10.0, 20.0, 20.5]),
            "carrier": np.zeros(3, dtype=np.int16),
            "village": np.zeros(3, dtype=np.int32),
            "site": np.array([first, second, first], dtype=np.int32),
            "ready_h": np.array([10.0, 20.0, 20.5]),
            "fresh": np.zeros(3, dtype=bool),
        }
    )
    assert not point._pickups_due(21.9).any()
    due = point._pickups_due(22.0)
    assert due.tolist() == [True] + [False] * (len(due) - 1)
    assert point._pickups_due(32.0)[:2].tolist() == [True, True]
