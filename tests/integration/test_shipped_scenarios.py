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


def test_lockers_variant_closes_village_points_and_keeps_the_rest():
    """lockers.yaml gives village points hours (not always open) and cells, leaves town stations always open,
    and keeps the baseline's demand and network by 'extends'."""
    baseline = load_scenario(SCENARIOS / "baseline.yaml")
    lockers = load_scenario(SCENARIOS / "lockers.yaml")
    assert baseline.village_points is None
    assert not lockers.village_points.always_open
    assert lockers.village_points.locker_cells > 0
    assert lockers.town_stations is None
    assert (lockers.demand, lockers.network) == (baseline.demand, baseline.network)


def test_bus_lines_variant_puts_the_parks_parcels_on_town_lines():
    """bus-lines.yaml is consolidated.yaml (every carrier in the park) plus bus lines, one per town, for the
    villages beyond a distance, with the hub, demand and network of the baseline."""
    consolidated = load_scenario(SCENARIOS / "consolidated.yaml")
    bus = load_scenario(SCENARIOS / "bus-lines.yaml")
    assert consolidated.bus_lines is None
    assert bus.bus_lines.town_lines is not None
    assert bus.bus_lines.serve.kind == "beyond_km"
    assert bus.consolidated_carrier_ids == consolidated.consolidated_carrier_ids
    assert (bus.hub, bus.demand, bus.network) == (consolidated.hub, consolidated.demand, consolidated.network)


def test_harvest_variant_is_the_baseline_in_a_harvest_week():
    """harvest.yaml changes only the pickups' calendar, fresh produce and line-haul: the rest is the baseline."""
    baseline = load_scenario(SCENARIOS / "baseline.yaml")
    harvest = load_scenario(SCENARIOS / "harvest.yaml")
    season = harvest.demand.farm_season
    assert season is not None
    assert season.multiplier(0) > 1  # its first day lies in a harvest month
    assert harvest.demand.fresh_share > 0
    assert harvest.hub.line_haul_departures_h
    assert harvest.demand.model_copy(update={"farm_season": None, "fresh_share": 0.0}) == baseline.demand
    assert (harvest.network, harvest.parks, harvest.fleets) == (baseline.network, baseline.parks, baseline.fleets)
