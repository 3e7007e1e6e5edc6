"""The route cache: hits return the same plan, bad files are replaced, keys cover every input."""

import json

import numpy as np
import pytest

from simnet.network import RouteCache, TravelMatrix, plan_routes, plan_routes_cached
from simnet.network import route_cache as route_cache_module
from simnet.network.route_cache import default_cache, route_key

ARGS = {"depot": 0, "demand": {1: 2.0, 2: 3.0, 3: 40.0}, "capacity": 20, "max_distance_km": 50.0, "seed": 4}


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
    monkeypatch.setattr(route_cache_module, "plan_routes", refuse_planning)
    assert plan_routes_cached(line_matrix(), **ARGS, cache=cache) == first


def test_cached_plan_equals_a_fresh_plan(tmp_path):
    """Whatever the cache adds, the routes are those plan_routes gives."""
    assert plan_routes_cached(line_matrix(), **ARGS, cache=RouteCache(tmp_path)) == plan_routes(line_matrix(), **ARGS)


def test_plan_survives_on_disk(tmp_path, monkeypatch):
    """A new cache on the same directory (a new process) reads the plan from its JSON file, floats exact."""
    first = plan_routes_cached(line_matrix(), **ARGS, cache=RouteCache(tmp_path))
    assert len(list(tmp_path.glob("*.json"))) == 1
    monkeypatch.setattr(route_cache_module, "plan_routes", refuse_planning)
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
