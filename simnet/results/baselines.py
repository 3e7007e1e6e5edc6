"""Release regression baselines: the key metrics of every shipped scenario, kept as reviewed data.

A baseline file ``results/baselines/<scenario-stem>.json`` records one small run of a scenario:
the scenario file's name, the overrides that shrink it to a CI-sized run (:func:`small_run_overrides`),
the number of replications, the seed and simnet version, and for every key metric (DESIGN.md §5) the
mean, its 95 % confidence interval, n, the per-replication standard deviation and each replication's
value (``values``, replication 1 first; replication r draws its random numbers from the stored seed's
stream r − 1, so the same seed and count repeat every replication exactly). Values are rounded to
six significant digits and written with sorted keys and one metric per block, so that the diff of
``simnet baseline update`` shows what moved and nothing else.

When a metric has moved
-----------------------
``check`` re-runs the stored seed and replications, so each fresh replication meets the stored one
with the same random numbers (common random numbers) and the test is on the paired differences
d_r = new_r − old_r of the rounded values. The metric has *moved* when

    |mean(d)| > max(t × sd(d) / sqrt(n), 1e-4 × max(1, |mean_old|))

with ``t`` the Student-t quantile 1 − 0.001/2 on n − 1 degrees of freedom (a 99.9 % paired t-test:
one check tests some 24 metrics of each of several scenarios). So:

- an unchanged model gives identical numbers, every d_r is exactly 0, and nothing moves;
- a change that shifts every replication alike (sd(d) = 0, a deterministic shift) has moved as soon
  as the shift passes the floor;
- the floor, 0.01 % of the metric (0.0001 for metrics below 1), is ten times the six-digit rounding
  of the file, so that a last-bit difference of floating point on another machine, which can turn
  a rounding, is not a move; any change of 1 % or more that is consistent over the replications is.

Without pairs (a baseline of another seed or replication count, as after a seed change in the
scenario file) the means are compared as independent samples: moved when
|mean_new − mean_old| > max(t × sqrt(s_old²/n_old + s_new²/n_new), 1e-9 × max(1, |mean_old|)) with
Welch–Satterthwaite degrees of freedom. A side with fewer than two values has no known spread and
adds nothing to the sum. A metric that is undefined (NaN, stored as ``null``) on one side only, in
the mean or in a replication, or present on one side only, has moved.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from simnet import __version__
from simnet.experiment.replications import ReplicationProgress, RunResult, run_scenario
from simnet.metric_names import KEY_METRICS
from simnet.network.errors import NetworkError
from simnet.scenario import LoadedScenario, Scenario, load

FORMAT = 2
"""Version of the file layout; bumped when a field changes meaning (2: each replication's value)."""

DEFAULT_REPLICATIONS = 5
"""Replications of a baseline run: enough for a standard deviation, few enough for CI."""

SMALL_COUNTIES = 2
"""A generated city shrinks to this many counties; the rural share shrinks with it."""

SMALL_HORIZON_DAYS = 3
"""Measured days of a small run (longer when a peak day lies later)."""

SMALL_DRAIN_DAYS = 2
"""Days after the horizon for the measured parcels to finish."""

CONFIDENCE = 0.999
"""Two-sided level of the interval of a difference of independent means outside which a metric has moved."""

PAIRED_CONFIDENCE = 0.99
"""Two-sided level of the paired t-test: an unchanged model has no noise to guard against (module docstring)."""

ABSOLUTE_FLOOR = 1e-9
"""Without pairs, the tolerance is never below this times max(1, |mean|): metrics without spread."""

PAIRED_FLOOR = 1e-4
"""With pairs, a mean difference within this times max(1, |mean|) is rounding, not a move."""

SIGNIFICANT_DIGITS = 6
"""Digits kept in the file, so that the diff shows what moved and not floating-point noise."""


class BaselineError(Exception):
    """A baseline file that is missing, unreadable or not a baseline; the message says which and how to fix it."""


@dataclass(frozen=True)
class MetricBaseline:
    """One metric over a run's replications: mean, 95 % interval, n, SD per replication (NaN if unknown), values."""

    mean: float
    ci_low: float
    ci_high: float
    n: int
    sd: float
    values: tuple[float, ...] = ()
    """Each replication's value, replication 1 first (NaN where undefined); empty when not kept."""


@dataclass(frozen=True)
class Baseline:
    """The stored key metrics of one small run of a scenario file, and how to repeat the run."""

    scenario: str
    """The scenario file's name, e.g. ``baseline.yaml``."""
    overrides: tuple[str, ...]
    """``--set`` overrides that shrink the scenario (replications not among them)."""
    replications: int
    seed: int
    simnet_version: str
    metrics: dict[str, MetricBaseline]

    def run_overrides(self) -> tuple[str, ...]:
        """The overrides that repeat this run: the shrinking ones, the replication count and the seed."""
        return (*self.overrides, f"replications={self.replications}", f"seed={self.seed}")


@dataclass(frozen=True)
class Moved:
    """A metric whose mean moved beyond its tolerance (``None``: undefined or absent on that side)."""

    metric: str
    old: float | None
    new: float | None
    tolerance: float | None


def significant(value: float, digits: int = SIGNIFICANT_DIGITS) -> float:
    """``value`` rounded to ``digits`` significant digits (NaN and infinities unchanged)."""
    if not math.isfinite(value) or value == 0:
        return value
    return float(f"{value:.{digits}g}")


def small_run_overrides(scenario: Scenario) -> tuple[str, ...]:
    """Overrides that shrink a scenario to a run of seconds while keeping what it is about.

    A generated city keeps its hub volume and shrinks to two counties; the rural share shrinks with
    the counties, so that each village gets the volume it has in the full city. Three days are
    measured, or as many as reach the last peak day, and two drain days follow.
    """
    overrides: list[str] = []
    generate = scenario.network.generate
    if generate is not None and generate.counties > SMALL_COUNTIES:
        share = scenario.demand.rural_share * SMALL_COUNTIES / generate.counties
        overrides += [f"network.generate.counties={SMALL_COUNTIES}", f"demand.rural_share={share:.6g}"]
    last_peak = max((peak.day for peak in scenario.demand.peak_days), default=0)
    horizon = max(SMALL_HORIZON_DAYS, last_peak)
    if horizon < scenario.horizon_days:
        overrides.append(f"horizon_days={horizon}")
    if scenario.drain_days > SMALL_DRAIN_DAYS:
        overrides.append(f"drain_days={SMALL_DRAIN_DAYS}")
    return tuple(overrides)


def load_small(path: str | Path, replications: int = DEFAULT_REPLICATIONS) -> tuple[LoadedScenario, tuple[str, ...]]:
    """The scenario at ``path`` shrunk by :func:`small_run_overrides`, and those overrides."""
    if replications < 2:
        raise BaselineError(f"a baseline needs at least 2 replications for its spread, not {replications}")
    overrides = small_run_overrides(load(path).scenario)
    return load(path, [*overrides, f"replications={replications}"]), overrides


def run_loaded(
    loaded: LoadedScenario,
    progress: ReplicationProgress | None = None,
    on_route_plan: Callable[[str], None] | None = None,
) -> RunResult:
    """Run a loaded scenario; a network it cannot drive becomes a located ``ScenarioError``."""
    try:
        return run_scenario(loaded.scenario, progress=progress, on_route_plan=on_route_plan)
    except NetworkError as error:
        raise loaded.error(error.path, error.message, error.hint) from None


def baseline_from_result(result: RunResult, scenario_file: str, overrides: Sequence[str]) -> Baseline:
    """The baseline of a run: every key metric's summary and spread, rounded as in the file."""
    metrics: dict[str, MetricBaseline] = {}
    for name in KEY_METRICS:
        estimate = result.summary[name]
        values = np.asarray([replication[name] for replication in result.metrics], dtype=np.float64)
        finite = values[~np.isnan(values)]
        sd = float(finite.std(ddof=1)) if len(finite) >= 2 else math.nan
        metrics[name] = MetricBaseline(
            mean=significant(estimate.mean),
            ci_low=significant(estimate.ci_low),
            ci_high=significant(estimate.ci_high),
            n=estimate.n,
            sd=significant(sd),
            values=tuple(significant(float(value)) for value in values),
        )
    return Baseline(
        scenario=Path(scenario_file).name,
        overrides=tuple(overrides),
        replications=result.scenario.replications,
        seed=result.scenario.seed,
        simnet_version=__version__,
        metrics=metrics,
    )


def compute_baseline(path: str | Path, replications: int = DEFAULT_REPLICATIONS) -> Baseline:
    """Run the scenario at ``path`` small (:func:`small_run_overrides`) and return its baseline."""
    loaded, overrides = load_small(path, replications)
    return baseline_from_result(run_loaded(loaded), str(path), overrides)


def rerun(baseline: Baseline, path: str | Path) -> Baseline:
    """Repeat a baseline's run (its overrides, replications and seed) on the scenario file at ``path``."""
    loaded = load(path, baseline.run_overrides())
    return baseline_from_result(run_loaded(loaded), str(path), baseline.overrides)


def baseline_path(folder: str | Path, scenario_file: str | Path) -> Path:
    """Where the baseline of a scenario file lives: ``<folder>/<scenario-stem>.json``."""
    return Path(folder) / f"{Path(scenario_file).stem}.json"


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def baseline_document(baseline: Baseline) -> dict[str, Any]:
    """The baseline as plain JSON data (NaN as ``null``)."""
    return {
        "format": FORMAT,
        "scenario": baseline.scenario,
        "overrides": list(baseline.overrides),
        "replications": baseline.replications,
        "seed": baseline.seed,
        "simnet_version": baseline.simnet_version,
        "tolerance": (
            f"re-run with the same seed and replications; moved when the paired differences d of the values have"
            f" |mean(d)| > t({PAIRED_CONFIDENCE:.1%}, n − 1) × sd(d) / sqrt(n),"
            f" at least {PAIRED_FLOOR:g} × max(1, |mean|)"
        ),
        "metrics": {
            name: {
                "mean": _number(metric.mean),
                "ci_low": _number(metric.ci_low),
                "ci_high": _number(metric.ci_high),
                "n": metric.n,
                "sd": _number(metric.sd),
                "values": [_number(value) for value in metric.values],
            }
            for name, metric in baseline.metrics.items()
        },
    }


def baseline_text(baseline: Baseline) -> str:
    """The file's text: sorted keys, indent 2, one metric per block, a final newline."""
    return json.dumps(baseline_document(baseline), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_baseline(baseline: Baseline, path: str | Path) -> Path:
    """Write a baseline file atomically: into a temporary file beside it, then renamed over it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(baseline_text(baseline))
        os.replace(staging, target)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
    return target


def _float(value: Any, where: str) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BaselineError(f"{where}: expected a number or null, found {value!r}")
    return float(value)


def _metric(data: Any, where: str) -> MetricBaseline:
    if not isinstance(data, Mapping):
        raise BaselineError(f"{where}: expected an object with mean, ci_low, ci_high, n, sd and values")
    missing = sorted({"mean", "ci_low", "ci_high", "n", "sd", "values"} - set(data))
    if missing:
        raise BaselineError(f"{where}: missing {', '.join(missing)}")
    n = data["n"]
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise BaselineError(f"{where}.n: expected a count, found {n!r}")
    values = data["values"]
    if not isinstance(values, list):
        raise BaselineError(f"{where}.values: expected a list of each replication's value, found {values!r}")
    return MetricBaseline(
        mean=_float(data["mean"], f"{where}.mean"),
        ci_low=_float(data["ci_low"], f"{where}.ci_low"),
        ci_high=_float(data["ci_high"], f"{where}.ci_high"),
        n=n,
        sd=_float(data["sd"], f"{where}.sd"),
        values=tuple(_float(value, f"{where}.values[{index}]") for index, value in enumerate(values)),
    )


def parse_baseline(document: Any, source: str = "<baseline>") -> Baseline:
    """A baseline from JSON data; raises ``BaselineError`` naming the field at fault."""
    if not isinstance(document, Mapping):
        raise BaselineError(f"{source}: not a baseline (expected a JSON object)")
    if document.get("format") == 1:
        raise BaselineError(
            f"{source}: format 1 keeps no value per replication, so a check cannot pair the runs;"
            " re-make it with 'simnet baseline update' (from the commit the baseline belongs to)"
        )
    if document.get("format") != FORMAT:
        raise BaselineError(f"{source}: format {document.get('format')!r} is not {FORMAT}; rewrite it with update")
    missing = sorted({"scenario", "overrides", "replications", "seed", "simnet_version", "metrics"} - set(document))
    if missing:
        raise BaselineError(f"{source}: missing {', '.join(missing)}")
    overrides = document["overrides"]
    if not isinstance(overrides, list) or not all(isinstance(item, str) for item in overrides):
        raise BaselineError(f"{source}: overrides must be a list of KEY=VALUE strings")
    replications = document["replications"]
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 2:
        raise BaselineError(f"{source}: replications must be a whole number of at least 2, found {replications!r}")
    metrics = document["metrics"]
    if not isinstance(metrics, Mapping):
        raise BaselineError(f"{source}: metrics must be an object of metric name → statistics")
    seed = document["seed"]
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise BaselineError(f"{source}: seed must be a whole number, found {seed!r}")
    parsed = {str(name): _metric(data, f"{source}: metrics.{name}") for name, data in metrics.items()}
    for name, metric in parsed.items():
        if len(metric.values) != replications:
            raise BaselineError(
                f"{source}: metrics.{name}.values: {len(metric.values)} values for {replications} replications"
            )
    return Baseline(
        scenario=str(document["scenario"]),
        overrides=tuple(overrides),
        replications=replications,
        seed=seed,
        simnet_version=str(document["simnet_version"]),
        metrics=parsed,
    )


def read_baseline(path: str | Path) -> Baseline:
    """Read a baseline file; a missing or malformed file raises ``BaselineError``."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{source}: no baseline; write one with 'simnet baseline update'") from None
    except OSError as error:
        raise BaselineError(f"{source}: cannot be read ({error.strerror})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{source}:{error.lineno}:{error.colno}: not valid JSON ({error.msg})") from None
    return parse_baseline(document, str(source))


def tolerance(old: MetricBaseline, new: MetricBaseline) -> float:
    """How far the mean may move between two runs before it has moved (see the module docstring)."""
    terms = [metric.sd**2 / metric.n for metric in (old, new) if metric.n >= 2 and math.isfinite(metric.sd)]
    floor = ABSOLUTE_FLOOR * max(1.0, abs(old.mean) if math.isfinite(old.mean) else 1.0)
    variance = sum(terms)
    if variance == 0:
        return floor
    dof_terms = [
        (metric.sd**2 / metric.n) ** 2 / (metric.n - 1)
        for metric in (old, new)
        if metric.n >= 2 and math.isfinite(metric.sd) and metric.sd > 0
    ]
    dof = variance**2 / sum(dof_terms)
    quantile = float(stats.t.ppf(1 - (1 - CONFIDENCE) / 2, dof))
    return max(quantile * math.sqrt(variance), floor)


def paired_tolerance(differences: Sequence[float], mean_old: float) -> float:
    """How far the mean of paired differences may lie from 0 before the metric has moved (module docstring)."""
    floor = PAIRED_FLOOR * max(1.0, abs(mean_old) if math.isfinite(mean_old) else 1.0)
    count = len(differences)
    spread = float(np.std(differences, ddof=1)) if count >= 2 else 0.0
    if spread == 0:
        return floor
    quantile = float(stats.t.ppf(1 - (1 - PAIRED_CONFIDENCE) / 2, count - 1))
    return max(quantile * spread / math.sqrt(count), floor)


def _paired_verdict(before: MetricBaseline, after: MetricBaseline) -> tuple[bool, float | None]:
    """Whether the replication-wise differences moved, and the tolerance (None: undefined on one side only)."""
    differences = []
    for old_value, new_value in zip(before.values, after.values, strict=True):
        undefined = (math.isnan(old_value), math.isnan(new_value))
        if all(undefined):
            continue
        if any(undefined):
            return True, None
        differences.append(new_value - old_value)
    if not differences:
        return False, None
    allowed = paired_tolerance(differences, before.mean)
    return abs(float(np.mean(differences))) > allowed, allowed


def _verdict(before: MetricBaseline, after: MetricBaseline, pairs: bool) -> tuple[bool, float | None]:
    """Whether a metric on both sides moved, and its tolerance: paired when the runs pair up, else Welch."""
    if pairs and before.values and len(before.values) == len(after.values):
        return _paired_verdict(before, after)
    undefined = (math.isnan(before.mean), math.isnan(after.mean))
    if all(undefined):
        return False, None
    if any(undefined):
        return True, None
    allowed = tolerance(before, after)
    return abs(after.mean - before.mean) > allowed, allowed


def pairs_up(old: Baseline, new: Baseline) -> bool:
    """Whether the two runs' replications pair up: the same seed and as many replications."""
    return old.seed == new.seed and old.replications == new.replications


def compare(old: Baseline, new: Baseline) -> list[Moved]:
    """The metrics that moved beyond tolerance from ``old`` to ``new``, in key-metric order."""
    pairs = pairs_up(old, new)
    moved: list[Moved] = []
    for name in [*new.metrics, *(name for name in old.metrics if name not in new.metrics)]:
        before = old.metrics.get(name)
        after = new.metrics.get(name)
        if before is None or after is None:
            moved.append(Moved(name, _mean(before), _mean(after), None))
            continue
        beyond, allowed = _verdict(before, after, pairs)
        if beyond:
            moved.append(Moved(name, _mean(before), _mean(after), allowed))
    return moved


def changed_means(old: Baseline, new: Baseline) -> list[tuple[Moved, bool]]:
    """Every metric whose stored mean differs at all, and whether it moved beyond tolerance (what a diff shows)."""
    beyond = {moved.metric: moved for moved in compare(old, new)}
    pairs = pairs_up(old, new)
    changes: list[tuple[Moved, bool]] = []
    for name in [*new.metrics, *(name for name in old.metrics if name not in new.metrics)]:
        if name in beyond:
            changes.append((beyond[name], True))
            continue
        before, after = old.metrics[name], new.metrics[name]
        if before.mean != after.mean and not (math.isnan(before.mean) and math.isnan(after.mean)):
            changes.append((Moved(name, before.mean, after.mean, _verdict(before, after, pairs)[1]), False))
    return changes


def _mean(metric: MetricBaseline | None) -> float | None:
    return None if metric is None or math.isnan(metric.mean) else metric.mean


def check(path: str | Path, folder: str | Path) -> tuple[Baseline, list[Moved]]:
    """Re-run the scenario at ``path`` as its baseline in ``folder`` says; the fresh run and what moved."""
    stored = read_baseline(baseline_path(folder, path))
    fresh = rerun(stored, path)
    return fresh, compare(stored, fresh)
