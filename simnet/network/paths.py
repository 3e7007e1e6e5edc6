"""Fastest paths for one vehicle type between chosen sites, over the road classes it may use.

The rule: a path is the fastest one by driving time, and among equally fast paths the shortest in km.

First the roads are cut down to those that can lie between two chosen sites: a part of the network that hangs
from the rest by a single site (a cut vertex) and holds no chosen site is dropped, since a path that entered it
would have to leave through the same site. That drops dead ends and, in a generated city, every county but the
chosen sites' own. Then scipy's compiled Dijkstra (``scipy.sparse.csgraph.dijkstra``), which takes a single
weight, applies the rule in two passes from each source:

1. the least driving time to every site;
2. the least length over the *tight* roads only, those on some fastest path: a road u → v is tight when
   time(u) + its time = time(v). Every fastest path runs on tight roads only and every path on tight roads
   is a fastest one, so this is the shortest of the fastest paths. The tight roads of a source form a graph
   without cycles whose paths have few roads, so numpy relaxes them in rounds for all sources at once
   (Bellman–Ford); on the baseline city that is several times faster than scipy's Dijkstra on a graph with
   one copy of the tight roads per source.

Times are sums of floats, and two sums of the same real value may differ in their last bits, so "=" allows
a relative ``TIE_RELATIVE_TOLERANCE``.
"""

from __future__ import annotations

import itertools
import math
import weakref
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_array
from scipy.sparse.csgraph import depth_first_order, dijkstra

from simnet.network.city import CityNetwork
from simnet.network.errors import UnreachableError

