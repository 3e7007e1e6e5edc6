"""The city hub alone against queueing theory: an M/D/1 queue (Pollaczek–Khinchine), Little's law.

Set-up. Arrivals come from DemandModel with a flat hourly profile and daily_volume_cv = 0: each day's
count is Poisson(24 λ) and, given the count, the times are independent uniforms over the day
(multinomial over hours, uniform within each), so arrivals form a Poisson process of rate λ. The
hub has one shift 0–24 h every day at capacity share 1 and no breakdowns, so it sorts at the
constant rate μ; each parcel needs one unit of capacity and the line is FIFO, so the service time
is exactly 1/μ: an M/D/1 queue with ρ = λ / μ.

Theory (Pollaczek–Khinchine for M/G/1 with E S = 1/μ, Var S = 0):
    Wq = λ E[S²] / (2 (1 − ρ)) = ρ / (2 μ (1 − ρ)),   L = ρ + λ Wq = ρ + ρ² / (2 (1 − ρ)).

Run length (heavy-traffic Brownian approximation: drift m = μ (1 − ρ), variance σ² = λ (c_a² + c_s²)
= λ). The relaxation time is τ ≈ 2 σ² / m² = 2 ρ / (μ (1 − ρ)²) and the relative variance of a
replication's mean over T hours is ≈ τ / T. With μ = 1000 parcels/h:
    ρ = 0.95: τ ≈ 1.9 / (1000 × 0.0025) = 0.76 h; T = 29 days = 696 h → relative SD ≈ √(0.76 / 696) ≈ 3.3 %
              per replication (measured ≈ 4 %); 20 replications → 95 % CI half-width ≈ 2.09 × 4 % / √20 ≈ 2 %.
    ρ = 0.80: τ ≈ 1.6 / (1000 × 0.04) = 0.04 h; T = 5 days = 120 h → relative SD ≈ 1.8 % (measured ≈ 2.5 %).
The queue starts empty; the first day (24 h ≥ 30 τ at ρ = 0.95) is a warm-up whose parcels are
discarded, which leaves an initial-state bias of order e^{−30}, far below the CI. Each hub has one
extra day of capacity so every measured parcel finishes. About 14 million parcels in all; vectorised,
this takes about a second.

The seeds are fixed, so the tests are deterministic; for a correct engine a fresh seed falls outside
the 95 % interval 1 time in 20. The first seed tried (20260101) did so at ρ = 0.8 (Wq 1.3 % high,
2.4 standard errors); 3 × 200 replications with other seeds gave Wq / theory = 0.9987, 0.9974 and
1.0019 (each ± 0.33 %), so there is no bias, and SEED was moved to the next integer.
"""

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy import stats

from simnet.engine.demand import DemandModel
from simnet.engine.fifo import FifoLine
from simnet.engine.hub import CityHub, hub_curve
from simnet.engine.streams import RandomStreams
from simnet.scenario.models.demand import Demand
from simnet.scenario.models.distributions import Exponential
from simnet.scenario.models.facilities import Breakdowns, Hub, Shift

FloatArray = NDArray[np.float64]

MU_PER_H = 1000.0
REPLICATIONS = 20
WARMUP_DAYS = 1
SEED = 20260102


def around_the_clock_hub(rate_per_h: float) -> Hub:
    """One line working 0–24 h every day at the full rate."""
    return Hub(sorting_lines=1, line_rate_per_h=rate_per_h, shifts=(Shift(start_h=0, end_h=24),))


def poisson_demand(lambda_per_h: float) -> DemandModel:
    """Poisson arrivals at rate λ: flat hourly profile, no day-to-day variation."""
    demand = Demand(
        parcels_per_day=round(24 * lambda_per_h),
        daily_volume_cv=0.0,
        hourly_profile=(1.0,) * 24,
        rural_share=0.0,
        pickups_per_village_per_day=0.0,
    )
    return DemandModel(
        demand=demand,
        parcels_per_day=demand.parcels_per_day,
        rural_share=demand.rural_share,
        villages=np.arange(len(np.array([1.0]))),
        carrier_shares=np.array([1.0]),
        village_weights=np.array([1.0]),
        warmup_days=WARMUP_DAYS,
        sample_fraction=0.0,
    )


def run_hub(hub: Hub, demand: DemandModel, days: int, streams: RandomStreams) -> tuple[FloatArray, FloatArray]:
    """Arrival and finish times of every parcel of ``days`` days, fed to the hub a day at a time."""
    city_hub = CityHub(FifoLine(hub_curve(hub, days + 1, streams)))
    arrivals, finishes = [], []
    for day in range(days):
        arrival_h = demand.arrivals(day, demand.volume(day, streams), streams)
        done_h, _ = city_hub.sort(arrival_h)
        arrivals.append(arrival_h)
        finishes.append(done_h)
    return np.concatenate(arrivals), np.concatenate(finishes)


def confidence_interval(values: FloatArray, level: float = 0.95) -> tuple[float, float]:
    """Mean and Student-t half-width over independent replications."""
    mean = float(np.mean(values))
    half = float(stats.t.ppf((1 + level) / 2, len(values) - 1) * np.std(values, ddof=1) / np.sqrt(len(values)))
    return mean, half


