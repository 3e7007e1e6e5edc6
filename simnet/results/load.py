"""Read a results folder back as pandas DataFrames, for analysts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd


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


def load_results(path: str | Path) -> Results:
    """Load the results folder written by ``simnet run``."""
    folder = Path(path)
    document = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    summary = pd.DataFrame.from_dict(document["summary"], orient="index")
    summary.index.name = "metric"
    tables = {file.stem: pd.read_parquet(file) for file in sorted((folder / "tables").glob("*.parquet"))}
    return Results(
        path=folder,
        summary=summary,
        replications=pd.DataFrame.from_records(document["replications"]),
        tables=tables,
        manifest=json.loads((folder / "manifest.json").read_text(encoding="utf-8")),
        scenario_yaml=(folder / "scenario.yaml").read_text(encoding="utf-8"),
    )
