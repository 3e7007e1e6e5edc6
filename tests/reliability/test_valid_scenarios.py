"""Class 2, valid scenarios that crashed after simulating: now they finish and keep their results.

Each of these scenarios validated, simulated, and then threw its results away in a traceback
(while writing the report, or reading a table back); the all-zero village weights went on to a
traceback in route planning instead of a located error, and a sweep varying ``replications``
kept one replication per point.
"""

from __future__ import annotations

import pandas as pd
import pytest

import simnet
from simnet.cli import EXIT_USER_ERROR, main

from .conftest import TINY

EXPLICIT_ZERO_WEIGHTS = """name: zero weights
demand: {parcels_per_day: 400}
hub: {capacity_per_day: 2000}
network:
  counties:
    - id: c1
      park: {x_km: 10, y_km: 0}
      towns:
        - id: t1
          x_km: 15
          y_km: 2
          villages:
            - {id: v1, x_km: 16, y_km: 3, demand_weight: 0}
            - {id: v2, x_km: 14, y_km: 4, demand_weight: 0}
"""


@pytest.mark.filterwarnings("ignore:No artists with labels found to put in legend")  # an empty cost plot's legend
@pytest.mark.parametrize(
    "override",
    ["demand.rural_share=0", "output.parcel_sample_size=0"],
    ids=["no-rural-parcels", "no-parcel-sample"],
)
def test_runs_with_an_empty_parcel_sample_write_their_folder_and_report(scenario_file, tmp_path, override):
    """A run whose parcel sample is empty (no rural parcels, or a sample of size 0) exits 0 with its whole
    folder and report; the empty parcels table keeps its columns, so analysts can still use it."""
    out = tmp_path / "run"
    assert main(["run", str(scenario_file), "--out", str(out), "--set", override]) == 0
    assert (out / "report.html").exists()
    results = simnet.load_results(out)
    assert isinstance(results, simnet.Results)
    assert results.parcels.empty
    assert {"delivered_h", "hub_arrival_h", "county"} <= set(results.parcels.columns)


def test_side_by_side_report_of_one_replication_runs(scenario_file, tmp_path):
    """Two one-replication runs (no confidence interval: written as null) compare in a report, exit 0."""
    for name, seed in (("a", "1"), ("b", "2")):
        assert main(["run", str(scenario_file), "--out", str(tmp_path / name), "--no-report", "--seed", seed]) == 0
    report = tmp_path / "a-vs-b.html"
    assert main(["report", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(report)]) == 0
    assert report.stat().st_size > 0
    summary = simnet.load_results(tmp_path / "a").summary
    assert summary["ci_low"].dtype == float
    assert summary["ci_low"].isna().all()


def test_all_village_weights_zero_is_a_located_error(tmp_path, capsys):
    """Villages that all weigh 0 leave no parcel a village to go to: a located ScenarioError (exit 2) at the
    first village's weight, raised before planning, with a fix; never a traceback."""
    path = tmp_path / "zero.yaml"
    path.write_text(EXPLICIT_ZERO_WEIGHTS, encoding="utf-8")
    assert main(["run", str(path), "--out", str(tmp_path / "run")]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert f"{path}:13:58: network.counties[0].towns[0].villages[0].demand_weight: every village's" in err
    assert "fix: give at least one village a positive demand_weight" in err
    assert "Traceback" not in err
    assert main(["validate", str(path)]) == EXIT_USER_ERROR


@pytest.mark.parametrize(("vary", "expected"), [("replications=1,3", [1, 3]), ("seed=1,2", [1, 1])])
def test_sweep_varying_replications_or_seed_keeps_every_replication(tmp_path, vary, expected):
    """A sweep varying ``replications`` runs and keeps each point's own count; one varying ``seed`` keeps
    one row per replication of each point, the points differing in their random numbers."""
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    out = tmp_path / "sweep"
    assert main(["sweep", str(path), "--vary", vary, "--out", str(out), "--workers", "1"]) == 0
    table = pd.read_parquet(out / "sweep.parquet")
    assert table.groupby("point").size().tolist() == expected
    assert set(table["status"]) == {"ok"}
    summary = pd.read_parquet(out / "summary.parquet")
    assert summary[summary["metric"] == "parcels_in"]["n"].tolist() == expected