__all__ = ["TravelMatrix", "UnreachableError", "travel_matrix"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
SpeedsKey = tuple[tuple[str, float], ...]
RoadsOfClass = tuple[IntArray, IntArray, FloatArray]
"""(start, end, length_km) of the roads of one class, each listed once."""

TIE_RELATIVE_TOLERANCE = 1e-9
"""Two paths are equally fast when their times differ by at most this fraction of the time.

Summing m positive floats errs by at most m × 2⁻⁵³ (1.1e-16) of the sum, so paths of up to a million roads
that are equally fast in exact arithmetic stay within it; a real difference below it (3.6 ms on a 1,000-hour
path) means nothing to a plan. A path chosen in pass 2 is therefore at most its number of roads × this
fraction slower than the least time, which is the time reported.
"""

SITE_PAIRS_PER_PASS = 4_000_000
"""At most this many (source, site) pairs per pass, 32 MB for each table of times or lengths; sources beyond
take further passes."""

TIGHT_TEST_PAIRS = 65_536
"""(source, road) pairs tested for tightness at once: 512 kB per float array, which fits a processor's cache.
Slices of 4 million pairs took 10 times as long on the baseline city."""

MEMO_MATRICES = 64
"""Matrices kept per network for repeated calls with the same speeds and nodes, the least recently used
dropped first (a plan asks for the same matrix once per carrier of a county)."""


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Distance and driving time between ``nodes`` along the vehicle's fastest paths; row = from, column = to."""

    nodes: npt.NDArray[np.int64]  # site indices, in matrix order
    distance_km: npt.NDArray[np.float64]  # (n, n)
    time_h: npt.NDArray[np.float64]  # (n, n)
    node_ids: tuple[str, ...] = ()  # site ids in matrix order, for messages; may be empty


@dataclass(frozen=True, eq=False)
class _Roads:
    """Roads open to one vehicle among ``sites``, each listed both ways: road r runs ``start[r]`` → ``end[r]``.

    ``start`` and ``end`` are positions in ``sites``, which holds the city's site index at each position, in
    increasing order. Roads are sorted by ``end``, so ``first_into[v]`` is the first road into position v.
    """

    sites: IntArray
    start: IntArray
    end: IntArray
    time_h: FloatArray
    length_km: FloatArray

    @property
    def first_into(self) -> IntArray:
        """Index of the first road into each position, and the road count last (a CSR row pointer)."""
        return np.searchsorted(self.end, np.arange(len(self.sites) + 1)).astype(np.int64)

    def time_graph(self) -> csr_array:
        """Driving times as a sparse matrix, row = a road's end, column = its start.

        With every road listed both ways, that is also row = start, column = end.
        """
        return csr_array((self.time_h, self.start, self.first_into), shape=(len(self.sites), len(self.sites)))

    def among(self, alive: BoolArray) -> _Roads:
        """The roads between ``alive`` positions, renumbered by position among them."""
        position = np.cumsum(alive) - 1
        open_road = alive[self.start] & alive[self.end]
        return _Roads(
            sites=self.sites[alive],
            start=position[self.start[open_road]],
            end=position[self.end[open_road]],
            time_h=self.time_h[open_road],
            length_km=self.length_km[open_road],
        )


class _NetworkMemo:
    """What ``travel_matrix`` keeps of one network: its roads by class, each vehicle's open roads, recent matrices."""

    def __init__(self, graph: nx.Graph) -> None:
        self.site_count = graph.number_of_nodes()
        self.roads_by_class = _roads_by_class(graph)
        self.open_roads: dict[SpeedsKey, _Roads] = {}
        self.matrices: OrderedDict[tuple[SpeedsKey, tuple[int, ...]], TravelMatrix] = OrderedDict()

    def roads_for(self, speed_kmh: Mapping[str, float]) -> _Roads:
        """The roads open to a vehicle with ``speed_kmh``, assembled on the first call for these speeds."""
        key = _speeds_key(speed_kmh)
        if key not in self.open_roads:
            self.open_roads[key] = _open_roads(self.roads_by_class, self.site_count, speed_kmh)
        return self.open_roads[key]

    def remember(self, key: tuple[SpeedsKey, tuple[int, ...]], matrix: TravelMatrix) -> None:
        """Keep ``matrix`` under ``key``, dropping the least recently used beyond ``MEMO_MATRICES``."""
        self.matrices[key] = matrix
        while len(self.matrices) > MEMO_MATRICES:
            self.matrices.popitem(last=False)


_MEMOS: weakref.WeakKeyDictionary[CityNetwork, _NetworkMemo] = weakref.WeakKeyDictionary()
"""The memo of each network, dropped with the network."""


def travel_matrix(network: CityNetwork, speed_kmh: Mapping[str, float], nodes: Sequence[int]) -> TravelMatrix:
    """Fastest paths (ties: the shorter) between ``nodes`` on roads whose class has a speed in ``speed_kmh``.

    Times within ``TIE_RELATIVE_TOLERANCE`` of each other count as a tie. The roads are read from
    ``network.graph`` on the first call for the network, and a repeated call returns the same (read-only)
    matrix, so the graph must not change after the first call.

    Raises ``UnreachableError`` naming the first node that cannot be reached from ``nodes[0]`` and the road
    classes the vehicle lacks to get there.
    """
    order = np.array(nodes, dtype=np.int64)
    if order.ndim != 1 or len(order) == 0:
        raise ValueError("nodes must be a non-empty sequence of site indices.")
    if order.min() < 0 or order.max() >= len(network.site_ids):
        raise ValueError(f"nodes must be site indices from 0 to {len(network.site_ids) - 1}.")
    memo = _MEMOS.get(network) or _MEMOS.setdefault(network, _NetworkMemo(network.graph))
    key = (_speeds_key(speed_kmh), tuple(order.tolist()))
    if key in memo.matrices:
        memo.matrices.move_to_end(key)
        return memo.matrices[key]
    matrix = _computed_matrix(network, memo.roads_for(speed_kmh), order, speed_kmh)
    memo.remember(key, matrix)
    return matrix


def _computed_matrix(
    network: CityNetwork, roads: _Roads, order: IntArray, speed_kmh: Mapping[str, float]
) -> TravelMatrix:
    """The travel matrix between the sites of ``order`` over ``roads`` (all the vehicle's open roads)."""
    visit_order, parent = depth_first_order(roads.time_graph(), int(order[0]), directed=True, return_predecessors=True)
    reached = np.zeros(len(roads.sites), dtype=np.bool_)
    reached[visit_order] = True
    if not reached[order].all():
        raise _unreachable(network, speed_kmh, int(order[0]), int(order[np.argmin(reached[order])]))
    distinct = np.unique(order)
    near = roads.among(_sites_between(roads, visit_order, parent, distinct))
    distinct_time_h, distinct_km = _fastest_between(near, np.searchsorted(near.sites, distinct))
    at = np.ix_(np.searchsorted(distinct, order), np.searchsorted(distinct, order))
    time_h, distance_km = distinct_time_h[at], distinct_km[at]
    for array in (order, distance_km, time_h):
        array.setflags(write=False)
    return TravelMatrix(order, distance_km, time_h, tuple(network.site_ids[site] for site in order.tolist()))


def _speeds_key(speed_kmh: Mapping[str, float]) -> SpeedsKey:
    """The speeds as a hashable key, the same whatever their order."""
    return tuple(sorted(speed_kmh.items()))


def _roads_by_class(graph: nx.Graph) -> dict[str, RoadsOfClass]:
    """The graph's roads grouped by class; loops (a road from a site to itself) are left out: they shorten no path."""
    codes: dict[str, int] = {}
    links = [
        (start, end, data["length_km"], codes.setdefault(data["road_class"], len(codes)))
        for start, end, data in graph.edges(data=True)
        if start != end
    ]
    table = np.array(links, dtype=np.float64).reshape(-1, 4)
    start, end, length_km, code = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64), table[:, 2], table[:, 3]
    return {name: (start[code == index], end[code == index], length_km[code == index]) for name, index in codes.items()}


