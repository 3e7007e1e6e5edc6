"""Shared setup of the reliability tests: a tiny scenario, and runs paused in their write phase.

The scenario is the smallest that exercises every tier (one county, one town, two villages, two
carriers, one measured day), so a run takes well under a second once its routes are cached.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TINY = """name: tiny
horizon_days: 1
warmup_days: 0
drain_days: 1
replications: 1
carriers:
  - {id: a, name: A, share: 0.6}
  - {id: b, name: B, share: 0.4}
demand: {parcels_per_day: 400, rural_share: 0.5, pickups_per_village_per_day: 2}
network: {generate: {counties: 1, towns_per_county: 1, villages_per_town: 2}}
hub: {capacity_per_day: 2000}
"""

PAUSED_RUN = """
import pathlib, sys, time
import simnet.results.folder as folder
ready, stage = pathlib.Path(sys.argv[1]), sys.argv[2]
if stage == "write":  # pause once metrics.json is in the staging folder: the middle of the write phase
    original = folder._write_json
    def pausing(path, document):
        original(path, document)
        if path.name == "metrics.json":
            ready.write_text(str(path.parent))
            time.sleep(120)
    folder._write_json = pausing
else:  # pause instead of simulating, the results folder already claimed
    import simnet.experiment.replications
    def pausing(*args, **kwargs):
        ready.write_text("simulating")
        time.sleep(120)
    simnet.experiment.replications.run_scenario = pausing
from simnet.cli import main
sys.exit(main(sys.argv[3:]))
"""
"""A ``simnet`` process that writes a file when it reaches ``stage`` and waits there to be signalled."""

READY_TIMEOUT_S = 120
"""Longest wait for a paused run to reach its stage: a cold start plans routes (a few seconds)."""


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    """The tiny scenario as a file."""
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


class PausedRun:
    """A ``simnet run`` in a child process, stopped at a known point until the test signals it."""

    def __init__(self, tmp_path: Path, stage: str, args: list[str]) -> None:
        self.ready = tmp_path / f"ready-{stage}"
        self.process = subprocess.Popen(
            [sys.executable, "-c", PAUSED_RUN, str(self.ready), stage, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_until_paused(self) -> str:
        """Block until the child has reached its stage; return what it wrote (the staging folder)."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not self.ready.exists():
            if self.process.poll() is not None:
                raise AssertionError(f"the run ended before pausing: {self.process.communicate()}")
            if time.monotonic() > deadline:
                raise AssertionError("the run did not reach its pause in time")
            time.sleep(0.05)
        return self.ready.read_text()

    def stop(self, signum: int) -> tuple[int, str]:
        """Send ``signum``; return the exit status and standard error."""
        os.kill(self.process.pid, signum)
        _, err = self.process.communicate(timeout=60)
        return self.process.returncode, err


@pytest.fixture
def paused_run() -> Iterator[Callable[[Path, str, list[str]], PausedRun]]:
    """Start paused runs with ``paused_run(tmp_path, stage, args)``; any still running is killed at the end."""
    started: list[PausedRun] = []

    def start(folder: Path, stage: str, args: list[str]) -> PausedRun:
        run = PausedRun(folder, stage, args)
        started.append(run)
        return run

    yield start
    for run in started:
        if run.process.poll() is None:
            run.process.send_signal(signal.SIGKILL)
            run.process.communicate()
