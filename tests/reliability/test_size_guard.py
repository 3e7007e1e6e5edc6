"""Class 3, size guard: a run that cannot fit in memory is refused before anything is built.

The estimate comes from the scenario alone, so a city of four million villages or a 26 GB run
is a located error (exit 2) in well under a second instead of a MemoryError minutes later;
``--no-size-check`` overrides it and ``--dry-run`` shows it without simulating.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

import simnet.experiment.replications
from simnet.cli import EXIT_USER_ERROR, main
from simnet.engine.model import run_replication
from simnet.planning import default_planner, plan_for
from simnet.run_size import BASE_PROCESS_BYTES, estimate_run_size
from simnet.scenario import scenario_from_text

from .conftest import TINY

REFUSAL_TIME_S = 5.0
"""Longest a refusal may take: loading the scenario and estimating, never building the city."""

FOUR_MILLION_VILLAGES = [
    "--set",
    "network.generate.counties=200",
    "--set",
    "network.generate.towns_per_county=100",
    "--set",
    "network.generate.villages_per_town=200",
]


def _never_simulates(*args: object, **kwargs: object) -> None:
    raise AssertionError("the run started although it cannot fit")


@pytest.mark.parametrize(
    ("overrides", "place"),
    [
        (FOUR_MILLION_VILLAGES, "--set network.generate.villages_per_town=200: network.generate.villages_per_town:"),
        (["--set", "demand.parcels_per_day=2e9"], "--set demand.parcels_per_day=2e9: demand.parcels_per_day:"),
    ],
    ids=["four-million-villages", "two-billion-parcels-a-day"],
)
def test_a_run_that_cannot_fit_is_refused_at_its_field(scenario_file, tmp_path, monkeypatch, capsys, overrides, place):
    """A run needing more memory than the machine has is refused at once (exit 2), located at the field that
    drives the estimate, saying how much it needs and how to override; nothing is built or written."""
    monkeypatch.setattr(simnet.experiment.replications, "run_scenario", _never_simulates)
    started = time.perf_counter()
    assert main(["run", str(scenario_file), "--out", str(tmp_path / "run"), *overrides]) == EXIT_USER_ERROR
    assert time.perf_counter() - started < REFUSAL_TIME_S
    err = capsys.readouterr().err
    assert place in err
    assert "of memory" in err
    assert "--no-size-check" in err
    assert not (tmp_path / "run").exists()


def test_no_size_check_lets_the_run_start(scenario_file, tmp_path, monkeypatch):
    """--no-size-check skips the refusal: the run starts (here it stops at once, where it would simulate)."""
    started: list[bool] = []

    def stop_at_start(*args: object, **kwargs: object) -> None:
        started.append(True)
        raise KeyboardInterrupt

    monkeypatch.setattr(simnet.experiment.replications, "run_scenario", stop_at_start)
    main(["run", str(scenario_file), "--out", str(tmp_path / "run"), "--no-size-check", *FOUR_MILLION_VILLAGES])
    assert started == [True]


def test_dry_run_prints_the_estimate_and_writes_nothing(scenario_file, tmp_path, monkeypatch, capsys):
    """--dry-run prints memory, parcels, sites, dispatch points and time without simulating or writing (exit 0)."""
    monkeypatch.setattr(simnet.experiment.replications, "run_scenario", _never_simulates)
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(scenario_file), "--dry-run", *FOUR_MILLION_VILLAGES]) == 0
    out = capsys.readouterr().out
    for shown in ("4,020,201 sites", "villages 4,000,000", "dispatch points", "memory", "time", "nothing written"):
        assert shown in out
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tiny.yaml"]


def test_estimate_is_an_upper_bound_of_a_measured_run():
    """The memory estimate covers what a replication really takes: its ``tracemalloc`` peak after planning
    stays below the estimate's growth (the estimate is meant to err high, never low).

    100,000 parcels a day at rural share 0.5 make the parcels dominate the tiny city, as in a real run.
    """
    scenario = scenario_from_text(TINY, overrides=["demand.parcels_per_day=100000", "hub.capacity_per_day=200000"])
    plan = plan_for(scenario, default_planner())
    tracemalloc.start()
    try:
        run_replication(plan, 0).outcome()
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = estimate_run_size(scenario)
    assert peak_bytes < size.growth_bytes
    assert size.memory_bytes == BASE_PROCESS_BYTES + size.growth_bytes


@pytest.mark.parametrize(
    "overrides",
    [
        [],
        ["parks.consolidated_share=1"],
        ["parks.consolidated_share=0.5", "service.last_mile=two_leg", "network.generate.towns_per_county=2"],
        ["parks.outside_carriers_deliver_to=town_station"],
    ],
    ids=["depots", "park", "park-towns-and-depot", "depots-to-stations"],
)
def test_estimate_counts_the_sites_and_dispatch_points_the_plan_makes(overrides):
    """The estimate, made without building anything, has the plan's sites and its dispatch points by tier,
    each with the plan's number of stops (what its travel matrix is sized by)."""
    scenario = scenario_from_text(TINY, overrides=overrides)
    plan = plan_for(scenario, default_planner())
    size = estimate_run_size(scenario)
    assert size.sites == len(plan.network.site_ids)
    planned = sorted((point.tier, len(set(point.stop_of_village[point.stop_of_village >= 0]))) for point in plan.points)
    assert sorted((point.tier, point.stops) for point in size.dispatch_points) == planned
