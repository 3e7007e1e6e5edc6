"""Routes re-formed at a wave: the optimal split, full trips, and which parcels and pickups ride which route."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simnet.network.routing import whole_parcels
from simnet.planning import build_plan, default_planner
from simnet.planning.split import (
    FormedRoute,
    RouteLimits,
    form_routes,
    group_rank,
    pickup_route_of_positions,
    route_of_parcels,
    split_order,
)
from simnet.scenario import scenario_from_text
from tests.unit.planning.test_flows import CITY


def test_group_rank_by_hand():
    """Each element's rank among earlier equal keys: keys 3 1 3 3 1 2 → ranks 0 0 1 2 1 0."""
    assert group_rank(np.array([3, 1, 3, 3, 1, 2], dtype=np.int64)).tolist() == [0, 0, 1, 2, 1, 0]
    assert group_rank(np.empty(0, dtype=np.int64)).tolist() == []


def line_matrices(x_km):
    """Depot at 0 and stops on a line at ``x_km``, driven at 30 km/h: |x_a − x_b| km."""
    x = np.array([0.0, *x_km])
    distance = np.abs(x[:, None] - x[None, :])
    return distance, distance / 30


def route_km(distance, rows):
    path = [0, *rows, 0]
    return float(sum(distance[a, b] for a, b in itertools.pairwise(path)))


def exhaustive_km(rows, loads, distance, time_h, limits):
    """The fewest km over every way of cutting the order into feasible routes (2^(n−1) cuttings)."""
    count = len(rows)
    best = float("inf")
    for cuts in itertools.product((False, True), repeat=count - 1):
        bounds = [0, *[i + 1 for i, cut in enumerate(cuts) if cut], count]
        total = 0.0
        for first, end in itertools.pairwise(bounds):
            segment = rows[first:end]
            km = route_km(distance, segment)
            hours = route_km(time_h, segment) + limits.stop_time_h * len(segment)
            several = end - first > 1
            over = (
                loads[first:end].sum() > limits.capacity_parcels
                or (limits.max_distance_km is not None and km > limits.max_distance_km)
                or (limits.max_duration_h is not None and hours > limits.max_duration_h)
            )
            if several and over:
                total = float("inf")
                break
            total += km
        best = min(best, total)
    return best


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 10).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(-30, 30, allow_nan=False), min_size=n, max_size=n),
            st.lists(st.integers(0, 12), min_size=n, max_size=n),
        )
    ),
    st.integers(8, 30),
    st.sampled_from([None, 40.0, 80.0]),
    st.sampled_from([None, 1.5, 3.0]),
)
def test_split_equals_exhaustive_optimum(stops, capacity, max_km, max_h):
    """On at most 10 stops, the split's total km equals the best of every cutting of the same order."""
    x_km, loads = stops
    distance, time_h = line_matrices(x_km)
    rows = np.arange(1, len(x_km) + 1)
    limits = RouteLimits(capacity, max_km, max_h, stop_time_h=0.1)
    loads = np.array(loads, dtype=np.int64)
    ranges = split_order(rows, loads, distance, time_h, limits)
    assert [first for first, _ in ranges] == [0, *[end for _, end in ranges[:-1]]]
    assert ranges[-1][1] == len(rows)
    total = sum(route_km(distance, rows[first:end]) for first, end in ranges)
    assert total == pytest.approx(exhaustive_km(rows, loads, distance, time_h, limits), abs=1e-9)


def test_capacity_binds_by_hand():
    """Stops at 1, 2, 3 km with 4 parcels each and room for 8: [1] + [2, 3] drives 2 + 6 km, [1, 2] + [3] 4 + 6."""
    distance, time_h = line_matrices([1.0, 2.0, 3.0])
    limits = RouteLimits(8, None, None, 0.0)
    ranges = split_order(np.array([1, 2, 3]), np.array([4, 4, 4]), distance, time_h, limits)
    assert ranges == [(0, 1), (1, 3)]


def test_duration_binds_by_hand():
    """At 30 km/h stops 15 and 30 km out: one route takes 2 h; with 1.5 h at most, two routes of 1 h and 2 h."""
    distance, time_h = line_matrices([15.0, 30.0])
    together = split_order(np.array([1, 2]), np.array([1, 1]), distance, time_h, RouteLimits(10, None, None, 0.0))
    apart = split_order(np.array([1, 2]), np.array([1, 1]), distance, time_h, RouteLimits(10, None, 1.5, 0.0))
    assert together == [(0, 2)]
    assert apart == [(0, 1), (1, 2)]


def test_full_trips_first_then_split():
    """25 parcels at a stop with room for 10: two full trips, and its 5 left ride the split with the next stop."""
    distance, time_h = line_matrices([1.0, 2.0, 9.0])
    loads = np.array([25, 3, 0], dtype=np.int64)
    active = np.array([True, True, False])
    routes = form_routes(np.array([1, 2, 3]), loads, active, distance, time_h, RouteLimits(10, None, None, 0.0))
    assert routes == [FormedRoute((0,), (10,)), FormedRoute((0,), (10,)), FormedRoute((0, 1), (5, 3))]


def test_parcels_fill_full_trips_oldest_first():
    """Parcels oldest first: a stop's first 10 ride its first full trip, the next 10 the second, the rest the split."""
    routes = [FormedRoute((0,), (10,)), FormedRoute((0,), (10,)), FormedRoute((0, 1), (5, 3))]
    positions = np.array([0] * 25 + [1] * 3, dtype=np.int64)
    riding = route_of_parcels(routes, positions, 10)
    assert riding.tolist() == [0] * 10 + [1] * 10 + [2] * 5 + [2] * 3


def test_pickups_ride_the_last_route_visiting_a_stop():
    """Stop 0 is visited by two full trips and a split route: its pickups go with the split route (index 2)."""
    routes = [FormedRoute((0,), (10,)), FormedRoute((0,), (10,)), FormedRoute((0, 1), (5, 3)), FormedRoute((3,), (10,))]
    assert pickup_route_of_positions(routes, 4).tolist() == [2, 2, -1, 3]


def test_due_pickup_stop_joins_the_split():
    """A stop with no parcels but due pickups (active, load 0) is put on a route."""
    distance, time_h = line_matrices([1.0, 2.0])
    routes = form_routes(
        np.array([1, 2]), np.array([0, 4]), np.array([True, True]), distance, time_h, RouteLimits(10, None, None, 0.0)
    )
    assert routes == [FormedRoute((0, 1), (0, 4))]


@pytest.mark.parametrize("overrides", [[], ["parks.consolidated_share=1"], ["demand.parcels_per_day=40000"]])
def test_at_planned_load_never_more_km_than_planned_routes(overrides):
    """With each stop's planned load, the formed routes drive no more km than the planned routes."""
    plan = build_plan(scenario_from_text(CITY, "split.yaml", overrides), default_planner())
    for point in plan.points:
        loads = np.zeros(len(point.tour), dtype=np.int64)
        for route in point.routes:
            for site, load in zip(route.stops, route.planned_load, strict=True):
                loads[point.tour_position_of_site[site]] += load
        assert all(load == whole_parcels(load) for load in loads)
        routes = form_routes(
            point.tour_rows, loads, loads > 0, point.matrix.distance_km, point.matrix.time_h, point.limits
        )
        formed_km = sum(route_km(point.matrix.distance_km, point.tour_rows[list(r.positions)]) for r in routes)
        planned_km = sum(route.distance_km for route in point.routes)
        assert formed_km <= planned_km + 1e-9
