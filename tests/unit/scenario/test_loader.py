"""Tests of scenario loading: located errors, ``extends``, ``--set`` overrides and the resolved dump."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from simnet.scenario import Location, Scenario, ScenarioError, load, load_scenario, resolved_yaml, scenario_from_text

MINIMAL = "name: x\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"
"""The smallest valid scenario; its three lines are lines 1–3 of every file below that starts with it."""

MINIMAL_BLOCK_HUB = "name: x\ndemand: {parcels_per_day: 1000}\nhub:\n  capacity_per_day: 5000\n"

ONE_VAN = """\
name: x
demand: {parcels_per_day: 1000}
hub: {capacity_per_day: 5000}
vehicle_types:
  van:
    capacity_parcels: 450
    speed_kmh: {county: 40, village: 20}
    cost_per_day_cny: 100
    cost_per_km_cny: 0.5
    driver_cost_per_h_cny: 30
    energy: {kind: diesel, litres_per_100km: 10}
fleets:
  trunk: {vehicle_type: van}
  park: {vehicle_type: van}
  town: {vehicle_type: van}
  depot: {vehicle_type: van}
"""
"""A scenario with a single vehicle type used by every fleet; ``capacity_parcels`` is on line 6, column 23."""

NETWORK = """\
name: x
demand: {parcels_per_day: 1000}
hub: {capacity_per_day: 5000}
network:
  counties:
    - id: c1
      park: {x_km: 10, y_km: 0}
      towns:
        - id: t1
          x_km: 15
          y_km: 0
          villages:
            - {id: v1, x_km: 16, y_km: 0}
            - {id: v2, x_km: 17, y_km: 1}
  roads:
    - {from: hub, to: c1, road_class: expressway}
    - {from: c1, to: t1, road_class: county}
    - {from: t1, to: v1, road_class: village}
"""
"""An explicit network whose village v2 (id on line 14, column 20) has no road."""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    """Write ``text`` to ``folder/name`` (creating folders) and return the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path, overrides: tuple[str, ...] = ()) -> ScenarioError:
    """The ``ScenarioError`` raised by loading ``path`` with ``overrides``."""
    with pytest.raises(ScenarioError) as excinfo:
        load(path, overrides)
    return excinfo.value


def text_error(text: str, overrides: tuple[str, ...] = ()) -> ScenarioError:
    """The ``ScenarioError`` raised by ``scenario_from_text(text, 's.yaml', overrides)``."""
    with pytest.raises(ScenarioError) as excinfo:
        scenario_from_text(text, "s.yaml", overrides)
    return excinfo.value


def problem_at(error: ScenarioError, where: str):
    """The problem of ``error`` located at ``where`` (``file:line:column`` or a source alone)."""
    matches = [problem for problem in error.problems if str(problem.location) == where]
    assert matches, f"no problem at {where}:\n{error}"
    return matches[0]


# --- good files ------------------------------------------------------------------------------


def test_minimal_scenario_loads_with_defaults(tmp_path):
    """The minimal scenario loads from a file, keeps its values and fills the schema defaults."""
    path = write(tmp_path, "s.yaml", MINIMAL)
    loaded = load(path)
    assert loaded.scenario.name == "x"
    assert loaded.scenario.hub.capacity_per_day == 5000
    assert loaded.scenario.demand.parcels_per_day == 1000
    assert len(loaded.scenario.carriers) == 6
    assert loaded.files == (path.resolve(),)
    assert load_scenario(path) == loaded.scenario


def test_numbers_with_underscores_and_exponents_load_as_ints(tmp_path):
    """``5_000_000`` and ``5e6`` both give the integer 5000000 for an integer field."""
    text = "name: x\ndemand: {parcels_per_day: 5e6}\nhub: {capacity_per_day: 5_000_000}\n"
    scenario = load_scenario(write(tmp_path, "s.yaml", text))
    assert scenario.demand.parcels_per_day == 5_000_000
    assert type(scenario.demand.parcels_per_day) is int
    assert scenario.hub.capacity_per_day == 5_000_000


def test_fractional_float_for_integer_field_is_refused():
    """A number with a fraction (``1000.5``) for an integer field is refused at its place."""
    error = text_error(MINIMAL.replace("1000", "1000.5"))
    assert "integer" in problem_at(error, "s.yaml:2:27").message


def test_utf8_bom_and_chinese_names_load(tmp_path):
    """A UTF-8 file with a byte-order mark and Chinese text loads."""
    path = tmp_path / "s.yaml"
    path.write_bytes(("\ufeff" + MINIMAL.replace("name: x", "name: 示例市")).encode("utf-8"))
    assert load_scenario(path).name == "示例市"


