"""The static plan: dispatch points and their routes, the flows between them, and the caches that keep them."""

from simnet.planning.flows import Flows
from simnet.planning.plan import DispatchPlan, StaticPlan, build_plan
from simnet.planning.plan_cache import plan_for
from simnet.planning.route_cache import CachedPlanner, RouteCache, default_planner
from simnet.planning.routes import PlanEveryTime, RoutePlanner

__all__ = [
    "CachedPlanner",
    "DispatchPlan",
    "Flows",
    "PlanEveryTime",
    "RouteCache",
    "RoutePlanner",
    "StaticPlan",
    "build_plan",
    "default_planner",
    "plan_for",
]
