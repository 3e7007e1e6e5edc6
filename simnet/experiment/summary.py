"""Summaries over replications: mean, 95 % confidence interval (Student t) and n."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Estimate:
    """A metric over replications: the mean and its 95 % confidence interval."""

    mean: float
    ci_low: float
    ci_high: float
    n: int

    @property
    def half_width(self) -> float:
        """Half the confidence interval's width (0 with one replication: no spread is known)."""
        return (self.ci_high - self.ci_low) / 2

    def as_dict(self) -> dict[str, float | int]:
        """Plain numbers for JSON."""
        return {"mean": self.mean, "ci_low": self.ci_low, "ci_high": self.ci_high, "n": self.n}


def estimate(values: Sequence[float]) -> Estimate:
    """Mean and Student-t 95 % interval of per-replication values; NaN values are left out."""
    finite = np.asarray([value for value in values if not math.isnan(value)], dtype=np.float64)
    count = len(finite)
    if count == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    mean = float(finite.mean())
    if count == 1:
        return Estimate(mean, math.nan, math.nan, 1)
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, count - 1) * finite.std(ddof=1) / math.sqrt(count))
    return Estimate(mean, mean - half, mean + half, count)


def summarise(replications: Sequence[dict[str, float]]) -> dict[str, Estimate]:
    """An estimate of every metric, in the order of the first replication's metrics."""
    if not replications:
        return {}
    return {name: estimate([metrics[name] for metrics in replications]) for name in replications[0]}
