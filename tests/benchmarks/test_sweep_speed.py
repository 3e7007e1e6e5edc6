"""Sweep throughput with 1 and 2 local workers, and the scaling efficiency (``pytest -m benchmark -s``).

Eight points (hub capacity × consolidation) of one county of the baseline city at 1,500,000
parcels/day over 4 simulated days, one replication each; route plans are made before timing.
"""

import time
from pathlib import Path

import pytest

from simnet.experiment.executors import ProcessExecutor
from simnet.experiment.points import parse_vary, sweep_points
from simnet.experiment.sweep import plan_sweep, run_tasks

pytestmark = pytest.mark.benchmark

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
OVERRIDES = ["network.generate.counties=1", "demand.parcels_per_day=1500000", "horizon_days=2", "replications=1"]
VARY = ("hub.capacity_per_day=1200000,1500000,1800000,2100000", "parks.consolidated_share=0,1")


def test_sweep_scaling_with_two_workers(benchmark_figure):
    """Points per minute with 1 and 2 workers; efficiency = speed-up / 2 (2 cores here)."""
    plan = plan_sweep(str(BASELINE), OVERRIDES, sweep_points([parse_vary(v) for v in VARY], zipped=False))
    rates = {}
    for workers in (1, 2):
        started = time.perf_counter()
        results = []
        run_tasks(plan.tasks(), ProcessExecutor(workers), results.append)
        elapsed_min = (time.perf_counter() - started) / 60
        assert all(result.error is None for result in results)
        rates[workers] = len(plan.points) / elapsed_min
    efficiency = rates[2] / rates[1] / 2
    print(f"\nsweep of {len(plan.points)} points: 1 worker {rates[1]:.1f} points/min, "
          f"2 workers {rates[2]:.1f} points/min, scaling efficiency {efficiency:.0%}")  # fmt: skip
    benchmark_figure(
        "sweep_two_worker_efficiency",
        efficiency,
        "",
        0.6,
        better="higher",
        detail="sweep of 8 points, speed-up with 2 workers over 1, divided by 2",
    )
    assert efficiency > 0.6
