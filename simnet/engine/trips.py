"""Several vehicle trips leaving together, worked out at once: when each reaches each stop, its hours and km.

A trip leaves its depot (matrix row 0), visits its stops in order, spending the stop time at each,
and drives back. The stops of all trips are laid one trip after another; the running sums along
each trip are taken in the same order as for a trip alone (numpy's sums of a run depend on its
length and place), so every figure is the one a trip worked out by itself would give.
"""

from __future__ import annotations

import itertools
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
    """Trips through ``stop_rows`` (each trip's stops as matrix rows), each on its own matrix, leaving at once."""
    stops = np.array([len(rows) for rows in stop_rows], dtype=np.int64)
    legs = stops + 1
    leg_bounds = np.concatenate(([0], np.cumsum(legs)))
    stop_bounds = np.concatenate(([0], np.cumsum(stops)))
    trip_of_leg = np.repeat(np.arange(len(stops)), legs)
    leg_in_trip = np.arange(int(leg_bounds[-1])) - leg_bounds[trip_of_leg]
    stop_leg = np.flatnonzero(leg_in_trip < stops[trip_of_leg])  # the leg reaching each stop; the last drives back
    to_row = np.zeros(len(trip_of_leg), dtype=np.int64)
    to_row[stop_leg] = np.concatenate(stop_rows)
    from_row = np.zeros(len(trip_of_leg), dtype=np.int64)
    from_row[stop_leg + 1] = to_row[stop_leg]
    leg_h = np.empty(len(trip_of_leg))
    leg_km = np.empty(len(trip_of_leg))
    for matrix in {id(matrix): matrix for matrix in matrices}.values():
        mine = np.repeat(np.array([other is matrix for other in matrices]), legs)
        leg_h[mine] = matrix.time_h[from_row[mine], to_row[mine]]
        leg_km[mine] = matrix.distance_km[from_row[mine], to_row[mine]]
    by_trip = np.zeros((len(stops), int(legs.max())))
    by_trip[trip_of_leg, leg_in_trip] = leg_h
    reached_h = np.cumsum(by_trip, axis=1)[trip_of_leg[stop_leg], leg_in_trip[stop_leg]]
    stop_number = leg_in_trip[stop_leg]
    return TripsDriven(
        stop_bounds=stop_bounds,
        arrive_h=depart_h + reached_h + stop_time_h * stop_number,
        hours=_sums(leg_h, leg_bounds) + stop_time_h * stops,
        distance_km=_sums(leg_km, leg_bounds),
    )


def _sums(values: FloatArray, bounds: IntArray) -> FloatArray:
    """Sum of each run ``bounds[t]`` … ``bounds[t + 1]`` − 1, each taken as numpy sums that run alone."""
    return np.array([values[start:end].sum() for start, end in itertools.pairwise(bounds.tolist())])


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
