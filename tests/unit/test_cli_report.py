"""``simnet report``: writes the HTML report; a missing or non-results folder is a user error (exit 2)."""

import shutil

import pytest

from simnet.cli import main
from simnet.experiment.replications import run_scenario
from simnet.results.folder import RunInfo, write_results
from simnet.scenario import scenario_from_text

SMALL = """name: small
horizon_days: 1
warmup_days: 0
drain_days: 1
replications: 2
demand: {parcels_per_day: 2000, rural_share: 0.3, pickups_per_village_per_day: 1}
network: {generate: {counties: 1, towns_per_county: 1, villages_per_town: 2}}
hub: {capacity_per_day: 8000}
"""


def test_missing_folder_exits_2(tmp_path, capsys):
    """A folder that does not exist is reported, with exit status 2 and no traceback."""
    assert main(["report", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err
    assert "Traceback" not in err


def test_folder_without_results_exits_2(tmp_path, capsys):
    """A folder that is neither a run nor a sweep is reported, with exit status 2."""
    assert main(["report", str(tmp_path)]) == 2
    assert "not a results folder" in capsys.readouterr().err


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A tiny run's results folder, written once for the module."""
    path = tmp_path_factory.mktemp("cli-report") / "run"
    return write_results(run_scenario(scenario_from_text(SMALL)), path, RunInfo(1.0, "fast", (), ()))


def test_report_writes_the_file_in_the_language_asked(folder, tmp_path):
    """``--lang zh --out FILE`` writes a Chinese report to FILE and exits 0; the default goes to PATH/report.html."""
    assert main(["report", str(folder), "--lang", "zh", "--out", str(tmp_path / "zh.html")]) == 0
    assert '<html lang="zh-CN">' in (tmp_path / "zh.html").read_text(encoding="utf-8")
    assert main(["report", str(folder)]) == 0
    assert (folder / "report.html").exists()


def test_report_of_two_folders_is_the_side_by_side_report(folder, tmp_path):
    """``simnet report A B --out FILE`` writes the side-by-side report, with B − A and the comparison figure."""
    assert main(["report", str(folder), str(folder), "--out", str(tmp_path / "ab.html")]) == 0
    html = (tmp_path / "ab.html").read_text(encoding="utf-8")
    assert 'id="compared-metrics"' in html
    assert '<section id="comparison">' in html


def test_folder_missing_a_table_exits_2(folder, tmp_path, capsys):
    """A run folder without a table this simnet writes (an older simnet's) is a user error naming the table."""
    old = tmp_path / "old"
    shutil.copytree(folder, old)
    (old / "tables" / "cost_to_serve_villages.parquet").unlink()
    assert main(["report", str(old)]) == 2
    err = capsys.readouterr().err
    assert "cost_to_serve_villages" in err
    assert "simnet run" in err
    assert "Traceback" not in err
