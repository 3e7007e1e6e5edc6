"""The results folder: written atomically, never overwritten unless asked, read back by load_results."""

import json
import math

import pandas as pd
import pytest

import simnet
from simnet.experiment.replications import RunResult
from simnet.experiment.summary import summarise
from simnet.results.folder import ResultsExistError, RunInfo, atomic_folder, metrics_document, write_results
from simnet.scenario import scenario_from_text

MINIMAL = "name: x\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"
INFO = RunInfo(wall_time_s=1.0, engine="fast", sources=("x.yaml",), overrides=())


def _result() -> RunResult:
    metrics = [{"parcels_in": 10.0, "pickup_time_h_mean": math.nan}, {"parcels_in": 12.0, "pickup_time_h_mean": 2.0}]
    tables = {"days": pd.DataFrame({"replication": [1, 2], "day": [1, 1], "parcels_in": [10, 12]})}
    return RunResult(scenario_from_text(MINIMAL), metrics, tables, summarise(metrics))


def test_failure_inside_leaves_no_folder(tmp_path):
    """An error while writing leaves neither the target nor the temporary folder behind."""
    target = tmp_path / "run"

    def write_half() -> None:
        with atomic_folder(target) as staging:
            (staging / "half.json").write_text("{")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_half()
    assert list(tmp_path.iterdir()) == []


def test_existing_folder_is_not_overwritten(tmp_path):
    """A second run into the same folder is refused unless overwrite is asked for."""
    target = tmp_path / "run"
    write_results(_result(), target, INFO)
    with pytest.raises(ResultsExistError):
        write_results(_result(), target, INFO)
    write_results(_result(), target, INFO, overwrite=True)


def test_metrics_json_turns_nan_into_null():
    """NaN (a metric with no observations) is written as JSON null, so metrics.json is strict JSON."""
    document = metrics_document(_result())
    assert document["replications"][0]["pickup_time_h_mean"] is None
    json.dumps(document, allow_nan=False)


def test_load_results_round_trip(tmp_path):
    """load_results gives the summary, replications and tables as written."""
    target = write_results(_result(), tmp_path / "run", INFO)
    results = simnet.load_results(target)
    assert results.summary.loc["parcels_in", "mean"] == pytest.approx(11.0)
    assert list(results.replications["parcels_in"]) == [10.0, 12.0]
    assert list(results.tables["days"]["parcels_in"]) == [10, 12]
    assert results.manifest["seed"] == 20261124
    assert simnet.load_scenario(target / "scenario.yaml") == scenario_from_text(MINIMAL)
