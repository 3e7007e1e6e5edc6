"""The city's hubs in the plan: which counties each serves, its share of the city's parcels and its trunk.

Each county is served by one hub. A hub that lists ``counties`` serves exactly those (none for an
empty list); a county no hub lists goes to the nearest by road of the hubs without a list (shortest
road distance over all roads; ties: the hub listed first). A hub's parcels per day are the city's parcels
times its share: its urban share of the urban parcels (given, or its share of rural demand) plus the
rural parcels of the villages it serves, by their demand weights. So each village gets the same rural
parcels as in a city of one hub, and a city of independent parts splits into those parts.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

from simnet.network.city import CityNetwork
from simnet.network.errors import NetworkError
from simnet.network.paths import travel_matrix
from simnet.scenario.models import Scenario
from simnet.scenario.models.hubs import ListedHub
from simnet.scenario.models.vehicles import Fleet, VehicleType

IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class HubPlan:
    """One hub: its facility, site, counties and villages, share of the city's parcels and trunk fleet."""

    number: int
    """Position in ``Scenario.all_hubs`` (and site index in the network)."""
    spec: ListedHub
    """The hub's entry in the scenario the plan carries (``for_scenario`` refreshes it and what follows from it)."""
    counties: IntArray
    """County indices it serves, increasing."""
    villages: IntArray
    """Village indices (positions in ``network.villages``) of those counties, increasing."""
    weight_share: float
    """Share of the city's village demand weight in the counties it serves."""
    parcel_share: float
    """Share of the city's parcels that arrive at this hub."""
    rural_share: float
    """Share of this hub's parcels that are rural (bound for its villages)."""
    trunk_fleet: Fleet
    trunk_vehicle: VehicleType
    trunk_distance_km: NDArray[np.float64]
    """Road distance to the park of each county it serves, in the order of ``counties``."""
    trunk_time_h: NDArray[np.float64]
    stream_key: int
    """The hub's key in the random streams, from its id: a hub draws the same numbers in any city it is in."""

    @property
    def id(self) -> str:
        """The hub's id."""
        return self.spec.id

    def for_scenario(self, scenario: Scenario) -> HubPlan:
        """The hub with the facility, trunk fleet and shares of ``scenario`` (which shares the plan's inputs).

        Sorting fields, trunk counts, urban shares and the rural share do not change the plan's routes,
        so a plan built for one scenario serves another that differs only in them (``plan_cache``).
        """
        spec = scenario.all_hubs[self.number]
        parcel_share, rural_share = _shares(scenario, self.number, self.weight_share)
        fleet = spec.trunk or scenario.fleets.trunk
        return dataclasses.replace(
            self,
            spec=spec,
            parcel_share=parcel_share,
            rural_share=rural_share,
            trunk_fleet=fleet,
            trunk_vehicle=scenario.vehicle_types[fleet.mix[0].vehicle_type],
        )


def stream_key(hub_id: str) -> int:
    """A 32-bit key of a hub id (SHA-256), stable across runs and machines, unlike ``hash``."""
    return int.from_bytes(hashlib.sha256(hub_id.encode()).digest()[:4], "big")


def hub_of_county(scenario: Scenario, network: CityNetwork) -> IntArray:
    """The hub serving each county: the one listing it, or else the nearest by road (see the module's rule)."""
    hubs = scenario.all_hubs
    serving = np.full(len(network.parks), -1, dtype=np.int64)
    county_index = {county_id: index for index, county_id in enumerate(network.county_ids)}
    for number, hub in enumerate(hubs):
        for position, county_id in enumerate(hub.counties or ()):
            if county_id not in county_index:
                listing = ", ".join(network.county_ids)
                raise NetworkError(
                    f"hub {hub.id!r} lists county {county_id!r}, which the network does not have.",
                    ("hubs", number, "counties", position),
                    f"use one of the network's counties: {listing}",
                )
            serving[county_index[county_id]] = number
    unlisted = np.flatnonzero(serving < 0)
    open_hubs = np.array([number for number, hub in enumerate(hubs) if hub.counties is None], dtype=np.int64)
    if len(unlisted) and not len(open_hubs):
        county_id = network.county_ids[int(unlisted[0])]
        raise NetworkError(
            f"county {county_id!r} is served by no hub: every hub lists its counties, and none lists it.",
            ("hubs",),
            f"add {county_id!r} to a hub's counties, or leave out 'counties' at a hub to give it the nearest ones",
        )
    if len(unlisted) and len(open_hubs) == 1:
        serving[unlisted] = open_hubs[0]
    elif len(unlisted):
        serving[unlisted] = open_hubs[_nearest_hub(network, network.hubs[open_hubs], network.parks[unlisted])]
    return serving


