"""Route planners the plan builder is handed: planning every time, or through a cache of earlier plans."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from simnet.network.paths import TravelMatrix
from simnet.network.routing import DEFAULT_ITERATIONS, PlannedRoute, plan_routes

ROUTE_SEED = 1
"""Seed of the route planner; routes are part of the scenario, not of a replication."""


class RoutePlanner(Protocol):
    """Plans the routes of one dispatch point for its expected load (see ``network.routing.plan_routes``)."""

    def __call__(
        self,
        matrix: TravelMatrix,
        depot: int,
        demand: Mapping[int, float],
        capacity: int,
        max_distance_km: float | None,
    ) -> tuple[PlannedRoute, ...]:
        """Routes from ``depot`` carrying each stop's expected ``demand`` within capacity and range."""
        ...


class PlanEveryTime:
    """A route planner with no memory: PyVRP solves every request (tests, one-off studies)."""

    def __init__(self, seed: int = ROUTE_SEED, iterations: int = DEFAULT_ITERATIONS) -> None:
        self.seed = seed
        self.iterations = iterations

    def __call__(
        self,
        matrix: TravelMatrix,
        depot: int,
        demand: Mapping[int, float],
        capacity: int,
        max_distance_km: float | None,
    ) -> tuple[PlannedRoute, ...]:
        """Solve the request with PyVRP."""
        return plan_routes(matrix, depot, demand, capacity, max_distance_km, self.seed, self.iterations)


@dataclass(frozen=True)
class RouteRequest:
    """One dispatch point's routing problem, as a ``RoutePlanner`` is asked it."""

    matrix: TravelMatrix
    depot: int
    demand: Mapping[int, float]
    capacity: int
    max_distance_km: float | None

    def ask(self, planner: RoutePlanner) -> tuple[PlannedRoute, ...]:
        """The planner's routes for this request."""
        return planner(self.matrix, self.depot, self.demand, self.capacity, self.max_distance_km)


Planned = Callable[[int], None]
"""Told the index of each request whose routes are ready."""


def plan_ahead(
    planner: RoutePlanner, requests: Sequence[RouteRequest], planned: Planned | None = None
) -> list[tuple[PlannedRoute, ...] | None]:
    """Each request's routes, planned at once where the planner can (its ``plan_many``); else all None.

    None also marks a request whose planning failed: asking the planner again, in order, raises its
    error where the caller can say which part of the scenario it concerns.
    """
    plan_many = getattr(planner, "plan_many", None)
    if plan_many is None:
        return [None] * len(requests)
    results: list[tuple[PlannedRoute, ...] | None] = plan_many(requests, planned)
    return results
