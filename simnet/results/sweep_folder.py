"""A sweep's folder: its specification, one file per finished task, and the tables at the end.

``sweep.json`` says what the sweep is; ``tasks/`` holds each finished task as it completes
(written under a temporary name and renamed), so ``--resume`` knows what is missing; at the end
``sweep.parquet`` (a row per point and replication), ``summary.parquet`` (a row per point and
metric: mean, 95 % CI, n) and ``manifest.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from simnet.experiment.executors import TaskResult
from simnet.experiment.summary import estimate
from simnet.experiment.sweep import SweepPlan
from simnet.metric_names import EXTRA_METRICS, KEY_METRICS
from simnet.results.folder import ResultsExistError, _plain


class SweepMismatchError(Exception):
    """``--resume`` pointed at a folder made for a different sweep."""


def sweep_spec(plan: SweepPlan) -> dict[str, Any]:
    """What identifies a sweep: its base file, overrides, points and each point's full scenario."""
    return {
        "base_file": plan.base_file,
        "overrides": list(plan.overrides),
        "points": [{"point": p.index, **{k: _plain(v) for k, v in p.parameters.items()}} for p in plan.points],
        "replications": plan.replications,
        "scenario_sha256": [
            hashlib.sha256(s.model_dump_json(exclude={"sweep"}).encode()).hexdigest() for s in plan.scenarios
        ],
    }


def write_atomically(path: Path, text: str) -> None:
    """Write a file under a temporary name in its folder, then rename it into place."""
    temporary = path.with_name(f".{path.name}.partial-{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


class SweepFolder:
    """Reads and writes one sweep's folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tasks = path / "tasks"

    def open(self, spec: dict[str, Any], *, resume: bool) -> None:
        """Start a new sweep folder, or, resuming, check it belongs to this very sweep."""
        stored = self.path / "sweep.json"
        if self.path.exists() and not resume:
            raise ResultsExistError(f"{self.path} exists already")
        if resume and stored.exists():
            if json.loads(stored.read_text(encoding="utf-8")) != json.loads(json.dumps(spec)):
                raise SweepMismatchError(
                    f"{self.path} holds a different sweep (other scenario, values or replications)"
                )
            return
        self.tasks.mkdir(parents=True, exist_ok=True)
        write_atomically(stored, json.dumps(spec, indent=2, ensure_ascii=False) + "\n")

    def finished(self) -> list[TaskResult]:
        """The tasks already done successfully (a failed task counts as missing, so it runs again)."""
        results = []
        for file in sorted(self.tasks.glob("p*-r*.json")):
            data = json.loads(file.read_text(encoding="utf-8"))
            if data.get("error") is None:
                metrics = {k: float("nan") if v is None else v for k, v in data["metrics"].items()}
                results.append(TaskResult(data["point"], data["replication"], metrics, None))
        return results

    def store(self, result: TaskResult) -> None:
        """Write one finished task (metrics or error) as its own file."""
        metrics = None if result.metrics is None else {k: _plain(v) for k, v in result.metrics.items()}
        document = {"point": result.point, "replication": result.replication, "metrics": metrics, "error": result.error}
        name = f"p{result.point:04d}-r{result.replication:04d}.json"
        write_atomically(self.tasks / name, json.dumps(document, allow_nan=False) + "\n")

    def finish(
        self, rows: Sequence[dict[str, Any]], parameters: Sequence[str], manifest: dict[str, Any]
    ) -> pd.DataFrame:
        """Write the sweep table, its per-point summary and the manifest; return the summary."""
        table = pd.DataFrame.from_records(rows)
        summary = summarise_points(table, parameters)
        for name, frame in (("sweep", table), ("summary", summary)):
            temporary = self.path / f".{name}.parquet.partial-{os.getpid()}"
            frame.to_parquet(temporary, index=False)
            os.replace(temporary, self.path / f"{name}.parquet")
        write_atomically(self.path / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        return summary


def summarise_points(table: pd.DataFrame, parameters: Sequence[str]) -> pd.DataFrame:
    """Mean, 95 % CI and n of every metric at every point, over its successful replications."""
    metrics = [name for name in (*KEY_METRICS, *EXTRA_METRICS) if name in table.columns]
    rows = []
    for point, group in table[table["status"] == "ok"].groupby("point", sort=True):
        values = {name: group[name].iloc[0] for name in parameters}
        for metric in metrics:
            rows.append(
                {"point": point, **values, "metric": metric, **estimate(group[metric].astype(float).tolist()).as_dict()}
            )
    return pd.DataFrame.from_records(rows)
