"""Planned routes kept in memory and as JSON files, keyed by a hash of every planning input.

A stored plan is trusted only after it is checked against the request it answers: its key must
be the hash of the request, every stop a requested site, every site's planned parcels its
expected load in whole parcels, every route within capacity and range, and every route's length
the one the travel matrix gives. A plan that fails is planned again, with a warning, and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import multiprocessing
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from simnet.cache_files import cache_directory, write_atomically
from simnet.forking import fork_workers, ignore_interrupts
from simnet.network.paths import TravelMatrix
from simnet.network.routing import PlannedRoute, whole_parcels
from simnet.planning.routes import PlanEveryTime, Planned, RouteRequest

_LOG = logging.getLogger(__name__)

FORMAT = "simnet-routes-1"
"""Stored in every file and hashed into every key: a new format never reads an old file."""

MEMORY_ENTRIES = 1024
"""Plans kept in memory per cache, least recently used dropped first."""


class RouteCache:
    """Plans by key: first in memory, then in ``directory/<key>.json``; unreadable files count as missing."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._memory: OrderedDict[str, tuple[PlannedRoute, ...]] = OrderedDict()

    def get(self, key: str) -> tuple[PlannedRoute, ...] | None:
        """The plan stored under ``key``, or None when absent or unreadable."""
        if key in self._memory:
            self._memory.move_to_end(key)
            return self._memory[key]
        try:
            content = (self.directory / f"{key}.json").read_bytes()
        except OSError:
            return None
        routes = _parsed(content, key)
        if routes is None:
            _LOG.warning("ignoring unreadable route cache file %s", self.directory / f"{key}.json")
            return None
        self._remember(key, routes)
        return routes

    def put(self, key: str, routes: tuple[PlannedRoute, ...]) -> None:
        """Keep ``routes`` under ``key``; a cache that cannot be written is logged and planning goes on."""
        self._remember(key, routes)
        document = {"format": FORMAT, "key": key, "routes": [_as_json(route) for route in routes]}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            write_atomically(self.directory / f"{key}.json", json.dumps(document).encode())
        except OSError as error:
            _LOG.warning("could not write the route cache in %s: %s", self.directory, error)

    def _remember(self, key: str, routes: tuple[PlannedRoute, ...]) -> None:
        """Keep ``routes`` in memory, dropping the least recently used plan when full."""
        self._memory[key] = routes
        self._memory.move_to_end(key)
        while len(self._memory) > MEMORY_ENTRIES:
            self._memory.popitem(last=False)


_DEFAULT_CACHES: dict[Path, RouteCache] = {}


def default_cache() -> RouteCache:
    """The process's cache for the directory named by ``SIMNET_CACHE_DIR`` (read at each call)."""
    directory = cache_directory()
    return _DEFAULT_CACHES.setdefault(directory, RouteCache(directory))


