"""The plan builder plans every dispatch point's routes through the planner its caller hands it."""

from simnet.network.routing import plan_routes
from simnet.planning import PlanEveryTime, build_plan
from simnet.scenario import scenario_from_text
from tests.unit.planning.test_flows import CITY


class RecordingPlanner:
    """Plans with PyVRP and remembers each request's depot and stops."""

    def __init__(self):
        self.requests = []

    def __call__(self, matrix, depot, demand, capacity, max_distance_km):
        self.requests.append((depot, tuple(sorted(demand))))
        return plan_routes(matrix, depot, demand, capacity, max_distance_km, seed=1)


def test_every_point_is_planned_by_the_given_planner():
    """One request per dispatch point, from its depot over exactly its stops, in the order of plan.points."""
    planner = RecordingPlanner()
    named = []
    plan = build_plan(scenario_from_text(CITY, "plan.yaml"), planner, on_route_plan=named.append)
    assert [p.name for p in plan.points] == named
    assert planner.requests == [
        (point.depot_site, tuple(sorted({site for route in point.routes for site in route.stops})))
        for point in plan.points
    ]


def test_points_in_order_parks_towns_depots():
    """plan.points lists parks, then town stations, then depots; each tier's county order kept."""
    scenario = scenario_from_text(CITY, "plan.yaml", ["parks.consolidated_share=0.5", "service.last_mile=two_leg"])
    plan = build_plan(scenario, PlanEveryTime())
    tiers = [point.tier for point in plan.points]
    assert tiers == sorted(tiers, key=("park", "town", "depot").index)
    assert [p.county for p in plan.points if p.tier == "park"] == [0, 1]


def test_sorting_rate_by_tier():
    """Parks sort at the park line's rate, depots at the depot rate; town stations have no line."""
    scenario = scenario_from_text(CITY, "plan.yaml", ["parks.consolidated_share=0.5", "service.last_mile=two_leg"])
    plan = build_plan(scenario, PlanEveryTime())
    rates = {point.tier: point.sorting_rate_per_h for point in plan.points}
    assert rates == {
        "park": scenario.parks.sorting_rate_per_h,
        "town": None,
        "depot": scenario.parks.depot_sorting_rate_per_h,
    }
