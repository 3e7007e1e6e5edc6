"""An Excel workbook of a run's or a sweep's results, one sheet per table, headers in the report's language.

A run gives the sheets summary, scorecard, counties, carriers, costs and trips; a sweep gives
sweep (a row per point and replication) and summary (a row per point and metric). Values are
those of the results folder; only the headers and the sheet names are translated (a column this
module does not know keeps its own name, a metric column takes the metric's label).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from simnet.labels import Lang, metric_label
from simnet.report.i18n import say
from simnet.report.scorecard import scorecard, target_label
from simnet.results.load import Results, SweepResults
from simnet.results.output_location import OutputLocationError
from simnet.results.staging import staging_path

EXCEL_MAX_ROWS = 1_048_576
"""Rows of an Excel sheet, its header included."""

RUN_TABLES = ("counties", "carriers", "costs", "trips")
"""The results-folder tables a run's workbook holds, after its summary and scorecard."""

SHEETS: dict[str, tuple[str, str]] = {
    "summary": ("summary", "指标汇总"),
    "scorecard": ("scorecard", "目标对照"),
    "counties": ("counties", "分县"),
    "carriers": ("carriers", "分快递企业"),
    "costs": ("costs", "成本明细"),
    "trips": ("trips", "车次与里程"),
    "sweep": ("sweep", "参数扫描"),
}
"""Sheet key → (English, Chinese) sheet name."""

HEADERS: dict[str, tuple[str, str]] = {
    "replication": ("replication", "重复次序"),
    "point": ("sweep point", "扫描点"),
    "metric": ("metric", "指标"),
    "label": ("label", "指标名称"),
    "mean": ("mean", "均值"),
    "ci_low": ("95% CI, low", "95% 置信区间下限"),
    "ci_high": ("95% CI, high", "95% 置信区间上限"),
    "n": ("replications (n)", "重复次数"),
    "target": ("target", "目标"),
    "direction": ("met when", "达标条件"),
    "value": ("value", "实际"),
    "status": ("status", "结论"),
    "unit": ("unit", "单位"),
    "county": ("county", "县"),
    "carrier": ("carrier", "快递企业"),
    "name": ("name", "名称"),
    "in_park": ("in the park", "入驻共配园区"),
    "delivered": ("delivered", "送达件量"),
    "cost_cny": ("cost (CNY)", "成本（元）"),
    "tier": ("tier", "层级"),
    "vehicle_type": ("vehicle type", "车型"),
    "kind": ("kind", "成本类别"),
    "day": ("day", "天"),
    "diesel_l": ("diesel (l)", "柴油（升）"),
    "energy_kwh": ("electricity (kWh)", "电量（千瓦时）"),
    "error": ("error", "错误"),
}
"""Column → (English, Chinese) header of the columns that are not metrics; a metric column takes its label."""


class WorkbookExistsError(OutputLocationError):
    """The workbook file exists already; an export never overwrites a file."""


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[1] if lang == "zh" else pair[0]


def _header(column: str, lang: Lang) -> str:
    """The column's header in ``lang``: known columns and metrics translated, others (varied keys) as they are."""
    if column in HEADERS:
        return _pick(HEADERS[column], lang)
    return metric_label(column, lang)


def _translated(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    return frame.rename(columns={column: _header(str(column), lang) for column in frame.columns})


def _labelled(summary: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """A summary (a row per metric, or per point and metric) with each metric's label beside its name."""
    frame = summary.copy()
    frame.insert(frame.columns.get_loc("metric") + 1, "label", [metric_label(str(name), lang) for name in frame.metric])
    return frame


def _scorecard_sheet(results: Results, lang: Lang) -> pd.DataFrame:
    """The scenario's targets: each with its value, the threshold (≥ or ≤), status (met, missed, not measured), unit."""
    rows = []
    for target in scorecard(results.summary, results.scenario()):
        status = target.why_unknown if target.met is None else ("met" if target.met else "missed")
        rows.append(
            {
                "label": target_label(target, lang),
                "value": target.value,
                "direction": "≥" if target.direction == "at_least" else "≤",
                "target": target.target,
                "status": say(status, lang),
                "unit": target.unit,
            }
        )
    return pd.DataFrame(rows, columns=["label", "value", "direction", "target", "status", "unit"])


def workbook_sheets(results: Results | SweepResults, lang: Lang = "en") -> dict[str, pd.DataFrame]:
    """Every sheet of the workbook by its key (see ``SHEETS``), with headers still the column names."""
    if isinstance(results, SweepResults):
        return {"sweep": results.table, "summary": _labelled(results.summary, lang)}
    return {
        "summary": _labelled(results.summary.reset_index(), lang),
        "scorecard": _scorecard_sheet(results, lang),
        **{name: results.tables[name] for name in RUN_TABLES},
    }


def write_workbook(results: Results | SweepResults, target: str | Path, lang: Lang = "en") -> Path:
    """Write the results' Excel workbook to ``target`` (``.xlsx``) and return its path; never overwrites.

    The file is written under a temporary name in the same folder and renamed when complete, so a
    failed export leaves nothing. Raises ``WorkbookExistsError`` if ``target`` exists, and
    ``OutputLocationError`` for a table longer than an Excel sheet.
    """
    path = Path(target)
    _refuse_existing(path)
    sheets = workbook_sheets(results, lang)
    for key, frame in sheets.items():
        if len(frame) >= EXCEL_MAX_ROWS:
            raise OutputLocationError(
                f"the table {key} has {len(frame):,} rows, more than an Excel sheet holds ({EXCEL_MAX_ROWS - 1:,}); "
                "read it from the results folder's parquet files instead"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = staging_path(path)
    try:
        with pd.ExcelWriter(temporary, engine="openpyxl") as writer:
            for key, frame in sheets.items():
                _translated(frame, lang).to_excel(writer, sheet_name=_pick(SHEETS[key], lang), index=False)
        _refuse_existing(path)  # again: writing may have taken a while
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def _refuse_existing(path: Path) -> None:
    if path.exists() or path.is_symlink():
        raise WorkbookExistsError(f"{path} exists already; choose another file name (an export never overwrites one)")
