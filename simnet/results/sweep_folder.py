"""A sweep's folder: its specification, one file per finished task, and the tables at the end.

``sweep.json`` says what the sweep is; ``tasks/`` holds each finished task as it completes
(written under a temporary name and renamed, with a checksum: ``task_file.py``), so ``--resume``
knows what is missing and re-runs any task whose file is damaged; at the end
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
from simnet.results.staging import remove_stale_leftovers, staging_path
from simnet.results.task_file import DamagedTaskFileError, read_task_file, task_file_name, task_file_text

TASK_FILE_BYTES = 2_000
"""A task file on disk: about 30 metrics as JSON numbers and a checksum (1.2 kB), rounded up."""

TABLES_BYTES_PER_TASK = 1_000
"""A task's row in ``sweep.parquet`` and its share of ``summary.parquet``, uncompressed."""

FIXED_SWEEP_BYTES = 2_000_000
"""``sweep.json``, ``manifest.json`` and a report, whatever the number of tasks."""


def sweep_output_bytes(plan: SweepPlan) -> int:
    """Room a sweep's folder needs on its drive."""
    return FIXED_SWEEP_BYTES + sum(plan.replications) * (TASK_FILE_BYTES + TABLES_BYTES_PER_TASK)


class SweepMismatchError(Exception):
    """``--resume`` pointed at a folder made for a different sweep."""


def sweep_spec(plan: SweepPlan) -> dict[str, Any]:
    """What identifies a sweep: its base file, overrides, points and each point's full scenario."""
    return {
        "base_file": plan.base_file,
        "overrides": list(plan.overrides),
        "points": [{"point": p.index, **{k: _plain(v) for k, v in p.parameters.items()}} for p in plan.points],
        "replications": _replications(plan),
        "scenario_sha256": [
            hashlib.sha256(s.model_dump_json(exclude={"sweep"}).encode()).hexdigest() for s in plan.scenarios
        ],
    }


def _replications(plan: SweepPlan) -> int | list[int]:
    """Replications per point: one number when all points have the same (as older sweep folders hold), else a list."""
    counts = plan.replications
    return counts[0] if len(set(counts)) == 1 else list(counts)


def write_atomically(path: Path, text: str) -> None:
    """Write a file under a temporary name in its folder, then rename it into place."""
    temporary = staging_path(path)
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
            try:
                written = json.loads(stored.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise SweepMismatchError(f"{stored} cannot be read, so this folder cannot be resumed") from None
            if written != json.loads(json.dumps(spec)):
                raise SweepMismatchError(
                    f"{self.path} holds a different sweep (other scenario, values or replications)"
                )
            self.tasks.mkdir(exist_ok=True)
            remove_stale_leftovers(self.tasks)
            return
        self.tasks.mkdir(parents=True, exist_ok=True)
        write_atomically(stored, json.dumps(spec, indent=2, ensure_ascii=False) + "\n")

    def finished(self) -> tuple[list[TaskResult], list[str]]:
        """The tasks done successfully, and a warning for each task file that cannot be trusted.

        A failed task counts as missing, and so does a damaged file (truncated, edited, foreign): both run again.
        """
        results: list[TaskResult] = []
        warnings: list[str] = []
        for file in sorted(self.tasks.glob("p*-r*.json")):
            try:
                result = read_task_file(file)
            except DamagedTaskFileError as error:
                warnings.append(f"{file} {error}; its task runs again")
                continue
            if result.error is None:
                results.append(result)
        return results, warnings

    def store(self, result: TaskResult) -> None:
        """Write one finished task (metrics or error) as its own file, with its checksum."""
        write_atomically(self.tasks / task_file_name(result.point, result.replication), task_file_text(result))

    def finish(
        self, rows: Sequence[dict[str, Any]], parameters: Sequence[str], manifest: dict[str, Any]
    ) -> pd.DataFrame:
        """Write the sweep table, its per-point summary and the manifest; return the summary."""
        table = pd.DataFrame.from_records(rows)
        summary = summarise_points(table, parameters)
        for name, frame in (("sweep", table), ("summary", summary)):
            temporary = staging_path(self.path / f"{name}.parquet")
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
            interval = estimate(group[metric].astype(float).tolist(), metric)
            rows.append({"point": point, **values, "metric": metric, **interval.as_dict()})
    return pd.DataFrame.from_records(rows)
