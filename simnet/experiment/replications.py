"""Run a scenario's replications, one after another or in worker processes, and summarise them."""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from simnet.engine.metrics import network_tables, replication_metrics, replication_tables
from simnet.engine.model import DayProgress, run_replication
from simnet.experiment.summary import Estimate, summarise
from simnet.forking import ignore_interrupts
from simnet.planning import StaticPlan, default_planner, plan_for
from simnet.results.table_columns import table_frame
from simnet.results.table_parts import Part, TableParts, packed
from simnet.scenario.models import Scenario

Engine = Literal["fast", "reference"]

ReplicationProgress = Callable[[int, int, int], None]
"""Called after each simulated day with (replication, days done, parcels that day)."""


@dataclass(frozen=True)
class RunResult:
    """A scenario's results in memory: per-replication metrics and tables, and their summary.

    Replications are numbered from 1 in the tables, as the progress bar counts them; ``metrics[i]``
    is replication ``i + 1``. Each replication's tables are packed as soon as it finishes
    (``results/table_parts``), so a run of many replications holds little more than one.
    """

    scenario: Scenario
    metrics: list[dict[str, float]]
    tables: Mapping[str, pd.DataFrame]
    summary: dict[str, Estimate]


def _day_progress(progress: ReplicationProgress | None, replication: int) -> DayProgress | None:
    if progress is None:
        return None
    report = progress

    def day_done(day: int, parcels: int) -> None:
        report(replication, day, parcels)

    return day_done


def run_scenario(
    scenario: Scenario,
    *,
    plan: StaticPlan | None = None,
    progress: ReplicationProgress | None = None,
    on_route_plan: Callable[[str], None] | None = None,
    on_plan: Callable[[StaticPlan], None] | None = None,
    engine: Engine = "fast",
    workers: int = 1,
) -> RunResult:
    """Run every replication of ``scenario`` (its seed, its count) and summarise the metrics.

    ``on_plan`` is handed the static plan before the first replication starts.
    ``engine="reference"`` runs the per-parcel reference engine instead of the fast one.
    ``workers`` > 1 runs replications in that many worker processes at once (where processes
    fork; elsewhere one after another); each replication draws from its own random streams, so
    the results are the same whatever the number of workers.
    """
    static = plan if plan is not None else plan_for(scenario, default_planner(), on_route_plan)
    if on_plan is not None:
        on_plan(static)
    return gather(scenario, static, run_replications(static, engine, range(scenario.replications), workers, progress))


def run_replications(
    plan: StaticPlan,
    engine: Engine,
    replications: range,
    workers: int = 1,
    progress: ReplicationProgress | None = None,
) -> list[Finished]:
    """The metrics and tables of the given replications (0-based indices), in order.

    ``workers`` > 1 runs them in that many forked worker processes at once, where processes fork.
    """
    if workers > 1 and len(replications) > 1 and "fork" in multiprocessing.get_all_start_methods():
        return _in_workers(plan, engine, replications, min(workers, len(replications)), progress)
    return [_one_replication(plan, engine, replication, progress) for replication in replications]


def gather(scenario: Scenario, plan: StaticPlan, finished: list[Finished]) -> RunResult:
    """A run's result from its replications (the first ``len(finished)``, in order) and its plan's tables."""
    metrics = [replication_metrics for replication_metrics, _ in finished]
    parts = {name: [tables[name] for _, tables in finished] for name in finished[0][1]} if finished else {}
    return RunResult(
        scenario=scenario, metrics=metrics, tables=TableParts(parts, plan_tables(plan)), summary=summarise(metrics)
    )


def plan_tables(plan: StaticPlan) -> dict[str, pd.DataFrame]:
    """The tables a run takes whole from its plan: the sites and the planned routes (alike in every replication)."""
    return {name: table_frame(name, rows) for name, rows in network_tables(plan).items()}


Finished = tuple[dict[str, float], dict[str, Part]]
"""One replication's metrics and packed tables."""


def _numbered_frames(tables: dict[str, list[dict[str, Any]]], replication: int) -> dict[str, Part]:
    """A replication's tables, packed, each with its number (counted from 1) as first column."""
    frames = {}
    for name, rows in tables.items():
        frame = table_frame(name, rows)
        if "replication" in frame.columns:
            frame["replication"] = replication + 1
        else:
            frame.insert(0, "replication", replication + 1)
        frames[name] = packed(frame)
    return frames


def _one_replication(
    plan: StaticPlan, engine: Engine, replication: int, progress: ReplicationProgress | None
) -> Finished:
    """Run one replication in this process."""
    day_progress = _day_progress(progress, replication)
    if engine == "reference":
        from simnet.engine.reference import run_reference  # noqa: PLC0415 - loaded only for a reference run

        outcome = run_reference(plan, replication, day_progress)
    else:
        outcome = run_replication(plan, replication, day_progress).outcome()
    return replication_metrics(outcome), _numbered_frames(replication_tables(outcome), replication)


_WORKER_JOB: tuple[StaticPlan, Engine, Any] | None = None
"""What forked workers inherit: the plan, the engine and the queue their progress goes to."""


DONE = -1
"""The day a worker reports after a replication's last: every earlier report of it has arrived (one queue per
worker process keeps its order)."""


def _in_worker(replication: int) -> Finished:
    """A worker's replication; its days done, then ``DONE``, go to the parent through the inherited queue."""
    assert _WORKER_JOB is not None
    plan, engine, days_done = _WORKER_JOB

    def report(replication: int, day: int, parcels: int) -> None:
        days_done.put((replication, day, parcels))

    finished = _one_replication(plan, engine, replication, report)
    days_done.put((replication, DONE, 0))
    return finished


def _in_workers(
    plan: StaticPlan, engine: Engine, replications: range, workers: int, progress: ReplicationProgress | None
) -> list[Finished]:
    """The replications in forked worker processes, gathered in replication order."""
    global _WORKER_JOB  # noqa: PLW0603 - handed to forked children, which inherit module state
    context = multiprocessing.get_context("fork")
    days_done = context.Queue()
    _WORKER_JOB = (plan, engine, days_done)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=ignore_interrupts) as pool:
            futures = [pool.submit(_in_worker, replication) for replication in replications]
            pending = set(futures)
            reported: set[int] = set()
            while pending:
                _, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                _forward(days_done, progress, reported)
            results = [future.result() for future in futures]
            deadline = time.monotonic() + WORKER_REPORT_WAIT_S
            while len(reported) < len(replications) and time.monotonic() < deadline:
                _forward(days_done, progress, reported, wait_s=0.05)  # the last reports, up to each DONE
            return results
    finally:
        _WORKER_JOB = None


WORKER_REPORT_WAIT_S = 5.0
"""Longest wait for finished replications' last reports to come through the queue (they are on their way)."""


def _forward(days_done: Any, progress: ReplicationProgress | None, reported: set[int], wait_s: float = 0.0) -> None:
    """Pass the workers' days done so far on to ``progress`` (waiting ``wait_s`` for the first); note each DONE."""
    while True:
        try:
            replication, day, parcels = days_done.get(timeout=wait_s) if wait_s else days_done.get_nowait()
        except queue.Empty:
            return
        wait_s = 0.0
        if day == DONE:
            reported.add(replication)
        elif progress is not None:
            progress(replication, day, parcels)