class CachedPlanner:
    """A route planner that answers from ``cache`` when it can, else asks ``planner`` and stores its answer."""

    def __init__(self, cache: RouteCache, planner: PlanEveryTime | None = None) -> None:
        self.cache = cache
        self.planner = planner or PlanEveryTime()

    def __call__(
        self,
        matrix: TravelMatrix,
        depot: int,
        demand: Mapping[int, float],
        capacity: int,
        max_distance_km: float | None,
    ) -> tuple[PlannedRoute, ...]:
        """The cached plan for this request when it passes the checks, else a new plan (then stored)."""
        request = RouteRequest(matrix, depot, demand, capacity, max_distance_km)
        key = self.key(request)
        routes = self.cached(key, request)
        if routes is None:
            routes = request.ask(self.planner)
            self.cache.put(key, routes)
        return routes

    def key(self, request: RouteRequest) -> str:
        """The cache key of a request under this planner's seed and iterations."""
        return route_key(
            request.matrix,
            depot=request.depot,
            demand=request.demand,
            capacity=request.capacity,
            max_distance_km=request.max_distance_km,
            seed=self.planner.seed,
            iterations=self.planner.iterations,
        )

    def cached(self, key: str, request: RouteRequest) -> tuple[PlannedRoute, ...] | None:
        """The plan stored under ``key`` when it fits the request, else None."""
        routes = self.cache.get(key)
        if routes is None:
            return None
        problem = inconsistency(
            routes, request.matrix, request.depot, request.demand, request.capacity, request.max_distance_km
        )
        if problem is None:
            return routes
        _LOG.warning("re-planning routes: the cached plan %s does not fit its request (%s)", key[:12], problem)
        return None

    def plan_many(
        self, requests: Sequence[RouteRequest], planned: Planned | None = None
    ) -> list[tuple[PlannedRoute, ...] | None]:
        """Each request's routes, in order: read from the cache, the rest planned in forked workers at once.

        Solving takes a core for about a second per county, so the requests the cache misses are
        shared among one worker per core (``simnet.forking``), or planned here where none can be
        forked. Requests with the same key (two carriers' depots with the same problem) are solved
        once. ``planned`` is told each request's index as its routes are ready; a request whose
        planning fails gives None (see ``routes.plan_ahead``).
        """
        keys = [self.key(request) for request in requests]
        results: list[tuple[PlannedRoute, ...] | None] = [
            self.cached(key, request) for key, request in zip(keys, requests, strict=True)
        ]
        sharing: dict[str, list[int]] = {}
        for index, routes in enumerate(results):
            if routes is None:
                sharing.setdefault(keys[index], []).append(index)
            elif planned is not None:
                planned(index)
        for first, routes in _solved(self.planner, requests, [indices[0] for indices in sharing.values()]):
            if routes is not None:
                self.cache.put(keys[first], routes)
            for index in sharing[keys[first]]:
                results[index] = routes
                if planned is not None:
                    planned(index)
        return results


WORKER_MIN_STOPS = 100
"""Stops the missed requests must have in all for workers to be started: below, solving costs less than forking."""

_JOB: tuple[PlanEveryTime, Sequence[RouteRequest]] | None = None
"""The planner and requests forked workers inherit (matrices are large: inherited, not pickled)."""


def _solved(
    planner: PlanEveryTime, requests: Sequence[RouteRequest], indices: Sequence[int]
) -> Iterator[tuple[int, tuple[PlannedRoute, ...] | None]]:
    """(index, routes or None on failure) for each of ``indices``, in forked workers when it pays.

    Workers take the requests with the most stops first, so that no long one is left to finish alone.
    """
    global _JOB  # noqa: PLW0603 - handed to forked children, which inherit module state
    workers = min(fork_workers(), len(indices))
    if workers < 2 or sum(len(requests[index].demand) for index in indices) < WORKER_MIN_STOPS:
        for index in indices:
            yield index, _solve_one(planner, requests[index])
        return
    _JOB = (planner, requests)
    largest_first = sorted(indices, key=lambda index: -len(requests[index].demand))
    try:
        with ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("fork"), initializer=ignore_interrupts
        ) as pool:
            futures = {pool.submit(_solve_inherited, index): index for index in largest_first}
            for future in as_completed(futures):
                try:
                    yield futures[future], future.result()
                except BrokenProcessPool:
                    yield futures[future], None
    finally:
        _JOB = None


def _solve_inherited(index: int) -> tuple[PlannedRoute, ...] | None:
    """In a worker: solve request ``index`` of the inherited job."""
    assert _JOB is not None
    planner, requests = _JOB
    return _solve_one(planner, requests[index])


def _solve_one(planner: PlanEveryTime, request: RouteRequest) -> tuple[PlannedRoute, ...] | None:
    """The request's routes, or None when it cannot be planned (asked again in order, its error is raised there)."""
    try:
        return request.ask(planner)
    except Exception:  # any failure is raised again, with its place, by the sequential pass
        return None


def default_planner() -> CachedPlanner:
    """The route planner of a command: the default cache (``SIMNET_CACHE_DIR``), the plan seed."""
    return CachedPlanner(default_cache())


