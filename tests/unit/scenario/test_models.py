"""Derived quantities and cross-field rules of the scenario models."""

import pytest

from simnet.scenario import ScenarioError, scenario_from_text
from simnet.scenario.models.distributions import Constant, Exponential, LogNormal, Uniform
from simnet.scenario.models.facilities import Hub, Service, Shift

MINIMAL = "name: x\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"


def test_capacity_per_day_spreads_over_shift_hours():
    """5,000 parcels/day over two 10-hour shifts, one at half capacity, is 5000 / (10 + 5) per hour."""
    hub = Hub(
        capacity_per_day=5000,
        shifts=(Shift(start_h=18, end_h=28), Shift(start_h=6, end_h=16, capacity_share=0.5)),
    )
    assert hub.full_rate_per_h == pytest.approx(5000 / 15)
    assert hub.daily_capacity == pytest.approx(5000)


def test_lines_times_rate_gives_daily_capacity():
    """10 lines × 25,000/h over 20 shift-hours is 5,000,000 parcels/day."""
    hub = Hub(sorting_lines=10, line_rate_per_h=25_000)
    assert hub.daily_capacity == pytest.approx(5_000_000)


def test_clock_strings_read_as_hours():
    """'06:30' is 6.5 hours after midnight."""
    assert Shift(start_h="06:30", end_h="18:15").hours == pytest.approx(11.75)


@pytest.mark.parametrize(
    ("count", "expected"),
    [(7, ("mon", "tue", "wed", "thu", "fri", "sat", "sun")), (3, ("mon", "wed", "fri")), (1, ("mon",))],
)
def test_unlisted_delivery_days_spread_over_the_week(count, expected):
    """Day k of n falls on weekday floor(7k/n): 3 a week is Mon, Wed, Fri."""
    assert Service(deliveries_per_week=count).weekdays == expected


@pytest.mark.parametrize(
    ("distribution", "mean", "variance"),
    [
        (Constant(value=3.0), 3.0, 0.0),
        (Exponential(mean=2.0), 2.0, 4.0),
        (LogNormal(mean=10.0, cv=0.5), 10.0, 25.0),
        (Uniform(low=1.0, high=4.0), 2.5, 9 / 12),
    ],
)
def test_distribution_moments(distribution, mean, variance):
    """Analytic moments: exponential var = mean², lognormal var = (cv·mean)², uniform var = (b−a)²/12."""
    assert distribution.mean == pytest.approx(mean)
    assert distribution.variance == pytest.approx(variance)


def test_consolidated_share_takes_largest_carriers_first():
    """Half of six carriers joins: the three largest by share (0.25, 0.18, 0.16 in the defaults)."""
    scenario = scenario_from_text(MINIMAL + "parks: {consolidated_share: 0.5}\n")
    assert scenario.consolidated_carrier_ids == ("zto", "yto", "yunda")


def test_defaults_make_a_complete_scenario():
    """Name, demand and hub capacity are all a scenario must state; the rest has sourced defaults."""
    scenario = scenario_from_text(MINIMAL)
    assert sum(carrier.share for carrier in scenario.carriers) == pytest.approx(1)
    assert scenario.fleets.park.vehicle_type in scenario.vehicle_types


def test_partial_fleet_keeps_its_default_vehicle():
    """Writing only a fleet's count keeps the tier's default vehicle type."""
    scenario = scenario_from_text(MINIMAL + "fleets: {park: {count: 7}}\n")
    assert scenario.fleets.park.count == 7
    assert scenario.fleets.park.vehicle_type == "diesel_van"


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ("hub: {capacity_per_day: 5000, sorting_lines: 3, line_rate_per_h: 100}\n", "not both"),
        ("hub: {capacity_per_day: 5000, shifts: [{start_h: 6, end_h: 14}, {start_h: 12, end_h: 20}]}\n", "overlap"),
        ("hub: {capacity_per_day: 5000, shifts: [{start_h: 20, end_h: 8}]}\n", "must end after it starts"),
        ("parks: {consolidated_share: 0.5, consolidated_carriers: [zto]}\n", "not both"),
        ("parks: {consolidated_share: null, consolidated_carriers: [zzo]}\n", "did you mean 'zto'"),
        ("service: {deliveries_per_week: 5, delivery_weekdays: [mon, tue]}\n", "2 delivery weekdays"),
        ("demand: {parcels_per_day: 1000, peak_days: [{day: 9, multiplier: 2}]}\n", "beyond the 7-day horizon"),
        ("network: {detour_factor: 1.2}\n", "either 'generate' or a list of 'counties'"),
    ],
)
def test_cross_field_rules(extra, fragment):
    """Each cross-field rule refuses a scenario that breaks it, with one clear sentence."""
    text = MINIMAL.replace("hub: {capacity_per_day: 5000}\n", "") if extra.startswith("hub") else MINIMAL
    if extra.startswith("demand"):
        text = text.replace("demand: {parcels_per_day: 1000}\n", "")
    with pytest.raises(ScenarioError, match=fragment):
        scenario_from_text(text + extra, "rules.yaml")