def _open_roads(roads_by_class: Mapping[str, RoadsOfClass], site_count: int, speed_kmh: Mapping[str, float]) -> _Roads:
    """Roads of the classes the vehicle has a speed for, both ways, with their driving time, sorted by their end."""
    usable = [(roads_by_class[name], speed) for name, speed in speed_kmh.items() if name in roads_by_class]
    start = np.concatenate([np.empty(0, dtype=np.int64)] + [start for (start, _, _), _ in usable])
    end = np.concatenate([np.empty(0, dtype=np.int64)] + [end for (_, end, _), _ in usable])
    length_km = np.concatenate([np.empty(0)] + [length for (_, _, length), _ in usable])
    time_h = np.concatenate([np.empty(0)] + [length / speed for (_, _, length), speed in usable])
    by_end = np.argsort(np.concatenate((end, start)), kind="stable")
    return _Roads(
        sites=np.arange(site_count, dtype=np.int64),
        start=np.concatenate((start, end))[by_end],
        end=np.concatenate((end, start))[by_end],
        time_h=np.concatenate((time_h, time_h))[by_end],
        length_km=np.concatenate((length_km, length_km))[by_end],
    )


def _sites_between(roads: _Roads, visit_order: IntArray, parent: IntArray, keep: IntArray) -> BoolArray:
    """Sites reached by the depth-first search (``visit_order``, ``parent``), less the parts hanging without ``keep``.

    The search starts at a kept site and reaches every kept site. The subtree below a site c, child of p, hangs
    from the rest by p alone when no road leaves it for a site visited before p: when its ``low``, the earliest
    visit that a road from the subtree reaches, is not before p's. Such a subtree without a kept site is dropped.
    """
    site_count = len(roads.sites)
    visit = np.full(site_count, site_count, dtype=np.int64)
    visit[visit_order] = np.arange(len(visit_order))
    low = visit.copy()
    from_elsewhere = np.where(roads.start == parent[roads.end], site_count, visit[roads.start])
    first_into = roads.first_into
    has_roads = np.flatnonzero(np.diff(first_into))
    low[has_roads] = np.minimum(low[has_roads], np.minimum.reduceat(from_elsewhere, first_into[has_roads]))
    kept_below = np.zeros(site_count, dtype=np.int64)
    kept_below[keep] = 1
    size = np.ones(site_count, dtype=np.int64)
    low_of, kept_of, size_of, parent_of = low.tolist(), kept_below.tolist(), size.tolist(), parent.tolist()
    for site in reversed(visit_order[1:].tolist()):
        above = parent_of[site]
        low_of[above] = min(low_of[above], low_of[site])
        kept_of[above] += kept_of[site]
        size_of[above] += size_of[site]
    children = visit_order[1:]
    low, kept_below, size = np.array(low_of), np.array(kept_of), np.array(size_of)
    hanging = children[(low[children] >= visit[parent[children]]) & (kept_below[children] == 0)]
    dropped_from = np.zeros(len(visit_order) + 1, dtype=np.int64)
    np.add.at(dropped_from, visit[hanging], 1)
    np.add.at(dropped_from, visit[hanging] + size[hanging], -1)
    alive = np.zeros(site_count, dtype=np.bool_)
    alive[visit_order[np.cumsum(dropped_from[:-1]) == 0]] = True
    return alive


