"""Sites and roads read from the CSV files a scenario names, with every problem located in its file."""

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from simnet.network import build_network
from simnet.planning import PlanEveryTime, build_plan
from simnet.scenario import ScenarioError, csv_sources, load, load_scenario, resolved_yaml, scenario_from_text
from simnet.scenario.errors import Location, format_path
from simnet.scenario.models.network import Network

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"

SCENARIO = (
    "name: x\n"
    "seed: 7\n"
    "demand: {parcels_per_day: 1000}\n"
    "hub: {capacity_per_day: 5000}\n"
    "network:\n"
    "  detour_factor: 1.5\n"
    "  sites_csv: sites.csv\n"
)
"""A scenario whose sites come from sites.csv beside it; ``sites_csv`` is on line 7, column 14."""

# The county of tests/unit/network/test_city.py: park east at (30, 0) km, town t1 at (30, 8), villages at
# (30, 14) and (34, 11). Cells start at the columns noted for each line (characters, from 1).
SITES = (
    "kind,id,name,county,town,x_km,y_km,demand_weight\n"  # 1: kind 1, id 6, ..., demand_weight 36
    "park,east,东县,,,30,0,\n"  # 2: kind 1, id 6, name 11, county 14, town 15, x_km 16
    "town,t1,一镇,east,,30,8,\n"  # 3: id 6, county 12, town 17, x_km 18, demand_weight 23
    "village,v1,甲村,,t1,30,14,\n"  # 4: id 9, name 12, county 15, town 16, x_km 19
    "village,v2,乙村,east,t1,34,11,2\n"  # 5: id 9, county 15, town 20, x_km 23, y_km 26, demand_weight 29
)

ROADS = (
    "from,to,road_class,length_km\n"
    "hub,east,expressway,\n"
    "east,t1,county,10\n"
    "t1,v1,township,7\n"
    "east,v1,village,16\n"
    "t1,v2,village,\n"  # 6: from 1, to 4, road_class 7
)


def write(folder: Path, scenario: str = SCENARIO, sites: str = SITES, roads: str | None = None) -> Path:
    """The scenario file s.yaml in ``folder``, with sites.csv (and roads.csv) beside it; returns s.yaml."""
    (folder / "sites.csv").write_text(sites, encoding="utf-8")
    if roads is not None:
        (folder / "roads.csv").write_text(roads, encoding="utf-8")
        scenario += "  roads_csv: roads.csv\n"
    path = folder / "s.yaml"
    path.write_text(scenario, encoding="utf-8")
    return path


def problem_of(path: Path):
    """The one problem of loading ``path``."""
    with pytest.raises(ScenarioError) as caught:
        load(path)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


def test_site_rows_become_the_listed_counties(tmp_path):
    """The park row is the county (id, name), towns and villages follow in row order, an empty
    demand_weight is the default 1, and the network is the one the same sites give in YAML."""
    network = load_scenario(write(tmp_path)).network
    (county,) = network.counties
    assert (county.id, county.name, county.park.xy_km) == ("east", "东县", (30.0, 0.0))
    (town,) = county.towns
    assert (town.id, town.name, town.xy_km) == ("t1", "一镇", (30.0, 8.0))
    assert [(v.id, v.name, v.xy_km, v.demand_weight) for v in town.villages] == [
        ("v1", "甲村", (30.0, 14.0), 1.0),
        ("v2", "乙村", (34.0, 11.0), 2.0),
    ]
    assert network.sites_csv is None


def test_a_byte_order_mark_and_blank_rows_are_tolerated(tmp_path):
    """Excel's 'CSV UTF-8' starts with a byte-order mark and may end with empty rows (',,,'): both are read."""
    path = write(tmp_path, sites="\ufeff" + SITES + ",,,,,,,\n\n")
    assert load_scenario(path).network.counties[0].id == "east"


def test_columns_may_come_in_any_order_and_cells_are_trimmed(tmp_path):
    """Columns are found by their header names, not their position; spaces around cells are dropped."""
    sites = "id , kind,y_km,x_km,town,county\n east ,park,0,30,,\nt1,town,8,30,,east\nv1,village,14,30,t1,\n"
    village = load_scenario(write(tmp_path, sites=sites)).network.counties[0].towns[0].villages[0]
    assert (village.id, village.xy_km) == ("v1", (30.0, 14.0))


def test_the_csv_files_are_sources_and_the_resolved_scenario_stands_alone(tmp_path):
    """The loaded scenario names the CSV file among its sources; its resolved YAML lists the sites and
    loads back, without the file, to the same scenario."""
    loaded = load(write(tmp_path))
    assert loaded.files[-1] == (tmp_path / "sites.csv").resolve()
    (tmp_path / "sites.csv").unlink()
    assert scenario_from_text(resolved_yaml(loaded.scenario)) == loaded.scenario