# --- unknown keys ----------------------------------------------------------------------------


def test_unknown_top_level_key_suggests_the_close_one(tmp_path):
    """An unknown top-level key is located at the key and suggests the nearest valid key."""
    path = write(tmp_path, "s.yaml", MINIMAL + "nmae: y\n")
    error = load_error(path)
    problem = problem_at(error, f"{path}:4:1")
    assert problem.path == ("nmae",)
    assert "unknown key 'nmae'" in problem.message
    assert "did you mean 'name'?" in problem.hint
    assert f"{path}:4:1: nmae: unknown key 'nmae'" in str(error)


def test_unknown_nested_key_suggests_the_close_one(tmp_path):
    """``hub.capcity_per_day`` is located at the nested key and suggests ``capacity_per_day``."""
    path = write(tmp_path, "s.yaml", MINIMAL_BLOCK_HUB.replace("capacity", "capcity"))
    error = load_error(path)
    problem = problem_at(error, f"{path}:4:3")
    assert problem.path == ("hub", "capcity_per_day")
    assert "did you mean 'capacity_per_day'?" in problem.hint
    assert f"{path}:4:3: hub.capcity_per_day: unknown key" in str(error)


def test_unknown_key_in_list_item_is_located_with_its_index(tmp_path):
    """``carriers[1].shar`` is located at the key in the second list item and suggests ``share``."""
    text = MINIMAL + "carriers:\n  - {id: a, name: A, share: 0.5}\n  - {id: b, name: B, shar: 0.5}\n"
    path = write(tmp_path, "s.yaml", text)
    error = load_error(path)
    problem = problem_at(error, f"{path}:6:22")
    assert problem.path == ("carriers", 1, "shar")
    assert "did you mean 'share'?" in problem.hint
    assert "carriers[1].shar: unknown key 'shar'" in str(error)


def test_unknown_key_without_close_match_lists_valid_keys():
    """An unknown key that resembles nothing lists the valid keys without a guess."""
    problem = problem_at(text_error(MINIMAL + "zzzzzzzz: 1\n"), "s.yaml:4:1")
    assert "did you mean" not in problem.hint
    assert "name" in problem.hint
    assert "hub" in problem.hint


def test_unknown_key_in_distribution_is_located(tmp_path):
    """An unknown key inside a ``kind``-tagged distribution is located at the key."""
    text = (
        "name: x\ndemand: {parcels_per_day: 1000}\nhub:\n  capacity_per_day: 5000\n"
        "  breakdowns:\n    repair_time_h: {kind: exponential, mean: 2, mode: 1}\n"
    )
    path = write(tmp_path, "s.yaml", text)
    problem = problem_at(load_error(path), f"{path}:6:49")
    assert problem.path == ("hub", "breakdowns", "repair_time_h", "mode")


def test_unknown_distribution_kind_suggests_a_kind():
    """A misspelt ``kind`` names the valid kinds and suggests the closest."""
    text = MINIMAL_BLOCK_HUB + "  breakdowns:\n    repair_time_h: {kind: exponentail, mean: 2}\n"
    problem = problem_at(text_error(text), "s.yaml:6:20")
    assert "exponentail" in problem.message
    assert "did you mean 'exponential'?" in problem.hint


# --- wrong values ----------------------------------------------------------------------------


def test_string_where_number_expected_is_located_at_the_value(tmp_path):
    """A word for ``hub.capacity_per_day`` is located at the value and shows what was found."""
    path = write(tmp_path, "s.yaml", MINIMAL_BLOCK_HUB.replace("5000", "lots"))
    error = load_error(path)
    problem = problem_at(error, f"{path}:4:21")
    assert problem.path == ("hub", "capacity_per_day")
    assert "'lots'" in problem.message
    assert "integer" in problem.message
    assert "5e6" in problem.hint


@pytest.mark.parametrize("value", ["0", "-5", "-1e6"])
def test_non_positive_hub_capacity_is_refused(tmp_path, value):
    """A zero or negative ``hub.capacity_per_day`` is refused at the value with the bound."""
    path = write(tmp_path, "s.yaml", MINIMAL_BLOCK_HUB.replace("5000", value))
    problem = problem_at(load_error(path), f"{path}:4:21")
    assert "greater than 0" in problem.message
    assert problem.path == ("hub", "capacity_per_day")


