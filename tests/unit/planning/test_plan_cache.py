"""The plan cache: one plan per set of plan inputs, each caller's own scenario carried."""

from simnet.planning import PlanEveryTime, plan_cache
from simnet.scenario import scenario_from_text
from tests.unit.planning.test_flows import CITY


class CountingPlanner(PlanEveryTime):
    """PyVRP planning that counts its requests."""

    calls = 0

    def __call__(self, *args, **kwargs):
        CountingPlanner.calls += 1
        return super().__call__(*args, **kwargs)


def test_same_plan_inputs_share_one_plan(monkeypatch):
    """A new seed or hub capacity reuses the plan (no planning), with the new scenario in it."""
    monkeypatch.setattr(plan_cache, "_PLANS", type(plan_cache._PLANS)())
    planner = CountingPlanner()
    first = plan_cache.plan_for(scenario_from_text(CITY, "a.yaml"), planner)
    calls = CountingPlanner.calls
    other = scenario_from_text(CITY, "b.yaml", ["seed=99", "hub.capacity_per_day=9000"])
    second = plan_cache.plan_for(other, planner)
    assert CountingPlanner.calls == calls
    assert second.points is first.points
    assert second.scenario is other


def test_other_plan_inputs_plan_again(monkeypatch):
    """Another parcel volume or consolidation is another plan."""
    monkeypatch.setattr(plan_cache, "_PLANS", type(plan_cache._PLANS)())
    planner = CountingPlanner()
    first = plan_cache.plan_for(scenario_from_text(CITY, "a.yaml"), planner)
    busier = plan_cache.plan_for(scenario_from_text(CITY, "a.yaml", ["demand.parcels_per_day=4000"]), planner)
    assert busier.points is not first.points


def test_memory_is_bounded(monkeypatch):
    """At most MEMORY_PLANS plans stay in memory, the least recently used dropped first."""
    monkeypatch.setattr(plan_cache, "_PLANS", type(plan_cache._PLANS)())
    monkeypatch.setattr(plan_cache, "MEMORY_PLANS", 2)
    planner = PlanEveryTime()
    for volume in (1000, 2000, 3000):
        plan_cache.plan_for(scenario_from_text(CITY, "a.yaml", [f"demand.parcels_per_day={volume}"]), planner)
    assert len(plan_cache._PLANS) == 2
