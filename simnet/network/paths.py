"""Fastest paths for one vehicle type between chosen sites, over the road classes it may use."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt

from simnet.network.city import CityNetwork
from simnet.network.errors import UnreachableError

__all__ = ["TravelMatrix", "UnreachableError", "travel_matrix"]

Adjacency = dict[int, list[tuple[int, float, float]]]
"""Open roads from each site: (neighbour, time_h, length_km)."""


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Distance and driving time between ``nodes`` along the vehicle's fastest paths; row = from, column = to."""

    nodes: npt.NDArray[np.int64]  # site indices, in matrix order
    distance_km: npt.NDArray[np.float64]  # (n, n)
    time_h: npt.NDArray[np.float64]  # (n, n)
    node_ids: tuple[str, ...] = ()  # site ids in matrix order, for messages; may be empty


def travel_matrix(network: CityNetwork, speed_kmh: Mapping[str, float], nodes: Sequence[int]) -> TravelMatrix:
    """Fastest paths (ties: the shorter) between ``nodes`` on roads whose class has a speed in ``speed_kmh``.

    Raises ``UnreachableError`` naming the first node that cannot be reached from ``nodes[0]`` and the road
    classes the vehicle lacks to get there.
    """
    order = np.array(nodes, dtype=np.int64)
    if order.ndim != 1 or len(order) == 0:
        raise ValueError("nodes must be a non-empty sequence of site indices.")
    if order.min() < 0 or order.max() >= len(network.site_ids):
        raise ValueError(f"nodes must be site indices from 0 to {len(network.site_ids) - 1}.")
    targets = {int(site) for site in order}
    adjacency = _open_roads(network.graph, speed_kmh)
    _prune_leaves(adjacency, targets)
    rows: dict[int, dict[int, tuple[float, float]]] = {}
    for source in order.tolist():
        if source not in rows:
            rows[source] = _fastest_from(adjacency, source, targets)
            if len(rows[source]) < len(targets):
                raise _unreachable(network, speed_kmh, source, next(s for s in order.tolist() if s not in rows[source]))
    time_h = np.array([[rows[a][b][0] for b in order.tolist()] for a in order.tolist()], dtype=np.float64)
    distance_km = np.array([[rows[a][b][1] for b in order.tolist()] for a in order.tolist()], dtype=np.float64)
    for array in (order, distance_km, time_h):
        array.setflags(write=False)
    return TravelMatrix(order, distance_km, time_h, tuple(network.site_ids[site] for site in order.tolist()))


def _open_roads(graph: nx.Graph, speed_kmh: Mapping[str, float]) -> Adjacency:
    """Roads of the classes the vehicle has a speed for, both ways, with their driving time."""
    adjacency: Adjacency = {int(site): [] for site in graph.nodes}
    for start, end, data in graph.edges(data=True):
        speed = speed_kmh.get(data["road_class"])
        if speed is not None:
            length_km = float(data["length_km"])
            adjacency[start].append((end, length_km / speed, length_km))
            adjacency[end].append((start, length_km / speed, length_km))
    return adjacency


def _prune_leaves(adjacency: Adjacency, keep: set[int]) -> None:
    """Drop dead ends that are not in ``keep``: no path between two kept sites runs through them."""
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


def _fastest_from(adjacency: Adjacency, source: int, targets: set[int]) -> dict[int, tuple[float, float]]:
    """Dijkstra by (time_h, length_km) from ``source``; stops once every reachable target is settled."""
    settled: dict[int, tuple[float, float]] = {}
    heap: list[tuple[float, float, int]] = [(0.0, 0.0, source)]
    remaining = len(targets)
    while heap and remaining:
        time_h, length_km, site = heapq.heappop(heap)
        if site in settled:
            continue
        settled[site] = (time_h, length_km)
        if site in targets:
            remaining -= 1
        for neighbour, road_h, road_km in adjacency[site]:
            if neighbour not in settled:
                heapq.heappush(heap, (time_h + road_h, length_km + road_km, neighbour))
    return {site: value for site, value in settled.items() if site in targets}


def _unreachable(network: CityNetwork, speed_kmh: Mapping[str, float], source: int, site: int) -> UnreachableError:
    """Say which road classes, missing from ``speed_kmh``, lie on the shortest road from ``source`` to ``site``."""
    site_id, source_id = network.site_ids[site], network.site_ids[source]
    allowed = ", ".join(sorted(speed_kmh)) or "none"
    try:
        route = nx.shortest_path(network.graph, source, site, weight="length_km")
    except nx.NetworkXNoPath:
        route = []
    classes = [network.graph.edges[a, b]["road_class"] for a, b in itertools.pairwise(route)]
    missing = list(dict.fromkeys(road_class for road_class in classes if road_class not in speed_kmh))
    named = ", ".join(repr(road_class) for road_class in missing)
    noun = "road class" if len(missing) == 1 else "road classes"
    if missing:
        message = (
            f"{site_id!r} cannot be reached from {source_id!r}: the way there uses {noun} {named}, "
            f"and the vehicle may drive only on {allowed}."
        )
        hint = f"give the vehicle a speed for {noun} {named}, or choose another vehicle type"
    else:
        message = f"{site_id!r} cannot be reached from {source_id!r}: no road leads there."
        hint = f"add a road that connects {site_id!r} to the rest of the network"
    return UnreachableError(message, site, site_id, network.site_paths.get(site, ()), hint)