def test_vehicle_type_used_by_every_fleet_loads(tmp_path):
    """A scenario with its own vehicle type used by all fleets is valid; the default types stay available."""
    scenario = load_scenario(write(tmp_path, "s.yaml", ONE_VAN))
    assert "van" in scenario.vehicle_types
    assert "trailer_17m5" in scenario.vehicle_types
    assert scenario.fleets.park.vehicle_type == "van"
    assert scenario.fleets.park.count == 40


@pytest.mark.parametrize("value", ["0", "-450"])
def test_non_positive_vehicle_capacity_is_refused(tmp_path, value):
    """A zero or negative ``capacity_parcels`` is refused at the value with its path."""
    path = write(tmp_path, "s.yaml", ONE_VAN.replace("capacity_parcels: 450", f"capacity_parcels: {value}"))
    error = load_error(path)
    problem = problem_at(error, f"{path}:6:23")
    assert problem.path == ("vehicle_types", "van", "capacity_parcels")
    assert "greater than 0" in problem.message
    assert len(error.problems) == 1


def test_carrier_shares_not_summing_to_one_name_the_sum(tmp_path):
    """Carrier shares summing to 0.9 are refused at the carriers list, naming the sum."""
    text = MINIMAL + "carriers:\n  - {id: a, name: A, share: 0.5}\n  - {id: b, name: B, share: 0.4}\n"
    path = write(tmp_path, "s.yaml", text)
    problem = problem_at(load_error(path), f"{path}:5:3")
    assert problem.path == ("carriers",)
    assert "sum to 0.9" in problem.message


def test_carrier_shares_within_rounding_are_accepted():
    """Shares that sum to 1 up to rounding (three thirds) are accepted."""
    text = MINIMAL + "carriers:\n" + "".join(f"  - {{id: c{i}, name: C, share: 0.3333333}}\n" for i in range(3))
    assert len(scenario_from_text(text).carriers) == 3


def test_duplicate_carrier_id_is_located_at_the_second():
    """A carrier id used twice is refused at the second entry's id."""
    text = MINIMAL + "carriers:\n  - {id: a, name: A, share: 0.5}\n  - {id: a, name: B, share: 0.5}\n"
    problem = problem_at(text_error(text), "s.yaml:6:10")
    assert problem.path == ("carriers", 1, "id")


def test_missing_required_section_is_reported_at_the_top():
    """A scenario without ``hub`` (or ``hubs``) says it needs one, and how to give it."""
    error = text_error("name: x\ndemand: {parcels_per_day: 1000}\n")
    problem = problem_at(error, "s.yaml:1:1")
    assert problem.path == ("hub",)
    assert "the scenario needs a hub" in problem.message
    assert "hub: {capacity_per_day" in problem.hint
    assert "hubs" in problem.hint


def test_every_problem_is_reported_at_once():
    """Independent problems in different sections are all reported in one error."""
    text = "name: x\ndemand: {parcels_per_day: -1}\nhub: {capacity_per_day: lots}\nseed: -3\n"
    error = text_error(text)
    assert {str(problem.location) for problem in error.problems} >= {"s.yaml:2:27", "s.yaml:3:25", "s.yaml:4:7"}
    assert "3 problems" in str(error)


def test_unknown_vehicle_type_in_fleet_suggests_a_defined_one(tmp_path):
    """A fleet naming an undefined vehicle type is located at the name and suggests the close one."""
    path = write(tmp_path, "s.yaml", MINIMAL + "fleets:\n  park:\n    vehicle_type: disel_van\n")
    error = load_error(path)
    problem = problem_at(error, f"{path}:6:19")
    assert problem.path == ("fleets", "park", "vehicle_type")
    assert "'disel_van'" in problem.message
    assert "did you mean 'diesel_van'?" in problem.hint


def test_listed_vehicle_types_keep_the_defaults(tmp_path):
    """Listing one's own vehicle types keeps the default ones, so a default fleet still finds its type."""
    path = write(tmp_path, "s.yaml", ONE_VAN.replace("  trunk: {vehicle_type: van}\n", ""))
    scenario = load_scenario(path)
    assert scenario.fleets.trunk.vehicle_type == "trailer_17m5"
    assert scenario.vehicle_types["trailer_17m5"].capacity_parcels == 12_000


