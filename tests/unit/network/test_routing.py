"""Route planning: conservation of load, capacity, range, splitting, and a hand-checked instance."""

import itertools
import math
from collections import Counter

import numpy as np
import pytest

from simnet.network import PlannedRoute, TravelMatrix, UnreachableError, build_network, plan_routes, travel_matrix
from simnet.scenario import scenario_from_text

SPEED_KMH = 30.0


def line_matrix(x_km, ids=()):
    """Sites 0, 1, … on a line at ``x_km``; distance |x_i − x_j|, time at 30 km/h."""
    x = np.asarray(x_km, dtype=float)
    distance = np.abs(x[:, None] - x[None, :])
    return TravelMatrix(np.arange(len(x)), distance, distance / SPEED_KMH, tuple(ids))


def county_matrix():
    """The park and 60 villages of county 1 of a generated city, for a 45/30 km/h van."""
    text = (
        "name: x\nseed: 11\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"
        "network:\n  generate: {counties: 2, towns_per_county: 6, villages_per_town: 10}\n"
    )
    network = build_network(scenario_from_text(text))
    villages = [int(v) for v in network.villages if network.county_of_site[v] == 0]
    park = int(network.parks[0])
    return travel_matrix(network, {"county": 45.0, "village": 30.0}, [park, *villages]), park, villages


def served(routes):
    """Parcels planned per site over all routes."""
    total = Counter()
    for route in routes:
        for site, load in zip(route.stops, route.planned_load, strict=True):
            total[site] += load
    return total


def test_two_villages_on_a_line_share_one_route():
    """Depot at 0, A at 1 km, B at 3 km, 2 + 3 parcels, capacity 10: one trip 0→A→B→0 of 1 + 2 + 3 = 6 km, 0.2 h."""
    routes = plan_routes(
        line_matrix([0, 1, 3]), depot=0, demand={1: 2, 2: 3}, capacity=10, max_distance_km=None, seed=1
    )
    assert routes == (PlannedRoute(stops=(1, 2), planned_load=(2, 3), distance_km=6.0, drive_time_h=6.0 / 30),)


def test_route_runs_towards_the_nearer_stop_first():
    """Either direction is 6 km; the stop at 1 km first brings its parcels sooner and the 3 km stop's no later."""
    (route,) = plan_routes(line_matrix([0, 3, 1]), 0, {1: 50, 2: 1}, 100, None, seed=3)
    assert route.stops == (2, 1)


def test_every_parcel_is_planned_exactly_once():
    """Each site's load is its demand rounded up, at least one: 0.2 → 1, 2.5 → 3, 7 → 7, 0 → 1."""
    demand = {1: 0.2, 2: 2.5, 3: 7.0, 4: 0.0}
    routes = plan_routes(line_matrix([0, 1, 2, 3, 4]), 0, demand, capacity=5, max_distance_km=None, seed=1)
    assert served(routes) == {1: 1, 2: 3, 3: 7, 4: 1}


def test_float_noise_does_not_add_a_parcel():
    """An expected load of 4 + 1e-12 (rounding noise from weights × volume) plans 4 parcels, not 5."""
    routes = plan_routes(line_matrix([0, 1]), 0, {1: 4 + 1e-12}, 10, None, seed=1)
    assert served(routes) == {1: 4}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_county_plan_conserves_load_within_capacity_and_range(seed):
    """A county of 60 villages, 20–120 parcels each, capacity 300, range 1.25 × the farthest round trip:
    every parcel planned once, no route over 300 parcels or over the range."""
    matrix, park, villages = county_matrix()
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    demand = dict(zip(villages, rng.uniform(20, 120, len(villages)), strict=True))
    range_km = 1.25 * float((matrix.distance_km[0] + matrix.distance_km[:, 0]).max())
    routes = plan_routes(matrix, park, demand, capacity=300, max_distance_km=range_km, seed=seed)
    assert served(routes) == {site: math.ceil(load) for site, load in demand.items()}
    assert all(sum(route.planned_load) <= 300 for route in routes)
    assert all(route.distance_km <= range_km for route in routes)
    assert any(len(route.stops) > 1 for route in routes)


def test_route_distance_and_time_follow_the_float_matrix():
    """Distance and time are summed from the km matrix along the stops (not PyVRP's whole metres)."""
    matrix, park, villages = county_matrix()
    routes = plan_routes(matrix, park, dict.fromkeys(villages, 40.0), 450, None, seed=1)
    column = {int(site): index for index, site in enumerate(matrix.nodes)}
    for route in routes:
        legs = [column[park], *(column[site] for site in route.stops), column[park]]
        assert route.distance_km == pytest.approx(sum(matrix.distance_km[a, b] for a, b in itertools.pairwise(legs)))
        assert route.drive_time_h == pytest.approx(sum(matrix.time_h[a, b] for a, b in itertools.pairwise(legs)))


