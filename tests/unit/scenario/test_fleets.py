"""Fleets: one type with a count, or a mix of types, per tier and per county; located errors otherwise."""

import pytest

from simnet.scenario import ScenarioError, scenario_from_text

MINIMAL = "name: x\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"


def test_single_form_keeps_working():
    """``park: {count: 60}`` keeps the tier's default type; its mix is that one type."""
    scenario = scenario_from_text(MINIMAL, "f.yaml", ["fleets.park.count=60"])
    assert [(entry.vehicle_type, entry.count) for entry in scenario.fleets.park.mix] == [("diesel_van", 60)]


def test_mix_with_county_override():
    """A mix replaces the default type; a county override applies to that county only."""
    scenario = scenario_from_text(
        MINIMAL,
        "f.yaml",
        [
            "fleets.park={vehicles: [{vehicle_type: ev_van, count: 2}, {vehicle_type: e_tricycle, count: 6}],"
            " counties: {c03: {vehicle_type: diesel_van, count: 3}}}"
        ],
    )
    park = scenario.fleets.park
    assert [(e.vehicle_type, e.count) for e in park.mix] == [("ev_van", 2), ("e_tricycle", 6)]
    assert [(e.vehicle_type, e.count) for e in park.in_county("c03").mix] == [("diesel_van", 3)]
    assert park.in_county("c01") is park


@pytest.mark.parametrize(
    ("override", "place"),
    [
        ("fleets.park={vehicle_type: ev_van, count: 2, vehicles: [{vehicle_type: ev_van, count: 1}]}", "vehicles"),
        ("fleets.park.vehicles=[{vehicle_type: ev_van, count: 1}, {vehicle_type: ev_van, count: 2}]", "vehicles"),
        ("fleets.park.vehicles=[{vehicle_type: bus, count: 1}]", "fleets.park.vehicles[0].vehicle_type"),
        ("fleets.trunk.vehicles=[{vehicle_type: trailer_17m5, count: 1}]", "trunk"),
        (
            "fleets.town.counties={c01: {vehicles: [{vehicle_type: scooter, count: 1}]}}",
            "fleets.town.counties.c01.vehicles[0].vehicle_type",
        ),
    ],
)
def test_bad_fleets_are_located(override, place):
    """Both forms at once, a type listed twice, an unknown type, a mixed trunk: a located ScenarioError."""
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(MINIMAL, "f.yaml", [override])
    assert place in str(caught.value)
