"""Each distribution's ``quantile`` is its inverse distribution function: it reproduces the analytic moments."""

import numpy as np
import pytest

from simnet.scenario.models.distributions import Constant, Exponential, LogNormal, Uniform


@pytest.mark.parametrize(
    "distribution",
    [Constant(value=3.0), Exponential(mean=2.0), LogNormal(mean=5.0, cv=0.6), Uniform(low=1.0, high=4.0)],
    ids=lambda distribution: distribution.kind,
)
def test_quantiles_give_the_mean_and_variance(distribution):
    """The quantile function at 10⁶ evenly spaced probabilities (midpoints) averages to the mean and variance:
    E X = ∫₀¹ Q(u) du. The midpoint rule's error, from the tails of Q, stays within 0.5 %."""
    u = (np.arange(1_000_000) + 0.5) / 1_000_000
    values = distribution.quantile(u)
    assert values.mean() == pytest.approx(distribution.mean, rel=5e-3)
    assert values.var() == pytest.approx(distribution.variance, rel=5e-3, abs=1e-12)
    assert np.all(np.diff(values) >= 0)


def test_exponential_quantile_by_hand():
    """Q(u) = −mean · ln(1 − u): the median of a mean-2 exponential is 2 ln 2."""
    assert Exponential(mean=2.0).quantile(np.array([0.5]))[0] == pytest.approx(2 * np.log(2))
