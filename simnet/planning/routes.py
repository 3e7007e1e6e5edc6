"""Route planners the plan builder is handed: planning every time, or through a cache of earlier plans."""

from __future__ import annotations

from collections.abc import Mapping
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
