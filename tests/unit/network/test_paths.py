"""Fastest paths per vehicle type, and sites a vehicle cannot reach."""

import math

import numpy as np
import pytest

from simnet.network import UnreachableError, build_network, travel_matrix
from simnet.scenario import scenario_from_text

BASE = "name: x\nseed: 7\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"

GENERATED = BASE + "network:\n  generate: {counties: 2, towns_per_county: 5, villages_per_town: 6}\n"

# Park east at (30, 0), town t1 at (30, 8), village v1 at (30, 14), v2 at (34, 11); detour 1.5.
# From east to v1: a direct village road of 16 km, or county 10 km to t1 then township 7 km (17 km).
EXPLICIT = BASE + (
    "network:\n"
    "  detour_factor: 1.5\n"
    "  counties:\n"
    "    - id: east\n"
    "      park: {x_km: 30, y_km: 0}\n"
    "      towns:\n"
    "        - id: t1\n"
    "          x_km: 30\n"
    "          y_km: 8\n"
    "          villages:\n"
    "            - {id: v1, x_km: 30, y_km: 14}\n"
    "            - {id: v2, x_km: 34, y_km: 11}\n"
    "  roads:\n"
    "    - {from: hub, to: east, road_class: expressway}\n"
    "    - {from: east, to: t1, road_class: county, length_km: 10}\n"
    "    - {from: t1, to: v1, road_class: township, length_km: 7}\n"
    "    - {from: east, to: v1, road_class: village, length_km: 16}\n"
    "    - {from: t1, to: v2, road_class: village}\n"
)
EAST, T1, V1, V2 = 1, 2, 3, 4
VAN = {"county": 50.0, "township": 35.0, "village": 20.0}


def test_fastest_path_takes_the_longer_quicker_road():
    """East→v1: 10 km at 50 + 7 km at 35 = 0.4 h over 17 km beats 16 km at 20 = 0.8 h."""
    matrix = travel_matrix(build_network(scenario_from_text(EXPLICIT)), VAN, [EAST, V1])
    assert matrix.time_h[0, 1] == pytest.approx(10 / 50 + 7 / 35)
    assert matrix.distance_km[0, 1] == pytest.approx(17.0)


def test_without_a_road_class_the_vehicle_keeps_to_the_others():
    """Without township roads east→v1 is the direct 16 km at 20 km/h (0.8 h); v1→v2 is 16 + 10 + 7.5 km."""
    network = build_network(scenario_from_text(EXPLICIT))
    matrix = travel_matrix(network, {"county": 50.0, "village": 20.0}, [EAST, V1, V2])
    assert matrix.distance_km[0, 1] == pytest.approx(16.0)
    assert matrix.time_h[0, 1] == pytest.approx(0.8)
    assert matrix.distance_km[1, 2] == pytest.approx(16 + 10 + 7.5)
    assert matrix.time_h[1, 2] == pytest.approx(16 / 20 + 10 / 50 + 7.5 / 20)


def test_matrix_follows_the_order_of_nodes():
    """Rows and columns follow ``nodes``, ids included; the diagonal is zero and the matrix symmetric."""
    network = build_network(scenario_from_text(EXPLICIT))
    matrix = travel_matrix(network, VAN, [V2, EAST, V1])
    assert matrix.nodes.tolist() == [V2, EAST, V1]
    assert matrix.node_ids == ("v2", "east", "v1")
    assert np.all(np.diag(matrix.distance_km) == 0)
    np.testing.assert_allclose(matrix.distance_km, matrix.distance_km.T)
    np.testing.assert_allclose(matrix.time_h, matrix.time_h.T)


def test_distances_are_at_least_the_straight_line():
    """Every road is at least as long as the straight line (detour ≥ 1), so every path is too."""
    network = build_network(scenario_from_text(GENERATED))
    nodes = [0, *network.parks.tolist(), *network.villages.tolist()]
    matrix = travel_matrix(network, {"expressway": 80.0, "county": 45.0, "village": 30.0}, nodes)
    x, y = network.x_km[nodes], network.y_km[nodes]
    straight = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    assert np.all(matrix.distance_km >= straight - 1e-9)


def test_one_speed_everywhere_gives_time_as_distance_over_speed():
    """With every road class at 40 km/h, time = distance / 40 along every path."""
    network = build_network(scenario_from_text(GENERATED))
    nodes = network.villages.tolist()[:20]
    matrix = travel_matrix(network, dict.fromkeys(("expressway", "county", "village"), 40.0), nodes)
    np.testing.assert_allclose(matrix.time_h, matrix.distance_km / 40)


def test_tree_distance_adds_up_the_roads_between():
    """On the generated tree, park→village is the park–town road plus the town–village road."""
    network = build_network(scenario_from_text(GENERATED))
    village = int(network.villages[7])
    town = int(network.town_of_site[village])
    park = int(network.parks[network.county_of_site[village]])
    matrix = travel_matrix(network, {"county": 45.0, "village": 30.0}, [park, village])
    roads = network.graph.edges[park, town]["length_km"], network.graph.edges[town, village]["length_km"]
    assert matrix.distance_km[0, 1] == pytest.approx(sum(roads))
    assert matrix.time_h[0, 1] == pytest.approx(roads[0] / 45 + roads[1] / 30)


def test_unreachable_village_names_the_missing_road_class():
    """A truck without village roads cannot reach a village; the error names it and the class it lacks."""
    network = build_network(scenario_from_text(GENERATED))
    village = int(network.villages[0])
    with pytest.raises(UnreachableError) as caught:
        travel_matrix(network, {"expressway": 75.0, "county": 40.0}, [int(network.parks[0]), village])
    error = caught.value
    assert error.site_index == village
    assert error.site_id == "c01-t01-v01"
    assert error.path == ()
    assert "'village'" in error.message
    assert error.hint == "give the vehicle a speed for road class 'village', or choose another vehicle type"


def test_unreachable_listed_village_carries_its_field_path():
    """On a listed network the error points at the village's id in the scenario."""
    network = build_network(scenario_from_text(EXPLICIT))
    with pytest.raises(UnreachableError) as caught:
        travel_matrix(network, {"county": 50.0, "township": 35.0}, [EAST, V1, V2])
    assert caught.value.site_id == "v2"
    assert caught.value.path == ("network", "counties", 0, "towns", 0, "villages", 1, "id")


@pytest.mark.parametrize("nodes", [[], [99]])
def test_nodes_must_be_sites(nodes):
    """An empty node list or an index past the last site is a programming error."""
    network = build_network(scenario_from_text(EXPLICIT))
    with pytest.raises(ValueError, match="nodes must be"):
        travel_matrix(network, VAN, nodes)


def test_repeated_nodes_get_equal_rows():
    """A site listed twice gets two identical rows (and columns)."""
    network = build_network(scenario_from_text(EXPLICIT))
    matrix = travel_matrix(network, VAN, [EAST, V2, EAST])
    np.testing.assert_array_equal(matrix.distance_km[0], matrix.distance_km[2])
    assert math.isclose(matrix.distance_km[0, 2], 0.0)


def test_site_without_any_road_is_unreachable():
    """With its only road gone, v2 cannot be reached by any vehicle; the hint asks for a road."""
    network = build_network(scenario_from_text(EXPLICIT))
    network.graph.remove_edge(T1, V2)
    with pytest.raises(UnreachableError, match="no road leads there") as caught:
        travel_matrix(network, VAN, [EAST, V2])
    assert caught.value.hint == "add a road that connects 'v2' to the rest of the network"
