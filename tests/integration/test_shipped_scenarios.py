"""The scenarios shipped in scenarios/ are valid and say what their names promise."""

import json
from pathlib import Path

import pytest

from simnet.scenario import load_scenario
from simnet.scenario.schema import scenario_json_schema

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))


def test_the_four_scenarios_are_shipped():
    """The baseline and its three variants named in the foundation issue exist."""
    assert {path.name for path in SHIPPED} >= {"baseline.yaml", "consolidated.yaml", "peak-day.yaml", "ev-fleet.yaml"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_shipped_scenario_validates(path):
    """Every shipped scenario loads and validates."""
    assert load_scenario(path).name


def test_baseline_is_the_planned_city():
    """Baseline: 5,000,000 parcels/day of hub capacity and about ten counties, carriers outside the park."""
    baseline = load_scenario(SCENARIOS / "baseline.yaml")
    assert baseline.hub.daily_capacity == 5_000_000
    assert baseline.network.generate is not None
    assert 8 <= baseline.network.generate.counties <= 12
    assert baseline.consolidated_carrier_ids == ()


def test_variants_change_what_their_names_say():
    """Each variant differs from the baseline in its own subject and keeps the rest by 'extends'."""
    baseline = load_scenario(SCENARIOS / "baseline.yaml")
    consolidated = load_scenario(SCENARIOS / "consolidated.yaml")
    peak = load_scenario(SCENARIOS / "peak-day.yaml")
    ev = load_scenario(SCENARIOS / "ev-fleet.yaml")
    assert set(consolidated.consolidated_carrier_ids) == {carrier.id for carrier in baseline.carriers}
    assert consolidated.hub == baseline.hub
    assert max(peak.demand.peak_days, key=lambda day: day.multiplier).multiplier > 1.5
    assert peak.demand.parcels_per_day == baseline.demand.parcels_per_day
    for tier in ("park", "town"):
        vehicle = ev.vehicle_types[ev.fleets.named()[tier].vehicle_type]
        assert vehicle.energy.kind == "electric"
    assert ev.service.last_mile == "two_leg"


def test_committed_schema_is_current():
    """scenarios/schema.json equals what 'simnet schema' prints (regenerate it when models change)."""
    committed = json.loads((SCENARIOS / "schema.json").read_text(encoding="utf-8"))
    assert committed == scenario_json_schema()
