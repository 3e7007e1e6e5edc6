"""Travel matrices of the baseline city's dispatch points: scipy's compiled Dijkstra, and against pure Python.

The baseline (10 counties × 12 towns × 18 villages, no consolidation, direct last mile) asks for 61 travel
matrices while its plan is built: the trunk vehicle over the hub and the parks, and each of six carriers'
vans from its county depot (at the park) over the county's villages. Each run starts from a freshly built
network, so ``travel_matrix`` reads its roads once per run, as in a plan build. The pure-Python Dijkstra that
``travel_matrix`` replaced is kept below only for the comparison; with a road between every two sites of a
county it takes minutes for one county of the baseline, so the comparison runs on the baseline with 3
villages per town (all 61 matrices, both ways, in the same run). Medians of several runs (``pytest -m
benchmark -s``).
"""

import heapq
import statistics
import time
from pathlib import Path

import numpy as np
import pytest

from simnet.network import build_network, travel_matrix
from simnet.scenario import load_scenario

pytestmark = pytest.mark.benchmark

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
RUNS = 5
PLAN_MATRICES_TARGET_S = 5.0
SMALLER_CITY = ("network.generate.villages_per_town=3",)
SPEED_UP_TARGET = 10


def _dispatch_points(scenario, network):
    """(speeds, nodes) of every travel matrix the baseline's plan asks for, in the plan's order."""
    vehicles, fleets = scenario.vehicle_types, scenario.fleets
    points = [(vehicles[fleets.trunk.vehicle_type].road_speeds_kmh, [0, *network.parks.tolist()])]
    van_kmh = vehicles[fleets.depot.vehicle_type].road_speeds_kmh
    for county, park in enumerate(network.parks.tolist()):
        villages = network.villages[network.county_of_site[network.villages] == county].tolist()
        points += [(van_kmh, [park, *villages])] * len(scenario.carriers)
    return points


def _python_matrix(network, speed_kmh, nodes):
    """The replaced implementation: dead ends pruned, then a heap Dijkstra on (time, length) per source."""
    adjacency = {site: [] for site in network.graph.nodes}
    for start, end, data in network.graph.edges(data=True):
        if data["road_class"] in speed_kmh:
            road = data["length_km"] / speed_kmh[data["road_class"]], data["length_km"]
            adjacency[start].append((end, *road))
            adjacency[end].append((start, *road))
    targets = set(nodes)
    _prune_dead_ends(adjacency, targets)
    rows = {source: _python_fastest_from(adjacency, source, targets) for source in targets}
    time_h = np.array([[rows[a][b][0] for b in nodes] for a in nodes])
    distance_km = np.array([[rows[a][b][1] for b in nodes] for a in nodes])
    return time_h, distance_km


def _prune_dead_ends(adjacency, keep):
    degree = {site: len(roads) for site, roads in adjacency.items()}
    dead = [site for site, count in degree.items() if count <= 1 and site not in keep]
    removed = set(dead)
    while dead:
        for neighbour, _, _ in adjacency[dead.pop()]:
            degree[neighbour] -= 1
            if degree[neighbour] <= 1 and neighbour not in keep and neighbour not in removed:
                removed.add(neighbour)
                dead.append(neighbour)
    for site in removed:
        del adjacency[site]
    for site, roads in adjacency.items():
        adjacency[site] = [road for road in roads if road[0] not in removed]


def _python_fastest_from(adjacency, source, targets):
    settled = {}
    heap = [(0.0, 0.0, source)]
    remaining = len(targets)
    while heap and remaining:
        time_h, length_km, site = heapq.heappop(heap)
        if site in settled:
            continue
        settled[site] = (time_h, length_km)
        remaining -= site in targets
        for neighbour, road_h, road_km in adjacency[site]:
            if neighbour not in settled:
                heapq.heappush(heap, (time_h + road_h, length_km + road_km, neighbour))
    return settled


def _median_seconds(scenario, matrices, runs):
    """Median over ``runs`` of the seconds ``matrices(network, points)`` takes, on a fresh network each run."""
    seconds = []
    for _ in range(runs):
        network = build_network(scenario)
        points = _dispatch_points(scenario, network)
        started = time.perf_counter()
        matrices(network, points)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), seconds


def _compiled(network, points):
    return [travel_matrix(network, *point) for point in points]


def _pure_python(network, points):
    return [_python_matrix(network, *point) for point in points]


def _runs(seconds):
    return ", ".join(f"{s:.3f}" for s in seconds)


def test_travel_matrices_of_the_baseline_plan(benchmark_figure):
    """All 61 matrices of the baseline's plan take at most 5 s (median of 5 runs)."""
    scenario = load_scenario(BASELINE, [])
    median_s, seconds = _median_seconds(scenario, _compiled, RUNS)
    print(f"\n61 travel matrices of the baseline plan: median {median_s:.2f} s (runs: {_runs(seconds)})")
    benchmark_figure(
        "plan_matrices_s",
        median_s,
        "s",
        PLAN_MATRICES_TARGET_S,
        detail="the 61 travel matrices of the baseline plan, median of 5",
    )
    assert median_s <= PLAN_MATRICES_TARGET_S


def test_compiled_against_pure_python_on_a_smaller_city():
    """With 3 villages per town, the 61 matrices equal the pure-Python Dijkstra's and take a tenth of its time
    or less (medians of 3 runs each, in the same run)."""
    scenario = load_scenario(BASELINE, SMALLER_CITY)
    network = build_network(scenario)
    points = _dispatch_points(scenario, network)
    for matrix, (time_h, distance_km) in zip(_compiled(network, points), _pure_python(network, points), strict=True):
        np.testing.assert_allclose(matrix.time_h, time_h, rtol=1e-12)
        np.testing.assert_allclose(matrix.distance_km, distance_km, rtol=1e-12)
    compiled_s, compiled_runs = _median_seconds(scenario, _compiled, 3)
    python_s, python_runs = _median_seconds(scenario, _pure_python, 3)
    print(
        f"\n61 travel matrices of the baseline plan with 3 villages per town: pure Python median {python_s:.2f} s "
        f"(runs: {_runs(python_runs)}); scipy.sparse.csgraph median {compiled_s:.3f} s (runs: {_runs(compiled_runs)}); "
        f"speed-up {python_s / compiled_s:.0f}×"
    )
    assert python_s / compiled_s >= SPEED_UP_TARGET
