"""The route cache: hits return the same plan, bad files are replaced, keys cover every input."""

import json

import numpy as np
import pytest

from simnet.network import TravelMatrix, UnreachableError, plan_routes
from simnet.planning import route_cache as route_cache_module
from simnet.planning import routes as routes_module
from simnet.planning.route_cache import CachedPlanner, RouteCache, default_cache, route_key
from simnet.planning.routes import DEFAULT_ITERATIONS, PlanEveryTime, RouteRequest, plan_ahead

REQUEST = {"depot": 0, "demand": {1: 2.0, 2: 3.0, 3: 40.0}, "capacity": 20, "max_distance_km": 50.0}
ARGS = {**REQUEST, "seed": 4}


def plan_routes_cached(matrix, cache=None, **request):
    """The cached planner with the test's seed, on ``cache`` (the default cache when None)."""
    planner = CachedPlanner(default_cache() if cache is None else cache, PlanEveryTime(seed=4))
    return planner(matrix, **{key: value for key, value in request.items() if key != "seed"})


def line_matrix():
    """Depot at 0 and stops at 1, 3 and 4 km on a line, driven at 30 km/h."""
    x = np.array([0.0, 1.0, 3.0, 4.0])
    distance = np.abs(x[:, None] - x[None, :])
    return TravelMatrix(np.arange(4), distance, distance / 30)


def refuse_planning(*args, **kwargs):
    raise AssertionError("planned although the cache held the routes")


def test_second_call_is_a_hit(tmp_path, monkeypatch):
    """The second call returns the first plan without planning again."""
    cache = RouteCache(tmp_path)
    first = plan_routes_cached(line_matrix(), **ARGS, cache=cache)
    monkeypatch.setattr(routes_module, "plan_routes", refuse_planning)
    assert plan_routes_cached(line_matrix(), **ARGS, cache=cache) == first


def test_cached_plan_equals_a_fresh_plan(tmp_path):
    """Whatever the cache adds, the routes are those plan_routes gives."""
    assert plan_routes_cached(line_matrix(), **ARGS, cache=RouteCache(tmp_path)) == plan_routes(line_matrix(), **ARGS)


def test_plan_survives_on_disk(tmp_path, monkeypatch):
    """A new cache on the same directory (a new process) reads the plan from its JSON file, floats exact."""
    first = plan_routes_cached(line_matrix(), **ARGS, cache=RouteCache(tmp_path))
    assert len(list(tmp_path.glob("*.json"))) == 1
    monkeypatch.setattr(routes_module, "plan_routes", refuse_planning)
    assert plan_routes_cached(line_matrix(), **ARGS, cache=RouteCache(tmp_path)) == first


@pytest.mark.parametrize(
    "damage",
    [
        b"\xff\xfe\x00binary",
        "{not json",
        '{"format": "simnet-routes-1", "key": 1, "routes": [{"stops": [true]}]}',
        json.dumps({"format": "simnet-routes-1", "key": "other", "routes": []}),
        '{"routes": [1]}',
        "[]",
    ],
)
def test_corrupt_file_is_ignored_and_rewritten(tmp_path, damage):
    """A damaged or foreign cache file counts as missing: the plan is made again and the file rewritten."""
    first = plan_routes_cached(line_matrix(), **ARGS, cache=RouteCache(tmp_path))
    (path,) = tmp_path.glob("*.json")
    path.write_bytes(damage.encode("utf-8") if isinstance(damage, str) else damage)
    assert plan_routes_cached(line_matrix(), **ARGS, cache=RouteCache(tmp_path)) == first
    assert json.loads(path.read_text(encoding="utf-8"))["key"] == path.stem


def test_no_temporary_files_are_left(tmp_path):
    """Writing goes through a temporary file that is renamed into place."""
    plan_routes_cached(line_matrix(), **ARGS, cache=RouteCache(tmp_path))
    assert [path.suffix for path in tmp_path.iterdir()] == [".json"]


