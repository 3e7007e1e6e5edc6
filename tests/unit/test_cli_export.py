"""``simnet export``: a run's or a sweep's results as an Excel workbook that pandas reads back, never overwriting."""

import numpy as np
import pandas as pd
import pytest

import simnet
from simnet.cli import main
from simnet.labels import metric_label
from simnet.report.scorecard import scorecard
from simnet.results.excel import HEADERS, RUN_TABLES, SHEETS
from tests.small_city import SMALL_CITY as SMALL


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A run's results folder and its scenario file's folder."""
    here = tmp_path_factory.mktemp("export")
    (here / "small.yaml").write_text(SMALL, encoding="utf-8")
    simnet.run(here / "small.yaml", out=here / "run", report=None, progress=False)
    return here


def as_read_back(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table as pandas reads its sheet: headers in ``lang`` (a metric's label for a metric column), empty text
    as an empty (NaN) cell."""
    column = 1 if lang == "zh" else 0
    headers = {name: HEADERS[name][column] if name in HEADERS else metric_label(name, lang) for name in table.columns}
    return table.replace({"": np.nan}).rename(columns=headers)


def test_run_workbook_has_every_sheet_with_the_tables(folder, capsys):
    """An English export holds summary, scorecard, counties, carriers, costs and trips, each as in the folder."""
    xlsx = folder / "run.xlsx"
    assert main(["export", str(folder / "run"), "--xlsx", str(xlsx)]) == 0
    assert str(xlsx) in capsys.readouterr().out
    results = simnet.load_results(folder / "run")
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert list(sheets) == ["summary", "scorecard", "counties", "carriers", "costs", "trips"]
    for name in RUN_TABLES:
        pd.testing.assert_frame_equal(sheets[name], as_read_back(results.tables[name], "en"), check_dtype=False)
    summary = sheets["summary"].set_index("metric")
    pd.testing.assert_series_equal(summary["mean"], results.summary["mean"], check_names=False)
    targets = scorecard(results.summary, results.scenario())
    assert list(sheets["scorecard"]["value"].fillna(-1)) == [-1 if np.isnan(t.value) else t.value for t in targets]


def test_chinese_workbook_has_chinese_sheets_and_headers(folder):
    """With --lang zh the sheet names and the headers are the Chinese ones; the values are unchanged."""
    xlsx = folder / "run-zh.xlsx"
    assert main(["export", str(folder / "run"), "--xlsx", str(xlsx), "--lang", "zh"]) == 0
    sheets = pd.read_excel(xlsx, sheet_name=None)
    keys = ["summary", "scorecard", *RUN_TABLES]
    assert list(sheets) == [SHEETS[key][1] for key in keys]
    counties = simnet.load_results(folder / "run").tables["counties"]
    pd.testing.assert_frame_equal(sheets["分县"], as_read_back(counties, "zh"), check_dtype=False)
    assert list(sheets["指标汇总"].columns[:2]) == ["指标", "指标名称"]


def test_sweep_workbook_has_the_sweep_and_its_summary(folder):
    """A sweep's export holds its table (a row per point and replication) and its summary (per point and metric)."""
    sweep = folder / "sweep"
    assert main(["sweep", str(folder / "small.yaml"), "--vary", "hub.capacity_per_day=6000,8000",
                 "--replications", "1", "--workers", "1", "--out", str(sweep)]) == 0  # fmt: skip
    xlsx = folder / "sweep.xlsx"
    assert main(["export", str(sweep), "--xlsx", str(xlsx)]) == 0
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert list(sheets) == ["sweep", "summary"]
    results = simnet.load_results(sweep)
    assert len(sheets["sweep"]) == len(results.table) == 2  # 2 points × 1 replication
    assert list(sheets["sweep"]["hub.capacity_per_day"]) == list(results.table["hub.capacity_per_day"])
    np.testing.assert_allclose(sheets["summary"]["mean"], results.summary["mean"], equal_nan=True)


def test_an_existing_file_is_refused_and_kept(folder, capsys):
    """An existing --xlsx file is a user error (exit 2) naming it; its bytes stay, and no temporary file is left."""
    xlsx = folder / "mine.xlsx"
    xlsx.write_bytes(b"my own workbook")
    assert main(["export", str(folder / "run"), "--xlsx", str(xlsx)]) == 2
    assert f"{xlsx} exists already" in capsys.readouterr().err
    assert xlsx.read_bytes() == b"my own workbook"
    assert not [path.name for path in folder.iterdir() if ".partial-" in path.name]


def test_a_folder_that_holds_no_results_is_a_user_error(tmp_path, capsys):
    """A folder that is not a results folder is exit 2 with its name, and no workbook is written."""
    assert main(["export", str(tmp_path), "--xlsx", str(tmp_path / "out.xlsx")]) == 2
    assert "is not a complete results folder" in capsys.readouterr().err
    assert not (tmp_path / "out.xlsx").exists()
