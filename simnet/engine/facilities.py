"""The facilities a plan runs and what each costs per day: the hub, county parks, depots, town stations, village points.

A facility exists when the plan uses it: every city hub and every county park always; a depot for each
carrier depot point; a town station at each town where some point's vehicles leave parcels; a
village point at each village where a final point's vehicles leave parcels. A hub costs
``hub_per_daily_capacity`` × its daily capacity; the others their flat daily figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simnet.engine.ledger import Account
from simnet.planning.plan import StaticPlan

PlaceKey = tuple[str | int, ...]
"""A fleet or facility, as cost attribution knows it: its kind first, then what names it."""


@dataclass(frozen=True)
class Facility:
    """A facility: the key its handled parcels are recorded under, its cost account and daily cost."""

    key: PlaceKey
    account: Account
    cost_per_day_cny: float


def fleet_key(point: str, vehicle_type: str) -> PlaceKey:
    """Key of a dispatch point's fleet of one vehicle type."""
    return ("fleet", point, vehicle_type)


def hub_key(number: int) -> PlaceKey:
    """Key of city hub ``number``."""
    return ("hub", number)


def trunk_pool_key(number: int) -> PlaceKey:
    """Key of the trunk pool of city hub ``number``."""
    return ("trunk", number)


def line_key(tier: str, county: int, carrier: int) -> PlaceKey:
    """Key of a park (carrier −1) or a carrier's depot."""
    return (tier, county, carrier if tier == "depot" else -1)


def hand_over_key(at_village: bool, final: bool, site: int) -> tuple[str, int]:
    """Key of the place at ``site`` where a point's vehicles leave parcels: a village point or a town station."""
    return ("village" if at_village and final else "town", site)


def plan_facilities(plan: StaticPlan) -> list[Facility]:
    """Every facility of the plan with its daily cost, in a fixed order."""
    scenario = plan.scenario
    daily = scenario.costs.facility_cny_per_day
    network = plan.network
    found = [
        Facility(
            hub_key(hub.number), Account("hub", hub=hub.number), daily.hub_per_daily_capacity * hub.spec.daily_capacity
        )
        for hub in plan.hubs
    ]
    found += [
        Facility(line_key("park", county, -1), Account("park", county), daily.park)
        for county in range(len(network.parks))
    ]
    found += [
        Facility(
            line_key("depot", point.county, point.carrier), Account("depot", point.county, point.carrier), daily.depot
        )
        for point in plan.points
        if point.tier == "depot"
    ]
    places: dict[tuple[str, int], int] = {}
    for point in plan.points:
        for site in np.unique(point.tour).tolist():
            places[hand_over_key(point.at_village, point.final, int(site))] = int(network.county_of_site[site])
    for (tier, site), county in sorted(places.items()):
        found.append(Facility((tier, site), Account(tier, county), daily.village if tier == "village" else daily.town))
    return found
