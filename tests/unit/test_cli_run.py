"""``simnet run``: results written, user errors as exit 2, interruptions leave nothing behind."""

import json

import pytest

import simnet.experiment.replications
import simnet.results.folder
from simnet.cli import main
from tests.small_city import SMALL_CITY as SMALL


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_run_writes_the_folder_and_prints_the_table(scenario_file, tmp_path, capsys):
    """A run writes scenario, manifest, metrics and tables, and prints the key metrics."""
    out = tmp_path / "out"
    assert main(["run", str(scenario_file), "--out", str(out)]) == 0
    assert {path.name for path in out.iterdir()} == {
        "scenario.yaml",
        "manifest.json",
        "metrics.json",
        "tables",
        "report.html",
    }
    assert json.loads((out / "manifest.json").read_text())["replications"] == 2
    assert "cost per rural parcel" in capsys.readouterr().out


def test_run_refuses_an_existing_folder(scenario_file, tmp_path, capsys):
    """An existing results folder is a user error (exit 2) unless --force is given."""
    out = tmp_path / "out"
    out.mkdir()
    assert main(["run", str(scenario_file), "--out", str(out)]) == 2
    assert "exists already" in capsys.readouterr().err


def test_run_bad_scenario_is_located_exit_2(tmp_path, capsys):
    """A typo in the scenario stops the run before simulating, with the place and exit 2."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace("hub: {capacity_per_day", "hub: {capacity_per_dya"), encoding="utf-8")
    assert main(["run", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:8:7: hub.capacity_per_dya: unknown key" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_interrupted_run_writes_nothing(scenario_file, tmp_path, monkeypatch, capsys):
    """Ctrl-C during the simulation exits 130 and leaves no folder."""

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(simnet.experiment.replications, "run_scenario", interrupted)
    assert main(["run", str(scenario_file), "--out", str(tmp_path / "out")]) == 130
    assert list(tmp_path.iterdir()) == [scenario_file]


def test_interrupted_writing_leaves_no_partial_folder(scenario_file, tmp_path, monkeypatch):
    """Ctrl-C while the folder is being written removes the partial folder."""
    original = simnet.results.folder._write_json

    def write_then_interrupt(path, document):
        original(path, document)
        if path.name == "metrics.json":
            raise KeyboardInterrupt

    monkeypatch.setattr(simnet.results.folder, "_write_json", write_then_interrupt)
    assert main(["run", str(scenario_file), "--out", str(tmp_path / "out")]) == 130
    assert sorted(path.name for path in tmp_path.iterdir()) == ["small.yaml"]