def _fastest_between(roads: _Roads, sources: IntArray) -> tuple[FloatArray, FloatArray]:
    """Time and length of the fastest paths (ties: the shorter) between every two of ``sources``.

    ``sources`` are positions in ``roads.sites``; row and column i of both matrices belong to ``sources[i]``.
    """
    time_graph = roads.time_graph()
    passes = min(math.ceil(len(sources) * len(roads.sites) / SITE_PAIRS_PER_PASS), len(sources))
    time_rows, length_rows = [], []
    for group in np.array_split(sources, passes):
        time_h = dijkstra(time_graph, directed=True, indices=group)
        time_rows.append(time_h[:, sources])
        length_rows.append(_shortest_of_fastest(roads, group, time_h)[:, sources])
    return np.vstack(time_rows), np.vstack(length_rows)


def _shortest_of_fastest(roads: _Roads, sources: IntArray, time_h: FloatArray) -> FloatArray:
    """Least length from each of ``sources`` to every site over the roads tight from it; ``time_h`` from pass 1.

    Bellman–Ford in rounds, all sources at once: each round, every site takes the least of (length to a tight
    road's start + the road's length) over its tight roads in, until no length falls; as many rounds as the
    longest of these paths has roads, plus one.
    """
    site_count, copy_count = len(roads.sites), len(sources)
    row, road = _tight_roads(roads, time_h)
    start, end = row * site_count + roads.start[road], row * site_count + roads.end[road]
    by_end = np.argsort(end, kind="stable")
    start, end, road_km = start[by_end], end[by_end], roads.length_km[road[by_end]]
    first_into = np.flatnonzero(np.diff(end, prepend=-1))
    ends = end[first_into]
    length_km = np.full(copy_count * site_count, np.inf)
    length_km[np.arange(copy_count) * site_count + sources] = 0.0
    while True:
        best_km = np.minimum.reduceat(length_km[start] + road_km, first_into)
        shorter = best_km < length_km[ends]
        if not shorter.any():
            return length_km.reshape(copy_count, site_count)
        length_km[ends[shorter]] = best_km[shorter]


def _tight_roads(roads: _Roads, time_h: FloatArray) -> tuple[IntArray, IntArray]:
    """(row of ``time_h``, road) of each road tight from that row's source: those on some fastest path from it.

    Road u → v is tight from source s when time(s, u) + its time ≤ time(s, v) × (1 + TIE_RELATIVE_TOLERANCE).
    The roads are tested a slice of ``TIGHT_TEST_PAIRS`` (source, road) pairs at a time, each road reading a
    row of the times by site, so that the work stays in the processor's cache.
    """
    time_by_site = np.ascontiguousarray(time_h.T)
    tight_limit_h = time_by_site * (1 + TIE_RELATIVE_TOLERANCE)
    step = max(1, TIGHT_TEST_PAIRS // len(time_h))
    rows, tight = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
    for first in range(0, len(roads.start), step):
        part = slice(first, first + step)
        reach_h = time_by_site[roads.start[part]]
        reach_h += roads.time_h[part, None]
        road, row = np.divmod(np.flatnonzero(reach_h <= tight_limit_h[roads.end[part]]), len(time_h))
        rows.append(row)
        tight.append(first + road)
    return np.concatenate(rows), np.concatenate(tight)


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