@pytest.mark.parametrize(
    "change",
    [
        {"seed": 5},
        {"capacity": 21},
        {"max_distance_km": None},
        {"max_distance_km": 50.000001},
        {"demand": {1: 2.0, 2: 3.0, 3: 40.5}},
        {"depot": 1, "demand": {0: 1.0}},
        {"iterations": 7},
    ],
)
def test_every_input_changes_the_key(change):
    """Any input that can change the plan gives another key."""
    base = {**ARGS, "iterations": 100}
    assert route_key(line_matrix(), **base) != route_key(line_matrix(), **{**base, **change})


def test_matrix_changes_the_key():
    """Another distance, time or node order gives another key."""
    base = {**ARGS, "iterations": 100}
    matrix = line_matrix()
    slower = TravelMatrix(matrix.nodes, matrix.distance_km, matrix.distance_km / 29)
    renumbered = TravelMatrix(matrix.nodes + 10, matrix.distance_km, matrix.time_h)
    keys = {route_key(m, **base) for m in (matrix, slower, renumbered)}
    assert len(keys) == 3


def test_default_cache_follows_the_environment(tmp_path, monkeypatch):
    """SIMNET_CACHE_DIR names the directory of the default cache."""
    monkeypatch.setenv("SIMNET_CACHE_DIR", str(tmp_path / "routes"))
    assert default_cache().directory == tmp_path / "routes"
    plan_routes_cached(line_matrix(), **ARGS)
    assert len(list((tmp_path / "routes").glob("*.json"))) == 1


def test_unwritable_cache_still_plans(tmp_path, caplog):
    """A cache directory that cannot be made is logged, and the plan is returned all the same."""
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    routes = plan_routes_cached(line_matrix(), **ARGS, cache=RouteCache(blocked / "routes"))
    assert routes == plan_routes(line_matrix(), **ARGS)
    assert "could not write the route cache" in caplog.text


def forge(path, change):
    """Rewrite a cache file's routes with ``change`` applied to the first route, key and format kept."""
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document["routes"][0])
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda route: route.update(stops=[7] * len(route["stops"])), "not a requested site"),
        (lambda route: route.update(stops=[0] * len(route["stops"])), "not a requested site"),
        (lambda route: route.update(planned_load=[0] * len(route["planned_load"])), "load is outside"),
        (lambda route: route.update(planned_load=[99] * len(route["planned_load"])), "load is outside"),
        (lambda route: route.update(distance_km=route["distance_km"] + 1), "length differs"),
        (lambda route: route.update(stops=route["stops"][:-1], planned_load=route["planned_load"][:-1]), ""),
    ],
)
def test_forged_entry_is_replanned_with_a_warning(tmp_path, caplog, change, problem):
    """A well-formed file whose routes do not fit the request (wrong stops, loads, lengths) is planned again."""
    first = plan_routes_cached(line_matrix(), **ARGS, cache=RouteCache(tmp_path))
    (path,) = tmp_path.glob("*.json")
    forge(path, change)
    assert plan_routes_cached(line_matrix(), **ARGS, cache=RouteCache(tmp_path)) == first
    assert "re-planning routes" in caplog.text
    assert problem in caplog.text
    assert plan_routes_cached(line_matrix(), **ARGS, cache=RouteCache(tmp_path)) == first


def test_inconsistency_accepts_the_plan_it_made():
    """The checks pass on what plan_routes itself returns (so a sound cache is never re-planned)."""
    routes = plan_routes(line_matrix(), **ARGS)
    assert route_cache_module.inconsistency(routes, line_matrix(), **REQUEST) is None


