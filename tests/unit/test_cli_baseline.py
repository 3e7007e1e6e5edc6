"""``simnet baseline update`` and ``check``: files written, exit 0 / 1 / 2, what moved is printed."""

import json
from pathlib import Path

import pytest

from simnet.metric_names import KEY_METRICS
from tests.small_city import SMALL_CITY
from tests.small_city import run_cli as run

SMALL = SMALL_CITY + "seed: 5\n"
"""Already small (one county, 2 + 1 days), so its baseline needs no shrinking overrides."""


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.fixture
def stored(scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The baselines folder after ``update`` of the small scenario (default: 5 replications)."""
    folder = tmp_path / "baselines"
    status, out, _ = run(capsys, "baseline", "update", str(scenario), "--out-dir", str(folder))
    assert status == 0
    assert "small.yaml: new baseline" in out
    return folder


def test_update_writes_the_stated_run(stored):
    """update writes <stem>.json with the file name, the default 5 replications, no overrides, every key metric."""
    document = json.loads((stored / "small.json").read_text(encoding="utf-8"))
    assert (document["scenario"], document["replications"], document["overrides"]) == ("small.yaml", 5, [])
    assert set(document["metrics"]) == set(KEY_METRICS)


def test_unchanged_model_checks_clean_exit_0(scenario, stored, capsys):
    """check of an unchanged scenario (same seed: identical runs) exits 0 and says none moved."""
    status, out, _ = run(capsys, "baseline", "check", str(scenario), "--baseline-dir", str(stored))
    assert status == 0
    assert f"small.yaml: {len(KEY_METRICS)} key metrics, none moved" in out


def test_changed_parameter_fails_check_exit_1(scenario, stored, capsys):
    """Hub capacity cut from 8,000 to 3,000 a day, below the 5,000 demand: exit 1, hub use and delivery time listed.

    The hub then sorts all day long (utilisation ~0.65 → 1) and parcels queue there for a day longer.
    """
    scenario.write_text(SMALL.replace("capacity_per_day: 8000", "capacity_per_day: 3000"), encoding="utf-8")
    status, out, _ = run(capsys, "baseline", "check", str(scenario), "--baseline-dir", str(stored))
    assert status == 1
    assert "metrics moved beyond tolerance" in out
    assert "hub_utilization" in out
    assert "delivery_time_h_mean" in out


def test_update_after_a_change_tables_what_moved(scenario, stored, capsys):
    """A second update after the change rewrites the file and tables the changed means, ✗ beyond tolerance."""
    scenario.write_text(SMALL.replace("capacity_per_day: 8000", "capacity_per_day: 3000"), encoding="utf-8")
    status, out, _ = run(capsys, "baseline", "update", str(scenario), "--out-dir", str(stored))
    assert status == 0
    assert "small.json rewritten" in out
    assert "hub_utilization" in out
    assert "✗" in out
    status, _, _ = run(capsys, "baseline", "check", str(scenario), "--baseline-dir", str(stored))
    assert status == 0


def test_old_format_exit_2_says_how_to_remake(scenario, stored, capsys):
    """A format-1 file (no value per replication) cannot be checked by pairs: exit 2, the file and the fix named."""
    path = stored / "small.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**document, "format": 1}), encoding="utf-8")
    status, _, err = run(capsys, "baseline", "check", str(scenario), "--baseline-dir", str(stored))
    assert status == 2
    assert "small.json: format 1 keeps no value per replication" in err
    assert "simnet baseline update" in err


def test_changed_seed_in_the_scenario_is_not_a_move(scenario, stored, capsys):
    """check re-runs the stored seed, so a new seed in the scenario file does not unpair the runs: none moved."""
    scenario.write_text(SMALL.replace("seed: 5", "seed: 6"), encoding="utf-8")
    status, out, _ = run(capsys, "baseline", "check", str(scenario), "--baseline-dir", str(stored))
    assert status == 0
    assert "none moved" in out


def test_missing_baseline_exit_2(scenario, tmp_path, capsys):
    """check of a scenario without a baseline file is a user error: exit 2, the file named, no traceback."""
    status, _, err = run(capsys, "baseline", "check", str(scenario), "--baseline-dir", str(tmp_path / "none"))
    assert status == 2
    assert "none/small.json: no baseline" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["update", "check"])
def test_missing_scenario_file_exit_2(tmp_path, capsys, command):
    """A SCENARIO that does not exist is refused before any run: exit 2."""
    status, _, err = run(capsys, "baseline", command, str(tmp_path / "nowhere.yaml"))
    assert status == 2
    assert "does not exist" in err


def test_one_replication_exit_2(scenario, tmp_path, capsys):
    """update --replications 1 is refused (no spread): exit 2, nothing written."""
    status, _, err = run(capsys, "baseline", "update", str(scenario), "--replications", "1", "--out-dir", str(tmp_path))
    assert status == 2
    assert "--replications" in err
    assert not (tmp_path / "small.json").exists()


def test_invalid_scenario_exit_2_located(tmp_path, capsys):
    """A typo in the scenario stops update with its place and exit 2."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace("hub: {capacity_per_day", "hub: {capacity_per_dya"), encoding="utf-8")
    status, _, err = run(capsys, "baseline", "update", str(bad), "--out-dir", str(tmp_path))
    assert status == 2
    assert "hub.capacity_per_dya: unknown key" in err


def test_no_scenarios_folder_exit_2(tmp_path, monkeypatch, capsys):
    """Without SCENARIO arguments and without scenarios/*.yaml in the working folder: exit 2."""
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "baseline", "check")
    assert status == 2
    assert "no scenarios in scenarios/" in err
