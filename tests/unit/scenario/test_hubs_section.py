"""The ``hubs:`` section: one way of giving the hubs, unique counties, urban shares, located errors."""

import pytest

from simnet.scenario import scenario_from_text
from tests.unit.scenario.test_loader import text_error

BASE = """name: x
demand: {parcels_per_day: 1000}
network: {generate: {counties: 3, towns_per_county: 1, villages_per_town: 2}}
"""
TWO_HUBS = (
    BASE
    + """hubs:
  - {id: a, x_km: 10, y_km: 0, capacity_per_day: 800, counties: [c01]}
  - {id: b, x_km: -10, y_km: 0, capacity_per_day: 900}
"""
)


def test_listed_hubs_load_and_the_single_form_becomes_one_listed_hub():
    """``hubs:`` keeps its entries; ``hub:`` at ``network.hub`` reads as one hub with the site's id and place."""
    listed = scenario_from_text(TWO_HUBS, "s.yaml")
    assert [hub.id for hub in listed.all_hubs] == ["a", "b"]
    assert listed.hub_capacity_per_day == pytest.approx(1700)
    single_text = BASE.replace("villages_per_town: 2}}", "villages_per_town: 2}, hub: {id: core, x_km: 3, y_km: 4}}")
    single = scenario_from_text(single_text + "hub: {capacity_per_day: 700}\n", "s.yaml")
    (hub,) = single.all_hubs
    assert (hub.id, hub.x_km, hub.y_km, hub.daily_capacity, hub.counties) == ("core", 3, 4, pytest.approx(700), None)


def test_hub_and_hubs_together_are_refused_at_hub():
    """Both forms at once are refused where ``hub`` is written."""
    error = text_error(TWO_HUBS + "hub: {capacity_per_day: 5}\n")
    (problem,) = error.problems
    assert problem.path == ("hub",)
    assert "not both" in problem.message


def test_a_county_listed_by_two_hubs_is_refused_where_listed_second():
    """A county has one hub: the second listing is the error."""
    text = TWO_HUBS.replace("capacity_per_day: 900}", "capacity_per_day: 900, counties: [c02, c01]}")
    (problem,) = text_error(text).problems
    assert problem.path == ("hubs", 1, "counties", 1)
    assert "listed by hubs 0 and 1" in problem.message


def test_urban_shares_for_all_or_none_adding_up_to_one():
    """Urban shares are given for every hub or none, and then add up to 1."""
    some = TWO_HUBS.replace("counties: [c01]}", "counties: [c01], urban_share: 0.5}")
    (problem,) = text_error(some).problems
    assert problem.path == ("hubs", 1, "urban_share")
    wrong = some.replace("capacity_per_day: 900}", "capacity_per_day: 900, urban_share: 0.4}")
    (problem,) = text_error(wrong).problems
    assert "add up to 0.9" in problem.message


def test_network_hub_with_hubs_is_refused():
    """With ``hubs:`` each hub has its own place; ``network.hub`` would be ignored, so it is refused."""
    text = TWO_HUBS.replace("villages_per_town: 2}}", "villages_per_town: 2}, hub: {x_km: 1, y_km: 1}}")
    (problem,) = text_error(text).problems
    assert problem.path == ("network", "hub")


def test_a_hub_trunk_of_an_unknown_vehicle_type_is_located():
    """A hub's own trunk fleet names a known vehicle type, with a suggestion when it does not."""
    text = TWO_HUBS.replace(
        "capacity_per_day: 900}", "capacity_per_day: 900, trunk: {vehicle_type: trailer, count: 3}}"
    )
    (problem,) = text_error(text).problems
    assert problem.path == ("hubs", 1, "trunk", "vehicle_type")
    assert "trailer_17m5" in problem.hint


def test_capacity_of_a_listed_hub_can_be_set_from_the_command_line():
    """``--set hubs.N.capacity_per_day`` reaches a listed hub (as ``hub.capacity_per_day`` does the single one)."""
    scenario = scenario_from_text(TWO_HUBS, "s.yaml", ["hubs.1.capacity_per_day=1200"])
    assert scenario.hub_capacity_per_day == pytest.approx(2000)
