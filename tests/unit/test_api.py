"""``simnet.run``: one call gives the results ``load_results`` reads, saved or not, with ``simnet run``'s safety."""

import json

import pandas as pd
import pytest

import simnet
from simnet.results.folder import ResultsExistError
from tests.small_city import SMALL_CITY as SMALL

TRAILER_ON_VILLAGE_ROADS = "fleets.depot.vehicle_type=trailer_17m5"
"""A semi-trailer has no speed on village roads, so the carriers' depot routes to the villages cannot be planned."""


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def saved(scenario_file):
    """A run saved to a folder, as ``simnet.run`` returned it."""
    return simnet.run(scenario_file, out=scenario_file.parent / "saved", report=None, progress=False)


def assert_same_results(a: simnet.Results, b: simnet.Results) -> None:
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.replications, b.replications)
    assert a.tables.keys() == b.tables.keys()
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], obj=name)


def test_saved_run_returns_what_load_results_reads(saved):
    """The returned Results equal load_results of the saved folder: summary, replications, tables, manifest, YAML."""
    loaded = simnet.load_results(saved.path)
    assert_same_results(saved, loaded)
    assert saved.manifest == loaded.manifest
    assert saved.scenario_yaml == loaded.scenario_yaml
    assert saved.manifest["replications"] == 2


def test_unsaved_run_gives_the_same_results_named_after_the_scenario(scenario_file, saved):
    """Without ``out`` the same scenario and seed give the same results (nothing kept); their path is the name."""
    unsaved = simnet.run(scenario_file, progress=False)
    assert_same_results(unsaved, saved)
    assert str(unsaved.path) == "small"


def test_a_scenario_object_with_overrides_runs_like_its_file(scenario_file):
    """A Scenario given as an object, with replications, seed and overrides, runs as the file with the same ones."""
    changes = {"replications": 1, "seed": 11, "overrides": ["demand.parcels_per_day=4000"]}
    from_object = simnet.run(simnet.load_scenario(scenario_file), progress=False, **changes)
    from_file = simnet.run(scenario_file, progress=False, **changes)
    assert_same_results(from_object, from_file)
    assert (from_object.manifest["replications"], from_object.manifest["seed"]) == (1, 11)
    assert from_object.scenario().demand.parcels_per_day == 4000


def test_an_existing_folder_is_refused_and_kept(scenario_file):
    """An existing folder is refused before anything runs, and the user's file in it is left as it was."""
    folder = scenario_file.parent / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ResultsExistError, match="exists already"):
        simnet.run(scenario_file, out=folder, progress=False)
    assert [path.name for path in folder.iterdir()] == ["notes.txt"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_force_replaces_a_folder_simnet_wrote(scenario_file):
    """``force`` replaces a run's folder (as ``--force``): the folder then holds the new run's manifest."""
    target = scenario_file.parent / "replaced"
    simnet.run(scenario_file, out=target, replications=1, seed=1, report=None, progress=False)
    simnet.run(scenario_file, out=target, replications=1, seed=2, force=True, report=None, progress=False)
    assert json.loads((target / "manifest.json").read_text(encoding="utf-8"))["seed"] == 2


def test_a_network_the_scenario_cannot_drive_is_a_located_scenario_error(scenario_file):
    """Unplannable routes raise ScenarioError at the override (file input) or the scenario's name (object input)."""
    with pytest.raises(simnet.ScenarioError) as from_file:
        simnet.run(scenario_file, overrides=[TRAILER_ON_VILLAGE_ROADS], out=scenario_file.parent / "no", progress=False)
    assert f"--set {TRAILER_ON_VILLAGE_ROADS}" in str(from_file.value)
    assert from_file.value.problems[0].path == ("fleets", "depot", "vehicle_type")
    assert not (scenario_file.parent / "no").exists()
    scenario = simnet.load_scenario(scenario_file, [TRAILER_ON_VILLAGE_ROADS])
    with pytest.raises(simnet.ScenarioError, match="scenario 'small'"):
        simnet.run(scenario, progress=False)


def test_progress_shows_planning_days_and_eta_without_warnings(scenario_file, capsys):
    """With progress (the default) the bar goes to standard error, ending with every day done; no warning is raised."""
    simnet.run(scenario_file, replications=1)
    shown = capsys.readouterr().err
    assert "4/4 days" in shown  # 1 warm-up + 2 measured + 1 drain day, one replication
    assert "ETA" in shown
