"""Tests of the located YAML parser (``simnet.scenario.yaml_source``)."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from simnet.scenario import Location, ScenarioError, scenario_from_text
from simnet.scenario.yaml_source import MAX_DEPTH, MAX_TEXT_CHARS, MAX_VALUES, parse_override_value, parse_yaml_text

SOURCE = "s.yaml"


def parse(text: str):
    """The parsed value of ``text``, read as the file ``s.yaml``."""
    value, _ = parse_yaml_text(text, SOURCE)
    return value


def refusal(text: str) -> ScenarioError:
    """The ``ScenarioError`` that parsing ``text`` raises."""
    with pytest.raises(ScenarioError) as excinfo:
        parse_yaml_text(text, SOURCE)
    return excinfo.value


def only_problem(error: ScenarioError):
    """The single problem of ``error``."""
    assert len(error.problems) == 1, str(error)
    return error.problems[0]


# --- locations -------------------------------------------------------------------------------


def test_value_and_key_locations_are_one_based_line_and_column():
    """Each value is located at its own line and column, and a mapping value's key at the key."""
    text = "name: x\nhub:\n  capacity_per_day: 5000\n"
    _, source_map = parse_yaml_text(text, SOURCE)
    place = source_map.places[("hub", "capacity_per_day")]
    assert place.value == Location(SOURCE, 3, 21)
    assert place.key == Location(SOURCE, 3, 3)
    assert source_map.places[("name",)].value == Location(SOURCE, 1, 7)
    assert source_map.places[("name",)].key == Location(SOURCE, 1, 1)


def test_list_items_and_flow_values_are_located():
    """Items of block and flow lists, and values inside flow mappings, have their own columns."""
    text = "carriers:\n  - {id: a, share: 0.5}\n  - {id: b, share: 0.5}\ncutoffs: [2, 4]\n"
    _, source_map = parse_yaml_text(text, SOURCE)
    assert source_map.places[("carriers", 1)].value == Location(SOURCE, 3, 5)
    assert source_map.places[("carriers", 1, "share")].value == Location(SOURCE, 3, 20)
    assert source_map.places[("carriers", 1, "share")].key == Location(SOURCE, 3, 13)
    assert source_map.places[("cutoffs", 1)].value == Location(SOURCE, 4, 14)
    assert source_map.places[("carriers", 0)].key is None


def test_locate_prefers_key_when_asked_and_falls_back_to_nearest_written_ancestor():
    """``locate`` gives the key's place with ``key=True`` and the nearest written ancestor for unwritten paths."""
    _, source_map = parse_yaml_text("hub:\n  capacity_per_day: 5000\n", SOURCE)
    assert source_map.locate(("hub", "capacity_per_day"), key=True) == Location(SOURCE, 2, 3)
    assert source_map.locate(("hub", "capacity_per_day")) == Location(SOURCE, 2, 21)
    assert source_map.locate(("hub", "shifts", 0, "start_h")) == Location(SOURCE, 2, 3)
    assert source_map.locate(("demand",)) == Location(SOURCE, 1, 1)


# --- scalars ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5_000_000", 5_000_000),
        ("5000000", 5_000_000),
        ("-3", -3),
        ("+7", 7),
        ("0x1F", 31),
        ("0o17", 15),
    ],
)
def test_integers_parse_as_int(text, expected):
    """Integers, with underscores, signs, hex and octal, parse as Python ints of the right value."""
    value = parse(f"a: {text}\n")["a"]
    assert type(value) is int
    assert value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5e6", 5e6), ("4.5e6", 4.5e6), ("1.5", 1.5), ("-2.5E-3", -2.5e-3), ("1_000.5", 1000.5), (".5", 0.5)],
)
def test_floats_and_exponent_notation_parse_as_float(text, expected):
    """Decimal and exponent notation (``5e6`` without a dot, as YAML 1.2 allows) parse as floats."""
    value = parse(f"a: {text}\n")["a"]
    assert type(value) is float
    assert value == expected


def test_infinity_and_nan_parse_as_floats():
    """``.inf``, ``-.inf`` and ``.nan`` are the special floats (the models then refuse them)."""
    value = parse("a: .inf\nb: -.inf\nc: .nan\n")
    assert value["a"] == math.inf
    assert value["b"] == -math.inf
    assert math.isnan(value["c"])


@pytest.mark.parametrize(
    "text", ["no", "on", "off", "yes", "y", "n", "NO", "On", "06:30", "6:30", "18:00", "1e", "0b1"]
)
def test_yaml_1_1_booleans_and_clock_times_stay_strings(text):
    """Words YAML 1.1 would turn into booleans or sexagesimal numbers stay the strings written."""
    assert parse(f"a: {text}\n") == {"a": text}


@pytest.mark.parametrize(("text", "expected"), [("true", True), ("False", False), ("TRUE", True)])
def test_core_schema_booleans(text, expected):
    """Only the YAML 1.2 core-schema spellings of true and false are booleans."""
    assert parse(f"a: {text}\n")["a"] is expected


