"""Sweeps: a scenario run at many points (a grid or zipped values), every point's replications.

Each finished task (one replication of one point) is written at once as its own small file, so
an interrupted or crashed sweep resumes with only what is missing; the sweep table (a row per
point and replication) is written when all tasks are done.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from simnet.experiment.executors import Executor, Task, TaskResult
from simnet.experiment.points import Point
from simnet.network.errors import NetworkError
from simnet.planning import default_planner, plan_for
from simnet.scenario import LoadedScenario, load
from simnet.scenario.layers import Override
from simnet.scenario.models import Scenario

TaskDone = Callable[[TaskResult, int, int], None]
"""Called as each task finishes with (result, tasks done, tasks in all)."""


@dataclass(frozen=True)
class SweepPlan:
    """The validated scenario of every point of a sweep."""

    base_file: str
    overrides: tuple[str, ...]
    points: tuple[Point, ...]
    scenarios: tuple[Scenario, ...]

    @property
    def replications(self) -> tuple[int, ...]:
        """Replications of each point, in point order: a sweep may vary ``replications`` itself."""
        return tuple(scenario.replications for scenario in self.scenarios)

    def tasks(self) -> list[Task]:
        """Every replication of every point, points first, in index order."""
        return [
            Task(point.index, replication, scenario.model_dump(mode="json", by_alias=True))
            for point, scenario in zip(self.points, self.scenarios, strict=True)
            for replication in range(scenario.replications)
        ]


def plan_sweep(base_file: str, overrides: Sequence[str | Override], points: Sequence[Point]) -> SweepPlan:
    """Load and check every point (scenario, network and routes) before anything runs.

    A point that cannot be built is a located ``ScenarioError`` now, not a failure mid-sweep.
    """
    scenarios = []
    for point in points:
        loaded = load(base_file, [*overrides, *point.overrides()])
        _check_buildable(loaded)
        scenarios.append(loaded.scenario)
    texts = tuple(o if isinstance(o, str) else ".".join(o.keys) for o in overrides)
    return SweepPlan(base_file, texts, tuple(points), tuple(scenarios))


def _check_buildable(loaded: LoadedScenario) -> None:
    try:
        plan_for(loaded.scenario, default_planner())
    except NetworkError as error:
        raise loaded.error(error.path, error.message, error.hint) from None


def run_tasks(
    tasks: Sequence[Task],
    executor: Executor,
    store: Callable[[TaskResult], None],
    on_done: TaskDone | None = None,
) -> None:
    """Run tasks, storing each result as it arrives (the store writes it atomically)."""
    total = len(tasks)
    for done, result in enumerate(executor.run(tasks), start=1):
        store(result)
        if on_done is not None:
            on_done(result, done, total)


def result_rows(plan: SweepPlan, results: Sequence[TaskResult]) -> list[dict[str, Any]]:
    """The sweep table: a row per point and replication, in index order, with its parameters."""
    by_key = {(result.point, result.replication): result for result in results}
    rows = []
    for point, replications in zip(plan.points, plan.replications, strict=True):
        for replication in range(replications):
            result = by_key.get((point.index, replication))
            row: dict[str, Any] = {"point": point.index, "replication": replication + 1, **point.parameters}
            row["status"] = "missing" if result is None else ("ok" if result.error is None else "failed")
            row["error"] = "" if result is None or result.error is None else result.error
            row.update(result.metrics if result is not None and result.metrics is not None else {})
            rows.append(row)
    return rows
