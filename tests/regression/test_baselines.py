"""Release regression: every shipped scenario, re-run as its baseline file says, keeps its key metrics.

The baselines in results/baselines/ are data, rewritten only by ``simnet baseline update`` and reviewed
as a diff; the tolerance rule is documented in ``simnet.results.baselines``.
"""

import dataclasses
from pathlib import Path

import pytest

from simnet.metric_names import KEY_METRICS
from simnet.results.baselines import (
    Baseline,
    Moved,
    baseline_path,
    baseline_text,
    check,
    compare,
    compute_baseline,
    read_baseline,
    rerun,
)
from tests.small_city import SMALL_CITY

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
BASELINES = ROOT / "results" / "baselines"
SHIPPED = sorted(path.name for path in SCENARIOS.glob("*.yaml"))
SLOW = {"peak-day.yaml", "bus-lines.yaml"}
"""About 30 s here (29.5–30.8 s measured): six measured days, up to its last peak day, × 5 replications.
bus-lines: 25–45 s on a busy machine (28 bus lines, six departures a day, each call a SimPy event)."""


def report(moved: list[Moved]) -> str:
    """One line per moved metric: old → new and the tolerance it exceeded."""
    lines = [f"  {m.metric}: {m.old} → {m.new} (tolerance {m.tolerance})" for m in moved]
    return "metrics moved beyond tolerance (if intended, run 'simnet baseline update' and review the diff):\n" + (
        "\n".join(lines)
    )


def test_every_shipped_scenario_has_a_baseline_of_every_key_metric():
    """results/baselines/ holds one file per scenarios/*.yaml, no orphans, each with every key metric."""
    assert SHIPPED, "no shipped scenarios found"
    assert sorted(path.name for path in BASELINES.glob("*.json")) == sorted(f"{Path(n).stem}.json" for n in SHIPPED)
    for name in SHIPPED:
        stored = read_baseline(baseline_path(BASELINES, name))
        assert stored.scenario == name
        assert set(stored.metrics) == set(KEY_METRICS)


@pytest.mark.parametrize(
    "scenario", [pytest.param(name, marks=pytest.mark.slow) if name in SLOW else name for name in SHIPPED]
)
def test_shipped_scenario_matches_its_baseline(scenario):
    """Re-run at its stored overrides and replications, no key metric moves beyond its tolerance."""
    _, moved = check(SCENARIOS / scenario, BASELINES)
    assert not moved, report(moved)


def test_cut_hub_capacity_is_caught():
    """Hub capacity cut from 5 M to 3 M parcels/day (below the 4 M demand) moves the hub and delivery metrics.

    Must move: the hub sorts through every shift (hub_utilization 0.80 → 1), a million parcels a day pile up
    in its queue (hub_queue_max), some are still there after the drain days (parcels_backlog, 0 before), and
    the queue delays every rural parcel (delivery_time_h_mean, on_time_24h). Must not move: the demand
    (parcels_in: common random numbers) and what hub capacity cannot touch (villages, park membership).
    """
    stored = read_baseline(baseline_path(BASELINES, "baseline.yaml"))
    changed = dataclasses.replace(stored, overrides=(*stored.overrides, "hub.capacity_per_day=3e6"))
    moved = {m.metric for m in compare(stored, rerun(changed, SCENARIOS / "baseline.yaml"))}
    assert {"hub_utilization", "hub_queue_max", "parcels_backlog", "delivery_time_h_mean", "on_time_24h"} <= moved
    assert moved.isdisjoint({"parcels_in", "village_coverage", "park_entry_rate", "co_delivery_share"})


SMALL = (
    SMALL_CITY.replace("hub: {capacity_per_day: 8000}", "hub: {sorting_lines: 1, line_rate_per_h: 400}") + "seed: 5\n"
)
"""A city of one county, run in about a second: the hub's one line sorts 400 parcels/h, 8,000 over its 20 h a day."""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Baseline]:
    """The small scenario's file and its baseline (5 replications, the default)."""
    path = tmp_path_factory.mktemp("small") / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path, compute_baseline(path)


def changed_by(small: tuple[Path, Baseline], override: str) -> list[Moved]:
    """What a check flags after the "code" changed by ``override`` (same seeds, same replications)."""
    path, stored = small
    return compare(stored, rerun(dataclasses.replace(stored, overrides=(*stored.overrides, override)), path))


def test_unchanged_model_flags_nothing(small):
    """Re-run with the stored seed and replications, the numbers are identical: every paired difference 0."""
    path, stored = small
    fresh = rerun(stored, path)
    assert baseline_text(fresh) == baseline_text(stored)
    assert compare(stored, fresh) == []


def test_dearer_village_commission_flags_the_costs_only(small):
    """A 10 % dearer village commission (0.50 → 0.55 CNY) flags cost_total_cny and cost_per_parcel_cny, nothing else.

    Each replication's cost per parcel rises by 0.05 CNY × its share of parcels delivered to village points (some
    1.6 %): the same in every replication up to that share's small spread, so the paired t-test sees it although it
    is far inside the spread between replications. Parcel flows do not depend on costs, so nothing else changes.
    """
    moved = changed_by(small, "costs.village_commission_cny_per_parcel=0.55")
    assert [m.metric for m in moved] == ["cost_total_cny", "cost_per_parcel_cny"], report(moved)


def test_one_percent_faster_hub_line_flags_the_delivery_times(small):
    """The hub line 1 % faster (400 → 404 parcels/h) flags the delivery times and the hub metrics it moves.

    Demand (9,000–10,000 parcels over three days) exceeds the line's 8,000 a day, so the queue drains 1 % faster:
    hub_queue_max falls by the same 24 parcels in every replication (a shift without spread), more parcels are
    delivered in the window, the mean delivery time falls by about 0.1 h of 14 h (0.7 %) and on_time_24h rises,
    consistently over the replications. Demand itself (parcels_in: common random numbers) and what the hub cannot
    touch (village coverage, park membership) are not flagged.
    """
    moved = {m.metric for m in changed_by(small, "hub.line_rate_per_h=404")}
    assert {"delivery_time_h_mean", "on_time_24h", "hub_utilization", "hub_queue_max", "parcels_delivered"} <= moved
    assert moved.isdisjoint({"parcels_in", "village_coverage", "park_entry_rate", "co_delivery_share"})
