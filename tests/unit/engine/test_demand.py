"""Demand sampling against its distributions: volumes, arrival times, destinations, pickups (DESIGN.md §4).

Statistical checks use fixed seeds, so each test is deterministic; tolerances are Z = 4.5 standard
errors (a two-sided chance of about 7e-6 per comparison for an unbiased sampler) or a stated
significance level for Kolmogorov–Smirnov and χ² tests.
"""

import numpy as np
import pytest
from scipy import stats

from simnet.engine.demand import DemandModel, sorted_uniforms_by_hour
from simnet.engine.hub import draw
from simnet.engine.model import run_replication
from simnet.engine.streams import RandomStreams
from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text
from simnet.scenario.models.demand import Demand, PeakDay
from simnet.scenario.models.distributions import Constant, Exponential, LogNormal, Uniform

Z = 4.5
ALPHA = 0.001
"""Significance level of the goodness-of-fit tests (KS, χ²): a correct sampler fails 1 seed in 1000."""

CARRIER_SHARES = np.array([0.5, 0.3, 0.15, 0.05])
VILLAGE_WEIGHTS = np.array([1.0, 2.0, 3.0, 4.0, 0.5, 0.5, 5.0, 4.0]) / 20.0


def model(demand: Demand, warmup_days: int = 0, sample_fraction: float = 0.1) -> DemandModel:
    return DemandModel(
        demand=demand,
        parcels_per_day=demand.parcels_per_day,
        rural_share=demand.rural_share,
        villages=np.arange(len(VILLAGE_WEIGHTS)),
        carrier_shares=CARRIER_SHARES,
        village_weights=VILLAGE_WEIGHTS,
        warmup_days=warmup_days,
        sample_fraction=sample_fraction,
    )


def assert_share(count: int, total: int, p: float) -> None:
    """count out of total is binomial(total, p) within Z standard errors."""
    se = np.sqrt(p * (1 - p) / total)
    assert abs(count / total - p) <= Z * se, (count, total, p, se)


# --- sorted_uniforms_by_hour --------------------------------------------------------------------

PER_HOUR = np.array([0, 3, 1, 0, 0, 4000, 1, 2, *([0] * 15), 7], dtype=np.int64)


def test_sorted_uniforms_counts_and_ranges() -> None:
    """Values are sorted and exactly per_hour[h] of them lie in [h, h+1)."""
    values = sorted_uniforms_by_hour(PER_HOUR, np.random.default_rng(np.random.SeedSequence(5)))
    assert len(values) == PER_HOUR.sum()
    assert np.all(np.diff(values) >= 0)
    counts = np.bincount(np.floor(values).astype(np.int64), minlength=24)
    np.testing.assert_array_equal(counts, PER_HOUR)


def test_sorted_uniforms_no_parcels() -> None:
    """No arrivals in any hour gives an empty array."""
    values = sorted_uniforms_by_hour(np.zeros(24, dtype=np.int64), np.random.default_rng(0))
    assert values.shape == (0,)


def test_sorted_uniforms_are_uniform_within_hour() -> None:
    """Within an hour the times are uniform (KS against U(0, 1) at ALPHA), pooled over all hours too."""
    rng = np.random.default_rng(np.random.SeedSequence(7))
    values = sorted_uniforms_by_hour(PER_HOUR, rng)
    busy = values[(values >= 5) & (values < 6)] - 5
    assert stats.kstest(busy, "uniform").pvalue > ALPHA
    per_hour = rng.multinomial(20_000, np.full(24, 1 / 24))
    pooled = sorted_uniforms_by_hour(per_hour, rng)
    assert stats.kstest(pooled % 1.0, "uniform").pvalue > ALPHA
    # Sorted order statistics of uniforms: the smallest of n has mean 1/(n + 1), so its mean over
    # hours is checked against that too (a sampler shifting mass to the hour's ends would fail).
    firsts = [pooled[np.searchsorted(pooled, h)] - h for h in range(24)]
    n_mean = per_hour.mean()
    assert np.mean(firsts) == pytest.approx(1 / (n_mean + 1), rel=Z / np.sqrt(24))


