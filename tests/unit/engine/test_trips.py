"""Trips worked out together (engine/trips.py) against each trip worked out alone, one stop at a time."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simnet.engine.trips import drive_trips, pickups_taken
from simnet.network.paths import TravelMatrix


def _matrix(seed: int, size: int) -> TravelMatrix:
    rng = np.random.default_rng(seed)
    distance_km = rng.uniform(0.5, 30.0, (size, size))
    np.fill_diagonal(distance_km, 0.0)
    order = np.arange(size, dtype=np.int64)
    return TravelMatrix(order, distance_km, distance_km / 37.0, tuple(str(node) for node in range(size)))


def test_drive_trips_equals_each_trip_alone() -> None:
    """Arrival times, hours and km of trips on two matrices: the floats of each trip worked out by itself."""
    rng = np.random.default_rng(5)
    matrices = [_matrix(1, 30), _matrix(2, 30)]
    stop_rows = [rng.choice(np.arange(1, 30), size=int(rng.integers(1, 20)), replace=False) for _ in range(9)]
    on = [matrices[index % 2] for index in range(len(stop_rows))]
    driven = drive_trips(stop_rows, on, depart_h=8.5, stop_time_h=0.1)
    for trip, (rows, matrix) in enumerate(zip(stop_rows, on, strict=True)):
        path = np.concatenate(([0], rows, [0]))
        legs_h = matrix.time_h[path[:-1], path[1:]]
        arrive_h = 8.5 + np.cumsum(legs_h)[:-1] + 0.1 * np.arange(len(rows))
        stops = slice(driven.stop_bounds[trip], driven.stop_bounds[trip + 1])
        np.testing.assert_array_equal(driven.arrive_h[stops], arrive_h)
        assert driven.hours[trip] == float(legs_h.sum()) + 0.1 * len(rows)
        assert driven.distance_km[trip] == float(matrix.distance_km[path[:-1], path[1:]].sum())


def _taken_one_stop_at_a_time(waiting: list[int], drops: list[int], capacity: int) -> list[int]:
    """The rule as stated: at each stop, as many waiting as the room left (capacity − aboard − taken)."""
    aboard = sum(drops)
    taken: list[int] = []
    for stop_waiting, dropped in zip(waiting, drops, strict=True):
        aboard -= dropped
        taken.append(min(stop_waiting, max(capacity - aboard - sum(taken), 0)))
    return taken


trip_loads = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 9)), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(trips=st.lists(st.tuples(trip_loads, st.integers(0, 40)), min_size=1, max_size=6))
def test_pickups_taken_equals_the_rule_stop_by_stop(trips: list[tuple[list[tuple[int, int]], int]]) -> None:
    """Per stop, the pickups its trip takes: the running minimum equals the stop-by-stop rule, overfull trips too."""
    waiting = np.array([stop[0] for stops, _ in trips for stop in stops], dtype=np.int64)
    drops = np.array([stop[1] for stops, _ in trips for stop in stops], dtype=np.int64)
    bounds = np.concatenate(([0], np.cumsum([len(stops) for stops, _ in trips]))).astype(np.int64)
    capacities = np.array([capacity for _, capacity in trips], dtype=np.int64)
    expected = [
        count
        for stops, capacity in trips
        for count in _taken_one_stop_at_a_time([s[0] for s in stops], [s[1] for s in stops], capacity)
    ]
    assert pickups_taken(waiting, drops, bounds, capacities).tolist() == expected
