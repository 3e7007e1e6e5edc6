"""Release regression: every shipped scenario, re-run as its baseline file says, keeps its key metrics.

The baselines in results/baselines/ are data, rewritten only by ``simnet baseline update`` and reviewed
as a diff; the tolerance rule is documented in ``simnet.results.baselines``.
"""

import dataclasses
from pathlib import Path

import pytest

from simnet.metric_names import KEY_METRICS
from simnet.results.baselines import Moved, baseline_path, check, compare, read_baseline, rerun

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
BASELINES = ROOT / "results" / "baselines"
SHIPPED = sorted(path.name for path in SCENARIOS.glob("*.yaml"))
SLOW = {"peak-day.yaml"}
"""About 30 s here (29.5–30.8 s measured): six measured days, up to its last peak day, × 5 replications."""


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


def test_dearer_village_commission_moves_the_total_cost_only():
    """A 10 % dearer village commission (0.50 → 0.55 CNY) moves cost_total_cny and nothing else.

    The extra 0.05 CNY on each of ~190,000 rural parcels adds ~9,500 CNY, above its tolerance (~6,300 from a
    per-replication SD of ~2,000). Per parcel the same 0.05 CNY is a tenth of the tolerance (~0.49): the cost
    per parcel varies with the day-to-day volume, so so small a change in it is not distinguishable from
    noise. Parcel flows do not depend on costs, so nothing else changes at all.
    """
    stored = read_baseline(baseline_path(BASELINES, "baseline.yaml"))
    changed = dataclasses.replace(stored, overrides=(*stored.overrides, "costs.village_commission_cny_per_parcel=0.55"))
    moved = compare(stored, rerun(changed, SCENARIOS / "baseline.yaml"))
    assert [m.metric for m in moved] == ["cost_total_cny"], report(moved)
