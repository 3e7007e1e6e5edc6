"""Delivery routes from one depot: a capacitated VRP solved with PyVRP, oversized sites split first."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from pyvrp import Client, Depot, Location, ProblemData, Solution, VehicleType, solve
from pyvrp.stop import MaxIterations

from simnet.network.errors import UnreachableError
from simnet.network.paths import TravelMatrix

DEFAULT_ITERATIONS = 300
"""PyVRP iterations per plan. Over the baseline's 60 dispatch points 300 iterations plan 1.0 % more km
than 1,000 (79,346 against 78,574 km; 0.4 % on the consolidated variant's 10) in 30 % of the time, and
each wave re-forms routes from the planned order anyway (``planning/split.py``)."""

TRIP_COST_M = 1
"""Cost of one more trip, in metres of driving: among plans of equal length the solver takes fewer trips."""

LENGTH_TIE_KM = 1e-9
"""Float noise between a route's length summed forwards and backwards."""

ROUNDING_SLACK = 1e-9
"""Expected loads within this of a whole number count as that number, not one more."""


@dataclass(frozen=True)
class PlannedRoute:
    """One vehicle trip from the depot through ``stops`` and back."""

    stops: tuple[int, ...]  # site indices visited in order, depot excluded
    planned_load: tuple[int, ...]  # parcels planned for each stop
    distance_km: float  # depot → stops → depot
    drive_time_h: float  # driving only; the engine adds the time spent at each stop


def plan_routes(
    matrix: TravelMatrix,
    depot: int,
    demand: Mapping[int, float],
    capacity: int,
    max_distance_km: float | None,
    seed: int,
    iterations: int = DEFAULT_ITERATIONS,
) -> tuple[PlannedRoute, ...]:
    """Routes that carry every site's expected load (rounded up, at least 1) within capacity and range.

    A site with more than ``capacity`` parcels first gets ``floor(load / capacity)`` full out-and-back trips;
    its remainder joins the VRP. Same inputs and ``seed``, same routes, sorted by their stops. Raises
    ``UnreachableError`` for a site whose round trip exceeds ``max_distance_km``.
    """
    depot, demand = int(depot), {int(site): float(load) for site, load in demand.items()}
    _check_inputs(depot, demand, capacity, max_distance_km, iterations)
    position: dict[int, int] = {}
    for index, site in enumerate(matrix.nodes.tolist()):
        position.setdefault(int(site), index)
    missing = [site for site in (depot, *demand) if site not in position]
    if missing:
        raise ValueError(f"sites {missing} are not nodes of the travel matrix.")
    metres = _whole_metres(matrix.distance_km)
    range_m = None if max_distance_km is None else math.floor(max_distance_km * 1000)
    loads = {site: whole_parcels(value) for site, value in sorted(demand.items())}
    if range_m is not None:
        for site in loads:
            round_trip_m = int(metres[position[depot], position[site]] + metres[position[site], position[depot]])
            if round_trip_m > range_m:
                raise _out_of_range(matrix, position[site], site, round_trip_m / 1000, range_m / 1000)
    routes = [[(site, capacity)] for site, load in loads.items() for _ in range(load // capacity)]
    rest = {site: load % capacity for site, load in loads.items() if load % capacity}
    if rest:
        rows = [position[depot], *(position[site] for site in rest)]
        routes += _solve_vrp(
            metres[np.ix_(rows, rows)], rest, capacity, range_m=range_m, seed=seed, iterations=iterations
        )
    planned = (_measured(matrix, position, depot, route) for route in routes)
    return tuple(sorted(planned, key=lambda route: (route.stops, route.planned_load)))


def _check_inputs(
    depot: int, demand: Mapping[int, float], capacity: int, max_distance_km: float | None, iterations: int
) -> None:
    """One clear sentence per broken rule."""
    if capacity <= 0:
        raise ValueError("capacity must be positive.")
    if max_distance_km is not None and not max_distance_km > 0:
        raise ValueError("max_distance_km must be positive, or None for unlimited.")
    if iterations <= 0:
        raise ValueError("iterations must be positive.")
    if depot in demand:
        raise ValueError(f"the depot {depot} cannot also be a stop.")
    if not all(math.isfinite(value) and value >= 0 for value in demand.values()):
        raise ValueError("demand must be finite and non-negative.")


def whole_parcels(expected: float) -> int:
    """Expected load rounded up to whole parcels, at least one: every listed site gets a visit."""
    return max(1, math.ceil(expected - ROUNDING_SLACK))


def _whole_metres(distance_km: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Distances rounded up to whole metres, so a route within range in metres is within range in km."""
    return np.ceil(distance_km * 1000).astype(np.int64)


def _solve_vrp(
    metres: npt.NDArray[np.int64],
    loads: Mapping[int, int],
    capacity: int,
    *,
    range_m: int | None,
    seed: int,
    iterations: int,
) -> list[list[tuple[int, int]]]:
    """PyVRP's best routes for ``loads`` (each at most ``capacity``), as (site, load) lists.

    ``metres`` has the depot in row and column 0, then the sites of ``loads`` in their order.
    """
    sites = list(loads)
    # PyVRP's stubs type matrices with an unusual shape parameter; the array is a plain 2-D int64 matrix.
    distance = cast("Any", np.ascontiguousarray(metres))
    vehicle = VehicleType(num_available=len(sites), capacity=[capacity], fixed_cost=TRIP_COST_M)
    if range_m is not None:
        vehicle = vehicle.replace(max_distance=range_m)
    data = ProblemData(
        locations=[Location(0, 0) for _ in range(len(sites) + 1)],
        clients=[Client(location=index + 1, delivery=[loads[site]]) for index, site in enumerate(sites)],
        depots=[Depot(location=0)],
        vehicle_types=[vehicle],
        distance_matrices=[distance],
        duration_matrices=[np.zeros_like(distance)],
    )
    # Starting from one trip per site keeps the best solution feasible whatever the iteration budget.
    one_per_site = Solution(data, [[client] for client in range(len(sites))])
    solver_seed = int(np.random.SeedSequence(seed).generate_state(1)[0])
    result = solve(
        data,
        MaxIterations(iterations),
        seed=solver_seed,
        collect_stats=False,
        display=False,
        initial_solution=one_per_site,
    )
    return [
        [(sites[activity.idx], loads[sites[activity.idx]]) for activity in route if activity.is_client()]
        for route in result.best.routes()
    ]


def _measured(
    matrix: TravelMatrix, position: Mapping[int, int], depot: int, route: Sequence[tuple[int, int]]
) -> PlannedRoute:
    """The route in the direction that brings parcels sooner (never longer), with float km and hours."""
    forward = [position[depot], *(position[site] for site, _ in route), position[depot]]
    backward = forward[::-1]
    loads = np.array([load for _, load in route], dtype=np.float64)
    no_longer = _length(matrix.distance_km, backward) <= _length(matrix.distance_km, forward) + LENGTH_TIE_KM
    if no_longer and _waiting(matrix.time_h, backward, loads[::-1]) < _waiting(matrix.time_h, forward, loads):
        route = route[::-1]
        forward = backward
    return PlannedRoute(
        stops=tuple(site for site, _ in route),
        planned_load=tuple(load for _, load in route),
        distance_km=_length(matrix.distance_km, forward),
        drive_time_h=_length(matrix.time_h, forward),
    )


def _length(values: npt.NDArray[np.float64], legs: Sequence[int]) -> float:
    """Sum of ``values`` over the consecutive legs of ``legs``."""
    return float(values[legs[:-1], legs[1:]].sum())


def _waiting(time_h: npt.NDArray[np.float64], legs: Sequence[int], loads: npt.NDArray[np.float64]) -> float:
    """Parcel-hours of driving before each stop's parcels arrive."""
    arrival_h = np.cumsum(time_h[legs[:-2], legs[1:-1]])
    return float(arrival_h @ loads)


def _out_of_range(
    matrix: TravelMatrix, column: int, site: int, round_trip_km: float, range_km: float
) -> UnreachableError:
    """A site too far for one trip of this vehicle."""
    site_id = matrix.node_ids[column] if matrix.node_ids else f"site {site}"
    return UnreachableError(
        f"{site_id!r} is {round_trip_km:.1f} km there and back from the depot, beyond the vehicle's range "
        f"of {range_km:g} km.",
        site,
        site_id,
        hint="choose a vehicle type with more range (range_km), or serve the site from a nearer depot",
    )
