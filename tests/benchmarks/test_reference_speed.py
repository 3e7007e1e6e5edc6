"""Fast engine against the per-parcel reference engine, same scenario, same run (``pytest -m benchmark -s``).

One county of the baseline city over three days (warm-up 0, horizon 2, drain 1) at 10⁴, 10⁵ and
10⁶ parcels in all; parcels per second of each engine as the median of 3 runs, and their ratio.
"""

import statistics
import time
from pathlib import Path

import pytest

from simnet.engine.model import run_replication
from simnet.engine.reference import run_reference
from simnet.planning import build_plan, default_planner
from simnet.scenario import load_scenario

pytestmark = pytest.mark.benchmark

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
SIZES = (10_000, 100_000, 1_000_000)
RUNS = 3
SPEED_UP_TARGET_AT_1M = 100


def _median_seconds(run) -> float:
    seconds = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def test_fast_engine_against_reference(benchmark_figure):
    """At 10⁶ parcels the fast engine is at least 100× the reference, and its rate does not fall with volume."""
    rows = []
    for parcels in SIZES:
        scenario = load_scenario(
            BASELINE,
            ["network.generate.counties=1", f"demand.parcels_per_day={parcels // 3}", "warmup_days=0",
             "horizon_days=2", "drain_days=1", "replications=1"],
        )  # fmt: skip
        plan = build_plan(scenario, default_planner())
        fast_s = _median_seconds(lambda plan=plan: run_replication(plan, 0))
        reference_s = _median_seconds(lambda plan=plan: run_reference(plan, 0))
        rows.append((parcels, parcels / fast_s, parcels / reference_s, reference_s / fast_s))
    print("\n| parcels | fast (parcels/s) | reference (parcels/s) | fast / reference |")
    print("|---:|---:|---:|---:|")
    for parcels, fast_rate, reference_rate, ratio in rows:
        print(f"| {parcels:,} | {fast_rate:,.0f} | {reference_rate:,.0f} | {ratio:,.0f}× |")
    benchmark_figure(
        "fast_over_reference_at_1m",
        rows[-1][3],
        "×",
        SPEED_UP_TARGET_AT_1M,
        better="higher",
        detail="fast engine over per-parcel reference engine, one county, 10⁶ parcels, medians of 3",
    )
    assert rows[-1][3] >= SPEED_UP_TARGET_AT_1M
    fast_rates = [row[1] for row in rows]
    assert fast_rates == sorted(fast_rates)