def test_default_vehicle_type_written_in_part_keeps_its_other_fields():
    """``--set vehicle_types.diesel_van.capacity_parcels=40`` changes that field only."""
    scenario = scenario_from_text(MINIMAL, overrides=["vehicle_types.diesel_van.capacity_parcels=40"])
    assert scenario.vehicle_types["diesel_van"].capacity_parcels == 40
    assert scenario.vehicle_types["diesel_van"].energy.kind == "diesel"


def test_explicit_network_with_all_villages_connected_loads():
    """An explicit network whose roads reach every site is valid."""
    text = NETWORK + "    - {from: t1, to: v2, road_class: village}\n"
    scenario = scenario_from_text(text)
    assert scenario.network.generate is None
    assert [village.id for village in scenario.network.counties[0].towns[0].villages] == ["v1", "v2"]
    assert scenario.network.roads[0].start == "hub"


def test_unreachable_village_is_located_at_its_id(tmp_path):
    """A village no listed road reaches is refused at its id, naming it."""
    path = write(tmp_path, "s.yaml", NETWORK)
    error = load_error(path)
    problem = problem_at(error, f"{path}:14:20")
    assert problem.path == ("network", "counties", 0, "towns", 0, "villages", 1, "id")
    assert "'v2' cannot be reached" in problem.message
    assert "'v2'" in problem.hint


def test_road_to_unknown_site_is_located_at_the_road_end():
    """A road whose ``to`` names no site is refused at that value."""
    text = NETWORK + "    - {from: t1, to: v3, road_class: village}\n"
    problem = problem_at(text_error(text), "s.yaml:19:22")
    assert problem.path == ("network", "roads", 3, "to")
    assert "'v3'" in problem.message


@pytest.mark.parametrize(("start", "hours"), [("'06:30'", 6.5), ("06:30", 6.5), ("6:45", 6.75), ("7.25", 7.25)])
def test_clock_strings_give_hours(start, hours):
    """Shift hours written as clock strings (quoted or not) or numbers become decimal hours."""
    text = MINIMAL_BLOCK_HUB + f"  shifts:\n    - {{start_h: {start}, end_h: '18:00'}}\n"
    shift = scenario_from_text(text).hub.shifts[0]
    assert shift.start_h == hours
    assert shift.end_h == 18.0


def test_bad_clock_string_is_located():
    """A shift hour that is neither a number nor HH:MM is refused at the value."""
    text = MINIMAL_BLOCK_HUB + "  shifts:\n    - {start_h: 6h, end_h: '18:00'}\n"
    problem = problem_at(text_error(text), "s.yaml:6:17")
    assert "HH:MM" in problem.message
    assert problem.path == ("hub", "shifts", 0, "start_h")


def test_bad_item_of_nonempty_list_gives_one_problem():
    """A wrong value inside a one-item list that must not be empty is reported once, at the value."""
    text = MINIMAL_BLOCK_HUB + "  shifts:\n    - {start_h: 6h, end_h: '18:00'}\n"
    error = text_error(text)
    assert [str(problem.location) for problem in error.problems] == ["s.yaml:6:17"]


# --- bad files -------------------------------------------------------------------------------


def test_missing_scenario_file_is_named(tmp_path):
    """Loading a file that does not exist is a ScenarioError naming the path."""
    path = tmp_path / "nowhere.yaml"
    problem = problem_at(load_error(path), str(path))
    assert "no such file" in problem.message


def test_folder_instead_of_file_is_refused(tmp_path):
    """Loading a folder is a ScenarioError saying it is a folder."""
    assert "folder" in problem_at(load_error(tmp_path), str(tmp_path)).message


def test_binary_file_is_refused(tmp_path):
    """A binary (non-UTF-8) file is refused, naming the file, before any YAML parsing."""
    path = write(tmp_path, "image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\x00")
    problem = problem_at(load_error(path), str(path))
    assert "UTF-8" in problem.message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("name: x\nhub:\n\tcapacity_per_day: 5\n", "3:1"),
        ("name: x\ndemand: {parcels_per_day: 1000\nhub: {capacity_per_day: 5000}\n", "3:4"),
        ("name: [x\n", "2:1"),
    ],
    ids=["tab-indented", "unclosed-brace", "unclosed-bracket"],
)
def test_broken_yaml_is_located(tmp_path, text, where):
    """Tab indentation and unbalanced brackets are refused as not valid YAML at file:line:column."""
    path = write(tmp_path, "s.yaml", text)
    error = load_error(path)
    problem = problem_at(error, f"{path}:{where}")
    assert problem.message.startswith("not valid YAML")
    assert "Traceback" not in str(error)


