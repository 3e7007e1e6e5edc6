"""Summaries over replications: the mean, a 95 % confidence interval that respects the metric's range, and n.

Intervals start from Student's t: the half-width h = t₀.₉₇₅,ₙ₋₁ · s / √n, with s the sample
standard deviation of the per-replication values. Then, by what the metric measures:

- a **share** (0 to 1: on-time rates, coverage, utilisation, load factor) gets the interval on the
  logit scale by the delta method: logit(m) ± h / (m(1 − m)), mapped back with the logistic
  function. It lies inside (0, 1), holds the mean, and is close to m ± h when h is small. A share
  that is the same in every replication (1.0 in all of them, say) has s = 0 and the interval [m, m].
- a **non-negative** quantity (counts, times, costs, distances, emissions) gets m ± h with the
  lower end clipped at 0: the mean of values that cannot be negative cannot be either.
- any other metric gets m ± h.

With n = 1 no spread is known and the interval is unknown (NaN). With n < ``RELIABLE_REPLICATIONS``
the interval is computed but unreliable: s rests on fewer than 4 degrees of freedom.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.special import stdtrit

from simnet.metric_names import EXTRA_METRICS, KEY_METRICS, SHARE_METRICS

CONFIDENCE = 0.95

RELIABLE_REPLICATIONS = 5
"""Fewer replications than this give an interval too unsure to act on (t₀.₉₇₅ with 3 df is 3.18, with 1 df 12.7)."""

Scale = Literal["share", "non_negative", "real"]
"""What values a metric can take, which decides the shape of its interval."""


def metric_scale(metric: str) -> Scale:
    """Whether ``metric`` is a share, a non-negative quantity or any real number (unknown names)."""
    if metric in SHARE_METRICS:
        return "share"
    if metric in KEY_METRICS or metric in EXTRA_METRICS:
        return "non_negative"  # every other metric counts, times, costs or measures something
    return "real"


@dataclass(frozen=True)
class Estimate:
    """A metric over replications: the mean, its 95 % confidence interval, n and Student's half-width.

    ``half_width`` is t₀.₉₇₅,ₙ₋₁ · s / √n on the metric's own scale (what a precision rule compares with
    the mean); ``ci_low`` and ``ci_high`` are the interval as shaped for the metric's range, so they need
    not lie ``half_width`` either side of the mean.
    """

    mean: float
    ci_low: float
    ci_high: float
    n: int
    half_width: float = math.nan

    @property
    def reliable(self) -> bool:
        """Whether enough replications stand behind the interval (``RELIABLE_REPLICATIONS`` or more)."""
        return self.n >= RELIABLE_REPLICATIONS

    def as_dict(self) -> dict[str, float | int]:
        """Plain numbers for JSON."""
        return {"mean": self.mean, "ci_low": self.ci_low, "ci_high": self.ci_high, "n": self.n}


def t_half_width(values: Sequence[float]) -> float:
    """Student's 95 % half-width t₀.₉₇₅,ₙ₋₁ · s / √n of ``values`` (NaN under two values)."""
    count = len(values)
    if count < 2:
        return math.nan
    spread = float(np.std(np.asarray(values, dtype=np.float64), ddof=1))
    return float(stdtrit(count - 1, 0.5 + CONFIDENCE / 2)) * spread / math.sqrt(count)  # the t quantile


def _logit_interval(mean: float, half: float) -> tuple[float, float]:
    """The delta-method logit interval of a share's mean; [m, m] when there is no spread or m is 0 or 1."""
    if half == 0 or mean <= 0 or mean >= 1:
        return mean, mean
    centre = math.log(mean / (1 - mean))
    reach = half / (mean * (1 - mean))
    return _logistic(centre - reach), _logistic(centre + reach)


def _logistic(x: float) -> float:
    """1 / (1 + e^(−x)), written so that large |x| neither overflows nor loses 0 and 1."""
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    exp_x = math.exp(x)
    return exp_x / (1 + exp_x)


def estimate(values: Sequence[float], metric: str = "") -> Estimate:
    """Mean and 95 % interval of per-replication values, shaped for ``metric``'s range; NaN values left out."""
    finite = [value for value in values if not math.isnan(value)]
    count = len(finite)
    if count == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    mean = float(np.mean(np.asarray(finite, dtype=np.float64)))
    if count == 1:
        return Estimate(mean, math.nan, math.nan, 1)
    half = t_half_width(finite)
    scale = metric_scale(metric)
    if scale == "share" and all(0 <= value <= 1 for value in finite):
        low, high = _logit_interval(mean, half)
    elif scale in ("share", "non_negative") and all(value >= 0 for value in finite):
        low, high = max(0.0, mean - half), mean + half
    else:
        low, high = mean - half, mean + half
    return Estimate(mean, low, high, count, half)


def summarise(replications: Sequence[dict[str, float]]) -> dict[str, Estimate]:
    """An estimate of every metric, in the order of the first replication's metrics."""
    if not replications:
        return {}
    return {name: estimate([metrics[name] for metrics in replications], name) for name in replications[0]}


def unreliable_note(replications: int, lang: Literal["en", "zh"] = "en") -> str:
    """The warning shown beside intervals from fewer than ``RELIABLE_REPLICATIONS`` replications ("" otherwise)."""
    if replications >= RELIABLE_REPLICATIONS:
        return ""
    if lang == "zh":
        return (
            f"仅 {replications} 次重复：95% 置信区间不可靠（方差估计的自由度太少）。"
            f"请至少运行 {RELIABLE_REPLICATIONS} 次重复（--replications {RELIABLE_REPLICATIONS}），"
            "或用 --precision 0.05 运行到区间半宽在均值的 5% 以内。"
        )
    return (
        f"only {replications} replication(s): the 95% intervals are unreliable (too few degrees of freedom "
        f"behind the spread); run at least {RELIABLE_REPLICATIONS} (--replications {RELIABLE_REPLICATIONS}), "
        "or --precision 0.05 to run until every half-width is within 5% of its mean."
    )
