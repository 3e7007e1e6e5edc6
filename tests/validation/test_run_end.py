"""A run stops at the first midnight after the horizon by which every measured unit has finished.

The rule (``engine/measuring.run_days``) is only worth having if it changes nothing measured: each
case below runs both engines, checks where they stop, and checks that every metric equals that of
the same replication simulated to the end of its drain days.
"""

import math

import pytest

from simnet.engine.metrics import replication_metrics, replication_tables
from simnet.engine.model import run_replication
from simnet.engine.reference import run_reference
from simnet.engine.reference.model import ReferenceModel
from simnet.engine.stats import ParcelStats
from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text

BASE = """
name: run-end
seed: 7
horizon_days: 1
warmup_days: 1
drain_days: 6
replications: 1
demand: {parcels_per_day: 800, rural_share: 0.4, pickups_per_village_per_day: 1}
network: {generate: {counties: 2, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 5000}
fleets: {trunk: {count: 2}, park: {count: 2}, depot: {count: 1}}
"""

DAILY = BASE + "service: {deliveries_per_week: 7}\n"
"""Villages served every day: the horizon's parcels (day 1) are all delivered, and its pickups at
the hub, on day 2 at the latest, so the run stops at the end of day 2 (3 days simulated of 8)."""

MONDAYS = BASE + "service: {deliveries_per_week: 1, delivery_weekdays: [mon], start_weekday: mon}\n"
"""Villages served on Mondays only, the horizon being Tuesday: its parcels and pickups wait for the
next Monday (day 7), when they are delivered and collected, and reach the hub the same evening; the
run stops at the end of day 7 (8 days simulated, all of them)."""

EXPECTED_DAYS = {"daily": 3, "mondays": 8}


def _plan(text: str):
    return build_plan(scenario_from_text(text, "run-end.yaml"), default_planner())


@pytest.fixture(scope="module", params=[("daily", DAILY), ("mondays", MONDAYS)], ids=["daily", "mondays"])
def case(request):
    name, text = request.param
    return name, _plan(text)


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-12)


def test_both_engines_stop_where_every_measured_unit_has_finished(case):
    name, plan = case
    fast = run_replication(plan, 1)
    reference = run_reference(plan, 1)
    assert fast.simulated_days == reference.simulated_days == EXPECTED_DAYS[name]
    stats = fast.context.stats
    assert stats.all_finished_by(24.0 * fast.simulated_days)
    assert stats.rural_in > 0
    assert stats.pickups_in > 0
    assert len(replication_tables(fast.outcome())["backlog"]) == 5 * (fast.simulated_days - 1)


def test_stopping_early_changes_no_metric(case, monkeypatch):
    """Every metric of the early-stopped run equals that of the run simulated to its last drain day."""
    _, plan = case
    early = replication_metrics(run_replication(plan, 1).outcome())
    early_reference = replication_metrics(run_reference(plan, 1))
    monkeypatch.setattr(ParcelStats, "all_finished_by", lambda self, time_h: False)
    monkeypatch.setattr(ReferenceModel, "finished_by", lambda self, time_h: False)
    full = run_replication(plan, 1)
    assert full.simulated_days == plan.scenario.warmup_days + plan.scenario.horizon_days + plan.scenario.drain_days
    full_metrics = replication_metrics(full.outcome())
    full_reference = replication_metrics(run_reference(plan, 1))
    differing = [key for key in full_metrics if not _same(early[key], full_metrics[key])]
    assert differing == []
    differing = [key for key in full_reference if not _same(early_reference[key], full_reference[key])]
    assert differing == []