def test_empty_file_is_refused_at_line_1(tmp_path):
    """An empty file is refused at file:1:1."""
    path = write(tmp_path, "s.yaml", "")
    assert "empty" in problem_at(load_error(path), f"{path}:1:1").message


def test_alias_bomb_file_is_refused_quickly_with_location(tmp_path):
    """A 'billion laughs' file is refused within seconds, located at file:line:column."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    start = time.perf_counter()
    error = load_error(path)
    assert time.perf_counter() - start < 10
    (problem,) = error.problems
    assert problem.location.source == str(path)
    assert problem.location.line is not None
    assert f"{path}:{problem.location.line}:{problem.location.column}: " in str(error)
    assert "aliases" in problem.message


def test_duplicate_key_in_file_names_both_lines(tmp_path):
    """A key written twice is refused at the second, naming the first line."""
    path = write(tmp_path, "s.yaml", MINIMAL + "name: y\n")
    problem = problem_at(load_error(path), f"{path}:4:1")
    assert "first written on line 1" in problem.message


@pytest.mark.parametrize(
    "text",
    ["0x" + "f" * 4000 + "\n", MINIMAL + "seed: 0x" + "f" * 4000 + "\n"],
    ids=["top-level", "seed"],
)
def test_huge_hex_integer_is_a_scenario_error(text):
    """A hex integer too long to print is refused as a ScenarioError, not a ValueError."""
    with pytest.raises(ScenarioError):
        scenario_from_text(text)


# --- extends ---------------------------------------------------------------------------------


BASE = """\
name: base
demand:
  parcels_per_day: 1000
  rural_share: 0.1
hub:
  capacity_per_day: 5000
  dispatch_cutoffs_h: [1, 2, 3]
"""


def test_extends_merges_mappings_and_replaces_lists(tmp_path, monkeypatch):
    """A child overrides nested keys one by one, keeps the base's others and replaces whole lists."""
    write(tmp_path, "base.yaml", BASE)
    child = write(
        tmp_path,
        "variants/child.yaml",
        "extends: ../base.yaml\nname: child\ndemand:\n  rural_share: 0.2\nhub:\n  dispatch_cutoffs_h: [5]\n",
    )
    monkeypatch.chdir(write(tmp_path, "elsewhere/.keep", "").parent)
    loaded = load(child)
    scenario = loaded.scenario
    assert scenario.name == "child"
    assert scenario.demand.rural_share == 0.2
    assert scenario.demand.parcels_per_day == 1000
    assert scenario.hub.capacity_per_day == 5000
    assert scenario.hub.dispatch_cutoffs_h == (5.0,)
    assert loaded.files == ((tmp_path / "base.yaml").resolve(), child.resolve())


def same_file(location: Location, path: Path) -> bool:
    """Whether ``location`` names the file ``path`` (however the folders are spelt)."""
    return Path(location.source).resolve() == path.resolve()


def test_extends_locations_point_at_the_file_that_wrote_each_value(tmp_path):
    """An overridden value is located in the child file, an inherited one in the base file."""
    base = write(tmp_path, "base.yaml", BASE)
    child = write(tmp_path, "sub/child.yaml", "extends: ../base.yaml\ndemand:\n  rural_share: 0.2\n")
    loaded = load(child)
    assert loaded.source_map.locate(("demand", "rural_share")) == Location(str(child), 3, 16)
    inherited = loaded.source_map.locate(("demand", "parcels_per_day"))
    assert same_file(inherited, base)
    assert (inherited.line, inherited.column) == (3, 20)
    inherited_item = loaded.source_map.locate(("hub", "dispatch_cutoffs_h", 1))
    assert same_file(inherited_item, base)
    assert (inherited_item.line, inherited_item.column) == (7, 27)
    assert loaded.error(("demand", "rural_share"), "m").problems[0].location.source == str(child)


def test_error_in_overridden_value_points_at_child_and_inherited_at_base(tmp_path):
    """A bad value the child writes is located in the child; a bad value it inherits, in the base."""
    base = write(tmp_path, "base.yaml", BASE.replace("rural_share: 0.1", "rural_share: 7"))
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nhub:\n  capacity_per_day: -1\n")
    error = load_error(child)
    assert problem_at(error, f"{child}:3:21").path == ("hub", "capacity_per_day")
    assert problem_at(error, f"{base}:4:16").path == ("demand", "rural_share")


def test_child_can_fix_a_base_value(tmp_path):
    """A base that is invalid on its own can be completed by its child."""
    write(tmp_path, "base.yaml", "name: base\ndemand: {parcels_per_day: 1000}\n")
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nhub: {capacity_per_day: 5000}\n")
    assert load_scenario(child).hub.capacity_per_day == 5000


