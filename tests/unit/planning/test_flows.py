"""The flows table: every parcel and pickup has exactly the next place the rules in planning/flows.py give."""

import numpy as np
import pytest

from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text

CITY = """
name: flows
horizon_days: 1
replications: 1
demand: {parcels_per_day: 2000, rural_share: 0.5}
network: {generate: {counties: 2, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 5000}
"""

CASES = {
    "separate": [],
    "half consolidated": ["parks.consolidated_share=0.5"],
    "two legs": ["parks.consolidated_share=1", "service.last_mile=two_leg"],
    "outside to town stations": [
        "parks.outside_carriers_deliver_to=town_station",
        "parks.consolidated_carriers=[zto, yto]",
        "parks.consolidated_share=null",
        "service.last_mile=two_leg",
    ],
}


def plan_of(overrides):
    return build_plan(scenario_from_text(CITY, "flows.yaml", overrides), default_planner())


def point_named(plan, tier, county, carrier=-1, site=None):
    """Index of the one point of that tier, county and carrier (and depot site, for a town station)."""
    (index,) = [
        i
        for i, p in enumerate(plan.points)
        if p.tier == tier and p.county == county and p.carrier == carrier and (site is None or p.depot_site == site)
    ]
    return index


@pytest.mark.parametrize("overrides", CASES.values(), ids=CASES.keys())
def test_parcels_sorted_by_park_or_own_depot(overrides):
    """A member carrier's parcels are sorted by its county's park, an outside carrier's by its own depot."""
    plan = plan_of(overrides)
    for county in range(len(plan.network.parks)):
        for carrier, member in enumerate(plan.members):
            expected = point_named(plan, "park", county) if member else point_named(plan, "depot", county, carrier)
            assert plan.flows.sorting_point[county, carrier] == expected


@pytest.mark.parametrize("overrides", CASES.values(), ids=CASES.keys())
def test_pickups_collected_where_the_rules_say(overrides):
    """Members' pickups wait at their village for the park (or town station); outside ones for their depot."""
    plan = plan_of(overrides)
    network, scenario = plan.network, plan.scenario
    two_leg = scenario.service.last_mile == "two_leg"
    to_towns = scenario.parks.outside_carriers_deliver_to == "town_station"
    for village, site in enumerate(network.villages):
        county = int(network.county_of_site[site])
        town = int(network.town_of_site[site])
        for carrier, member in enumerate(plan.members):
            if member and two_leg:
                point, wait_at = point_named(plan, "town", county, site=town), site
            elif member:
                point, wait_at = point_named(plan, "park", county), site
            else:
                point, wait_at = point_named(plan, "depot", county, carrier), town if to_towns else site
            assert plan.flows.collector_point[village, carrier] == point
            assert plan.flows.collector_site[village, carrier] == wait_at


@pytest.mark.parametrize("overrides", CASES.values(), ids=CASES.keys())
def test_onward_places(overrides):
    """A non-final park hands parcels to the village's town station; a station's pickups go to its park."""
    plan = plan_of(overrides)
    network = plan.network
    for index, point in enumerate(plan.points):
        onward = plan.flows.pickup_onward_point[index]
        expected = point_named(plan, "park", point.county) if point.tier == "town" else -1
        assert onward == expected
    stations = plan.flows.station_point
    if any(not point.final for point in plan.points):
        for village, site in enumerate(network.villages):
            town = int(network.town_of_site[site])
            assert stations[village] == point_named(plan, "town", int(network.county_of_site[site]), site=town)
    else:
        assert np.all(stations == -1)
