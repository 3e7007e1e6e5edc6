"""Intervals over replications stay in the metric's range: shares in [0, 1], counts and times at or above 0."""

import math

import pytest
from scipy import stats

from simnet.experiment.summary import (
    RELIABLE_REPLICATIONS,
    estimate,
    metric_scale,
    summarise,
    t_half_width,
    unreliable_note,
)

T_975_2 = float(stats.t.ppf(0.975, 2))
"""Student t quantile of a 95 % interval from three replications."""


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_share_that_is_one_in_every_replication_has_interval_one_to_one():
    """Coverage 1.0 in all replications: no spread, so the interval is exactly [1, 1] (no logit of 1 taken)."""
    result = estimate([1.0, 1.0, 1.0], "village_coverage")
    assert (result.mean, result.ci_low, result.ci_high, result.n) == (1.0, 1.0, 1.0, 3)


def test_share_near_one_stays_below_one():
    """Values 1, 1, 0.8: the t interval would reach 0.933 + 0.287 > 1; the logit one stays inside (0, 1)."""
    values = [1.0, 1.0, 0.8]
    result = estimate(values, "on_time_48h")
    mean = 2.8 / 3
    half = T_975_2 * math.sqrt(((1 - mean) ** 2 * 2 + (0.8 - mean) ** 2) / 2) / math.sqrt(3)
    assert mean + half > 1  # what the plain interval would claim
    assert 0 < result.ci_low < mean < result.ci_high < 1
    centre, reach = math.log(mean / (1 - mean)), half / (mean * (1 - mean))
    assert (result.ci_low, result.ci_high) == pytest.approx((_logistic(centre - reach), _logistic(centre + reach)))
    assert result.half_width == pytest.approx(half)


def test_share_around_one_half_is_symmetric_by_the_delta_method():
    """At m = 0.5 the logit's slope is 1 / (m(1 − m)) = 4: the interval is logistic(±4h), symmetric about 0.5."""
    result = estimate([0.4, 0.5, 0.6], "hub_utilization")
    half = T_975_2 * 0.1 / math.sqrt(3)  # s = 0.1
    assert (result.ci_low, result.ci_high) == pytest.approx((_logistic(-4 * half), _logistic(4 * half)))
    assert result.ci_low + result.ci_high == pytest.approx(1.0)


def test_share_that_is_zero_in_every_replication_has_interval_zero_to_zero():
    """A share 0 in every replication: the interval is [0, 0], not a NaN from logit(0)."""
    result = estimate([0.0, 0.0], "co_delivery_share")
    assert (result.ci_low, result.ci_high) == (0.0, 0.0)


def test_count_interval_is_clipped_at_zero():
    """Backlog 0, 0, 3: mean 1, s = √3, h = t · √3 / √3 = t = 4.30; the lower end is 0, not −3.30."""
    result = estimate([0.0, 0.0, 3.0], "parcels_backlog")
    assert result.ci_low == 0.0
    assert result.ci_high == pytest.approx(1 + T_975_2)
    assert result.half_width == pytest.approx(T_975_2)


def test_unknown_metric_keeps_the_symmetric_t_interval():
    """A metric of unknown range may be negative: mean ± h, as before."""
    result = estimate([0.0, 0.0, 3.0], "some_difference")
    assert (result.ci_low, result.ci_high) == pytest.approx((1 - T_975_2, 1 + T_975_2))


def test_one_replication_has_no_interval_and_is_unreliable():
    """n = 1: no spread is known (NaN bounds and half-width); under 5 replications the estimate is unreliable."""
    result = estimate([2.0, math.nan], "trips")
    assert result.n == 1
    assert math.isnan(result.ci_low)
    assert math.isnan(result.half_width)
    assert not result.reliable
    assert estimate([1.0] * RELIABLE_REPLICATIONS, "trips").reliable


def test_summarise_shapes_each_metric_by_its_name():
    """summarise passes each metric's name on: the share gets the logit interval, the count the clipped one."""
    rows = [{"on_time_24h": 1.0, "trips": 0.0}, {"on_time_24h": 1.0, "trips": 0.0}, {"on_time_24h": 0.8, "trips": 3.0}]
    summary = summarise(rows)
    assert summary["on_time_24h"].ci_high < 1
    assert summary["trips"].ci_low == 0.0
    assert metric_scale("on_time_24h") == "share"
    assert metric_scale("trips") == "non_negative"


def test_t_half_width_by_hand():
    """Values 1, 2, 3: s = 1, so h = t₀.₉₇₅,₂ / √3."""
    assert t_half_width([1.0, 2.0, 3.0]) == pytest.approx(T_975_2 / math.sqrt(3))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unreliable_note_names_the_replications_that_would_help(lang):
    """Under 5 replications the note names 5 and --precision; from 5 on there is no note."""
    note = unreliable_note(3, lang)
    assert "--replications 5" in note
    assert "--precision" in note
    assert "3" in note
    assert unreliable_note(RELIABLE_REPLICATIONS, lang) == ""
