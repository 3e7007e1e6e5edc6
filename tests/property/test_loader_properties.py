"""Property tests of scenario loading: any input gives a Scenario or a located ScenarioError, nothing else."""

from __future__ import annotations

import copy
import typing
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from simnet.scenario import Scenario, ScenarioError, load, resolved_yaml, scenario_from_text

SOURCE = "s.yaml"
BASE_TEXT = "name: x\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"
BASE_WITH_LISTS = BASE_TEXT + "carriers:\n  - {id: a, name: A, share: 0.5}\n  - {id: b, name: B, share: 0.5}\n"
BASE_DATA: dict[str, Any] = {
    "name": "x",
    "demand": {"parcels_per_day": 1000},
    "hub": {"capacity_per_day": 5000},
}

PROPERTY_SETTINGS = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _model_keys(model: type[BaseModel], seen: set[type]) -> set[str]:
    """Every field name and alias of ``model`` and of the models nested in its fields."""
    if model in seen:
        return set()
    seen.add(model)
    keys: set[str] = set()
    for name, info in model.model_fields.items():
        keys.add(name)
        if info.alias:
            keys.add(info.alias)
        keys |= _annotation_keys(info.annotation, seen)
    return keys


def _annotation_keys(annotation: Any, seen: set[type]) -> set[str]:
    """Field names of the models reachable through ``annotation`` (unions, tuples, dicts, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model_keys(annotation, seen)
    keys: set[str] = set()
    for argument in typing.get_args(annotation):
        keys |= _annotation_keys(argument, seen)
    return keys


REAL_KEYS = sorted(_model_keys(Scenario, set()) | {"extends", "kind", "diesel_van", "van", "expressway"})
"""Every key a scenario may contain, so generated documents reach deep validation."""

SECTIONS = sorted(Scenario.model_fields)

REAL_PATHS = [
    "name",
    "seed",
    "horizon_days",
    "hub.capacity_per_day",
    "hub.sorting_lines",
    "hub.shifts",
    "hub.shifts.0.start_h",
    "hub.dispatch_cutoffs_h",
    "hub.breakdowns.repair_time_h.kind",
    "demand.parcels_per_day",
    "demand.hourly_profile",
    "demand.hourly_profile.3",
    "demand.peak_days",
    "carriers",
    "carriers.0.share",
    "carriers.1.id",
    "carriers.5.share",
    "network.generate.counties",
    "network.generate",
    "network.counties",
    "parks.consolidated_share",
    "parks.consolidated_carriers",
    "service.delivery_weekdays",
    "vehicle_types.diesel_van.capacity_parcels",
    "vehicle_types.ev_van.energy.kind",
    "fleets.park.vehicle_type",
    "fleets.park.count",
    "costs.handling_cny_per_parcel.hub",
    "extends",
]

YAMLISH_FRAGMENTS = [
    ":",
    ": ",
    "-",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a",
    "*a",
    "&b ",
    "*b",
    "!",
    "!!",
    "!!str ",
    "!!binary ",
    "!!python/object/apply:os.system ",
    "|",
    ">",
    "'",
    '"',
    "#",
    "\n",
    "\n  ",
    "\n    ",
    " ",
    "\t",
    "---\n",
    "...\n",
    "? ",
    "<<: ",
    "~",
    "null",
    "true",
    "no",
    "on",
    "06:30",
    "5e6",
    "5_000_000",
    "0x1F",
    "-1",
    "0",
    ".inf",
    ".nan",
    "1e999",
    "%YAML 1.2\n",
    "中通",
    *REAL_KEYS,
]

yamlish_text = st.lists(st.sampled_from(YAMLISH_FRAGMENTS), max_size=40).map("".join)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["06:30", "25:99", "diesel", "electric", "exponential", "zto", "mon", "village", "hub", "5e6"])
)
keys = st.sampled_from(REAL_KEYS) | st.text(max_size=12)
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=25,
)


def deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """``top`` merged over ``base``: mappings merge key by key, anything else replaces."""
    merged = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


NETWORK_TEXT = """\
network:
  counties:
    - id: c1
      park: {x_km: 10, y_km: 0}
      towns:
        - id: t1
          x_km: 15
          y_km: 0
          villages: [{id: v1, x_km: 16, y_km: 0}, {id: v2, x_km: 17, y_km: 1}]
  roads:
    - {from: hub, to: c1, road_class: expressway}
    - {from: c1, to: t1, road_class: county}
    - {from: t1, to: v1, road_class: village}
    - {from: t1, to: v2, road_class: village}
hub:
  capacity_per_day: 5000
  breakdowns: {repair_time_h: {kind: uniform, low: 1, high: 3}}
demand: {parcels_per_day: 1000, peak_days: [{day: 2, multiplier: 3}]}
parks: {consolidated_carriers: [zto, yto], consolidated_share: null}
service: {deliveries_per_week: 2, delivery_weekdays: [mon, thu]}
name: rich
"""
RESOLVED_DOCUMENTS = [
    yaml.safe_load(resolved_yaml(scenario_from_text(BASE_TEXT))),
    yaml.safe_load(resolved_yaml(scenario_from_text(NETWORK_TEXT))),
]
"""Fully written valid scenarios; mutating one value at a time reaches the cross-field rules."""


def _all_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``node``."""
    paths = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            paths += _all_paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            paths += _all_paths(value, (*path, index))
    return paths


