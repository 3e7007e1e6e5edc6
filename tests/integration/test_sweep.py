"""Sweeps: the grid, identical results whatever runs them, resume after a kill, failures recorded."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import simnet
from simnet.cli import main
from simnet.experiment.executors import ProcessExecutor, Task, TaskResult, run_task
from simnet.experiment.points import parse_vary, sweep_points
from simnet.experiment.sweep import plan_sweep, result_rows, run_tasks

SMALL = """name: small
seed: 11
horizon_days: 2
warmup_days: 1
drain_days: 1
replications: 2
demand: {parcels_per_day: 8000, rural_share: 0.3, pickups_per_village_per_day: 3}
network: {generate: {counties: 1, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 12000}
"""
VARY = ("hub.capacity_per_day=9000,12000", "parks.consolidated_share=0,1")


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def _metrics_table(folder: Path) -> pd.DataFrame:
    table = simnet.load_results(folder).table
    return table.sort_values(["point", "replication"]).reset_index(drop=True)


def test_grid_and_zip_points():
    """Two keys of two values: a grid of 2 × 2 = 4 points, first key slowest; zipped, 2 points."""
    varies = [parse_vary(text) for text in VARY]
    grid = sweep_points(varies, zipped=False)
    assert [p.parameters for p in grid] == [
        {"hub.capacity_per_day": 9000, "parks.consolidated_share": 0},
        {"hub.capacity_per_day": 9000, "parks.consolidated_share": 1},
        {"hub.capacity_per_day": 12000, "parks.consolidated_share": 0},
        {"hub.capacity_per_day": 12000, "parks.consolidated_share": 1},
    ]
    assert len(sweep_points(varies, zipped=True)) == 2


def test_sweep_table_has_a_row_per_point_and_replication(scenario_file, tmp_path):
    """The sweep table holds 4 points × 2 replications = 8 rows, all ok, with their parameters."""
    out = tmp_path / "sweep"
    assert (
        main(["sweep", str(scenario_file), "--vary", VARY[0], "--vary", VARY[1], "--workers", "2", "--out", str(out)])
        == 0
    )
    table = _metrics_table(out)
    assert len(table) == 8
    assert set(table["status"]) == {"ok"}
    assert set(table["hub.capacity_per_day"]) == {9000, 12000}
    summary = simnet.load_results(out).summary
    assert set(summary["point"]) == {0, 1, 2, 3}


def test_same_results_with_one_worker_two_workers_and_dask(scenario_file, tmp_path):
    """Results depend only on the scenario point and replication: 1 worker, 2 workers and Dask agree."""
    distributed = pytest.importorskip("distributed")
    tables = []
    for name, extra in (("one", ["--workers", "1"]), ("two", ["--workers", "2"])):
        out = tmp_path / name
        assert main(["sweep", str(scenario_file), "--vary", VARY[0], *extra, "--out", str(out)]) == 0
        tables.append(_metrics_table(out))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        out = tmp_path / "dask"
        assert main(["sweep", str(scenario_file), "--vary", VARY[0], "--scheduler", cluster.scheduler_address,
                     "--out", str(out)]) == 0  # fmt: skip
        tables.append(_metrics_table(out))
    pd.testing.assert_frame_equal(tables[0], tables[1])
    pd.testing.assert_frame_equal(tables[0], tables[2])


def test_resume_after_a_killed_sweep_runs_only_what_is_missing(scenario_file, tmp_path):
    """Kill a sweep after its first task files appear; --resume runs the rest and the table equals a clean run."""
    whole = tmp_path / "whole"
    assert (
        main(["sweep", str(scenario_file), "--vary", VARY[0], "--vary", VARY[1], "--workers", "1", "--out", str(whole)])
        == 0
    )
    killed = tmp_path / "killed"
    command = [sys.executable, "-m", "simnet", "sweep", str(scenario_file), "--vary", VARY[0], "--vary", VARY[1],
               "--workers", "1", "--out", str(killed)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list((killed / "tasks").glob("p*.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(list((killed / "tasks").glob("p*.json")))
    assert 2 <= done_before < 8
    assert not (killed / "sweep.parquet").exists()
    assert main(["sweep", str(scenario_file), "--vary", VARY[0], "--vary", VARY[1], "--workers", "1", "--out",
                 str(killed), "--resume"]) == 0  # fmt: skip
    manifest = simnet.load_results(killed).manifest
    assert manifest["tasks_run"] == 8 - manifest["tasks_resumed"]
    assert manifest["tasks_resumed"] >= done_before
    pd.testing.assert_frame_equal(_metrics_table(whole), _metrics_table(killed))


def test_resume_refuses_a_different_sweep(scenario_file, tmp_path, capsys):
    """--resume into a folder made for other values is a user error (exit 2)."""
    out = tmp_path / "sweep"
    assert main(["sweep", str(scenario_file), "--vary", VARY[0], "--workers", "1", "--out", str(out)]) == 0
    assert (
        main(["sweep", str(scenario_file), "--vary", "hub.capacity_per_day=5000,6000", "--out", str(out), "--resume"])
        == 2
    )
    assert "different sweep" in capsys.readouterr().err


def _dies_on_point_one(task: Task) -> TaskResult:
    if task.point == 1:
        os._exit(3)
    return run_task(task)


def test_a_dying_worker_fails_only_its_task(scenario_file):
    """A worker process that dies records its task as failed with the exit code; the other tasks finish."""
    points = sweep_points([parse_vary(VARY[0])], zipped=False)
    plan = plan_sweep(str(scenario_file), [], points)
    results: list[TaskResult] = []
    run_tasks(plan.tasks(), ProcessExecutor(2, _dies_on_point_one), results.append)
    rows = result_rows(plan, results)
    by_point = {(row["point"], row["replication"]): row for row in rows}
    assert {by_point[(1, r)]["status"] for r in (1, 2)} == {"failed"}
    assert "exit code 3" in by_point[(1, 1)]["error"]
    assert {by_point[(0, r)]["status"] for r in (1, 2)} == {"ok"}


def test_invalid_point_is_located_before_anything_runs(scenario_file, tmp_path, capsys):
    """A point whose scenario is invalid stops the sweep at the start, naming the --vary (exit 2)."""
    out = tmp_path / "sweep"
    assert main(["sweep", str(scenario_file), "--vary", "hub.capacity_per_day=9000,-5", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--vary hub.capacity_per_day=9000,-5" in err
    assert "greater than 0" in err
    assert not out.exists()


def test_sweep_section_in_the_file(tmp_path):
    """A scenario's sweep: section is used when no --vary is given (zip mode: 2 points)."""
    path = tmp_path / "swept.yaml"
    path.write_text(
        SMALL + "sweep:\n  mode: zip\n  vary:\n    hub.capacity_per_day: [9000, 12000]\n    seed: [1, 2]\n",
        encoding="utf-8",
    )
    out = tmp_path / "sweep"
    assert main(["sweep", str(path), "--workers", "1", "--out", str(out)]) == 0
    table = _metrics_table(out)
    assert sorted(set(zip(table["hub.capacity_per_day"], table["seed"], strict=True))) == [(9000, 1), (12000, 2)]


def test_unreachable_scheduler_is_a_user_error(scenario_file, tmp_path, capsys):
    """A Dask address where no scheduler answers ends with exit 2, a clear message and no folder."""
    out = tmp_path / "sweep"
    code = main(["sweep", str(scenario_file), "--vary", VARY[0], "--scheduler", "tcp://127.0.0.1:9", "--out", str(out)])
    assert code == 2
    assert "no Dask scheduler answered at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not out.exists()


def test_points_sharing_a_plan_keep_their_own_seed_and_hub(scenario_file, tmp_path):
    """Points that differ only in seed or hub capacity share routes but not results: each runs its own scenario."""
    out = tmp_path / "sweep"
    assert main(["sweep", str(scenario_file), "--vary", "seed=1,2", "--vary", VARY[0], "--workers", "1",
                 "--out", str(out)]) == 0  # fmt: skip
    table = _metrics_table(out)
    first = table[table["replication"] == 1].set_index("point")
    assert first.loc[0, "parcels_in"] != first.loc[2, "parcels_in"]  # seed 1 vs seed 2, same hub
    assert first.loc[0, "parcels_in"] == first.loc[1, "parcels_in"]  # same seed: same demand
    assert first.loc[0, "hub_wait_h_mean"] > first.loc[1, "hub_wait_h_mean"]  # 9,000 vs 12,000 a day