def test_replaced_list_forgets_base_locations(tmp_path):
    """After a child replaces a list, items it did not write are located at the child's list, not the base."""
    write(tmp_path, "base.yaml", BASE)
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nhub:\n  dispatch_cutoffs_h: [5]\n")
    loaded = load(child)
    assert loaded.source_map.locate(("hub", "dispatch_cutoffs_h", 2)) == Location(str(child), 3, 23)


def test_extends_list_merges_bases_in_order(tmp_path):
    """With ``extends: [a, b]``, b's values win over a's and the child's over both."""
    write(tmp_path, "a.yaml", BASE)
    write(tmp_path, "b.yaml", "demand: {rural_share: 0.3}\nseed: 1\n")
    child = write(tmp_path, "c.yaml", "extends: [a.yaml, b.yaml]\nseed: 2\n")
    scenario = load_scenario(child)
    assert scenario.demand.rural_share == 0.3
    assert scenario.demand.parcels_per_day == 1000
    assert scenario.seed == 2


def test_extends_chain_of_three_files(tmp_path):
    """A grandchild sees values from its parent and grandparent."""
    write(tmp_path, "a.yaml", BASE)
    write(tmp_path, "b.yaml", "extends: a.yaml\nseed: 1\n")
    c = write(tmp_path, "c.yaml", "extends: b.yaml\nname: c\n")
    scenario = load_scenario(c)
    assert (scenario.name, scenario.seed, scenario.hub.capacity_per_day) == ("c", 1, 5000)


def test_extends_cycle_is_refused_naming_the_files(tmp_path):
    """a.yaml extends b.yaml extends a.yaml is refused as a cycle naming both files."""
    a = write(tmp_path, "a.yaml", "extends: b.yaml\nname: a\n")
    b = write(tmp_path, "b.yaml", "extends: a.yaml\nname: b\n")
    error = load_error(a)
    (problem,) = error.problems
    assert "cycle" in problem.message
    assert str(a.resolve()) in problem.message
    assert str(b.resolve()) in problem.message
    assert problem.location.source in {str(a), str(b), str(tmp_path / "b.yaml" / ".." / "a.yaml")}


def test_extends_cycle_is_located_at_the_closing_extends(tmp_path):
    """The cycle a → b → a is located at b.yaml's ``extends`` value (line 1, column 10)."""
    a = write(tmp_path, "a.yaml", "extends: b.yaml\nname: a\n")
    b = write(tmp_path, "b.yaml", "extends: a.yaml\nname: b\n")
    assert f"{b}:1:10" in str(load_error(a))


def test_self_extends_is_a_cycle(tmp_path):
    """A file that extends itself is refused as a cycle."""
    path = write(tmp_path, "s.yaml", "extends: s.yaml\nname: x\n")
    assert "cycle" in str(load_error(path))


def test_extends_of_missing_file_is_located_at_the_extends_value(tmp_path):
    """``extends`` naming a missing file is refused at the ``extends`` value, naming the path looked for."""
    path = write(tmp_path, "s.yaml", "name: x\nextends: nothere.yaml\n")
    problem = problem_at(load_error(path), f"{path}:2:10")
    assert "'nothere.yaml'" in problem.message
    assert str(tmp_path / "nothere.yaml") in problem.message


def test_extends_of_missing_file_in_a_list_is_located_at_the_item(tmp_path):
    """A missing file in an ``extends`` list is located at that item."""
    write(tmp_path, "a.yaml", BASE)
    path = write(tmp_path, "s.yaml", "extends: [a.yaml, b.yaml]\n")
    problem = problem_at(load_error(path), f"{path}:1:19")
    assert problem.path == ("extends", 1)


@pytest.mark.parametrize("value", ["5", "[]", "{a: 1}", "''", "[a.yaml, 3]"])
def test_extends_of_wrong_type_is_refused(tmp_path, value):
    """``extends`` that is not a file name or a list of them is refused at its value."""
    path = write(tmp_path, "s.yaml", f"extends: {value}\n")
    problem = problem_at(load_error(path), f"{path}:1:10")
    assert "'extends' must name" in problem.message


def test_error_in_base_file_is_located_in_the_base(tmp_path):
    """A syntax error in the base file is located in the base file."""
    base = write(tmp_path, "base.yaml", "name: [x\n")
    child = write(tmp_path, "child.yaml", "extends: base.yaml\n")
    assert problem_at(load_error(child), f"{base}:2:1").message.startswith("not valid YAML")


