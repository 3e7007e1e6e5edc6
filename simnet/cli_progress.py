"""Progress display of a run: "planning routes" first, then days simulated, parcels per second and an ETA.

In a terminal it is rich's live bar; inside Jupyter one notebook output redrawn in place, since
rich's live display there needs ipywidgets and warns without them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from simnet.scenario.models import Scenario
from simnet.terminal_text import literal

RUNS_DIR = Path("results") / "runs"

PLANNING = "planning routes"
"""What the bar says while the dispatch points' routes are planned, before any day is simulated."""

NOTEBOOK_REDRAW_S = 0.25
"""Least time between two redraws of the notebook output (each redraw is a message to the browser)."""

NOTEBOOK_WIDTH = 100
"""Characters per line of the progress drawn into a notebook output."""


def default_results_path(scenario_file: str) -> Path:
    """``results/runs/<scenario name>-<time>``: a new folder for every run."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return RUNS_DIR / f"{Path(scenario_file).stem}-{stamp}"


class NotebookAwareProgress(Progress):
    """A rich ``Progress`` that inside Jupyter redraws one notebook output in place (no ipywidgets needed).

    Elsewhere it is rich's live display unchanged. In a notebook the bars are drawn as text at most
    every ``NOTEBOOK_REDRAW_S`` seconds and once more when the display stops, so the output shows
    the final state.
    """

    def __init__(self, *columns: str | ProgressColumn, console: Console, **options: Any) -> None:
        self.in_notebook = console.is_jupyter
        if self.in_notebook:
            console = Console(width=NOTEBOOK_WIDTH, force_jupyter=False, force_terminal=False, color_system=None)
            options["auto_refresh"] = False
        super().__init__(*columns, console=console, **options)
        self.handle: Any = None
        self.drawn_at = -float("inf")

    def start(self) -> None:
        """Start the live display, or in a notebook show the output that will be redrawn."""
        if not self.in_notebook:
            super().start()
            return
        from IPython.display import display  # noqa: PLC0415 - present wherever a notebook runs

        self.handle = display(self._bundle(), raw=True, display_id=True)  # type: ignore[no-untyped-call]
        self.drawn_at = time.monotonic()

    def stop(self) -> None:
        """Stop the live display, or in a notebook draw the final state."""
        if not self.in_notebook:
            super().stop()
            return
        self._redraw()

    def update(
        self,
        task_id: TaskID,
        *,
        total: float | None = None,
        completed: float | None = None,
        advance: float | None = None,
        description: str | None = None,
        visible: bool | None = None,
        refresh: bool = False,
        **fields: Any,
    ) -> None:
        """Update a task as rich does; in a notebook redraw the output if it is due."""
        super().update(
            task_id,
            total=total,
            completed=completed,
            advance=advance,
            description=description,
            visible=visible,
            refresh=refresh,
            **fields,
        )
        self._redraw_if_due()

    def advance(self, task_id: TaskID, advance: float = 1) -> None:
        """Advance a task as rich does; in a notebook redraw the output if it is due."""
        super().advance(task_id, advance)
        self._redraw_if_due()

    def _redraw_if_due(self) -> None:
        if self.in_notebook and time.monotonic() - self.drawn_at >= NOTEBOOK_REDRAW_S:
            self._redraw()

    def _redraw(self) -> None:
        if self.handle is not None:
            self.handle.update(self._bundle(), raw=True)
            self.drawn_at = time.monotonic()

    def _bundle(self) -> dict[str, str]:
        """The bars as plain text, the notebook output's content."""
        with self.console.capture() as captured:
            self.console.print(self.get_renderable())
        return {"text/plain": captured.get().rstrip("\n")}


class RunProgress:
    """A progress bar over all simulated days of all replications, with "planning routes" before them.

    The days done are counted per replication, so replications running at once in worker processes
    add up; the ETA is rich's, from the recent pace of simulated days (none while routes are planned).
    """

    def __init__(self, console: Console, scenario: Scenario, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.days_per_replication = scenario.warmup_days + scenario.horizon_days + scenario.drain_days
        self.replications = scenario.replications
        self.clock = clock
        self.progress = NotebookAwareProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("days"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
            get_time=clock,
        )
        self.task = self.progress.add_task(PLANNING, total=self.days_per_replication * self.replications, rate="")
        self.days_done: dict[int, int] = {}
        self.first_day_at: float | None = None
        self.parcels_since = 0

    def __enter__(self) -> RunProgress:
        self.progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.progress.stop()

    def planning(self, name: str) -> None:
        """Say which dispatch point's routes are being planned."""
        self.progress.update(self.task, description=f"{PLANNING}: {literal(name)}")

    def day_done(self, replication: int, day: int, parcels: int) -> None:
        """Record that ``replication`` (counted from 0) has simulated ``day`` days, ``parcels`` in its last.

        The rate counts the parcels of the days reported after the first, over the time since it: the
        first report closes route planning, whose length says nothing of the simulation's pace.
        """
        self.days_done[replication] = day
        now = self.clock()
        if self.first_day_at is None:
            self.first_day_at = now
        else:
            self.parcels_since += parcels
        elapsed = now - self.first_day_at
        self.progress.update(
            self.task,
            completed=sum(self.days_done.values()),
            description=self._running(),
            rate=f"{self.parcels_since / elapsed:,.0f} parcels/s" if elapsed > 0 else "",
        )

    def _running(self) -> str:
        """Which replications are being simulated (numbered from 1), or how many are done when none is."""
        running = [rep + 1 for rep, done in sorted(self.days_done.items()) if done < self.days_per_replication]
        if not running:
            return f"{len(self.days_done)} of {self.replications} replications done"
        label = "replication" if len(running) == 1 else "replications"
        return f"{label} {', '.join(map(str, running))} of {self.replications}"
