"""What a run shows: "planning routes" first, then days, rate and an ETA; at the end the folder and the report."""

import io

import pytest
from rich.console import Console

from simnet.cli import main
from simnet.cli_progress import RunProgress
from simnet.scenario import scenario_from_text
from tests.small_city import SMALL_CITY as SMALL

DAYS = 4
"""Days a replication simulates: 1 warm-up + 2 measured + 1 drain."""


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now_s = 100.0

    def __call__(self) -> float:
        return self.now_s


@pytest.fixture
def shown():
    """A progress display on a wide text console, the clock it reads, and a function drawing it as text."""
    clock = Clock()
    console = Console(file=io.StringIO(), width=200, force_terminal=False, color_system=None)
    progress = RunProgress(console, scenario_from_text(SMALL), clock=clock)

    def draw() -> str:
        with console.capture() as captured:
            console.print(progress.progress.get_renderable())
        return captured.get()

    return progress, clock, draw


def test_planning_routes_comes_first_with_no_eta(shown):
    """Before any day is simulated the bar says which dispatch point's routes are planned, and has no ETA yet."""
    progress, clock, draw = shown
    assert "planning routes" in draw()
    clock.now_s += 30
    progress.planning("park c01")
    text = draw()
    assert "planning routes: park c01" in text
    assert f"0/{2 * DAYS} days" in text
    assert "ETA -:--:--" in text


def test_eta_is_the_remaining_days_at_the_pace_so_far(shown):
    """After a minute of planning, a day a second for 4 days: the 4 days left take 4 s more (ETA 0:00:04)."""
    progress, clock, draw = shown
    progress.planning("park c01")
    clock.now_s += 60  # planning time does not count towards the pace
    for day in range(1, DAYS + 1):
        clock.now_s += 1
        progress.day_done(0, day, 1000)
    text = draw()
    assert f"{DAYS}/{2 * DAYS} days" in text
    assert "ETA 0:00:04" in text
    assert "1,000 parcels/s" in text  # the 3,000 parcels of days 2 to 4 in the 3 s since day 1 was reported


def test_replications_in_workers_add_up(shown):
    """Days reported out of order by two workers add up per replication; both are named, numbered from 1."""
    progress, _, draw = shown
    progress.day_done(1, 1, 10)
    progress.day_done(0, 1, 10)
    progress.day_done(0, 2, 10)
    text = draw()
    assert "replications 1, 2 of 2" in text
    assert f"3/{2 * DAYS} days" in text
    for replication in (0, 1):
        for day in range(1, DAYS + 1):
            progress.day_done(replication, day, 10)
    text = draw()
    assert "2 of 2 replications done" in text
    assert f"{2 * DAYS}/{2 * DAYS} days" in text


def test_run_ends_with_the_folder_and_the_report(tmp_path, capsys):
    """``simnet run`` ends by printing the results folder and the report's path; with --no-report, no report line."""
    scenario = tmp_path / "small.yaml"
    scenario.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(scenario), "--out", str(out), "--replications", "1"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-2:]
    assert last == [f"results written to {out}", f"report: {out / 'report.html'}"]
    assert (out / "report.html").is_file()
    bare = tmp_path / "bare"
    assert main(["run", str(scenario), "--out", str(bare), "--replications", "1", "--no-report"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == f"results written to {bare}"