def test_extends_in_text_is_refused():
    """``extends`` in text without a file is refused at the key."""
    problem = problem_at(text_error("extends: base.yaml\n"), "s.yaml:1:1")
    assert problem.path == ("extends",)


# --- --set overrides -------------------------------------------------------------------------


def test_set_exponent_gives_int_for_int_field(tmp_path):
    """``--set hub.capacity_per_day=4e6`` gives the int 4000000."""
    path = write(tmp_path, "s.yaml", MINIMAL)
    scenario = load_scenario(path, ["hub.capacity_per_day=4e6"])
    assert scenario.hub.capacity_per_day == 4_000_000
    assert type(scenario.hub.capacity_per_day) is int


def test_set_indexes_written_lists(tmp_path):
    """``carriers.0.share=...`` changes the first carrier's share; later overrides apply in order."""
    text = MINIMAL + "carriers:\n  - {id: a, name: A, share: 0.5}\n  - {id: b, name: B, share: 0.5}\n"
    path = write(tmp_path, "s.yaml", text)
    scenario = load_scenario(path, ["carriers.0.share=0.7", "carriers.1.share=0.2", "carriers.1.share=0.3"])
    assert [carrier.share for carrier in scenario.carriers] == [0.7, 0.3]


def test_set_creates_unwritten_sections(tmp_path):
    """An override into a section the file does not write creates it over the defaults."""
    scenario = load_scenario(write(tmp_path, "s.yaml", MINIMAL), ["parks.consolidated_share=1", "fleets.park.count=7"])
    assert scenario.parks.consolidated_share == 1.0
    assert scenario.fleets.park.count == 7
    assert scenario.fleets.park.vehicle_type == "diesel_van"


def test_set_can_replace_a_whole_list(tmp_path):
    """A YAML list as an override value replaces the whole list."""
    scenario = load_scenario(
        write(tmp_path, "s.yaml", MINIMAL), ["carriers=[{id: a, name: A, share: 0.6}, {id: b, name: B, share: 0.4}]"]
    )
    assert [carrier.id for carrier in scenario.carriers] == ["a", "b"]


def test_set_clock_string_and_null(tmp_path):
    """``--set`` values follow the file rules: ``06:30`` is a clock time, an empty value is null."""
    scenario = load_scenario(write(tmp_path, "s.yaml", MINIMAL), ["demand.pickup_start_h=06:30", "hub.breakdowns="])
    assert scenario.demand.pickup_start_h == 6.5
    assert scenario.hub.breakdowns is None


@pytest.mark.parametrize("override", ["hub", "=5", "hub..capacity_per_day=1", ".hub=1", "hub.=1", ""])
def test_bad_override_syntax_is_refused(tmp_path, override):
    """An override that is not ``section.key=value`` is refused, located at the override."""
    path = write(tmp_path, "s.yaml", MINIMAL)
    problem = problem_at(load_error(path, (override,)), f"--set {override}")
    assert "section.key=value" in problem.message


def test_unknown_key_in_set_names_the_set_argument(tmp_path):
    """An unknown key set on the command line is located at the ``--set`` argument with a suggestion."""
    path = write(tmp_path, "s.yaml", MINIMAL)
    error = load_error(path, ("hub.capcity_per_day=4e6",))
    problem = problem_at(error, "--set hub.capcity_per_day=4e6")
    assert problem.path == ("hub", "capcity_per_day")
    assert "did you mean 'capacity_per_day'?" in problem.hint
    assert "--set hub.capcity_per_day=4e6: hub.capcity_per_day: unknown key" in str(error)


def test_bad_value_in_set_names_the_set_argument(tmp_path):
    """A value set on the command line that breaks a rule is located at the ``--set`` argument."""
    path = write(tmp_path, "s.yaml", MINIMAL)
    problem = problem_at(load_error(path, ("hub.capacity_per_day=-4",)), "--set hub.capacity_per_day=-4")
    assert "greater than 0" in problem.message


def test_broken_yaml_in_set_value_names_the_set_argument(tmp_path):
    """An override whose value is not valid YAML is located at the ``--set`` argument."""
    path = write(tmp_path, "s.yaml", MINIMAL)
    (problem,) = load_error(path, ("carriers=[1, 2",)).problems
    assert problem.location.source == "--set carriers=[1, 2"
    assert problem.message.startswith("not valid YAML")


