"""Route planners: planning every time gives plan_routes' answer with the plan seed."""

from simnet.network.routing import plan_routes
from simnet.planning.routes import ROUTE_SEED, PlanEveryTime
from tests.unit.planning.test_route_cache import REQUEST, line_matrix


def test_plan_every_time_is_plan_routes_with_the_plan_seed():
    """PlanEveryTime() answers a request exactly as plan_routes does with ROUTE_SEED."""
    assert PlanEveryTime()(line_matrix(), **REQUEST) == plan_routes(line_matrix(), **REQUEST, seed=ROUTE_SEED)


def test_seed_and_iterations_are_passed_on():
    """Another seed or iteration count is what plan_routes gets."""
    planner = PlanEveryTime(seed=4, iterations=50)
    assert planner(line_matrix(), **REQUEST) == plan_routes(line_matrix(), **REQUEST, seed=4, iterations=50)
