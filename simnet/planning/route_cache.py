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
import os
import tempfile
from collections import OrderedDict
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from simnet.network.paths import TravelMatrix
from simnet.network.routing import PlannedRoute, whole_parcels
from simnet.planning.routes import PlanEveryTime

_LOG = logging.getLogger(__name__)

CACHE_DIR_VARIABLE = "SIMNET_CACHE_DIR"
"""Environment variable naming the cache directory; ``~/.cache/simnet/routes`` when unset."""

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
            _write_atomically(self.directory / f"{key}.json", json.dumps(document))
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
    directory = Path(os.environ.get(CACHE_DIR_VARIABLE) or Path.home() / ".cache" / "simnet" / "routes")
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
        key = route_key(
            matrix,
            depot=depot,
            demand=demand,
            capacity=capacity,
            max_distance_km=max_distance_km,
            seed=self.planner.seed,
            iterations=self.planner.iterations,
        )
        routes = self.cache.get(key)
        if routes is not None:
            problem = inconsistency(routes, matrix, depot, demand, capacity, max_distance_km)
            if problem is None:
                return routes
            _LOG.warning("re-planning routes: the cached plan %s does not fit its request (%s)", key[:12], problem)
        routes = self.planner(matrix, depot, demand, capacity, max_distance_km)
        self.cache.put(key, routes)
        return routes


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


def _write_atomically(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` whole or not at all: a temporary file beside it, then a rename."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
