"""Routes re-formed at every wave: full trips, then an optimal split of the planned visiting order.

The rule. Each dispatch point has one visiting order over all its stops (its planned routes for
the expected load, concatenated: ``DispatchPlan.tour``). At a wave, each stop with business has
a load (its parcels ready to leave). A stop with a load of at least one vehicle first gets
``load // capacity`` full out-and-back trips; what is left of the stops' loads, in tour order,
with the stops whose only business is due pickups (load 0), is split into routes by the optimal
split over that order (route-first, cluster-second: Beasley 1983; Prins 2004): consecutive stops
form a route when their load fits the vehicle's capacity, the round trip its range and the
duration (driving, plus the stop time at each stop) the maximum route duration; among all ways of
cutting the order into such routes, the one with the fewest total km is taken (ties: each
route, counted from the end, as long as it can be). A single stop is always a route of its own.
Routes leave in this order: full trips by tour position, then the split's routes. A stop's
pickups ride with the last route in that order that visits it.

At the planned load the planned routes are one way of cutting the order, so the split never
drives more km than they do; with less (or more) on a day, fewer (or more) vans leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class RouteLimits:
    """What one route may carry and how long and far it may go; None where there is no limit."""

    capacity_parcels: int
    max_distance_km: float | None
    max_duration_h: float | None
    stop_time_h: float


@dataclass(frozen=True)
class FormedRoute:
    """A route formed at a wave: positions in the tour of its stops, in visiting order, and their loads."""

    positions: tuple[int, ...]
    loads: tuple[int, ...]


def split_order(
    rows: IntArray, loads: IntArray, distance_km: FloatArray, time_h: FloatArray, limits: RouteLimits
) -> list[tuple[int, int]]:
    """The optimal split of stops in order into routes, as [first, end) index ranges (see the module).

    ``rows`` are the stops' rows in the travel matrices, whose row 0 is the depot. Every candidate
    route (first stop i, last stop j) is priced at once from prefix sums of the legs along the
    order. Adding a stop never lowers load, km (shortest-path matrices keep the triangle
    inequality) or hours, so the routes from i that keep to the limits are those up to the first
    that breaks one; the recursion over the order runs over those candidates only (``_cheapest_cuts``).
    """
    count = len(rows)
    if count == 0:
        return []
    loaded = np.concatenate(([0], np.cumsum(loads)))
    room = np.searchsorted(loaded, loaded[:-1] + limits.capacity_parcels, side="right") - np.arange(1, count + 1)
    width = int(max(1, room.max()))
    first = np.arange(count)[:, None]
    last = first + np.arange(width)[None, :]
    inside = last < count
    last = np.minimum(last, count - 1)
    leg_km = np.concatenate(([0.0], np.cumsum(distance_km[rows[:-1], rows[1:]])))
    km = distance_km[0, rows][first] + (leg_km[last] - leg_km[first]) + distance_km[rows, 0][last]
    fits = inside & (loaded[last + 1] - loaded[first] <= limits.capacity_parcels)
    if limits.max_distance_km is not None:
        fits &= km <= limits.max_distance_km
    if limits.max_duration_h is not None:
        leg_h = np.concatenate(([0.0], np.cumsum(time_h[rows[:-1], rows[1:]])))
        hours = time_h[0, rows][first] + (leg_h[last] - leg_h[first]) + time_h[rows, 0][last]
        hours = hours + limits.stop_time_h * (last - first + 1)
        fits &= hours <= limits.max_duration_h
    fits[:, 0] = True
    start, offset = np.nonzero(np.logical_and.accumulate(fits, axis=1))
    cut = _cheapest_cuts(start, start + offset + 1, km[start, offset], count)
    ranges: list[tuple[int, int]] = []
    end = count
    while end > 0:
        ranges.append((cut[end], end))
        end = cut[end]
    return ranges[::-1]


def _cheapest_cuts(start: IntArray, end: IntArray, km: FloatArray, count: int) -> list[int]:
    """Per end 1 … ``count``: where the last route of the cheapest split of stops [0, end) starts.

    Candidate routes [start, end) costing ``km`` (finite: the split type reaches every stop), listed
    by start. The fewest km to each end, min over its routes of (fewest km to their start + their
    km), is the shortest path from 0 over the candidates, found by scipy's compiled Dijkstra: with
    no negative km it takes the same float sums and minima as the recursion in order. Of the routes
    reaching that minimum the one starting first is taken (the longest last route).
    """
    indptr = np.searchsorted(start, np.arange(count + 2))
    best_km = dijkstra(csr_array((km, end, indptr), shape=(count + 1, count + 1)), indices=0)
    ties = best_km[start] + km == best_km[end]
    cut = np.full(count + 1, count, dtype=np.int64)
    np.minimum.at(cut, end[ties], start[ties])
    cut[0] = 0
    return list(cut.tolist())


def form_routes(
    tour_rows: IntArray,
    loads: IntArray,
    active: NDArray[np.bool_],
    distance_km: FloatArray,
    time_h: FloatArray,
    limits: RouteLimits,
) -> list[FormedRoute]:
    """The wave's routes over tour positions: full trips, then the optimal split (see the module).

    ``loads`` and ``active`` (stops with parcels or due pickups) are per tour position.
    """
    capacity = limits.capacity_parcels
    full_trips = loads // capacity
    rest = loads - full_trips * capacity
    routes = [
        FormedRoute((int(position),), (capacity,))
        for position in np.flatnonzero(full_trips)
        for _ in range(int(full_trips[position]))
    ]
    in_split = np.flatnonzero(active & ((rest > 0) | (loads == 0)))
    for first, end in split_order(tour_rows[in_split], rest[in_split], distance_km, time_h, limits):
        positions = in_split[first:end]
        routes.append(FormedRoute(tuple(positions.tolist()), tuple(rest[positions].tolist())))
    return routes


def route_of_parcels(routes: list[FormedRoute], positions: IntArray, capacity: int) -> IntArray:
    """Index of the formed route each parcel rides (parcels given oldest first, by tour position).

    A stop's first ``capacity`` parcels fill its first full trip, the next its second, and so on;
    the rest ride the split route that visits it.
    """
    count = int(positions.max()) + 1 if len(positions) else 0
    first_full = np.full(count, -1, dtype=np.int64)
    full_count = np.zeros(count, dtype=np.int64)
    split_route = np.full(count, -1, dtype=np.int64)
    for index, route in enumerate(routes):
        for position, load in zip(route.positions, route.loads, strict=True):
            if position >= count:
                continue
            if len(route.positions) == 1 and load == capacity:
                if first_full[position] < 0:
                    first_full[position] = index
                full_count[position] += 1
            else:
                split_route[position] = index
    rank = group_rank(positions)
    trip = rank // capacity
    on_full = trip < full_count[positions]
    return np.where(on_full, first_full[positions] + trip, split_route[positions])


def pickup_route_of_positions(routes: list[FormedRoute], size: int) -> IntArray:
    """Per tour position: the last formed route that visits it (it collects the stop's pickups), or -1."""
    collector = np.full(size, -1, dtype=np.int64)
    for index, route in enumerate(routes):
        collector[list(route.positions)] = index
    return collector


def stable_order(keys: NDArray[np.integer[Any]]) -> IntArray:
    """The stable sorting order of non-negative integer keys; numpy radix-sorts keys that fit 16 bits."""
    if len(keys) and int(keys.max()) <= np.iinfo(np.int16).max:
        return np.argsort(keys.astype(np.int16), kind="stable")
    return np.argsort(keys, kind="stable")


def group_rank(keys: IntArray) -> IntArray:
    """Position of each element among the earlier elements with the same key (0 for the first)."""
    order = stable_order(keys)
    ordered = keys[order]
    starts = np.ones(len(keys), dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    first = np.maximum.accumulate(np.where(starts, np.arange(len(keys)), 0))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys)) - first
    return rank
