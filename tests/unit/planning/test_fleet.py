"""Mixed fleets: the split type, which types fit a route, cheapest first, and types that cannot reach."""

import numpy as np
import pytest

from simnet.network.errors import NetworkError
from simnet.network.paths import TravelMatrix
from simnet.planning import build_plan, default_planner
from simnet.planning.fleet import PlannedVehicle, reach_matrix, split_type, vehicle_choices
from simnet.scenario import scenario_from_text
from simnet.scenario.models.vehicles import DEFAULT_VEHICLE_TYPES
from tests.unit.planning.test_flows import CITY


def planned(name, x_km, speed_kmh, count=1, max_route_h=None, cny_per_km=1.0, reach=None):
    """A type on a line of stops at ``x_km`` from the depot (0), at ``speed_kmh``; ``reach`` masks stops."""
    x = np.array([0.0, *x_km])
    distance = np.abs(x[:, None] - x[None, :])
    if reach is not None:
        mask = np.array([True, *reach])
        distance[~mask, :] = np.inf
        distance[:, ~mask] = np.inf
    matrix = TravelMatrix(np.arange(len(x)), distance, distance / speed_kmh)
    return PlannedVehicle(name, DEFAULT_VEHICLE_TYPES[name], count, matrix, max_route_h, cny_per_km)


def test_split_type_is_the_largest_that_reaches_every_stop():
    """The van (450) reaches all and beats the tricycle (150); a 4.2 m truck that cannot reach all is passed over."""
    vehicles = (
        planned("e_tricycle", [1, 2], 15),
        planned("truck_4m2", [1, 2], 45, reach=[True, False]),
        planned("diesel_van", [1, 2], 30),
    )
    assert split_type(vehicles) == 2
    assert split_type(vehicles[:2]) == 0


def test_cheapest_fitting_type_first():
    """A 2 km-out route (4 km, 100 parcels): tricycle 4 × 0.1 + 4/15 h × 25 = 7.07 CNY, van 4 × 1 + 4/30 × 35 = 8.67."""
    vehicles = (planned("diesel_van", [2], 30, cny_per_km=1.0), planned("e_tricycle", [2], 15, cny_per_km=0.1))
    assert vehicle_choices(vehicles, 0, np.array([1]), 100, 0.0) == (1, 0)


def test_types_that_do_not_fit_are_left_out():
    """Too many parcels, a stop out of its roads, or over its max_route_h: only the split type remains."""
    van = planned("diesel_van", [2, 4], 30, cny_per_km=5.0)
    small = planned("e_tricycle", [2, 4], 15, cny_per_km=0.1)
    assert vehicle_choices((van, small), 0, np.array([1, 2]), 151, 0.0) == (0,)
    blind = planned("e_tricycle", [2, 4], 15, cny_per_km=0.1, reach=[True, False])
    assert vehicle_choices((van, blind), 0, np.array([1, 2]), 10, 0.0) == (0,)
    slow = planned("e_tricycle", [2, 4], 15, cny_per_km=0.1, max_route_h=0.5)  # 8 km at 15 km/h = 0.53 h
    assert vehicle_choices((van, slow), 0, np.array([1, 2]), 10, 0.0) == (0,)


def test_reach_matrix_is_infinite_where_roads_do_not_join():
    """A type without 'county' roads cannot reach sites behind them; the rest keeps its fastest paths."""
    scenario = scenario_from_text(CITY, "fleet.yaml")
    plan = build_plan(scenario, default_planner())
    point = plan.points[0]
    nodes = [point.depot_site, *point.tour.tolist()]
    full = reach_matrix(plan.network, {"county": 40, "township": 30, "village": 20}, nodes)
    assert np.isfinite(full.distance_km).all()
    none = reach_matrix(plan.network, {"expressway": 80}, nodes)
    assert np.isinf(none.distance_km[0, 1:]).all()
    assert none.distance_km[0, 0] == 0


def test_county_override_and_mix_in_the_plan():
    """A county override gives that county's points its own mix; the split type is the largest reaching type."""
    scenario = scenario_from_text(
        CITY,
        "fleet.yaml",
        [
            "parks.consolidated_share=1",
            "fleets.park={vehicles: [{vehicle_type: e_tricycle, count: 4}, {vehicle_type: diesel_van, count: 1}],"
            " counties: {c02: {vehicle_type: ev_van, count: 2}}}",
        ],
    )
    plan = build_plan(scenario, default_planner())
    first, second = (point for point in plan.points if point.tier == "park")
    assert [(v.name, v.count) for v in first.vehicles] == [("e_tricycle", 4), ("diesel_van", 1)]
    assert first.vehicle_name == "diesel_van"
    assert first.fleet_count == 5
    assert [(v.name, v.count) for v in second.vehicles] == [("ev_van", 2)]


def test_unknown_county_override_is_located():
    """A county id that is not in the network is refused with its place under fleets."""
    scenario = scenario_from_text(
        CITY, "fleet.yaml", ["fleets.depot.counties={c09: {count: 2, vehicle_type: diesel_van}}"]
    )
    with pytest.raises(NetworkError) as caught:
        build_plan(scenario, default_planner())
    assert caught.value.path == ("fleets", "depot", "counties", "c09")
