"""Compare two results folders metric by metric: differences, their 95 % intervals, and release rules.

The difference of each metric is B − A. When both runs have the same seed and the same number of
replications, replication r of A and of B drew the same random numbers (DESIGN.md §4, common random
numbers), so the interval is a paired Student-t interval over the replication-wise differences;
otherwise it is Welch's t interval for two independent samples.

Which differences are *significant* is decided for the whole family of metrics compared, with the
Holm–Bonferroni step-down correction at a family-wise level of 5 %: each metric's two-sided t-test
p-value is adjusted, and a difference is significant when its adjusted p-value is below 0.05 —
equivalently, when its interval at the level Holm's procedure tests it excludes 0. So comparing two
runs that differ only in their seed flags any metric at all with a probability of at most 5 % (as far as
the t approximation holds for the replication means). A generated city has its own seed
(``network.generate.seed``), so two run seeds simulate the same city.

A release rule such as ``delivery_time_h_p95>+5%`` is broken when the estimated change crosses its
threshold *and* the difference is significant.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
from scipy import stats

from simnet.scenario import Scenario, ScenarioError, scenario_from_text

ALPHA = 0.05
"""Family-wise error rate of the significance flags, and 1 − the confidence of the printed intervals."""

NOISE_RTOL = 1e-9
"""Differences and standard errors below this share of the values are floating-point noise, taken as 0."""


class ResultsFolderError(ValueError):
    """The path is not a results folder written by ``simnet run``."""


class RuleError(ValueError):
    """A ``--fail-if`` rule is malformed or names no metric of the runs compared."""


@dataclass(frozen=True)
class RunMetrics:
    """One run's per-replication metrics (NaN where a replication had none) and what pairs replications."""

    path: Path
    seed: int | None
    replications: tuple[int, ...]
    values: dict[str, tuple[float, ...]]


@dataclass(frozen=True)
class MetricComparison:
    """One metric in runs A and B: the means, the difference B − A with its 95 % interval, and significance.

    ``relative`` is (B − A) / |A| (NaN when A is 0). ``p_value`` is the two-sided t-test's, ``p_holm`` the
    Holm–Bonferroni adjusted one; both are NaN, and the metric left out of the family, when it cannot be
    tested (fewer than two values on a side). When paired, only replications with a value in both runs
    count, in the means as in the interval.
    """

    metric: str
    mean_a: float
    mean_b: float
    difference: float
    relative: float
    ci_low: float
    ci_high: float
    n_a: int
    n_b: int
    p_value: float
    p_holm: float
    significant: bool

    @property
    def tested(self) -> bool:
        """Whether the difference was tested (and counts in the Holm family)."""
        return not math.isnan(self.p_value)


@dataclass(frozen=True)
class Comparison:
    """Every metric present in both runs, compared; ``paired`` tells paired t from Welch's t."""

    run_a: RunMetrics
    run_b: RunMetrics
    paired: bool
    metrics: tuple[MetricComparison, ...]
    alpha: float = ALPHA

    @property
    def family_size(self) -> int:
        """How many metrics were tested, the m of the Holm–Bonferroni correction."""
        return sum(item.tested for item in self.metrics)

    def get(self, metric: str) -> MetricComparison:
        """The comparison of ``metric``; KeyError when it was not compared."""
        for item in self.metrics:
            if item.metric == metric:
                return item
        raise KeyError(metric)


def load_run(path: str | Path) -> RunMetrics:
    """Read the per-replication metrics, seed and replications of a results folder."""
    folder = Path(path)
    if not folder.is_dir():
        raise ResultsFolderError(f"{folder} is not a folder; give the results folder that 'simnet run' wrote.")
    document = _read_json(folder, "metrics.json")
    manifest = _read_json(folder, "manifest.json")
    rows = document.get("replications")
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ResultsFolderError(f"{folder / 'metrics.json'} has no list of replications; is it from 'simnet run'?")
    names = [name for name in dict.fromkeys(key for row in rows for key in row) if name != "replication"]
    values = {name: tuple(_number(row.get(name)) for row in rows) for name in names}
    seed = manifest.get("seed")
    return RunMetrics(
        path=folder,
        seed=seed if isinstance(seed, int) else None,
        replications=tuple(_replication(row, index) for index, row in enumerate(rows)),
        values=values,
    )


