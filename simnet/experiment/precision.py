"""Run replications until every key metric is known to a relative precision: Law & Kelton's sequential procedure.

The rule (Law, *Simulation Modeling and Analysis*, §9.4.1, relative precision): to estimate each
mean with a relative error of at most γ, run n₀ replications, then one more at a time, and stop at
the first n where every key metric's Student-t half-width δ(n) = t₀.₉₇₅,ₙ₋₁ · s(n) / √n satisfies
δ(n) ≤ γ' · |mean(n)|, with the corrected γ' = γ / (1 + γ) (a half-width of γ' of the estimate is a
relative error of at most γ of the true mean). n₀ is ``MIN_REPLICATIONS`` = 10, Law's recommendation
(with γ ≤ 0.15) from the procedure's measured coverage; below it s is too unsure to stop on.

A metric with no value in any replication (not measured) takes no part; one that is 0 in every
replication meets the rule (δ = 0). Replication r draws from the same random streams as in a run of
fixed length, so stopping at n gives exactly the results of ``--replications n``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from simnet.experiment.replications import (
    Engine,
    Finished,
    ReplicationProgress,
    RunResult,
    gather,
    run_replications,
)
from simnet.experiment.summary import t_half_width
from simnet.metric_names import KEY_METRICS
from simnet.planning import StaticPlan, default_planner, plan_for
from simnet.scenario.models import Scenario

MIN_REPLICATIONS = 10
"""n₀: replications run before the rule is first checked."""

DEFAULT_MAX_REPLICATIONS = 50
"""Replications after which the procedure stops whether or not the rule holds."""


def corrected_precision(precision: float) -> float:
    """γ' = γ / (1 + γ): the half-width, as a share of the estimate, that bounds the relative error by γ."""
    return precision / (1 + precision)


def shortfall(values: Sequence[float], precision: float) -> float:
    """δ(n) / (γ' · |mean|) of one metric's values (NaN ignored): at most 1 when the rule holds.

    0 with no spread (a constant metric, 0 included); infinite when the mean is 0 and the values spread.
    """
    finite = [value for value in values if not math.isnan(value)]
    half = t_half_width(finite)
    if math.isnan(half) or half == 0:
        return 0.0
    limit = corrected_precision(precision) * abs(sum(finite) / len(finite))
    return math.inf if limit == 0 else half / limit


@dataclass(frozen=True)
class Stop:
    """Where the procedure stopped: n, whether the rule held, and the metric that decided.

    ``decided_by`` is the last metric to meet the rule (the widest one at n when it held at n₀ at
    once), or, when ``met`` is False, the metric furthest from it at the maximum.
    """

    replications: int
    met: bool
    decided_by: str | None
    shortfall: float
    """The deciding metric's δ / (γ' · |mean|) at n."""


def _shortfalls(metrics: Sequence[dict[str, float]], names: Sequence[str], precision: float) -> dict[str, float]:
    """Each measured metric's shortfall over ``metrics`` (metrics without any value left out)."""
    result = {}
    for name in names:
        values = [row[name] for row in metrics if name in row]
        if any(not math.isnan(value) for value in values):
            result[name] = shortfall(values, precision)
    return result


def sequential(
    run_batch: Callable[[range], list[dict[str, float]]],
    precision: float,
    max_replications: int = DEFAULT_MAX_REPLICATIONS,
    names: Sequence[str] = KEY_METRICS,
    min_replications: int = MIN_REPLICATIONS,
    batch: int = 1,
) -> Stop:
    """Check the rule at n = n₀, n₀ + 1, … up to the maximum and stop at the first n where every metric meets it.

    ``run_batch(range(i, j))`` returns the metrics of replications i to j − 1, in order. Past n₀ they
    are asked for ``batch`` at a time (as many as run at once in workers); the rule is still checked at
    every n, so replications run beyond the stopping n are left out of it.
    """
    if precision <= 0:
        raise ValueError("precision must be positive.")
    if not 2 <= min_replications <= max_replications:
        raise ValueError(f"the maximum of replications must be at least {min_replications}.")
    metrics = run_batch(range(min_replications))
    previous: dict[str, float] = {}
    count = min_replications
    while True:
        now = _shortfalls(metrics[:count], names, precision)
        failing = {name: value for name, value in now.items() if value > 1}
        if not failing or count == max_replications:
            return _stop(count, now, failing, previous)
        previous = failing
        count += 1
        if count > len(metrics):
            metrics += run_batch(range(len(metrics), min(len(metrics) + max(batch, 1), max_replications)))


def _stop(count: int, now: dict[str, float], failing: dict[str, float], previous: dict[str, float]) -> Stop:
    """The stop at ``count``: met when nothing fails; the deciding metric picked as :class:`Stop` says."""
    if failing:
        name = max(failing, key=lambda key: failing[key])
        return Stop(count, False, name, failing[name])
    pool = previous or now
    if not pool or max(pool.values()) == 0:
        return Stop(count, True, None, 0.0)
    name = max(pool, key=lambda key: pool[key])
    return Stop(count, True, name, now[name])


@dataclass(frozen=True)
class PrecisionRun:
    """A run of as many replications as the precision asked: the results and where the procedure stopped."""

    result: RunResult
    stop: Stop
    precision: float


def run_to_precision(
    scenario: Scenario,
    precision: float,
    max_replications: int = DEFAULT_MAX_REPLICATIONS,
    *,
    plan: StaticPlan | None = None,
    progress: ReplicationProgress | None = None,
    on_route_plan: Callable[[str], None] | None = None,
    on_plan: Callable[[StaticPlan], None] | None = None,
    engine: Engine = "fast",
    workers: int = 1,
) -> PrecisionRun:
    """Run ``scenario``'s replications, ``workers`` at a time, until the sequential rule stops them.

    ``on_plan`` is handed the static plan before the first replication starts.
    The result is that of the scenario with ``replications`` = n, the count where the procedure stopped:
    each replication is run and its tables joined by the same functions ``run_scenario`` uses.
    """
    static = plan if plan is not None else plan_for(scenario, default_planner(), on_route_plan)
    if on_plan is not None:
        on_plan(static)
    finished: list[Finished] = []

    def run_batch(replications: range) -> list[dict[str, float]]:
        done = run_replications(static, engine, replications, workers, progress)
        finished.extend(done)
        return [replication_metrics for replication_metrics, _ in done]

    stop = sequential(run_batch, precision, max_replications, batch=workers)
    ran = scenario.model_copy(update={"replications": stop.replications})
    return PrecisionRun(gather(ran, static, finished[: stop.replications]), stop, precision)


def stop_note(run: PrecisionRun) -> str:
    """One line for the terminal: how many replications, against what precision, and which metric decided."""
    stop = run.stop
    asked = f"±{run.precision:.1%} (half-width ≤ {corrected_precision(run.precision):.2%} of the mean)"
    if stop.met and stop.decided_by is None:
        return f"precision {asked}: met after {stop.replications} replications (no metric varied)"
    if stop.met:
        return (
            f"precision {asked}: met after {stop.replications} replications; decided by {stop.decided_by} "
            f"(the last metric to meet it; its half-width now {stop.shortfall:.0%} of the allowed)"
        )
    worst = "its mean is 0" if math.isinf(stop.shortfall) else f"{stop.shortfall:.1f}× the allowed half-width"
    return (
        f"precision {asked}: NOT met after the maximum of {stop.replications} replications; "
        f"{stop.decided_by} is furthest from it ({worst}); raise --max-replications or relax --precision"
    )