def _set_at(document: Any, path: tuple[Any, ...], value: Any) -> None:
    """Replace the value at ``path`` in ``document`` (if the path still exists)."""
    cursor = document
    for step in path[:-1]:
        try:
            cursor = cursor[step]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(cursor, dict) or (isinstance(cursor, list) and isinstance(path[-1], int) and path[-1] < len(cursor)):
        cursor[path[-1]] = value


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid resolved scenario with one to three values replaced by arbitrary ones."""
    index = draw(st.sampled_from(range(len(RESOLVED_DOCUMENTS))))
    document = copy.deepcopy(RESOLVED_DOCUMENTS[index])
    paths = _all_paths(document)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        _set_at(document, draw(st.sampled_from(paths)), draw(documents))
    return document


scenario_documents = st.one_of(
    documents,
    st.dictionaries(st.sampled_from(SECTIONS), documents, max_size=4).map(lambda top: deep_merge(BASE_DATA, top)),
    st.dictionaries(keys, documents, max_size=6).map(lambda top: deep_merge(BASE_DATA, top)),
    mutated_documents(),
)

path_segments = st.sampled_from([*REAL_KEYS, "0", "1", "2", "99", "-1", "²", "٣", "x"]) | st.text(max_size=8)
override_paths = st.sampled_from(REAL_PATHS) | st.lists(path_segments, min_size=1, max_size=5).map(".".join)
override_values = (
    st.sampled_from(
        [
            "4e6",
            "0",
            "-1",
            "",
            "null",
            "[",
            "[1, 2",
            "{a: 1}",
            "[1, 2, 3]",
            "06:30",
            "no",
            "*a",
            "&a [*a]",
            "!!binary x",
        ]
    )
    | st.sampled_from(YAMLISH_FRAGMENTS)
    | yamlish_text
    | st.text(max_size=20)
)
plausible_values = st.sampled_from(
    [
        "4e6",
        "1",
        "0.5",
        "2",
        "18",
        "06:30",
        "null",
        "zto",
        "ev_van",
        "[mon, thu]",
        "[2, 4]",
        "{kind: exponential, mean: 2}",
    ]
)
overrides = st.lists(
    st.tuples(st.sampled_from(REAL_PATHS), plausible_values).map(lambda pair: f"{pair[0]}={pair[1]}")
    | st.tuples(override_paths, override_values).map(lambda pair: f"{pair[0]}={pair[1]}")
    | st.text(max_size=20),
    max_size=4,
)


def check_outcome(text: str, sets: list[str], source: str = SOURCE) -> None:
    """Loading ``text`` gives a Scenario, or a ScenarioError whose problems are all well located."""
    try:
        result = scenario_from_text(text, source, sets)
    except ScenarioError as error:
        check_problems(error, source, sets)
    else:
        event("Scenario")
        assert isinstance(result, Scenario)


def _kind_of_problem(message: str) -> str:
    """A coarse class of a problem message, to report how deep generated inputs get."""
    if message.startswith("not valid YAML"):
        return "YAML syntax"
    if "override" in message or ("list" in message and "index" in message):
        return "override"
    if message.startswith(("the file", "a scenario must", "unsupported YAML tag", "duplicate key", "mapping keys")):
        return "document shape"
    return "validation"


def check_problems(error: ScenarioError, source: str, sets: list[str]) -> None:
    """Every problem has a message and a location in the file or one of the ``--set`` arguments."""
    allowed = {source, *(f"--set {override}" for override in sets)}
    assert error.problems
    event(f"ScenarioError: {_kind_of_problem(error.problems[0].message)}")
    for problem in error.problems:
        assert problem.message.strip(), error
        assert problem.location.source in allowed, (problem.location, allowed)
        if problem.location.line is not None:
            assert problem.location.line >= 1
            assert problem.location.column is not None
            assert problem.location.column >= 1
    assert str(error)


@PROPERTY_SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_text_gives_scenario_or_scenario_error(text):
    """(a) Any text is a Scenario or a ScenarioError, never another exception."""
    check_outcome(text, [])


@PROPERTY_SETTINGS
@given(yamlish_text, st.booleans())
def test_yamlish_fragments_give_scenario_or_scenario_error(text, after_base):
    """(a) Text built from YAML punctuation and scenario keys is a Scenario or a ScenarioError."""
    check_outcome(BASE_TEXT + text if after_base else text, [])


@PROPERTY_SETTINGS
@given(scenario_documents)
def test_arbitrary_yaml_documents_give_scenario_or_scenario_error(document):
    """(b) Any YAML document of mappings, lists and scalars is a Scenario or a ScenarioError."""
    check_outcome(yaml.safe_dump(document, allow_unicode=True), [])


@PROPERTY_SETTINGS
@given(overrides, st.booleans())
def test_arbitrary_overrides_give_scenario_or_scenario_error(sets, with_lists):
    """(c) Any ``--set`` overrides on a valid scenario give a Scenario or a ScenarioError."""
    check_outcome(BASE_WITH_LISTS if with_lists else BASE_TEXT, sets)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_documents, overrides)
def test_problems_from_files_are_located_in_the_file_or_a_set(tmp_path_factory, document, sets):
    """(d) Problems of a file with overrides each have a message and a location in that file or a ``--set``."""
    path = Path(tmp_path_factory.mktemp("prop")) / "scenario.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    try:
        result = load(path, sets)
    except ScenarioError as error:
        check_problems(error, str(path), sets)
    else:
        event("Scenario")
        assert isinstance(result.scenario, Scenario)