@pytest.mark.parametrize("text", ["a: ~", "a: null", "a: Null", "a:"])
def test_nulls(text):
    """``~``, ``null`` and an empty value are None."""
    assert parse(text + "\n") == {"a": None}


def test_explicit_str_tag_keeps_a_number_as_text():
    """The standard ``!!str`` tag is honoured: ``!!str 5`` is the string '5'."""
    assert parse("a: !!str 5\n") == {"a": "5"}


def test_quoted_scalars_are_strings():
    """Quoted numbers and booleans are strings."""
    assert parse("a: '5e6'\nb: \"true\"\n") == {"a": "5e6", "b": "true"}


def test_integer_too_long_to_convert_is_refused_with_location():
    """A decimal integer beyond Python's conversion limit is a located problem, not a crash."""
    problem = only_problem(refusal("a: " + "1" * 5000 + "\n"))
    assert problem.location == Location(SOURCE, 1, 4)
    assert "number of 5000 characters" in problem.message


# --- duplicate keys and aliases --------------------------------------------------------------


def test_duplicate_key_is_refused_naming_both_lines():
    """A repeated key is refused at the second occurrence, naming the line of the first."""
    error = refusal("a: 1\nb: 2\na: 3\n")
    problem = only_problem(error)
    assert problem.location == Location(SOURCE, 3, 1)
    assert "duplicate key 'a'" in problem.message
    assert "line 1" in problem.message
    assert "s.yaml:3:1" in str(error)


def test_nested_duplicate_key_is_refused_with_its_path():
    """A key repeated inside a nested mapping is refused with the nested path."""
    problem = only_problem(refusal("hub:\n  capacity_per_day: 1\n  capacity_per_day: 2\n"))
    assert problem.location == Location(SOURCE, 3, 3)
    assert problem.path == ("hub", "capacity_per_day")
    assert "line 2" in problem.message


def test_plain_alias_is_expanded():
    """A non-recursive alias expands to a copy of the anchored value."""
    assert parse("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("text", ["a: &x [1, *x]\n", "a: &x {b: *x}\n", "&x [*x]\n"])
def test_recursive_alias_is_refused(text):
    """An alias inside the value it refers to is refused instead of recursing forever."""
    problem = only_problem(refusal(text))
    assert "contains itself" in problem.message
    assert problem.location.line == 1
    assert problem.location.column is not None


def billion_laughs(levels: int = 9, fan_out: int = 10) -> str:
    """A document of ``levels`` anchored lists, each holding ``fan_out`` aliases of the previous."""
    lines = ["l0: &l0 [" + ", ".join(["lol"] * fan_out) + "]"]
    lines += [f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * fan_out) + "]" for level in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly_with_a_location():
    """A 'billion laughs' document (10^9 values through aliases) is refused within seconds, located."""
    start = time.perf_counter()
    error = refusal(billion_laughs())
    elapsed = time.perf_counter() - start
    problem = only_problem(error)
    assert elapsed < 10
    assert f"{MAX_VALUES:,}" in problem.message
    assert "aliases" in problem.message
    assert problem.location.source == SOURCE
    assert problem.location.line is not None
    assert problem.location.column is not None
    assert f"s.yaml:{problem.location.line}:{problem.location.column}" in str(error)


def test_merge_key_does_not_merge():
    """A YAML merge key ``<<`` is not applied: the scenario is refused at the ``<<`` key."""
    text = "name: x\ndemand: {parcels_per_day: 1000}\nbase: &h {capacity_per_day: 5000}\nhub:\n  <<: *h\n"
    with pytest.raises(ScenarioError) as excinfo:
        scenario_from_text(text, SOURCE)
    locations = [str(problem.location) for problem in excinfo.value.problems]
    assert "s.yaml:5:3" in locations
    assert "'<<'" in str(excinfo.value)


def test_complex_key_is_refused():
    """A mapping key that is itself a list is refused at its place."""
    problem = only_problem(refusal("? [a, b]\n: 1\n"))
    assert problem.location.line == 1
    assert "plain names" in problem.message


# --- nesting and size ------------------------------------------------------------------------


def test_nesting_within_the_limit_is_accepted():
    """A list nested 150 levels deep parses to 150 nested lists."""
    value = parse("[" * 150 + "]" * 150)
    depth = 0
    while isinstance(value, list) and value:
        value = value[0]
        depth += 1
    assert depth == 149
    assert value == []


def test_nesting_past_the_depth_limit_is_refused_with_location():
    """A list nested just past the depth limit is refused at the offending value's place."""
    levels = MAX_DEPTH + 20
    problem = only_problem(refusal("[" * levels + "]" * levels))
    assert f"{MAX_DEPTH} levels" in problem.message
    assert problem.location.line == 1
    assert problem.location.column is not None


def test_very_deep_nesting_is_refused_without_recursion_error():
    """5000 nested ``[`` are a ScenarioError, not a RecursionError, and take little time."""
    start = time.perf_counter()
    problem = only_problem(refusal("[" * 5000 + "]" * 5000))
    assert time.perf_counter() - start < 20
    assert f"{MAX_DEPTH} levels" in problem.message
    assert problem.location.source == SOURCE


def test_unclosed_deep_nesting_is_refused():
    """5000 unclosed ``[`` are refused as a ScenarioError."""
    error = refusal("[" * 5000)
    assert only_problem(error).location.source == SOURCE


def test_oversized_text_is_refused_before_parsing():
    """Text longer than the size limit is refused at once, naming the file."""
    problem = only_problem(refusal("#" * (MAX_TEXT_CHARS + 1)))
    assert problem.location == Location(SOURCE)
    assert "characters" in problem.message


# --- tags ------------------------------------------------------------------------------------


def test_python_object_tag_is_refused_and_runs_nothing(tmp_path: Path):
    """``!!python/object/apply:os.system`` is refused at its place and the command never runs."""
    marker = tmp_path / "ran"
    error = refusal(f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    problem = only_problem(error)
    assert problem.location == Location(SOURCE, 1, 4)
    assert "unsupported YAML tag" in problem.message
    assert "python/object/apply" in problem.message
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        "a: !!binary aGVsbG8=\n",
        "a: !!timestamp 2024-01-01\n",
        "a: !!set {x, y}\n",
        "a: !!omap [x: 1]\n",
        "a: !custom 5\n",
        "a: !!python/name:os.system\n",
        "a: !!python/object:os.system {}\n",
    ],
)
def test_other_unsupported_tags_are_refused_at_their_place(text):
    """Binary, timestamp, set, ordered-map, local and python tags are refused at column 4 of line 1."""
    problem = only_problem(refusal(text))
    assert problem.location == Location(SOURCE, 1, 4)
    assert "unsupported YAML tag" in problem.message


