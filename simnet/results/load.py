"""Read a results folder back as pandas DataFrames, for analysts.

Metrics with no value (NaN, written as JSON null) come back as NaN in float columns, whatever the
number of replications, so a one-replication run reads like any other. A folder that is missing
a file or holds a damaged one raises ``UnreadableResultsError`` naming it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from simnet.scenario import Scenario, scenario_from_text

ESTIMATE_COLUMNS = ("mean", "ci_low", "ci_high")
"""Summary columns that are numbers (NaN where a replication or two could not give one)."""


class UnreadableResultsError(ValueError):
    """A results folder lacks a file or holds one that cannot be read; the message names it."""


@dataclass(frozen=True)
class Results:
    """A run's results: summary and per-replication metrics, tables, manifest and the resolved scenario."""

    path: Path
    summary: pd.DataFrame
    replications: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    manifest: dict[str, Any]
    scenario_yaml: str

    @property
    def parcels(self) -> pd.DataFrame:
        """The parcel sample."""
        return self.tables["parcels"]

    def scenario(self) -> Scenario:
        """The resolved scenario the run was made from (its saved ``scenario.yaml``)."""
        return scenario_from_text(self.scenario_yaml, str(self.path / "scenario.yaml"))


@dataclass(frozen=True)
class SweepResults:
    """A sweep's results: a row per point and replication, the per-point summary, the spec and manifest."""

    path: Path
    table: pd.DataFrame
    summary: pd.DataFrame
    spec: dict[str, Any]
    manifest: dict[str, Any]


def load_results(path: str | Path) -> Results | SweepResults:
    """Load the folder written by ``simnet run`` (a run) or ``simnet sweep`` (a sweep).

    Raises ``UnreadableResultsError`` for a folder that lacks a file or holds a damaged one.
    """
    folder = Path(path)
    try:
        return _load(folder)
    except (OSError, ValueError, KeyError, TypeError) as error:  # pyarrow's errors are OSError and ValueError
        detail = f"{type(error).__name__}: {error}" if not isinstance(error, OSError) else str(error.strerror or error)
        raise UnreadableResultsError(
            f"{folder} is not a complete results folder of simnet ({detail}); give a folder that 'simnet run' or "
            "'simnet sweep' wrote"
        ) from None


def _load(folder: Path) -> Results | SweepResults:
    if (folder / "sweep.json").exists():
        return SweepResults(
            path=folder,
            table=pd.read_parquet(folder / "sweep.parquet"),
            summary=pd.read_parquet(folder / "summary.parquet"),
            spec=json.loads((folder / "sweep.json").read_text(encoding="utf-8")),
            manifest=json.loads((folder / "manifest.json").read_text(encoding="utf-8")),
        )
    document = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    summary = pd.DataFrame.from_dict(document["summary"], orient="index")
    summary.index.name = "metric"
    for column in ESTIMATE_COLUMNS:
        if column in summary:
            summary[column] = summary[column].astype(float)
    replications = pd.DataFrame.from_records(document["replications"])
    metrics = [column for column in replications.columns if column != "replication"]
    replications[metrics] = replications[metrics].astype(float)
    tables = {file.stem: pd.read_parquet(file) for file in sorted((folder / "tables").glob("*.parquet"))}
    return Results(
        path=folder,
        summary=summary,
        replications=replications,
        tables=tables,
        manifest=json.loads((folder / "manifest.json").read_text(encoding="utf-8")),
        scenario_yaml=(folder / "scenario.yaml").read_text(encoding="utf-8"),
    )