def load_scenario(path: str | Path) -> Scenario:
    """The resolved scenario a results folder was run from (its ``scenario.yaml``)."""
    file = Path(path) / "scenario.yaml"
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ResultsFolderError(
            f"{path} has no scenario.yaml; give the results folder that 'simnet run' wrote."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ResultsFolderError(f"{file} cannot be read ({error}); run the scenario again.") from None
    try:
        return scenario_from_text(text, str(file))
    except ScenarioError as error:
        raise ResultsFolderError(f"{file} is no longer a valid scenario ({error}); run the scenario again.") from None


def means(run: RunMetrics) -> dict[str, float]:
    """Each metric's mean over the replications that measured it (NaN when none did)."""
    return {name: _mean([value for value in values if not math.isnan(value)]) for name, values in run.values.items()}


def _mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if values else math.nan


def _read_json(folder: Path, name: str) -> dict[str, Any]:
    file = folder / name
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsFolderError(f"{folder} has no {name}; give the results folder that 'simnet run' wrote.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ResultsFolderError(f"{file} cannot be read as JSON ({error}); run the scenario again.") from None
    if not isinstance(document, dict):
        raise ResultsFolderError(f"{file} is not a JSON object; run the scenario again.")
    return document


def _replication(row: dict[str, Any], index: int) -> int:
    """The replication's index as written, or its position when the row does not say."""
    value = row.get("replication")
    return value if isinstance(value, int) and not isinstance(value, bool) else index


def _number(value: object) -> float:
    """A metric value as a float; null (no observations) and non-numbers become NaN, to be skipped."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return math.nan
    return float(value)


def is_paired(run_a: RunMetrics, run_b: RunMetrics) -> bool:
    """Same seed and same replications: replication r of both shares its random numbers."""
    return run_a.seed is not None and run_a.seed == run_b.seed and run_a.replications == run_b.replications


def compare_runs(run_a: RunMetrics, run_b: RunMetrics, alpha: float = ALPHA) -> Comparison:
    """Compare every metric present in both runs (in A's order), Holm–Bonferroni corrected at ``alpha``."""
    paired = is_paired(run_a, run_b)
    names = [name for name in run_a.values if name in run_b.values]
    raw = [_difference(name, run_a.values[name], run_b.values[name], paired, alpha) for name in names]
    adjusted = holm([item.p_value for item in raw])
    metrics = tuple(
        replace(item, p_holm=p_holm, significant=bool(p_holm < alpha))
        for item, p_holm in zip(raw, adjusted, strict=True)
    )
    return Comparison(run_a, run_b, paired, metrics, alpha)


def compare_folders(path_a: str | Path, path_b: str | Path, alpha: float = ALPHA) -> Comparison:
    """Load two results folders and compare them (see :func:`compare_runs`)."""
    return compare_runs(load_run(path_a), load_run(path_b), alpha)


def _difference(
    name: str, values_a: Sequence[float], values_b: Sequence[float], paired: bool, alpha: float
) -> MetricComparison:
    """Means, B − A, its interval and unadjusted p-value; NaN values skipped (whole pairs when paired)."""
    a = np.asarray(values_a, dtype=np.float64)
    b = np.asarray(values_b, dtype=np.float64)
    if paired:
        keep = ~(np.isnan(a) | np.isnan(b))
        a, b = a[keep], b[keep]
    else:
        a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    mean_a = float(a.mean()) if len(a) else math.nan
    mean_b = float(b.mean()) if len(b) else math.nan
    se, df = _paired_se(b - a) if paired else _welch_se(a, b)
    difference, ci_low, ci_high, p_value = _interval(mean_b - mean_a, se, df, max(abs(mean_a), abs(mean_b)), alpha)
    relative = difference / abs(mean_a) if mean_a else math.nan
    return MetricComparison(
        name, mean_a, mean_b, difference, relative, ci_low, ci_high, len(a), len(b), p_value, math.nan, False
    )


def _paired_se(diffs: np.ndarray[Any, np.dtype[np.float64]]) -> tuple[float, float]:
    """Standard error and degrees of freedom of the mean replication-wise difference."""
    count = len(diffs)
    if count < 2:
        return math.nan, math.nan
    return float(diffs.std(ddof=1)) / math.sqrt(count), count - 1.0


def _welch_se(
    a: np.ndarray[Any, np.dtype[np.float64]], b: np.ndarray[Any, np.dtype[np.float64]]
) -> tuple[float, float]:
    """Welch's standard error of the difference of means and its Welch–Satterthwaite degrees of freedom."""
    if len(a) < 2 or len(b) < 2:
        return math.nan, math.nan
    share_a = float(a.var(ddof=1)) / len(a)
    share_b = float(b.var(ddof=1)) / len(b)
    variance = share_a + share_b
    if variance == 0:
        return 0.0, math.nan
    df = variance**2 / (share_a**2 / (len(a) - 1) + share_b**2 / (len(b) - 1))
    return math.sqrt(variance), df


def _interval(difference: float, se: float, df: float, scale: float, alpha: float) -> tuple[float, float, float, float]:
    """The difference, its (1 − alpha) interval and its two-sided p-value.

    With no spread at all (constant values, or constant paired differences) the interval is the point
    itself and the difference is significant exactly when it is not 0; floating-point noise below
    ``NOISE_RTOL`` of the values counts as no difference and no spread.
    """
    if math.isnan(se) or math.isnan(difference):
        return difference, math.nan, math.nan, math.nan
    noise = NOISE_RTOL * scale
    if abs(difference) <= noise:
        difference = 0.0
    if se <= noise:
        return difference, difference, difference, 0.0 if difference else 1.0
    half = float(stats.t.ppf(1 - alpha / 2, df)) * se
    p_value = float(2 * stats.t.sf(abs(difference) / se, df))
    return difference, difference - half, difference + half, p_value


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values; NaN entries (untested) stay NaN and do not count in the family.

    Sorted ascending, the k-th smallest of m p-values is multiplied by m − k + 1, then made
    non-decreasing and capped at 1; rejecting where the adjusted value is below alpha is Holm's
    step-down procedure at family-wise level alpha.
    """
    tested = sorted((p, index) for index, p in enumerate(p_values) if not math.isnan(p))
    adjusted = [math.nan] * len(p_values)
    running = 0.0
    for rank, (p, index) in enumerate(tested):
        running = max(running, min(1.0, (len(tested) - rank) * p))
        adjusted[index] = running
    return adjusted


RULE_PATTERN = re.compile(
    r"^\s*(?P<metric>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<direction>[<>])\s*(?P<sign>[+-]?)\s*"
    r"(?P<amount>\d+(?:\.\d*)?|\.\d+)\s*(?P<percent>%?)\s*$"
)
RULE_FORM = "write METRIC>+AMOUNT or METRIC<-AMOUNT, with % for a relative change (e.g. 'delivery_time_h_p95>+5%')"


@dataclass(frozen=True)
class Rule:
    """A release rule: ``>`` is broken when B rose by more than ``amount``, ``<`` when B fell by more.

    ``amount`` is a share of A's mean when ``relative`` (``+5%`` is 0.05), else in the metric's unit.
    """

    text: str
    metric: str
    direction: Literal[">", "<"]
    amount: float
    relative: bool

    def broken_by(self, item: MetricComparison) -> bool:
        """Whether the estimated change crosses the threshold and the difference is significant."""
        limit = self.amount * abs(item.mean_a) if self.relative else self.amount
        crossed = item.difference > limit if self.direction == ">" else item.difference < -limit
        return crossed and item.significant


def parse_rule(text: str, metrics: Collection[str]) -> Rule:
    """Parse ``delivery_time_h_p95>+5%``, ``cost_per_parcel_cny>+0.10``, ``on_time_24h<-0.02`` and the like."""
    match = RULE_PATTERN.match(text)
    if match is None:
        raise RuleError(f"rule {text!r} is malformed; {RULE_FORM}.")
    metric = match["metric"]
    if metric not in metrics:
        nearest = difflib.get_close_matches(metric, list(metrics), n=1)
        fix = f"did you mean {nearest[0]!r}?" if nearest else "use one of the metric names in metrics.json."
        raise RuleError(f"rule {text!r} names no metric {metric!r} of the runs compared; {fix}")
    direction: Literal[">", "<"] = ">" if match["direction"] == ">" else "<"
    sign = match["sign"]
    if (direction == ">" and sign == "-") or (direction == "<" and sign == "+"):
        expected = "+" if direction == ">" else "-"
        raise RuleError(
            f"rule {text!r} mixes a direction and a sign; write {direction}{expected}, "
            f"since '>' means 'rose by more than' and '<' 'fell by more than'."
        )
    amount = float(match["amount"])
    relative = match["percent"] == "%"
    return Rule(text.strip(), metric, direction, amount / 100 if relative else amount, relative)


def check_rules(comparison: Comparison, rules: Sequence[Rule]) -> list[tuple[Rule, bool]]:
    """Each rule with whether the comparison breaks it."""
    return [(rule, rule.broken_by(comparison.get(rule.metric))) for rule in rules]
