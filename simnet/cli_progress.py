"""Progress display of ``simnet run``: days simulated and parcels per second, route planning first."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from simnet.scenario.models import Scenario
from simnet.terminal_text import literal

RUNS_DIR = Path("results") / "runs"


def default_results_path(scenario_file: str) -> Path:
    """``results/runs/<scenario name>-<time>``: a new folder for every run."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return RUNS_DIR / f"{Path(scenario_file).stem}-{stamp}"


class RunProgress:
    """A rich progress bar over all simulated days of all replications."""

    def __init__(self, console: Console, scenario: Scenario) -> None:
        days = scenario.warmup_days + scenario.horizon_days + scenario.drain_days
        self.days_per_replication = days
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("days"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task("planning routes", total=days * scenario.replications, rate="")
        self.parcels = 0
        self.started = time.perf_counter()

    def __enter__(self) -> RunProgress:
        self.progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.progress.stop()

    def planning(self, name: str) -> None:
        """Show which dispatch point's routes are being planned."""
        self.progress.update(self.task, description=f"planning routes: {literal(name)}")
        self.started = time.perf_counter()

    def day_done(self, replication: int, day: int, parcels: int) -> None:
        """Advance by one simulated day."""
        self.parcels += parcels
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        self.progress.update(
            self.task,
            completed=replication * self.days_per_replication + day,
            description=f"replication {replication + 1}",
            rate=f"{self.parcels / elapsed:,.0f} parcels/s",
        )