def test_arrivals_follow_the_hourly_profile_and_day_offset() -> None:
    """DemandModel.arrivals: sorted, on day d within [24 d, 24 d + 24), hour counts multinomial by profile."""
    profile = tuple(float(h % 6 + 1) for h in range(24))
    demand_model = model(Demand(parcels_per_day=1000, hourly_profile=profile))
    arrivals = demand_model.arrivals(3, 50_000, RandomStreams(1, 0))
    assert len(arrivals) == 50_000
    assert np.all(np.diff(arrivals) >= 0)
    assert arrivals[0] >= 72.0
    assert arrivals[-1] < 96.0
    counts = np.bincount(np.floor(arrivals - 72.0).astype(np.int64), minlength=24)
    expected = 50_000 * np.array(profile) / sum(profile)
    assert stats.chisquare(counts, expected).pvalue > ALPHA


# --- volume -------------------------------------------------------------------------------------

DAYS = 4000
LAMBDA = 1000


def volumes(demand: Demand, days: int = DAYS, seed: int = 3) -> np.ndarray:
    demand_model = model(demand)
    streams = RandomStreams(seed, 0)
    return np.array([demand_model.volume(day, streams) for day in range(days)], dtype=np.float64)


def test_volume_without_day_variation_is_poisson() -> None:
    """With daily_volume_cv = 0 the daily count is Poisson(λ): mean and variance both ≈ λ = 1000."""
    counts = volumes(Demand(parcels_per_day=LAMBDA, daily_volume_cv=0.0))
    # SE of the mean: √(λ / n) = √(1000 / 4000) = 0.5.
    assert abs(counts.mean() - LAMBDA) <= Z * np.sqrt(LAMBDA / DAYS)
    # SE of the sample variance of a Poisson: √((μ4 − σ⁴) / n), μ4 = λ + 3λ², so √((λ + 2λ²) / n) ≈ 22.4.
    assert abs(counts.var(ddof=1) - LAMBDA) <= Z * np.sqrt((LAMBDA + 2 * LAMBDA**2) / DAYS)


@pytest.mark.parametrize("cv", [0.03, 0.3])
def test_volume_with_day_variation_has_total_variance(cv: float) -> None:
    """With cv > 0, Var N = E[Var(N|M)] + Var E[N|M] = λ + (cv·λ)², and E N = λ (day factor has mean 1)."""
    counts = volumes(Demand(parcels_per_day=LAMBDA, daily_volume_cv=cv))
    variance = LAMBDA + (cv * LAMBDA) ** 2  # cv 0.03: 1000 + 900 = 1900; cv 0.3: 1000 + 90 000 = 91 000
    assert abs(counts.mean() - LAMBDA) <= Z * np.sqrt(variance / DAYS)
    # SE of the sample variance from the sample's own fourth central moment: √((m4 − s⁴) / n);
    # about 2 % of the variance for n = 4000 near-normal counts (√(2 / n) = 0.022).
    m4 = np.mean((counts - counts.mean()) ** 4)
    se_var = np.sqrt((m4 - counts.var() ** 2) / DAYS)
    assert abs(counts.var(ddof=1) - variance) <= Z * se_var
    # Power: the Poisson term alone (λ) is outside the band; at cv 0.03 so is the day factor's alone.
    assert abs(counts.var(ddof=1) - LAMBDA) > Z * se_var
    if cv < 0.1:
        assert abs(counts.var(ddof=1) - (cv * LAMBDA) ** 2) > Z * se_var


def test_peak_day_multiplier_on_measured_day() -> None:
    """Peak day 1 is the first day after warm-up: with 2 warm-up days it is simulated day 2 (0-based)."""
    demand = Demand(parcels_per_day=1000, peak_days=(PeakDay(day=1, multiplier=3.0), PeakDay(day=3, multiplier=0.5)))
    demand_model = model(demand, warmup_days=2)
    assert [demand_model.multiplier(day) for day in range(6)] == [1.0, 1.0, 3.0, 1.0, 0.5, 1.0]
    assert demand_model.expected_parcels(2) == 3000.0
    assert model(demand, warmup_days=0).multiplier(0) == 3.0