def test_set_into_unwritten_list_is_refused(tmp_path):
    """Indexing a list the file does not write (its default applies) is refused at the override."""
    path = write(tmp_path, "s.yaml", MINIMAL)
    problem = problem_at(load_error(path, ("carriers.0.share=0.5",)), "--set carriers.0.share=0.5")
    assert "not written" in problem.message
    assert problem.path == ("carriers",)


@pytest.mark.parametrize("index", ["2", "99", "x", "-1"])
def test_set_with_bad_list_index_is_refused(tmp_path, index):
    """An index outside a written list, or not a number, is refused at the override naming the list size."""
    text = MINIMAL + "carriers:\n  - {id: a, name: A, share: 0.5}\n  - {id: b, name: B, share: 0.5}\n"
    path = write(tmp_path, "s.yaml", text)
    override = f"carriers.{index}.share=0.5"
    problem = problem_at(load_error(path, (override,)), f"--set {override}")
    assert "list of 2 entries" in problem.message


@pytest.mark.parametrize("index", ["²", "٣"])
def test_set_with_unicode_digit_index_is_refused(tmp_path, index):
    """A non-ASCII digit (``²``, Arabic-Indic ``٣``) is not a list index: refused at the override."""
    text = MINIMAL + "carriers:\n  - {id: a, name: A, share: 1}\n"
    override = f"carriers.{index}.share=1"
    problem = problem_at(load_error(write(tmp_path, "s.yaml", text), (override,)), f"--set {override}")
    assert "not one of its indexes" in problem.message


def test_set_through_a_scalar_is_located_at_the_set(tmp_path):
    """``--set name.x=1`` turns the name into a mapping; the resulting problem is located at the override."""
    path = write(tmp_path, "s.yaml", MINIMAL)
    error = load_error(path, ("name.x=1",))
    assert [str(problem.location) for problem in error.problems] == ["--set name.x=1"]


def test_overrides_apply_to_text_scenarios():
    """``scenario_from_text`` applies overrides too."""
    assert scenario_from_text(MINIMAL, overrides=["seed=3"]).seed == 3


# --- resolved YAML -----------------------------------------------------------------------------


RICH = (
    NETWORK
    + "    - {from: t1, to: v2, road_class: village, length_km: 2.5}\n"
    + """\
description: 'rich: with "quotes", 中文 and # hash'
carriers:
  - {id: a, name: '06:30', share: 0.5}
  - {id: b, name: 'no', share: 0.5}
parks:
  consolidated_carriers: [a]
  consolidated_share: null
service:
  delivery_weekdays: [mon, thu]
  deliveries_per_week: 2
"""
).replace("demand: {parcels_per_day: 1000}", "demand:\n  parcels_per_day: 1000\n  peak_days: [{day: 2, multiplier: 3}]")


@pytest.mark.parametrize(
    "text",
    [
        MINIMAL,
        RICH,
        MINIMAL_BLOCK_HUB + "  breakdowns:\n    repair_time_h: {kind: lognormal, mean: 2, cv: 0.5}\n",
        ONE_VAN.replace(
            "    energy: {kind: diesel, litres_per_100km: 10}", "    energy: {kind: electric, kwh_per_100km: 20}"
        ),
        "name: x\ndemand: {parcels_per_day: 1000}\nhub: {sorting_lines: 3, line_rate_per_h: 1e4}\n",
    ],
    ids=["minimal", "rich", "breakdowns", "electric", "lines"],
)
def test_resolved_yaml_round_trips(text):
    """The resolved dump of a scenario loads back to an equal scenario, and dumps identically."""
    scenario = scenario_from_text(text)
    dumped = resolved_yaml(scenario)
    again = scenario_from_text(dumped)
    assert again == scenario
    assert resolved_yaml(again) == dumped
    assert isinstance(again, Scenario)


def test_resolved_yaml_includes_defaults():
    """The resolved dump writes out defaults the file left implicit."""
    dumped = resolved_yaml(scenario_from_text(MINIMAL))
    assert "vehicle_types:" in dumped
    assert "zto" in dumped
    assert "extends" not in dumped


@pytest.mark.parametrize("name", ["1e5", "0o17", "-1e-3"])
def test_resolved_yaml_round_trips_number_like_names(name):
    """A scenario named like a number (quoted in the file) round-trips through the resolved dump."""
    scenario = scenario_from_text(MINIMAL.replace("name: x", f"name: '{name}'"))
    assert scenario_from_text(resolved_yaml(scenario)) == scenario
