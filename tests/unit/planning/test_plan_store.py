"""Whole plans on disk: a later process reads the plan instead of planning; damaged or foreign plans are rebuilt."""

import logging

import numpy as np

from simnet.planning import plan_cache, plan_store
from simnet.planning.route_cache import CachedPlanner, RouteCache
from simnet.scenario import scenario_from_text
from tests.unit.planning.test_flows import CITY
from tests.unit.planning.test_plan_cache import CountingPlanner


def _fresh_process(monkeypatch):
    """Forget the plans and routes kept in memory, as a new process would."""
    monkeypatch.setattr(plan_cache, "_PLANS", type(plan_cache._PLANS)())


def _plan(directory, scenario):
    return plan_cache.plan_for(scenario, CachedPlanner(RouteCache(directory), CountingPlanner()))


def _same_routes(first, second):
    assert [point.name for point in first.points] == [point.name for point in second.points]
    for one, other in zip(first.points, second.points, strict=True):
        np.testing.assert_array_equal(one.tour, other.tour)
        assert one.routes == other.routes


def test_a_stored_plan_is_read_without_planning(monkeypatch, tmp_path):
    """The second process plans no route and gets the same points and routes, carrying its own scenario."""
    _fresh_process(monkeypatch)
    first = _plan(tmp_path, scenario_from_text(CITY, "a.yaml"))
    assert len(list((tmp_path / "plans").glob("*.plan"))) == 1
    _fresh_process(monkeypatch)
    calls = CountingPlanner.calls
    other = scenario_from_text(CITY, "b.yaml", ["seed=7"])
    second = _plan(tmp_path, other)
    assert CountingPlanner.calls == calls
    assert second.scenario is other
    _same_routes(first, second)


def test_a_damaged_plan_is_rebuilt_with_a_warning(monkeypatch, tmp_path, caplog):
    """A truncated plan file fails its checksum: the plan is built again (from the route cache) and rewritten."""
    _fresh_process(monkeypatch)
    first = _plan(tmp_path, scenario_from_text(CITY, "a.yaml"))
    (stored,) = (tmp_path / "plans").glob("*.plan")
    stored.write_bytes(stored.read_bytes()[:-100])
    _fresh_process(monkeypatch)
    with caplog.at_level(logging.WARNING):
        second = _plan(tmp_path, scenario_from_text(CITY, "a.yaml"))
    assert "damaged" in caplog.text
    _same_routes(first, second)
    assert plan_store.PlanStore(tmp_path / "plans").get(stored.stem) is not None


def test_other_code_or_other_inputs_use_other_files(monkeypatch, tmp_path):
    """Changing the code's fingerprint or a plan input gives a new key, so an old plan is never read."""
    inputs = plan_cache.plan_key(scenario_from_text(CITY, "a.yaml"))
    key = plan_store.store_key(inputs, "1:100")
    assert plan_store.store_key(inputs, "2:100") != key
    busier = plan_cache.plan_key(scenario_from_text(CITY, "a.yaml", ["demand.parcels_per_day=4000"]))
    assert plan_store.store_key(busier, "1:100") != key
    monkeypatch.setattr(plan_store, "code_fingerprint", lambda: "other code")
    assert plan_store.store_key(inputs, "1:100") != key
