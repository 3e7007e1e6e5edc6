"""The fast engine's bus pieces (engine/bus.py): the stop queue's order, the departures of a run, what is aboard."""

import numpy as np

from simnet.engine.bus import FifoQueue, _Aboard, departure_times
from simnet.engine.parcels import PICKUP_COLUMNS, empty_columns
from simnet.planning.bus_plan import PlannedBusLine


def pickups(seq, ready_h):
    """A batch of pickups with the given seq and ready times (every other column zero)."""
    count = len(seq)
    batch = {name: np.zeros(count, dtype=dtype) for name, dtype in PICKUP_COLUMNS.items()}
    batch["seq"] = np.asarray(seq, dtype=np.int64)
    batch["ready_h"] = np.asarray(ready_h, dtype=np.float64)
    return batch


def test_queue_keeps_ready_time_then_seq_order_whatever_the_push_order():
    """Units pushed later with an earlier ready time, or the same time and a smaller seq, go ahead."""
    queue = FifoQueue(empty_columns(PICKUP_COLUMNS))
    queue.push(pickups([5, 9], [2.0, 3.0]))
    queue.push(pickups([7, 1], [3.0, 1.0]))
    queue.push(pickups([2], [3.0]))
    assert queue.columns["seq"].tolist() == [1, 5, 2, 7, 9]
    assert queue.ready_count(2.9) == 2  # ready by 2.9: seq 1 (1.0) and 5 (2.0)


def test_departures_repeat_daily_in_time_order_and_stop_at_the_end_of_the_run():
    """Clock times past 24 fall on the next day; departures at or after the run's end are dropped."""
    line = PlannedBusLine("l", 0, np.array([0, 1]), np.array([0.0, 1.0]), (6.0, 25.0), 10, ())
    assert departure_times(line, 2) == [6.0, 25.0, 30.0]


def test_aboard_counts_units_until_they_leave_at_their_stop():
    """Units board in one batch and leave at their own positions; the count follows."""
    aboard = _Aboard(4)
    aboard.board(pickups([1, 2, 3], [0.0, 0.0, 0.0]), np.array([3, 1, 3]))
    assert aboard.count == 3
    assert aboard.leave(2) is None
    assert aboard.leave(1)["seq"].tolist() == [2]
    assert aboard.count == 2
    assert aboard.leave(3)["seq"].tolist() == [1, 3]
    assert aboard.count == 0