def test_a_roads_file_gives_exactly_its_roads(tmp_path):
    """Five road rows, five edges: given lengths kept, the others 1.5 × straight (hub–east 45, t1–v2 7.5)."""
    network = build_network(load_scenario(write(tmp_path, roads=ROADS)))
    edges = {frozenset((a, b)): (d["road_class"], d["length_km"]) for a, b, d in network.graph.edges(data=True)}
    assert edges == {
        frozenset((0, 1)): ("expressway", pytest.approx(45.0)),
        frozenset((1, 2)): ("county", 10.0),
        frozenset((2, 3)): ("township", 7.0),
        frozenset((1, 3)): ("village", 16.0),
        frozenset((2, 4)): ("village", pytest.approx(7.5)),
    }


def test_a_name_is_relative_to_the_file_that_writes_it(tmp_path):
    """A variant in another folder extends a base that names sites.csv: the name stays relative to the base."""
    (tmp_path / "base").mkdir()
    write(tmp_path / "base")
    (tmp_path / "variants").mkdir()
    variant = tmp_path / "variants" / "v.yaml"
    variant.write_text("extends: ../base/s.yaml\nname: variant\n", encoding="utf-8")
    assert load_scenario(variant).network.counties[0].id == "east"


def test_a_name_given_with_set_is_relative_to_the_current_folder(tmp_path, monkeypatch):
    """--set network.sites_csv=data/other.csv names a file from where the command runs."""
    path = write(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "other.csv").write_text(SITES.replace("east", "west"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_scenario(path, ["network.sites_csv=data/other.csv"]).network.counties[0].id == "west"


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "message"),
    [
        ("town,t1", "twon,t1", 3, 1, "column 'kind': unknown kind 'twon'"),
        ("village,v1,", "village,,", 4, 9, "column 'id' is empty"),
        ("village,v2,", "village,v1,", 5, 9, "id 'v1' is already used on line 4"),
        (
            "town,t1,一镇,east,",
            "town,t1,一镇,,",
            3,
            12,
            "a town names its county, the id of a park row; the cell is empty",
        ),
        ("town,t1,一镇,east,", "town,t1,一镇,west,", 3, 12, "found 'west'"),
        (",t1,30,14,", ",t9,30,14,", 4, 16, "a village names its town, the id of a town row; found 't9'"),
        ("乙村,east,t1", "乙村,west,t1", 5, 15, "its town 't1' lies in county 'east', not 'west'"),
        ("park,east,东县,,", "park,east,东县,west,", 2, 14, "a park's county is the park itself, not 'west'"),
        (",34,11,2", ",3x4,11,2", 5, 23, "column 'x_km': expected a number; found '3x4'"),
        ("甲村,,t1,30", '"甲""村",,t1,3x0', 4, 23, "found '3x0'"),
        ("甲村,,t1,30", '"甲\n村",,t1,3x0', 5, 8, "found '3x0'"),
        ("一镇,east,,30,8,", "一镇,east,,30,8,5", 3, 23, "column 'demand_weight': a town has no demand_weight"),
        ("东县,,,30,0,", "东县,,t1,30,0,", 2, 15, "column 'town': a park has no town"),
        (",34,11,2", ",34,11,2,9", 5, 1, "this row has 9 cells, the header 8 columns"),
        ("乙村", '"乙"村', 5, 1, "not valid CSV"),
        (
            "village,v1,甲村,,t1,30,14,",
            "village,v1,甲村,,t1,30,14,\ntown,t2,,east,,31,8,",
            5,
            1,
            "town 't2' has no villages",
        ),
        ("village,v1,甲村", "park,west,,,,40,0,\nvillage,v1,甲村", 4, 1, "park 'west' has no towns"),
        ("demand_weight", "demand", 1, 36, "unknown column 'demand'"),
        ("demand_weight", "demand_weight,x_km", 1, 50, "column 'x_km' is named twice"),
    ],
)
def test_each_bad_row_is_located_at_its_cell(tmp_path, old, new, line, column, message):
    """Each kind of bad row, cell or header is one problem at sites.csv:line:column (the cell at fault, or
    the row; columns count right past quoted cells holding a doubled quote or a line break), on the field
    network.sites_csv, whose message names the column or the rule."""
    assert old in SITES
    problem = problem_of(write(tmp_path, sites=SITES.replace(old, new, 1)))
    assert problem.location == Location(str(tmp_path / "sites.csv"), line, column)
    assert format_path(problem.path) == "network.sites_csv"
    assert message in problem.message
    assert problem.hint


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "path", "message"),
    [
        (",34,11,2", ",34,11,-2", 5, 29, "network.counties[0].towns[0].villages[1].demand_weight", ">= 0"),
        ("village,v2,", "village,v 2,", 5, 9, "network.counties[0].towns[0].villages[1].id", "'v 2'"),
        (",t1,30,14,", ",t1,,14,", 4, 1, "network.counties[0].towns[0].villages[0]", "y_km is given without x_km"),
        ("village,v2,", "village,t1,", 5, 9, "network.sites_csv", "id 't1' is already used on line 3"),
    ],
)
def test_the_scenario_rules_point_into_the_csv_file(tmp_path, old, new, line, column, path, message):
    """A value the scenario model refuses is reported at its cell (a rule of a whole site at its row),
    on the field path the site has in the network."""
    problem = problem_of(write(tmp_path, sites=SITES.replace(old, new, 1)))
    assert problem.location == Location(str(tmp_path / "sites.csv"), line, column)
    assert format_path(problem.path) == path
    assert message in problem.message.replace("greater than or equal to ", ">= ")