def test_oversized_site_gets_full_trips_and_a_remainder():
    """A (2 km) needs 1,000 parcels, B (3 km) 50, capacity 450: two full 4 km trips to A, then 100 + 50 in one
    6 km trip."""
    routes = plan_routes(line_matrix([0, 2, 3]), 0, {1: 1000, 2: 50}, capacity=450, max_distance_km=None, seed=1)
    assert [(route.stops, route.planned_load, route.distance_km) for route in routes] == [
        ((1,), (450,), 4.0),
        ((1,), (450,), 4.0),
        ((1, 2), (100, 50), 6.0),
    ]


def test_exact_multiple_of_capacity_needs_no_remainder_trip():
    """900 parcels at capacity 450 are two full trips and nothing more."""
    routes = plan_routes(line_matrix([0, 2]), 0, {1: 900}, capacity=450, max_distance_km=None, seed=1)
    assert [route.planned_load for route in routes] == [(450,), (450,)]


def test_range_separates_stops_that_would_share_a_trip():
    """A at 3 km and B at −3 km: together 12 km, over a 10 km range, so two 6 km trips."""
    routes = plan_routes(line_matrix([0, 3, -3]), 0, {1: 1, 2: 1}, capacity=10, max_distance_km=10, seed=1)
    assert [(route.stops, route.distance_km) for route in routes] == [((1,), 6.0), ((2,), 6.0)]


def test_site_beyond_range_is_unreachable():
    """B at 3 km is a 6 km round trip, beyond a 5 km range; the error names B."""
    with pytest.raises(UnreachableError, match=r"6\.0 km there and back") as caught:
        plan_routes(line_matrix([0, 1, 3], ids=("park", "a", "b")), 0, {1: 1, 2: 1}, 10, 5.0, seed=1)
    assert caught.value.site_index == 2
    assert caught.value.site_id == "b"
    assert "range" in caught.value.hint


def test_round_trip_equal_to_range_is_allowed():
    """The range is inclusive: a 6 km round trip fits a 6 km range."""
    routes = plan_routes(line_matrix([0, 3]), 0, {1: 1}, 10, 6.0, seed=1)
    assert routes[0].distance_km == 6.0


def test_same_seed_same_routes():
    """Planning is deterministic for a given seed."""
    matrix, park, villages = county_matrix()
    demand = {site: 10 + site % 17 for site in villages}
    assert plan_routes(matrix, park, demand, 150, 120.0, seed=5) == plan_routes(
        matrix, park, demand, 150, 120.0, seed=5
    )


def test_routes_come_sorted_by_stops():
    """Routes are ordered by their stop sequences, so equal plans compare equal."""
    matrix, park, villages = county_matrix()
    routes = plan_routes(matrix, park, dict.fromkeys(villages, 33.0), 150, None, seed=2)
    assert [route.stops for route in routes] == sorted(route.stops for route in routes)


def test_numpy_integer_sites_come_back_as_python_ints():
    """Sites given as numpy integers are returned as plain ints, ready for JSON and dict keys."""
    (route,) = plan_routes(line_matrix([0, 1]), np.int64(0), {np.int64(1): np.float64(2.0)}, 10, None, seed=1)
    assert type(route.stops[0]) is int


def test_no_demand_no_routes():
    """An empty demand plans no trips."""
    assert plan_routes(line_matrix([0, 1]), 0, {}, 10, None, seed=1) == ()


@pytest.mark.parametrize(
    ("demand", "capacity", "range_km", "message"),
    [
        ({1: 1}, 0, None, "capacity must be positive"),
        ({1: -1}, 10, None, "finite and non-negative"),
        ({1: math.nan}, 10, None, "finite and non-negative"),
        ({0: 1}, 10, None, "depot 0 cannot also be a stop"),
        ({7: 1}, 10, None, r"sites \[7\] are not nodes"),
        ({1: 1}, 10, 0.0, "max_distance_km must be positive"),
    ],
)
def test_bad_inputs_are_refused(demand, capacity, range_km, message):
    """Each broken rule gets one clear sentence."""
    with pytest.raises(ValueError, match=message):
        plan_routes(line_matrix([0, 1]), 0, demand, capacity, range_km, seed=1)
