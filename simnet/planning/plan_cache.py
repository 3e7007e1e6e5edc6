"""Static plans kept in this process and on disk, keyed by the scenario sections they are built from."""

from __future__ import annotations

import dataclasses
import json
from collections import OrderedDict
from collections.abc import Callable

from simnet.planning.hubs import plan_key_of_hubs
from simnet.planning.plan import StaticPlan, build_plan
from simnet.planning.plan_store import PlanStore, store_key
from simnet.planning.route_cache import CachedPlanner
from simnet.planning.routes import RoutePlanner
from simnet.scenario.models import Scenario

PLAN_SECTIONS = {"network", "carriers", "parks", "service", "fleets", "vehicle_types"}
"""Scenario sections the static plan (city, routes, who delivers what) is built from."""

MEMORY_PLANS = 8
"""Plans kept per process, least recently used dropped first (a baseline plan holds tens of megabytes)."""

_PLANS: OrderedDict[str, StaticPlan] = OrderedDict()


def plan_key(scenario: Scenario) -> str:
    """The plan inputs of a scenario as one string: its plan sections and its expected rural volume."""
    inputs = scenario.model_dump(mode="json", include=PLAN_SECTIONS)
    inputs["rural_parcels_per_day"] = scenario.demand.parcels_per_day * scenario.demand.rural_share
    if scenario.bus_lines is not None:
        inputs["bus_lines"] = scenario.bus_lines.model_dump(mode="json")
    inputs["hubs"] = plan_key_of_hubs(scenario)
    inputs["shippers"] = [shipper.model_dump(mode="json") for shipper in scenario.shippers]
    return json.dumps(inputs, sort_keys=True)


def plan_for(
    scenario: Scenario, routes: RoutePlanner, on_route_plan: Callable[[str], None] | None = None
) -> StaticPlan:
    """The static plan of a scenario, built once for every scenario that shares its plan inputs.

    Routes depend on the plan sections, the hubs' places, counties and trunk types, and the expected rural
    volume only; scenarios that differ in anything else (seed, hub capacity, costs, horizon) reuse the plan,
    each carrying its own scenario and its own hubs' facilities and shares (``HubPlan.for_scenario``). A plan
    is looked for in this process, then (for a planner with a route cache) in the ``plans`` folder of
    that cache, and built only when in neither.
    """
    key = plan_key(scenario)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _stored_or_built(key, scenario, routes, on_route_plan)
    _PLANS.move_to_end(key)
    while len(_PLANS) > MEMORY_PLANS:
        _PLANS.popitem(last=False)
    return dataclasses.replace(plan, scenario=scenario, hubs=tuple(hub.for_scenario(scenario) for hub in plan.hubs))


def _stored_or_built(
    key: str, scenario: Scenario, routes: RoutePlanner, on_route_plan: Callable[[str], None] | None
) -> StaticPlan:
    """The plan from the route cache's plan store when there is one holding it, else built (and stored)."""
    if not isinstance(routes, CachedPlanner):
        return build_plan(scenario, routes, on_route_plan)
    store = PlanStore(routes.cache.directory / "plans")
    stored_key = store_key(key, f"{routes.planner.seed}:{routes.planner.iterations}")
    plan = store.get(stored_key)
    if plan is None:
        plan = build_plan(scenario, routes, on_route_plan)
        store.put(stored_key, plan)
    return plan
