"""Shippers in the plan: where each lies, its county and hub, and its dedicated van's trip from the park."""

from __future__ import annotations

from dataclasses import dataclass

from simnet.network.city import CityNetwork
from simnet.network.errors import NetworkError
from simnet.network.layout import TOWN
from simnet.network.paths import travel_matrix
from simnet.scenario.models import Scenario
from simnet.scenario.models.shippers import Shipper
from simnet.scenario.models.vehicles import VehicleType


@dataclass(frozen=True, eq=False)
class ShipperPlan:
    """A shipper: its place, county and hub, and (collected by a dedicated van) the van and its one-way trip."""

    number: int
    spec: Shipper
    site: int
    county: int
    hub: int
    van: VehicleType | None
    van_distance_km: float
    """Park → shipper by the van's fastest path (0 at the county seat)."""
    van_time_h: float


def plan_shippers(
    scenario: Scenario, network: CityNetwork, hub_of_county: list[int], park_fleet: bool
) -> tuple[ShipperPlan, ...]:
    """Every shipper of the scenario on the network.

    A trunk-return shipper must lie at a county seat; one collected by park vans at a town, in a
    city whose parks have a fleet (``park_fleet``: some carrier is in the park).
    """
    county_of_id = {county_id: county for county, county_id in enumerate(network.county_ids)}
    site_of_id = {site_id: site for site, site_id in enumerate(network.site_ids)}
    plans = []
    for number, shipper in enumerate(scenario.shippers):
        path = ("shippers", number, "at")
        if shipper.at in county_of_id:
            county = county_of_id[shipper.at]
            site = int(network.parks[county])
        elif shipper.at in site_of_id and network.site_kind[site_of_id[shipper.at]] == TOWN:
            site = site_of_id[shipper.at]
            county = int(network.county_of_site[site])
        else:
            raise NetworkError(
                f"shipper {shipper.id!r} is at {shipper.at!r}, which is no county or town of the network.",
                path,
                "give a county id (the county seat) or a town id",
            )
        if shipper.collected_by == "trunk_return" and site != network.parks[county]:
            raise NetworkError(
                f"shipper {shipper.id!r} is at a town, where no trunk truck comes.",
                ("shippers", number, "collected_by"),
                "a trunk-return shipper lies at a county seat: give its county id in 'at', or use dedicated_van",
            )
        if shipper.collected_by == "park_vans":
            _check_park_vans(shipper, number, site == network.parks[county], park_fleet)
        van = scenario.vehicle_types[shipper.vehicle_type] if shipper.collected_by == "dedicated_van" else None
        distance_km = time_h = 0.0
        if van is not None and site != network.parks[county]:
            try:
                matrix = travel_matrix(network, van.road_speeds_kmh, [int(network.parks[county]), site])
            except NetworkError as error:
                error.path = error.path or ("shippers", number, "vehicle_type")
                raise
            distance_km, time_h = float(matrix.distance_km[0, 1]), float(matrix.time_h[0, 1])
        plans.append(ShipperPlan(number, shipper, site, county, hub_of_county[county], van, distance_km, time_h))
    return tuple(plans)


def _check_park_vans(shipper: Shipper, number: int, at_county_seat: bool, park_fleet: bool) -> None:
    """Park vans collect at a town of their county, and only where the park has vans."""
    if at_county_seat:
        raise NetworkError(
            f"shipper {shipper.id!r} is at a county seat, by the park itself: no van route goes there.",
            ("shippers", number, "collected_by"),
            "at a county seat use collected_by: trunk_return (its parcels wait at the park), or give a town id in 'at'",
        )
    if not park_fleet:
        raise NetworkError(
            f"shipper {shipper.id!r} is collected by park vans, but no carrier is in the parks, so they have no vans.",
            ("shippers", number, "collected_by"),
            "put carriers in the park (parks.consolidated_share or consolidated_carriers), or use dedicated_van",
        )


def park_van_sites(shippers: tuple[ShipperPlan, ...], county: int) -> list[int]:
    """The sites in ``county`` where park vans collect shippers' parcels (each once, in site order)."""
    return sorted({s.site for s in shippers if s.county == county and s.spec.collected_by == "park_vans"})