@pytest.mark.parametrize(("rho", "days", "max_half_width"), [(0.8, 6, 0.03), (0.95, 30, 0.05)])
def test_md1_waiting_time_matches_pollaczek_khinchine(rho: float, days: int, max_half_width: float) -> None:
    """Mean time in queue (finish − arrival − 1/μ) is within the 95 % CI of ρ / (2 μ (1 − ρ))."""
    lambda_per_h = rho * MU_PER_H
    hub = around_the_clock_hub(MU_PER_H)
    demand = poisson_demand(lambda_per_h)
    waits = []
    for replication in range(REPLICATIONS):
        arrival_h, done_h = run_hub(hub, demand, days, RandomStreams(SEED, replication))
        measured = arrival_h >= 24.0 * WARMUP_DAYS
        assert np.all(np.isfinite(done_h[measured]))
        waits.append(np.mean(done_h[measured] - arrival_h[measured]) - 1 / MU_PER_H)
    theory = rho / (2 * MU_PER_H * (1 - rho))  # 0.002 h at ρ = 0.8, 0.0095 h at ρ = 0.95
    mean, half = confidence_interval(np.asarray(waits))
    assert abs(mean - theory) <= half, f"Wq {mean:.6g} ± {half:.3g} h, theory {theory:.6g} h"
    # Power: the interval is narrow (sized in the module docstring), so e.g. the M/M/1 value 2 Wq fails.
    assert half <= max_half_width * theory


def time_average_in_system(arrival_h: FloatArray, done_h: FloatArray, start_h: float, end_h: float) -> float:
    """(1 / T) ∫ N(t) dt over [start, end], N = arrivals − finishes so far, integrating the step function."""
    times = np.concatenate((arrival_h, done_h, [start_h, end_h]))
    steps = np.concatenate((np.ones(len(arrival_h)), -np.ones(len(done_h)), [0.0, 0.0]))
    order = np.argsort(times, kind="stable")
    clipped = np.clip(times[order], start_h, end_h)
    in_system = np.cumsum(steps[order])
    return float(np.sum(in_system[:-1] * np.diff(clipped)) / (end_h - start_h))


def test_littles_law() -> None:
    """Time-average number in the hub equals observed λ × mean sojourn, up to the window's edge terms."""
    rho, days = 0.8, 6
    hub = around_the_clock_hub(MU_PER_H)
    demand = poisson_demand(rho * MU_PER_H)
    start_h, end_h = 24.0 * WARMUP_DAYS, 24.0 * days
    averages = []
    for replication in range(REPLICATIONS):
        arrival_h, done_h = run_hub(hub, demand, days, RandomStreams(SEED + 1, replication))
        window = arrival_h >= start_h
        sojourn_h = done_h[window] - arrival_h[window]
        lambda_hat = window.sum() / (end_h - start_h)
        average = time_average_in_system(arrival_h, done_h, start_h, end_h)
        # Edge terms: ∫N dt − Σ sojourns of window arrivals = (time inside the window of parcels there
        # at its start) − (time past its end of window arrivals still inside at the end); each is at
        # most (parcels inside at that edge) × (longest sojourn).
        inside_at = [int(np.sum((arrival_h <= t) & (done_h > t))) for t in (start_h, end_h)]
        edge = max(inside_at) * float(np.max(done_h - arrival_h)) / (end_h - start_h)
        assert abs(average - lambda_hat * sojourn_h.mean()) <= edge
        assert edge <= 0.01 * average  # the bound is tight enough to mean something (measured ≈ 0.1 %)
        averages.append(average)
    theory = rho + rho**2 / (2 * (1 - rho))  # L = ρ + λ Wq = 0.8 + 1.6 = 2.4
    mean, half = confidence_interval(np.asarray(averages))
    assert abs(mean - theory) <= half, f"L {mean:.5g} ± {half:.3g}, theory {theory}"


def test_time_average_of_a_hand_made_path() -> None:
    """The step-function integral on a hand example: two parcels in [0, 2), [1, 4) over [0.5, 3] → 3.5 / 2.5."""
    # N = 1 on [0.5, 1), 2 on [1, 2), 1 on [2, 3]: 0.5 + 2 + 1 = 3.5 parcel-hours over 2.5 h.
    got = time_average_in_system(np.array([0.0, 1.0]), np.array([2.0, 4.0]), 0.5, 3.0)
    assert got == pytest.approx(3.5 / 2.5)


def brute_force_inside(arrival_h: FloatArray, done_h: FloatArray) -> FloatArray:
    """For each parcel i, how many parcels j ≤ i (in arrival order) are still inside just after a_i."""
    n = len(arrival_h)
    earlier_or_same = np.tril(np.ones((n, n), dtype=bool))
    still_inside = done_h[None, :] > arrival_h[:, None]
    return np.sum(earlier_or_same & still_inside, axis=1)


@pytest.mark.parametrize("breakdowns", [False, True])
def test_city_hub_queue_lengths_match_brute_force(breakdowns: bool) -> None:
    """CityHub.sort's number inside after each arrival equals counting parcels inside, across daily batches."""
    hub = Hub(
        capacity_per_day=400,
        shifts=(Shift(start_h=18, end_h=28), Shift(start_h=6, end_h=16, capacity_share=0.5)),
        breakdowns=Breakdowns(time_between_failures_h=Exponential(mean=6.0), repair_time_h=Exponential(mean=2.0))
        if breakdowns
        else None,
    )
    demand = poisson_demand(18.0)  # 432 a day against 400 of capacity: the queue grows and carries over
    streams = RandomStreams(SEED + 2, 0)
    days = 4
    city_hub = CityHub(FifoLine(hub_curve(hub, days, streams)))
    arrivals, finishes, counts = [], [], []
    for day in range(days):
        arrival_h = demand.arrivals(day, demand.volume(day, streams), streams)
        done_h, inside = city_hub.sort(arrival_h)
        assert inside.dtype == np.int64
        arrivals.append(arrival_h)
        finishes.append(done_h)
        counts.append(inside)
    arrival_h, done_h = np.concatenate(arrivals), np.concatenate(finishes)
    assert np.any(np.isinf(done_h))  # parcels still inside at the horizon count as inside
    np.testing.assert_array_equal(np.concatenate(counts), brute_force_inside(arrival_h, done_h))