def test_a_header_without_a_required_column_is_refused(tmp_path):
    """The sites header must name 'kind' and 'id'; the problem is at the header row."""
    problem = problem_of(write(tmp_path, sites="kind,x_km,y_km\npark,30,0\n"))
    assert problem.location == Location(str(tmp_path / "sites.csv"), 1, 1)
    assert "the header has no column 'id'" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        ("t1,v2,village,", "t1,,village,", 4, "column 'to' is empty"),
        ("t1,v2,village,", "t1,v2,vilage,", 7, "expected one of"),
        ("t1,v2,village,", "t1,v9,village,", 4, "road to 'v9': no hub, county, town or village has this id"),
    ],
)
def test_a_bad_road_row_is_located_at_its_cell(tmp_path, old, new, column, message):
    """A road row with an empty end, an unknown class or an unknown site is reported at roads.csv:6:column."""
    problem = problem_of(write(tmp_path, roads=ROADS.replace(old, new)))
    assert problem.location == Location(str(tmp_path / "roads.csv"), 6, column)
    assert message in problem.message


def test_a_missing_file_is_reported_where_it_is_named(tmp_path):
    """A name that leads to no file is reported at the scenario's sites_csv value (line 7, column 14)."""
    path = write(tmp_path)
    (tmp_path / "sites.csv").unlink()
    problem = problem_of(path)
    assert problem.location == Location(str(path), 7, 14)
    assert "cannot open" in problem.message


def test_only_a_regular_file_is_read(tmp_path):
    """A named pipe would block the reader forever: it is refused before anything is read."""
    path = write(tmp_path)
    (tmp_path / "sites.csv").unlink()
    os.mkfifo(tmp_path / "sites.csv")
    assert "is not a regular file" in problem_of(path).message


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    """With the limit lowered to 100 bytes, the 164-byte sites file is refused where it is named."""
    monkeypatch.setattr(csv_sources, "MAX_CSV_BYTES", 100)
    path = write(tmp_path)
    problem = problem_of(path)
    assert problem.location == Location(str(path), 7, 14)
    assert "more than a CSV file may be (100 bytes)" in problem.message


def test_a_file_that_is_not_utf8_is_located_at_its_bad_byte(tmp_path):
    """A GBK-encoded name is no UTF-8: the problem is at the line and byte column of the first bad byte."""
    path = write(tmp_path)
    (tmp_path / "sites.csv").write_bytes(SITES.replace("甲村", "").encode() + "甲村\n".encode("gbk"))
    problem = problem_of(path)
    assert problem.location == Location(str(tmp_path / "sites.csv"), 6, 1)
    assert "not UTF-8" in problem.message


def test_a_file_without_data_rows_is_refused(tmp_path):
    """A header alone lists no sites."""
    assert "has no data rows" in problem_of(write(tmp_path, sites=SITES.splitlines()[0] + "\n")).message


def test_sites_are_given_in_one_place(tmp_path):
    """A network that lists counties and names sites_csv too is refused at sites_csv."""
    scenario = SCENARIO + "  counties: [{id: c, park: {x_km: 0, y_km: 0}, towns: []}]\n"
    problem = problem_of(write(tmp_path, scenario=scenario))
    assert problem.location == Location(str(tmp_path / "s.yaml"), 7, 14)
    assert "lists 'counties' and names 'sites_csv' too" in problem.message


def test_a_model_built_without_the_loader_refuses_a_file_name():
    """Only the loader reads files: a network model validated directly must not keep a CSV name unread."""
    with pytest.raises(ValidationError, match="only the scenario loader reads"):
        Network.model_validate({"generate": {}, "roads_csv": "roads.csv"})


def test_the_shipped_csv_county_validates_and_plans():
    """scenarios/csv-county.yaml: 1 county park, 4 towns and 20 villages by lon/lat; the hub 37 km from the
    park; every pair of the county's 25 sites linked (300) plus hub–park; its plan gives every carrier's
    depot routes that visit all 20 villages."""
    scenario = load_scenario(SCENARIOS / "csv-county.yaml")
    network = build_network(scenario)
    assert [len(network.parks), len(network.towns), len(network.villages)] == [1, 4, 20]
    assert network.graph.number_of_edges() == 1 + 25 * 24 // 2
    assert 35 < ((network.x_km[1] - network.x_km[0]) ** 2 + (network.y_km[1] - network.y_km[0]) ** 2) ** 0.5 < 40
    plan = build_plan(scenario, PlanEveryTime(iterations=200))
    assert len(plan.points) == len(scenario.carriers)
    for point in plan.points:
        assert sorted(site for route in point.routes for site in route.stops) == network.villages.tolist()