def test_unquoted_date_stays_a_string():
    """A date without a tag is a plain string (no implicit timestamps)."""
    assert parse("a: 2024-11-11\n") == {"a": "2024-11-11"}


# --- documents -------------------------------------------------------------------------------


def test_multiple_documents_are_refused_at_the_second():
    """A file with two YAML documents is refused at the start of the second."""
    problem = only_problem(refusal("a: 1\n---\nb: 2\n"))
    assert problem.location == Location(SOURCE, 3, 1)
    assert "more than one YAML document" in problem.message


def test_single_document_with_start_marker_is_accepted():
    """A single document that begins with ``---`` (and ends with ``...``) is fine."""
    assert parse("---\na: 1\n...\n") == {"a": 1}


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# only a comment\n"])
def test_empty_file_is_refused_at_line_1(text):
    """A file with no document is refused at 1:1 with an example of what to write."""
    problem = only_problem(refusal(text))
    assert problem.location == Location(SOURCE, 1, 1)
    assert "empty" in problem.message
    assert "name:" in problem.message


@pytest.mark.parametrize(
    ("text", "found"),
    [("- 1\n- 2\n", "a list"), ("just text\n", "a single text value"), ("42\n", "a single value"), ("~\n", "null")],
)
def test_non_mapping_top_level_is_refused(text, found):
    """A document whose top level is a list, a scalar or null is refused at 1:1, saying what kind was found.

    The message never quotes the file's content: the file may not be a scenario at all.
    """
    with pytest.raises(ScenarioError) as excinfo:
        scenario_from_text(text, SOURCE)
    problem = only_problem(excinfo.value)
    assert problem.location == Location(SOURCE, 1, 1)
    assert "mapping" in problem.message
    assert found in problem.message
    assert "just text" not in problem.message
    assert "42" not in problem.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: x\nhub:\n\tcapacity_per_day: 5\n", 3),
        ("name: [x\n", 2),
        ("a: {b: 1\nc: 2\n", 2),
        ("a: 'unterminated\n", 2),
        ("a: b: c\n", 1),
        ("a:\n  - 1\n  b: 2\n", 3),
    ],
)
def test_syntax_errors_are_located(text, line):
    """Broken YAML (tabs, unbalanced brackets or quotes, bad indentation) is refused at the line of the problem."""
    problem = only_problem(refusal(text))
    assert problem.message.startswith("not valid YAML")
    assert problem.location.source == SOURCE
    assert problem.location.line == line
    assert problem.location.column is not None


def test_control_characters_are_refused():
    """A NUL byte in the text is a ScenarioError naming the file."""
    problem = only_problem(refusal("a: x\x00y\n"))
    assert problem.location.source == SOURCE
    assert "not valid YAML" in problem.message


# --- override values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4e6", 4e6), ("5_000", 5000), ("06:30", "06:30"), ("no", "no"), ("[1, 2]", [1, 2]), ("", None), ("  ", None)],
)
def test_override_values_follow_file_rules(text, expected):
    """``--set`` values are parsed with the same scalar rules as files; an empty value is null."""
    assert parse_override_value(text, "--set a=" + text) == expected


def test_bad_override_value_is_located_at_the_override():
    """A broken ``--set`` value is refused with the override as the location's source."""
    with pytest.raises(ScenarioError) as excinfo:
        parse_override_value("[1, 2", "--set a=[1, 2")
    assert only_problem(excinfo.value).location.source == "--set a=[1, 2"