def inconsistency(
    routes: tuple[PlannedRoute, ...],
    matrix: TravelMatrix,
    depot: int,
    demand: Mapping[int, float],
    capacity: int,
    max_distance_km: float | None,
) -> str | None:
    """What makes ``routes`` unfit to answer the request, or None when they fit it."""
    row = {int(site): index for index, site in enumerate(matrix.nodes.tolist())}
    planned: dict[int, int] = {}
    for route in routes:
        if any(site not in demand or site == depot for site in route.stops):
            return "a stop is not a requested site"
        if min(route.planned_load) < 1 or sum(route.planned_load) > capacity:
            return "a route's load is outside 1..capacity"
        rows = [row[depot], *(row[site] for site in route.stops), row[depot]]
        length_km = float(matrix.distance_km[rows[:-1], rows[1:]].sum())
        if not math.isclose(length_km, route.distance_km, rel_tol=1e-9, abs_tol=1e-9):
            return "a route's length differs from the travel matrix"
        if max_distance_km is not None and route.distance_km > max_distance_km:
            return "a route is longer than the vehicle's range"
        for site, load in zip(route.stops, route.planned_load, strict=True):
            planned[site] = planned.get(site, 0) + load
    if any(planned.get(int(site), 0) != whole_parcels(float(load)) for site, load in demand.items()):
        return "the planned parcels differ from the expected loads"
    return None


def route_key(
    matrix: TravelMatrix,
    *,
    depot: int,
    demand: Mapping[int, float],
    capacity: int,
    max_distance_km: float | None,
    seed: int,
    iterations: int,
) -> str:
    """SHA-256 of every input that can change a plan, the cache format and the PyVRP version included."""
    digest = hashlib.sha256()
    for array in (matrix.nodes, matrix.distance_km, matrix.time_h):
        _add_array(digest, array)
    scalars = {
        "format": FORMAT,
        "pyvrp": version("pyvrp"),
        "depot": int(depot),
        "demand": sorted((int(site), float(load).hex()) for site, load in demand.items()),
        "capacity": int(capacity),
        "max_distance_km": None if max_distance_km is None else float(max_distance_km).hex(),
        "seed": int(seed),
        "iterations": int(iterations),
    }
    digest.update(json.dumps(scalars, sort_keys=True).encode())
    return digest.hexdigest()


def _add_array(digest: Any, array: npt.NDArray[Any]) -> None:
    """Hash an array's dtype, shape and bytes, so equal numbers in another dtype or shape hash apart."""
    contiguous = np.ascontiguousarray(array)
    digest.update(f"{contiguous.dtype.str}{contiguous.shape}".encode())
    digest.update(contiguous.tobytes())


def _as_json(route: PlannedRoute) -> dict[str, Any]:
    """A route as plain JSON values; floats round-trip exactly."""
    return {
        "stops": list(route.stops),
        "planned_load": list(route.planned_load),
        "distance_km": route.distance_km,
        "drive_time_h": route.drive_time_h,
    }


def _parsed(content: bytes, key: str) -> tuple[PlannedRoute, ...] | None:
    """The routes of a cache file, or None unless it is well formed, of this format and for ``key``."""
    try:
        document = json.loads(content)
        if document["format"] != FORMAT or document["key"] != key:
            return None
        routes = tuple(
            PlannedRoute(
                stops=tuple(_integers(entry["stops"])),
                planned_load=tuple(_integers(entry["planned_load"])),
                distance_km=float(entry["distance_km"]),
                drive_time_h=float(entry["drive_time_h"]),
            )
            for entry in document["routes"]
        )
    except (ValueError, KeyError, TypeError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    if any(len(route.stops) != len(route.planned_load) or not route.stops for route in routes):
        return None
    return routes


def _integers(values: Any) -> list[int]:
    """``values`` when every one is an int (JSON booleans refused), else ValueError."""
    if not isinstance(values, list) or not all(type(value) is int for value in values):
        raise ValueError("expected a list of integers")
    return values
