"""Engine speed and memory on the baseline city at 5,000,000 parcels/day (run with ``pytest -m benchmark -s``).

Speed: engine seconds per simulated day, the median of 5 runs of 3 days each (route planning,
process start and file writing excluded). Memory: peak resident memory (``VmHWM``, the process's own
peak) of a 30-day run over a 3-day run, each in a fresh process.
"""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simnet.engine.model import run_replication
from simnet.planning import build_plan, default_planner
from simnet.scenario import load_scenario

pytestmark = pytest.mark.benchmark

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
AT_5M = ("demand.parcels_per_day=5e6", "warmup_days=1", "horizon_days=2", "drain_days=0", "replications=1")
DAY_TARGET_S = 1.0
MEMORY_RATIO_TARGET = 1.5

MEMORY_PROBE = """
import json, sys
from simnet.engine.model import run_replication
from simnet.planning import build_plan, default_planner
from simnet.scenario import load_scenario
days = int(sys.argv[2])
scenario = load_scenario(sys.argv[1], ["demand.parcels_per_day=5e6", "warmup_days=1", f"horizon_days={days}",
                                       "drain_days=0", "output.parcel_sample_size=10000"])
run_replication(build_plan(scenario, default_planner()), 0)
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"max_rss_mb": peak_kb / 1024}))
"""


def test_one_day_at_five_million_parcels(benchmark_figure):
    """Median engine time per simulated day at 5 M parcels/day stays within 1 s."""
    scenario = load_scenario(BASELINE, AT_5M)
    plan = build_plan(scenario, default_planner())
    days = scenario.warmup_days + scenario.horizon_days + scenario.drain_days
    per_day_s = []
    for _ in range(5):
        started = time.perf_counter()
        run_replication(plan, 0)
        per_day_s.append((time.perf_counter() - started) / days)
    median_s = statistics.median(per_day_s)
    print(f"\nengine time per simulated day at 5,000,000 parcels/day: median {median_s:.2f} s "
          f"(runs: {', '.join(f'{s:.2f}' for s in per_day_s)}); {5e6 / median_s:,.0f} parcels/s")  # fmt: skip
    benchmark_figure(
        "engine_day_5m_s",
        median_s,
        "s",
        DAY_TARGET_S,
        detail="engine seconds per simulated day of the baseline at 5,000,000 parcels/day, median of 5",
    )
    assert median_s <= DAY_TARGET_S


def _peak_memory_mb(days: int) -> float:
    output = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(BASELINE), str(days)], check=True, capture_output=True, text=True
    ).stdout
    return float(json.loads(output.strip().splitlines()[-1])["max_rss_mb"])


def test_memory_bounded_by_parcels_in_flight(benchmark_figure):
    """A 30-day run's peak memory is at most 1.5 × a 3-day run's: finished parcels are not kept."""
    _peak_memory_mb(1)  # plans and caches the routes, so neither measured run includes route planning
    short_mb = _peak_memory_mb(3)
    long_mb = _peak_memory_mb(30)
    print(f"\npeak memory: 3 days {short_mb:,.0f} MB, 30 days {long_mb:,.0f} MB, ratio {long_mb / short_mb:.2f}")
    benchmark_figure(
        "memory_30_over_3_days_ratio",
        long_mb / short_mb,
        "×",
        MEMORY_RATIO_TARGET,
        detail=f"peak RSS, 30-day run over 3-day run ({long_mb:,.0f} MB / {short_mb:,.0f} MB)",
    )
    assert long_mb <= MEMORY_RATIO_TARGET * short_mb