def test_peak_day_volume_is_scaled() -> None:
    """Over 300 replications the mean volume of the peak day is 3λ, the day before λ (cv = 0)."""
    demand = Demand(parcels_per_day=LAMBDA, daily_volume_cv=0.0, peak_days=(PeakDay(day=1, multiplier=3.0),))
    demand_model = model(demand, warmup_days=2)
    reps = 300
    peak = np.array([demand_model.volume(2, RandomStreams(9, r)) for r in range(reps)])
    before = np.array([demand_model.volume(1, RandomStreams(9, r)) for r in range(reps)])
    assert abs(peak.mean() - 3 * LAMBDA) <= Z * np.sqrt(3 * LAMBDA / reps)
    assert abs(before.mean() - LAMBDA) <= Z * np.sqrt(LAMBDA / reps)


# --- destinations -------------------------------------------------------------------------------


def test_destinations_shares() -> None:
    """Rural share, carrier shares, village weights and sample fraction match within binomial SEs."""
    demand_model = model(Demand(parcels_per_day=1000, rural_share=0.3), sample_fraction=0.1)
    count = 200_000
    rural, columns = demand_model.destinations(4, count, RandomStreams(2, 1))
    assert rural.shape == (count,)
    rural_count = int(rural.sum())
    assert_share(rural_count, count, 0.3)
    assert {name: len(values) for name, values in columns.items()} == dict.fromkeys(
        ("carrier", "village", "sampled"), rural_count
    )
    assert columns["carrier"].dtype == np.int16
    assert columns["village"].dtype == np.int32
    carriers = np.bincount(columns["carrier"], minlength=len(CARRIER_SHARES))
    for carrier, share in enumerate(CARRIER_SHARES):
        assert_share(int(carriers[carrier]), rural_count, share)
    villages = np.bincount(columns["village"], minlength=len(VILLAGE_WEIGHTS))
    assert len(villages) == len(VILLAGE_WEIGHTS)
    for village, weight in enumerate(VILLAGE_WEIGHTS):
        assert_share(int(villages[village]), rural_count, weight)
    assert_share(int(columns["sampled"].sum()), rural_count, 0.1)


def test_destination_carrier_and_village_are_independent() -> None:
    """Carrier and village are drawn independently: their contingency table passes a χ² test at ALPHA."""
    demand_model = model(Demand(parcels_per_day=1000, rural_share=1.0))
    _, columns = demand_model.destinations(0, 100_000, RandomStreams(4, 0))
    table = np.zeros((len(CARRIER_SHARES), len(VILLAGE_WEIGHTS)))
    np.add.at(table, (columns["carrier"], columns["village"]), 1)
    assert stats.chi2_contingency(table).pvalue > ALPHA


THIRDS = """
name: thirds
seed: 1
horizon_days: 1
warmup_days: 0
replications: 1
carriers:
  - {id: a, name: A, share: 0.3333333}
  - {id: b, name: B, share: 0.3333333}
  - {id: c, name: C, share: 0.3333333}
demand: {parcels_per_day: 200}
hub: {capacity_per_day: 1000}
network:
  generate: {counties: 1, towns_per_county: 2, villages_per_town: 2}
"""


def test_carrier_shares_within_validation_tolerance_can_be_drawn() -> None:
    """Any carrier shares the scenario accepts (sum within 1e-6 of 1) can be sampled by the engine."""
    scenario = scenario_from_text(THIRDS, "thirds.yaml")
    assert sum(carrier.share for carrier in scenario.carriers) == pytest.approx(0.9999999)
    run_replication(build_plan(scenario, default_planner()), 0)


# --- pickups ------------------------------------------------------------------------------------


