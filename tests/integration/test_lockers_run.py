"""A run with village points' hours and lockers writes the locker metrics, the ``lockers`` table and a report line."""

import json

import pandas as pd
import pytest

from simnet.report.sections import captions
from simnet.results.load import load_results
from tests.small_city import SMALL_CITY, run_cli

LOCKERS = "village_points={opening_hours: [[9, 12]], locker_cells: 2, collection_delay_h: {kind: constant, value: 5}}"
"""Open 09:00–12:00 only, so the afternoon wave's parcels meet a closed point; collection 5 h after availability."""


def test_run_writes_locker_results(capsys, tmp_path):
    """Each of the six village points appears in ``lockers`` with its two cells; some parcels were left while
    closed; the mean collection time is the constant 5 h; the report's delivery-time caption gives the locker
    figures in both languages."""
    scenario = tmp_path / "small.yaml"
    scenario.write_text(SMALL_CITY, encoding="utf-8")
    folder = tmp_path / "run"
    args = ("run", str(scenario), "--out", str(folder), "--set", LOCKERS, "--workers", "1", "--no-report")
    status, _, err = run_cli(capsys, *args)
    assert status == 0, err
    summary = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["summary"]
    assert summary["collection_time_h_mean"]["mean"] == pytest.approx(5.0)
    assert 0 < summary["locker_no_cell_share"]["mean"] <= 1
    lockers = pd.read_parquet(folder / "tables" / "lockers.parquet")
    assert set(lockers["cells"]) == {2}
    assert len(lockers) == 6 * 2  # six village points, two replications
    assert lockers["closed_hours_parcels"].sum() > 0
    assert (lockers["no_cell_parcels"] <= lockers["closed_hours_parcels"]).all()
    results = load_results(folder)
    assert "Smart lockers: " in captions(results, "en")["delivery-time"]
    assert "5.00 小时后取件" in captions(results, "zh")["delivery-time"]