def _nearest_hub(network: CityNetwork, hub_sites: IntArray, parks: IntArray) -> IntArray:
    """For each park site, the position in ``hub_sites`` of the nearest by road distance; ties: the first."""
    edges = np.array([(a, b, data["length_km"]) for a, b, data in network.graph.edges(data=True)], dtype=np.float64)
    sites = len(network.site_ids)
    lengths = sparse.csr_matrix(
        (edges[:, 2], (edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64))), (sites, sites)
    )
    distance_km = dijkstra(lengths, directed=False, indices=hub_sites)[:, parks]
    unreachable = np.flatnonzero(np.isinf(distance_km).all(axis=0))
    if len(unreachable):
        park = int(parks[unreachable[0]])
        raise NetworkError(
            f"no hub can reach county {network.site_ids[park]!r} over the roads.",
            network.site_paths.get(park, ("network", "roads")),
            "add a road from the county to a hub, or list the county under a hub that reaches it",
        )
    nearest: IntArray = np.argmin(distance_km, axis=0).astype(np.int64)
    return nearest


def plan_key_of_hubs(scenario: Scenario) -> list[dict[str, object]]:
    """What of the hubs the plan is built from: places, listed counties, trunk vehicle types (for ``plan_cache``)."""
    return [
        {
            "site": hub.site.model_dump(mode="json"),
            "counties": hub.counties,
            "trunk": (hub.trunk or scenario.fleets.trunk).mix[0].vehicle_type,
        }
        for hub in scenario.all_hubs
    ]


def _shares(scenario: Scenario, number: int, weight_share: float) -> tuple[float, float]:
    """Hub ``number``'s share of the city's parcels, and the rural share of its own (the module's rule).

    A city of one hub gets exactly 1 and the city's rural share, whatever the rounding.
    """
    hubs = scenario.all_hubs
    rural_share = scenario.demand.rural_share
    if len(hubs) == 1:
        return 1.0, rural_share
    given = hubs[number].urban_share
    urban_share = weight_share if given is None else given
    parcel_share = (1 - rural_share) * urban_share + rural_share * weight_share
    return parcel_share, (rural_share * weight_share / parcel_share if parcel_share else 0.0)


def plan_hubs(scenario: Scenario, network: CityNetwork) -> tuple[HubPlan, ...]:
    """Every hub's plan: its counties and villages, its share of the parcels and its trunk's travel times."""
    serving = hub_of_county(scenario, network)
    county_of_village = network.county_of_site[network.villages]
    weight_share = network.village_weight / network.village_weight.sum()
    plans = []
    for number, hub in enumerate(scenario.all_hubs):
        counties = np.flatnonzero(serving == number).astype(np.int64)
        villages = np.flatnonzero(serving[county_of_village] == number).astype(np.int64)
        fleet = hub.trunk or scenario.fleets.trunk
        vehicle = scenario.vehicle_types[fleet.mix[0].vehicle_type]
        blame = ("hubs", number, "trunk", "vehicle_type") if hub.trunk else ("fleets", "trunk", "vehicle_type")
        try:
            matrix = travel_matrix(
                network, vehicle.road_speeds_kmh, [int(network.hubs[number]), *network.parks[counties]]
            )
        except NetworkError as error:
            error.path = error.path or blame
            raise
        plans.append(
            HubPlan(
                number=number,
                spec=hub,
                counties=counties,
                villages=villages,
                weight_share=float(weight_share[villages].sum()),
                parcel_share=0.0,
                rural_share=0.0,
                trunk_fleet=fleet,
                trunk_vehicle=vehicle,
                trunk_distance_km=matrix.distance_km[0, 1:].copy(),
                trunk_time_h=matrix.time_h[0, 1:].copy(),
                stream_key=stream_key(hub.id),
            )
        )
    return tuple(plan.for_scenario(scenario) for plan in plans)