def test_pickups_poisson_per_village_in_window() -> None:
    """Pickups per village and day are Poisson(10); times uniform in [day + 8 h, day + 18 h), sorted."""
    rate = 10.0
    demand_model = model(Demand(parcels_per_day=1000, pickups_per_village_per_day=rate))
    days = 300
    counts = np.zeros((days, len(VILLAGE_WEIGHTS)))
    offsets = []
    carriers = []
    for day in range(days):
        pickups = demand_model.pickups(day, RandomStreams(6, 0))
        appear = pickups["appear_h"]
        assert np.all(np.diff(appear) >= 0)
        assert np.all((appear >= 24.0 * day + 8.0) & (appear < 24.0 * day + 18.0))
        counts[day] = np.bincount(pickups["village"], minlength=len(VILLAGE_WEIGHTS))
        offsets.append(appear - 24.0 * day - 8.0)
        carriers.append(pickups["carrier"])
    # Each village: mean of 300 Poisson(10) counts, SE √(10 / 300) ≈ 0.18; dispersion var/mean ≈ 1
    # with SE √(2 / (n − 1)) (index of dispersion of a Poisson sample).
    for village in range(len(VILLAGE_WEIGHTS)):
        column = counts[:, village]
        assert abs(column.mean() - rate) <= Z * np.sqrt(rate / days)
        assert abs(column.var(ddof=1) / column.mean() - 1) <= Z * np.sqrt(2 / (days - 1))
    assert stats.kstest(np.concatenate(offsets) / 10.0, "uniform").pvalue > ALPHA
    all_carriers = np.concatenate(carriers)
    for carrier, share in enumerate(CARRIER_SHARES):
        assert_share(int((all_carriers == carrier).sum()), len(all_carriers), share)


def test_no_pickups_when_rate_is_zero() -> None:
    """A zero pickup rate gives an empty pickup batch with the right columns."""
    pickups = model(Demand(parcels_per_day=1000, pickups_per_village_per_day=0)).pickups(0, RandomStreams(1, 0))
    assert set(pickups) == {"appear_h", "village", "carrier"}
    assert all(len(values) == 0 for values in pickups.values())


# --- distributions ------------------------------------------------------------------------------

SAMPLES = 40_000


@pytest.mark.parametrize(
    "distribution",
    [
        Exponential(mean=2.0),
        LogNormal(mean=3.0, cv=0.5),
        LogNormal(mean=1.0, cv=0.0),
        Uniform(low=1.0, high=4.0),
        Uniform(low=2.0, high=2.0),
    ],
    ids=["exponential", "lognormal", "lognormal-cv0", "uniform", "uniform-point"],
)
def test_draw_matches_analytic_moments(distribution: Exponential | LogNormal | Uniform) -> None:
    """Sample mean and variance of draw() match the distribution's analytic mean and variance."""
    rng = np.random.default_rng(np.random.SeedSequence(17))
    samples = np.array([draw(distribution, rng) for _ in range(SAMPLES)])
    assert np.all(samples >= 0)
    if distribution.variance == 0:
        np.testing.assert_allclose(samples, distribution.mean, rtol=1e-12)
        return
    # SE of the mean √(σ² / n); SE of the variance √((m4 − s⁴) / n) from the sample's fourth moment.
    assert abs(samples.mean() - distribution.mean) <= Z * np.sqrt(distribution.variance / SAMPLES)
    m4 = np.mean((samples - samples.mean()) ** 4)
    se_var = np.sqrt((m4 - samples.var() ** 2) / SAMPLES)
    assert abs(samples.var(ddof=1) - distribution.variance) <= Z * se_var


def test_draw_constant_needs_no_randomness() -> None:
    """A Constant draws its value every time and leaves the generator untouched."""
    rng = np.random.default_rng(1)
    state = rng.bit_generator.state
    assert [draw(Constant(value=1.5), rng) for _ in range(3)] == [1.5, 1.5, 1.5]
    assert rng.bit_generator.state == state
