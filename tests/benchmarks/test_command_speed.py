"""What a planner waits for: whole commands in fresh processes, and memory across replications.

- ``simnet --help``: median of 5 (imports only what the command list needs).
- The one-day command of the 5-million city (``ONE_DAY``): once with an empty cache (routes planned,
  "cold"), then the median of 3 with that cache ("warm": the whole static plan read from disk).
- The README's quickstart, ``simnet run scenarios/baseline.yaml`` (5 replications), warm: median of 3.
- Peak memory of 100 replications over that of one (a smaller city volume, so 100 replications take
  about a minute; what grows with replications is the kept tables, not the volume).
Peak memory is a process's own peak resident set (``VmHWM``): ``ru_maxrss`` would report at least the
peak of the test process it was forked from. Run with ``pytest tests/benchmarks -m benchmark -s``; the
figures go to ``figures.json``.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.benchmark

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
ONE_DAY = ("--set", "demand.parcels_per_day=5e6", "--set", "horizon_days=1", "--set", "warmup_days=0",
           "--set", "replications=1")  # fmt: skip
HELP_TARGET_S = 0.5
WARM_TARGET_S = 5.0
COLD_TARGET_S = 20.0
QUICKSTART_TARGET_S = 45.0
MEMORY_RATIO_TARGET = 1.5

MEMORY_PROBE = """
import json, sys
from simnet.experiment.replications import run_scenario
from simnet.scenario import load_scenario
scenario = load_scenario(sys.argv[1], ["demand.parcels_per_day=2e5", "warmup_days=0", "horizon_days=1",
                                       "drain_days=1", f"replications={sys.argv[2]}"])
run_scenario(scenario, workers=1)
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"max_rss_mb": peak_kb / 1024}))
"""


def _seconds(arguments: list[str], cache: Path) -> float:
    """Wall seconds of ``python -m simnet ARGUMENTS`` in a fresh process with route and plan cache ``cache``."""
    environment = {**os.environ, "SIMNET_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "simnet", *arguments], check=True, env=environment,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def _runs(seconds: list[float]) -> str:
    return ", ".join(f"{s:.2f}" for s in seconds)


def test_help_is_quick(tmp_path, benchmark_figure):
    """``simnet --help`` in a fresh process: median of 5 at most 0.5 s."""
    seconds = [_seconds(["--help"], tmp_path) for _ in range(5)]
    median_s = statistics.median(seconds)
    print(f"\nsimnet --help: median {median_s:.2f} s (runs: {_runs(seconds)})")
    benchmark_figure("help_s", median_s, "s", HELP_TARGET_S, detail="simnet --help, fresh process, median of 5")
    assert median_s <= HELP_TARGET_S


def test_one_day_command_cold_and_warm(tmp_path, benchmark_figure):
    """The one-day command: at most 20 s with routes to plan, at most 5 s (median of 3) with the plan on disk."""
    cache = tmp_path / "cache"
    command = ["run", str(BASELINE), *ONE_DAY]
    cold_s = _seconds([*command, "--out", str(tmp_path / "cold")], cache)
    warm = [_seconds([*command, "--out", str(tmp_path / f"warm{run}")], cache) for run in range(3)]
    warm_s = statistics.median(warm)
    print(f"\none-day command at 5,000,000 parcels/day: cold {cold_s:.1f} s; warm median {warm_s:.2f} s "
          f"(runs: {_runs(warm)})")  # fmt: skip
    what = "simnet run scenarios/baseline.yaml " + " ".join(ONE_DAY)
    benchmark_figure("one_day_cold_s", cold_s, "s", COLD_TARGET_S, detail=f"{what}; empty cache")
    benchmark_figure("one_day_warm_s", warm_s, "s", WARM_TARGET_S, detail=f"{what}; warm cache, median of 3")
    assert cold_s <= COLD_TARGET_S
    assert warm_s <= WARM_TARGET_S


def test_quickstart_run(tmp_path, benchmark_figure):
    """The README's quickstart run (5 replications, workers by default), warm cache: median of 3 at most 45 s."""
    cache = tmp_path / "cache"
    _seconds(["run", str(BASELINE), "--out", str(tmp_path / "warming"), "--no-report"], cache)
    seconds = [_seconds(["run", str(BASELINE), "--out", str(tmp_path / f"run{run}")], cache) for run in range(3)]
    median_s = statistics.median(seconds)
    print(f"\nquickstart (simnet run scenarios/baseline.yaml): median {median_s:.1f} s (runs: {_runs(seconds)})")
    benchmark_figure("quickstart_s", median_s, "s", QUICKSTART_TARGET_S,
                     detail="simnet run scenarios/baseline.yaml; warm cache, median of 3")  # fmt: skip
    assert median_s <= QUICKSTART_TARGET_S


def _peak_memory_mb(replications: int) -> float:
    output = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(BASELINE), str(replications)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return float(json.loads(output.strip().splitlines()[-1])["max_rss_mb"])


def test_memory_of_many_replications(benchmark_figure):
    """Peak memory of 100 replications is at most 1.5 × that of one: each keeps only its columnar tables."""
    _peak_memory_mb(1)  # plans and caches the routes, so neither measured run includes route planning
    one_mb = _peak_memory_mb(1)
    hundred_mb = _peak_memory_mb(100)
    ratio = hundred_mb / one_mb
    print(f"\npeak memory: 1 replication {one_mb:,.0f} MB, 100 replications {hundred_mb:,.0f} MB, ratio {ratio:.2f}")
    benchmark_figure("memory_100_replications_ratio", ratio, "×", MEMORY_RATIO_TARGET,
                     detail=f"peak RSS, 100 replications over 1 ({hundred_mb:,.0f} MB / {one_mb:,.0f} MB)")  # fmt: skip
    assert ratio <= MEMORY_RATIO_TARGET
