"""Fastest paths per vehicle type, and sites a vehicle cannot reach."""

import dataclasses
import heapq
import itertools
import math

import networkx as nx
import numpy as np
import pytest

from simnet.network import UnreachableError, build_network, paths, travel_matrix
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


def test_equally_fast_paths_tie_to_the_shorter():
    """East→v1: 10 km at 25 + 7 km at 17.5 km/h = 0.8 h over 17 km ties 16 km at 20 km/h; the 16 km path wins."""
    network = build_network(scenario_from_text(EXPLICIT))
    matrix = travel_matrix(network, {"county": 25.0, "township": 17.5, "village": 20.0}, [EAST, V1])
    assert matrix.time_h[0, 1] == pytest.approx(0.8)
    assert matrix.distance_km[0, 1] == pytest.approx(16.0)
    assert matrix.distance_km[1, 0] == pytest.approx(16.0)


def test_times_apart_only_in_rounding_are_a_tie():
    """Via t1, 0.1 + 0.2 h sums to 0.30000000000000004 h over 17 km; direct, 16 km at 53.3333333333333 km/h
    is 0.3000000000000002 h: slower only in the last bits, so equally fast, and the shorter wins."""
    network = build_network(scenario_from_text(EXPLICIT))
    matrix = travel_matrix(network, {"county": 100.0, "township": 35.0, "village": 53.3333333333333}, [EAST, V1])
    assert matrix.distance_km[0, 1] == pytest.approx(16.0)
    assert matrix.time_h[0, 1] == pytest.approx(0.3)


CLASSES = ("expressway", "county", "village")


def _random_roads(network, rng, *, whole_km):
    """A random connected road graph on the network's sites: a random tree plus up to as many extra roads.

    With ``whole_km`` lengths are 5, 10, 15 or 20 km and speeds 20, 40 or 80 km/h, so every time is a whole
    number of 1/16 h, sums are exact and equally fast paths are common; otherwise lengths are random floats.
    """
    sites = len(network.site_ids)
    graph = nx.Graph()
    graph.add_nodes_from(range(sites))
    shuffled = rng.permutation(sites)
    links = [(int(shuffled[i]), int(shuffled[rng.integers(i)])) for i in range(1, sites)]
    links += [tuple(int(site) for site in rng.choice(sites, 2, replace=False)) for _ in range(rng.integers(sites))]
    for start, end in links:
        length_km = 5.0 * rng.integers(1, 5) if whole_km else float(rng.uniform(0.5, 20.0))
        graph.add_edge(start, end, length_km=length_km, road_class=CLASSES[rng.integers(len(CLASSES))])
    return dataclasses.replace(network, graph=graph)


def _plain_dijkstra(network, speed_kmh, source):
    """Textbook Dijkstra on (time, length) pairs, compared as tuples: the rule written the plain way."""
    settled = {}
    heap = [(0.0, 0.0, source)]
    while heap:
        time_h, length_km, site = heapq.heappop(heap)
        if site in settled:
            continue
        settled[site] = (time_h, length_km)
        for neighbour, road in network.graph[site].items():
            speed = speed_kmh.get(road["road_class"])
            if speed is not None and neighbour not in settled:
                heapq.heappush(heap, (time_h + road["length_km"] / speed, length_km + road["length_km"], neighbour))
    return settled


@pytest.mark.parametrize("seed", range(16))
def test_agrees_with_plain_dijkstra_on_random_roads(seed):
    """On random road graphs, with and without exact ties, time and km agree with a plain Dijkstra on
    (time, length) pairs; where it finds no path, the first node unreached from ``nodes[0]`` is named."""
    rng = np.random.default_rng(seed)
    network = _random_roads(build_network(scenario_from_text(GENERATED)), rng, whole_km=seed % 2 == 0)
    speeds = rng.choice([20.0, 40.0, 80.0], len(CLASSES)) if seed % 2 == 0 else rng.uniform(10.0, 90.0, len(CLASSES))
    speed_kmh = {
        road_class: float(speed) for road_class, speed in zip(CLASSES, speeds, strict=True) if rng.random() < 0.9
    }
    nodes = rng.choice(len(network.site_ids), int(rng.integers(2, 16))).tolist()
    plain = {site: _plain_dijkstra(network, speed_kmh, site) for site in nodes}
    unreached = [site for site in nodes if site not in plain[nodes[0]]]
    if unreached:
        with pytest.raises(UnreachableError) as caught:
            travel_matrix(network, speed_kmh, nodes)
        assert caught.value.site_index == unreached[0]
        return
    matrix = travel_matrix(network, speed_kmh, nodes)
    np.testing.assert_allclose(matrix.time_h, [[plain[a][b][0] for b in nodes] for a in nodes], rtol=1e-12)
    np.testing.assert_allclose(matrix.distance_km, [[plain[a][b][1] for b in nodes] for a in nodes], rtol=1e-12)


@pytest.mark.parametrize(("ends", "via"), [((a, b), c) for a, b, c in itertools.permutations(range(3))])
def test_the_fast_way_round_a_triangle(ends, via):
    """Two sites joined by a slow road (10 km at 20 km/h: 0.5 h) and by two fast ones through a third site
    (2 × 6 km at 80 km/h: 0.15 h) are 0.15 h and 12 km apart, whichever sites they are and whichever comes first."""
    network = build_network(scenario_from_text(EXPLICIT))
    graph = nx.Graph()
    graph.add_nodes_from(range(len(network.site_ids)))
    graph.add_edge(*ends, length_km=10.0, road_class="village")
    graph.add_edges_from([(ends[0], via), (via, ends[1])], length_km=6.0, road_class="county")
    matrix = travel_matrix(dataclasses.replace(network, graph=graph), {"county": 80.0, "village": 20.0}, list(ends))
    assert matrix.time_h[0, 1] == pytest.approx(0.15)
    assert matrix.distance_km[0, 1] == pytest.approx(12.0)


def test_sources_split_over_several_passes_give_the_same_matrix(monkeypatch):
    """With one source per pass and one road per tightness test, every number is as with all at once."""
    speed_kmh = {"expressway": 80.0, "county": 45.0, "village": 30.0}
    network = build_network(scenario_from_text(GENERATED))
    nodes = [0, *network.parks.tolist(), *network.villages.tolist()[:30]]
    together = travel_matrix(network, speed_kmh, nodes)
    monkeypatch.setattr(paths, "SITE_PAIRS_PER_PASS", 1)
    monkeypatch.setattr(paths, "TIGHT_TEST_PAIRS", 1)
    apart = travel_matrix(build_network(scenario_from_text(GENERATED)), speed_kmh, nodes)
    np.testing.assert_array_equal(apart.time_h, together.time_h)
    np.testing.assert_array_equal(apart.distance_km, together.distance_km)


def test_graph_is_read_once_per_network_and_a_repeated_call_gives_the_same_matrix(monkeypatch):
    """Calls on one network read its graph once, whatever the speeds; the same speeds (in any order) and nodes
    again give the very same read-only matrix."""
    network = build_network(scenario_from_text(EXPLICIT))
    reads = []
    read = paths._roads_by_class
    monkeypatch.setattr(paths, "_roads_by_class", lambda graph: reads.append(graph) or read(graph))
    first = travel_matrix(network, VAN, [EAST, V1])
    travel_matrix(network, {"county": 50.0, "village": 20.0}, [V2, EAST])
    assert travel_matrix(network, dict(reversed(VAN.items())), [EAST, V1]) is first
    assert len(reads) == 1
    assert not first.time_h.flags.writeable
