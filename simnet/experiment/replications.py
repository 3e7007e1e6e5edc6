"""Run a scenario's replications one after another on one core and summarise them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from simnet.engine.metrics import network_tables, replication_metrics, replication_tables
from simnet.engine.model import DayProgress, run_replication
from simnet.engine.reference import run_reference
from simnet.experiment.summary import Estimate, summarise
from simnet.planning import StaticPlan, default_planner, plan_for
from simnet.scenario.models import Scenario

Engine = Literal["fast", "reference"]

ReplicationProgress = Callable[[int, int, int], None]
"""Called after each simulated day with (replication, days done, parcels that day)."""


@dataclass(frozen=True)
class RunResult:
    """A scenario's results in memory: per-replication metrics and tables, and their summary."""

    scenario: Scenario
    metrics: list[dict[str, float]]
    tables: dict[str, list[dict[str, Any]]]
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
    engine: Engine = "fast",
) -> RunResult:
    """Run every replication of ``scenario`` (its seed, its count) and summarise the metrics.

    ``engine="reference"`` runs the per-parcel reference engine instead of the fast one.
    """
    static = plan if plan is not None else plan_for(scenario, default_planner(), on_route_plan)
    metrics: list[dict[str, float]] = []
    tables: dict[str, list[dict[str, Any]]] = {}
    for replication in range(scenario.replications):
        day_progress = _day_progress(progress, replication)
        if engine == "reference":
            outcome = run_reference(static, replication, day_progress)
        else:
            outcome = run_replication(static, replication, day_progress).outcome()
        metrics.append(replication_metrics(outcome))
        for name, rows in replication_tables(outcome).items():
            tables.setdefault(name, []).extend({"replication": replication, **row} for row in rows)
    tables.update(network_tables(static))
    return RunResult(scenario=scenario, metrics=metrics, tables=tables, summary=summarise(metrics))
