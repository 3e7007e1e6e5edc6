"""Several vehicle trips leaving together, worked out at once: when each reaches each stop, its hours and km.

A trip leaves its depot (matrix row 0), visits its stops in order, spending the stop time at each,
and drives back. The running sums along each trip are taken in the same order as for a trip
alone (numpy's sums of a run depend on its length), so every figure is the one a trip worked out
by itself would give; the stops of all trips come out one trip after another.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simnet.network.paths import TravelMatrix

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class TripsDriven:
    """The stops of several trips one trip after another, and each trip's figures."""

    stop_bounds: IntArray
    """Trip t's stops are ``stop_bounds[t]`` … ``stop_bounds[t + 1]`` − 1."""
    arrive_h: FloatArray
    """When each stop is reached."""
    hours: FloatArray
    """Per trip: driving and stops, depot back to depot."""
    distance_km: FloatArray
    """Per trip: round-trip km."""


def drive_trips(
    stop_rows: list[IntArray], matrices: list[TravelMatrix], depart_h: float, stop_time_h: float
) -> TripsDriven:
    """Trips through ``stop_rows`` (each trip's stops as matrix rows), each on its own matrix, leaving at once.

    Each trip is a row of a table of legs, padded with legs of 0 h and 0 km after its return.
    """
    stops = np.array([len(rows) for rows in stop_rows], dtype=np.int64)
    path = np.zeros((len(stops), int(stops.max()) + 2), dtype=np.int64)
    for trip, rows in enumerate(stop_rows):
        path[trip, 1 : len(rows) + 1] = rows
    leg_h = np.zeros((len(stops), path.shape[1] - 1))
    leg_km = np.zeros_like(leg_h)
    distinct = {id(matrix): matrix for matrix in matrices}
    for matrix in distinct.values():
        on = slice(None) if len(distinct) == 1 else [trip for trip, other in enumerate(matrices) if other is matrix]
        leg_h[on] = matrix.time_h[path[on, :-1], path[on, 1:]]
        leg_km[on] = matrix.distance_km[path[on, :-1], path[on, 1:]]
    after_return = np.arange(leg_h.shape[1]) > stops[:, None]
    leg_h[after_return] = 0.0
    leg_km[after_return] = 0.0
    stop_number = np.arange(leg_h.shape[1] - 1)
    at_stop = stop_number < stops[:, None]
    return TripsDriven(
        stop_bounds=np.concatenate(([0], np.cumsum(stops))),
        arrive_h=depart_h
        + np.cumsum(leg_h, axis=1)[:, :-1][at_stop]
        + stop_time_h * np.broadcast_to(stop_number, at_stop.shape)[at_stop],
        hours=_sums(leg_h, stops) + stop_time_h * stops,
        distance_km=_sums(leg_km, stops),
    )


def _sums(legs: FloatArray, stops: IntArray) -> FloatArray:
    """Per trip (row), the sum of its legs, taken as numpy's sum of those legs alone (it depends on their number)."""
    return np.array([legs[trip, : count + 1].sum() for trip, count in enumerate(stops.tolist())])


def pickups_taken(waiting: IntArray, drops: IntArray, stop_bounds: IntArray, capacities: IntArray) -> IntArray:
    """Pickups each stop's trip takes there: as many waiting as the room left, stop after stop.

    The room at a stop is the trip's capacity less the parcels still aboard after it and the
    pickups taken before. The parcels aboard only fall along a trip, so the room before pickups,
    r_i, only grows, and the pickups taken by stop i are P_i = min(P_{i−1} + w_i, max(r_i, 0)):
    with W_i the waiting so far, P_i − W_i = min(0, min_{j≤i}(max(r_j, 0) − W_j)), a running minimum.
    """
    trip_of_stop = np.repeat(np.arange(len(capacities)), np.diff(stop_bounds))
    dropped = np.concatenate(([0], np.cumsum(drops)))
    aboard_after = dropped[stop_bounds[1:]][trip_of_stop] - dropped[1:]
    room = np.maximum(capacities[trip_of_stop] - aboard_after, 0)
    waited = np.concatenate(([0], np.cumsum(waiting)))
    waiting_so_far = waited[1:] - waited[stop_bounds[:-1]][trip_of_stop]
    slack = _running_minimum_by_trip(room - waiting_so_far, trip_of_stop)
    taken_so_far = waiting_so_far + np.minimum(slack, 0)
    earlier = np.concatenate(([0], taken_so_far[:-1]))
    earlier[stop_bounds[:-1][np.diff(stop_bounds) > 0]] = 0
    taken: IntArray = taken_so_far - earlier
    return taken


def _running_minimum_by_trip(values: IntArray, trip_of_stop: IntArray) -> IntArray:
    """The running minimum of integers restarting at each trip: each earlier trip is lifted above all later ones."""
    if len(values) == 0:
        return values
    span = int(values.max() - values.min()) + 1
    lift = (int(trip_of_stop[-1]) - trip_of_stop) * span
    minimum: IntArray = np.minimum.accumulate(values + lift) - lift
    return minimum