def test_route_beyond_range_is_replanned(tmp_path, caplog):
    """Routes stored under a request's key but longer than its range are not used: planning again says why."""
    cache = RouteCache(tmp_path)
    unlimited = plan_routes(line_matrix(), **{**ARGS, "max_distance_km": None})
    assert max(route.distance_km for route in unlimited) == pytest.approx(8.0)  # depot → 4 km and back
    short = {**ARGS, "max_distance_km": 5.0}
    cache.put(route_key(line_matrix(), **short, iterations=DEFAULT_ITERATIONS), unlimited)
    with pytest.raises(UnreachableError):
        plan_routes_cached(line_matrix(), **short, cache=cache)
    assert "longer than the vehicle's range" in caplog.text


def _requests():
    """Four requests on the line: the test's request at four capacities (each a different plan)."""
    return [
        RouteRequest(line_matrix(), REQUEST["depot"], REQUEST["demand"], capacity, REQUEST["max_distance_km"])
        for capacity in (10, 20, 30, 45)
    ]


@pytest.mark.parametrize("workers", [0, 2], ids=["here", "forked"])
def test_planning_many_at_once_equals_planning_one_by_one(tmp_path, monkeypatch, workers):
    """Forked or not, every request gets the routes plan_routes gives it, is stored, and is told once."""
    monkeypatch.setattr(route_cache_module, "fork_workers", lambda: workers)
    monkeypatch.setattr(route_cache_module, "WORKER_MIN_STOPS", 1)
    planner = CachedPlanner(RouteCache(tmp_path), PlanEveryTime(seed=4))
    told: list[int] = []
    many = planner.plan_many(_requests(), told.append)
    expected = [plan_routes(r.matrix, r.depot, r.demand, r.capacity, r.max_distance_km, seed=4) for r in _requests()]
    assert many == expected
    assert sorted(told) == [0, 1, 2, 3]
    assert len(list(tmp_path.glob("*.json"))) == 4
    monkeypatch.setattr(routes_module, "plan_routes", refuse_planning)
    assert CachedPlanner(RouteCache(tmp_path), PlanEveryTime(seed=4)).plan_many(_requests()) == expected


def test_requests_with_one_key_are_solved_once(tmp_path, monkeypatch):
    """Two equal requests (two carriers' depots with one problem) are solved once; both get the routes, both told."""
    monkeypatch.setattr(route_cache_module, "fork_workers", lambda: 0)
    solved: list[int] = []

    def counted(*args, **kwargs):
        solved.append(1)
        return plan_routes(*args, **kwargs)

    monkeypatch.setattr(routes_module, "plan_routes", counted)
    planner = CachedPlanner(RouteCache(tmp_path), PlanEveryTime(seed=4))
    first, second = _requests()[:2]
    told: list[int] = []
    many = planner.plan_many([first, second, first], told.append)
    assert len(solved) == 2
    assert many[0] == many[2] == plan_routes(first.matrix, first.depot, first.demand, first.capacity,
                                             first.max_distance_km, seed=4)  # fmt: skip
    assert sorted(told) == [0, 1, 2]


def test_a_request_that_cannot_be_planned_is_left_for_its_error(tmp_path, monkeypatch):
    """An unreachable stop gives None at its place; asked again alone, the planner raises its error."""
    monkeypatch.setattr(route_cache_module, "fork_workers", lambda: 2)
    monkeypatch.setattr(route_cache_module, "WORKER_MIN_STOPS", 1)
    planner = CachedPlanner(RouteCache(tmp_path), PlanEveryTime(seed=4))
    too_far = RouteRequest(line_matrix(), 0, {3: 1.0}, 20, 5.0)  # the round trip to stop 3 is 8 km
    results = planner.plan_many([*_requests()[:2], too_far])
    assert results[2] is None
    assert results[:2] == [planner(r.matrix, r.depot, r.demand, r.capacity, r.max_distance_km) for r in _requests()[:2]]
    with pytest.raises(UnreachableError):
        too_far.ask(planner)


def test_a_planner_without_plan_many_plans_nothing_ahead():
    assert plan_ahead(PlanEveryTime(seed=4), _requests()) == [None] * 4
