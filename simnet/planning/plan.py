"""The static plan of a scenario: who delivers what from where, on which routes; built once, shared by replications.

The plan builder is handed its route planner by its caller (planning every time, or through a
cache), so nothing here reads the environment or touches files on its own account.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from simnet.network.city import CityNetwork, build_network
from simnet.network.errors import NetworkError
from simnet.network.paths import TravelMatrix, travel_matrix
from simnet.network.routing import PlannedRoute
from simnet.planning.bus_plan import BusPlan, build_bus_plan
from simnet.planning.fleet import PlannedVehicle, energy_cny_per_km, reach_matrix, split_type
from simnet.planning.flows import Flows, build_flows
from simnet.planning.hubs import HubPlan, plan_hubs
from simnet.planning.routes import RoutePlanner, RouteRequest, plan_ahead
from simnet.planning.shippers import ShipperPlan, park_van_sites, plan_shippers
from simnet.planning.split import RouteLimits
from simnet.scenario.errors import Path
from simnet.scenario.models import Scenario
from simnet.scenario.models.vehicles import VehicleType

Tier = Literal["park", "town", "depot"]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class DispatchPlan:
    """A place that sends vehicles out on planned routes: a park, a town station or a carrier depot."""

    name: str
    tier: Tier
    county: int
    carrier: int
    depot_site: int
    vehicle_name: str
    vehicle: VehicleType
    fleet_count: int
    """Vehicles of all types at the point."""
    vehicles: tuple[PlannedVehicle, ...]
    """The point's vehicle types (a mix, or one), each on its own roads; ``vehicle`` is the split type."""
    split_vehicle: int
    """Index in ``vehicles`` of the type routes are planned and formed for (see ``planning/fleet``)."""
    sorting_rate_per_h: float | None
    """Rate of the line that sorts the point's parcels as trucks bring them; None for a town station."""
    waves_h: tuple[float, ...]
    delivery_days_only: bool
    final: bool
    at_village: bool
    routes: tuple[PlannedRoute, ...]
    matrix: TravelMatrix
    stop_of_village: IntArray
    """Per village index: the site this plan's vehicles bring its parcels to (the village or its town)."""
    tour: IntArray
    """Sites of all stops in one visiting order: the planned routes concatenated (see ``planning/split``)."""
    tour_rows: IntArray
    """Row of each tour stop in ``matrix`` (row 0 is the depot)."""
    tour_position_of_site: IntArray
    """Per site: its position in ``tour``, or -1 when this plan does not serve it."""
    limits: RouteLimits
    """Capacity, range, duration and stop time every route formed at a wave keeps to."""
    pickup_max_wait_h: float
    """A stop with only pickups waiting joins a wave once its oldest pickup has waited this long."""
    matrix_row: IntArray
    """Per site: row of the site in ``matrix``, or -1."""


@dataclass(frozen=True, eq=False)
class StaticPlan:
    """Everything about a scenario that does not change between replications."""

    scenario: Scenario
    network: CityNetwork
    members: NDArray[np.bool_]
    hubs: tuple[HubPlan, ...]
    """The city's hubs, in the order of ``Scenario.all_hubs`` (``planning/hubs.py``)."""
    hub_of_county: IntArray
    """The number of the hub serving each county."""
    trunk_distance_km: NDArray[np.float64]
    """Per county: road distance from its hub to its park."""
    trunk_time_h: NDArray[np.float64]
    """Per county: driving time from its hub to its park, by its hub's trunk vehicle."""
    points: tuple[DispatchPlan, ...]
    """Every dispatch point in a fixed order: county parks, town stations, carrier depots."""
    flows: Flows
    """Where each parcel and pickup goes next, as indices into ``points``."""
    bus: BusPlan | None = None
    """The scenario's bus lines resolved on the network (``planning/bus_plan.py``), or None."""
    shippers: tuple[ShipperPlan, ...] = ()
    """The scenario's factories and e-commerce parks on the network (``planning/shippers.py``)."""

    def shippers_of(self, hub: int) -> tuple[ShipperPlan, ...]:
        """The shippers in the counties hub ``hub`` serves, in their listed order."""
        return tuple(shipper for shipper in self.shippers if shipper.hub == hub)

    @property
    def county_of_village(self) -> IntArray:
        """County index of each village index."""
        return self.network.county_of_site[self.network.villages]


def build_plan(
    scenario: Scenario, routes: RoutePlanner, on_route_plan: Callable[[str], None] | None = None
) -> StaticPlan:
    """Build the network, the trunk travel times, every dispatch point's routes and the flows between them.

    ``routes`` plans each point's routes; ``on_route_plan`` is told the name of each point before.
    """
    network = build_network(scenario)
    member_ids = set(scenario.consolidated_carrier_ids)
    members = np.array([carrier.id in member_ids for carrier in scenario.carriers])
    _check_county_overrides(scenario, network)
    bus = None if scenario.bus_lines is None else build_bus_plan(scenario.bus_lines, network)
    hubs = plan_hubs(scenario, network)
    trunk_distance_km = np.zeros(len(network.parks))
    trunk_time_h = np.zeros(len(network.parks))
    serving = np.zeros(len(network.parks), dtype=np.int64)
    for hub in hubs:
        serving[hub.counties] = hub.number
        trunk_distance_km[hub.counties] = hub.trunk_distance_km
        trunk_time_h[hub.counties] = hub.trunk_time_h
    shippers = plan_shippers(scenario, network, serving.tolist(), park_fleet=bool(members.any()))
    builder = _PlanBuilder(scenario, network, routes, on_route_plan)
    park_plans: list[_PendingPoint] = []
    town_plans: list[_PendingPoint] = []
    depot_plans: list[_PendingPoint] = []
    shares = np.array([carrier.share for carrier in scenario.carriers])
    two_leg = scenario.service.last_mile == "two_leg"
    to_towns = scenario.parks.outside_carriers_deliver_to == "town_station"
    for county in range(len(network.parks)):
        if members.any():
            member_share = float(shares[members].sum())
            park_plans.append(
                builder.dispatch_plan(
                    name=f"park {network.county_ids[county]}",
                    tier="park",
                    county=county,
                    carrier=-1,
                    depot_site=int(network.parks[county]),
                    stops_at_towns=two_leg,
                    carrier_share=member_share,
                    final=not two_leg,
                    collection_sites=park_van_sites(shippers, county),
                )
            )
            if two_leg:
                for town_site in network.towns[network.county_of_site[network.towns] == county]:
                    town_plans.append(
                        builder.dispatch_plan(
                            name=f"town {network.site_ids[town_site]}",
                            tier="town",
                            county=county,
                            carrier=-1,
                            depot_site=int(town_site),
                            stops_at_towns=False,
                            carrier_share=member_share,
                            final=True,
                        )
                    )
        for carrier in np.flatnonzero(~members):
            depot_plans.append(
                builder.dispatch_plan(
                    name=f"depot {network.county_ids[county]} {scenario.carriers[carrier].id}",
                    tier="depot",
                    county=county,
                    carrier=int(carrier),
                    depot_site=int(network.parks[county]),
                    stops_at_towns=to_towns,
                    carrier_share=float(shares[carrier]),
                    final=True,
                )
            )
    points = builder.finish((*park_plans, *town_plans, *depot_plans))
    return StaticPlan(
        scenario=scenario,
        network=network,
        members=members,
        hubs=hubs,
        hub_of_county=serving,
        trunk_distance_km=trunk_distance_km,
        trunk_time_h=trunk_time_h,
        points=points,
        flows=build_flows(network, members, points, two_leg=two_leg, outside_to_towns=to_towns, bus=bus),
        bus=bus,
        shippers=shippers,
    )


@dataclass(frozen=True)
class _PendingPoint:
    """A dispatch point's plan waiting for its routes: the request, where its errors belong, and the rest."""

    name: str
    request: RouteRequest
    blame: Path
    build: Callable[[tuple[PlannedRoute, ...]], DispatchPlan]


class _PlanBuilder:
    """Plans the routes of each dispatch point for its expected load."""

    def __init__(
        self,
        scenario: Scenario,
        network: CityNetwork,
        routes: RoutePlanner,
        on_route_plan: Callable[[str], None] | None,
    ) -> None:
        self.scenario = scenario
        self.network = network
        self.routes = routes
        self.on_route_plan = on_route_plan
        weights = network.village_weight / network.village_weight.sum()
        self.rural_per_village_per_day = scenario.demand.parcels_per_day * scenario.demand.rural_share * weights

    def finish(self, pending: Sequence[_PendingPoint]) -> tuple[DispatchPlan, ...]:
        """Plan every point's routes (all at once where the planner can) and complete the points' plans."""
        told = self.on_route_plan
        ahead = plan_ahead(
            self.routes, [point.request for point in pending], None if told is None else lambda i: told(pending[i].name)
        )
        points = []
        for point, routes_ahead in zip(pending, ahead, strict=True):
            routes = routes_ahead
            if routes is None:
                if told is not None:
                    told(point.name)
                with _blamed(point.blame):
                    routes = point.request.ask(self.routes)
            points.append(point.build(routes))
        return tuple(points)

    def dispatch_plan(
        self,
        *,
        name: str,
        tier: Tier,
        county: int,
        carrier: int,
        depot_site: int,
        stops_at_towns: bool,
        carrier_share: float,
        final: bool,
        collection_sites: Sequence[int] = (),
    ) -> _PendingPoint:
        """A point's plan, waiting for the routes of its expected load (see ``finish``).

        ``collection_sites`` are stops where the point's vehicles only collect (shippers served by
        park vans): planned with no parcels (so a load of one, like any stop), visited in tour order.
        """
        scenario = self.scenario
        network = self.network
        village_sites = network.villages
        in_scope = network.county_of_site[village_sites] == county
        if tier == "town":
            in_scope &= network.town_of_site[village_sites] == depot_site
        stop_of_village = np.where(stops_at_towns, network.town_of_site[village_sites], village_sites)
        stop_of_village = np.where(in_scope, stop_of_village, -1).astype(np.int64)
        delivery_days_only = not stops_at_towns
        per_day = self.rural_per_village_per_day * carrier_share
        if delivery_days_only:
            per_day = per_day * 7 / scenario.service.deliveries_per_week
        stops = np.unique(stop_of_village[in_scope])
        if collection_sites:
            stops = np.union1d(stops, np.asarray(collection_sites, dtype=np.int64))
        demand = {int(site): float(per_day[(stop_of_village == site)].sum()) for site in stops}
        vehicles, split_index = self._vehicles(tier, county, [depot_site, *stops.tolist()])
        split = vehicles[split_index]
        request = RouteRequest(split.matrix, depot_site, demand, split.vehicle.capacity_parcels, split.vehicle.range_km)
        waves = scenario.service.town_dispatch_waves_h if tier == "town" else scenario.parks.dispatch_waves_h
        sorting_rate_per_h = {
            "park": scenario.parks.sorting_rate_per_h,
            "depot": scenario.parks.depot_sorting_rate_per_h,
            "town": None,
        }[tier]

        def build(routes: tuple[PlannedRoute, ...]) -> DispatchPlan:
            return DispatchPlan(
                name=name,
                tier=tier,
                county=county,
                carrier=carrier,
                depot_site=depot_site,
                vehicle_name=split.name,
                vehicle=split.vehicle,
                fleet_count=sum(planned.count for planned in vehicles),
                vehicles=vehicles,
                split_vehicle=split_index,
                sorting_rate_per_h=sorting_rate_per_h,
                waves_h=tuple(sorted(waves)),
                delivery_days_only=delivery_days_only,
                final=final,
                at_village=not stops_at_towns,
                routes=routes,
                matrix=split.matrix,
                stop_of_village=stop_of_village,
                limits=RouteLimits(
                    capacity_parcels=split.vehicle.capacity_parcels,
                    max_distance_km=split.vehicle.range_km,
                    max_duration_h=split.max_route_h,
                    stop_time_h=scenario.service.stop_time_h,
                ),
                pickup_max_wait_h=scenario.service.pickup_max_wait_h,
                **_tour_tables(routes, stops, split.vehicle.capacity_parcels, len(network.site_ids), split.matrix),
            )

        return _PendingPoint(name, request, ("vehicle_types", split.name, "range_km"), build)

    def _vehicles(self, tier: Tier, county: int, nodes: list[int]) -> tuple[tuple[PlannedVehicle, ...], int]:
        """The point's vehicle types on their own roads, and the index of its split type."""
        scenario = self.scenario
        county_id = self.network.county_ids[county]
        tier_fleet = scenario.fleets.named()[tier]
        fleet = tier_fleet.in_county(county_id)
        place: Path = ("fleets", tier, *(("counties", county_id) if county_id in tier_fleet.counties else ()))
        vehicles = tuple(
            PlannedVehicle(
                name=entry.vehicle_type,
                vehicle=scenario.vehicle_types[entry.vehicle_type],
                count=entry.count,
                matrix=reach_matrix(self.network, scenario.vehicle_types[entry.vehicle_type].road_speeds_kmh, nodes),
                max_route_h=fleet.max_route_h or scenario.vehicle_types[entry.vehicle_type].max_route_h,
                variable_cny_per_km=scenario.vehicle_types[entry.vehicle_type].cost_per_km_cny
                + energy_cny_per_km(scenario.vehicle_types[entry.vehicle_type], scenario.costs),
            )
            for entry in fleet.mix
        )
        split_index = split_type(vehicles)
        if split_index is None:
            largest = max(vehicles, key=lambda planned: planned.vehicle.capacity_parcels)
            which = (*place, "vehicle_type") if fleet.vehicles is None else (*place, "vehicles")
            with _blamed(which):
                travel_matrix(self.network, largest.vehicle.road_speeds_kmh, nodes)
        assert split_index is not None
        return vehicles, split_index


def _check_county_overrides(scenario: Scenario, network: CityNetwork) -> None:
    """Every county named under a fleet's ``counties`` is a county of the network."""
    for tier, fleet in scenario.fleets.named().items():
        for county_id in fleet.counties:
            if county_id not in network.county_ids:
                raise NetworkError(
                    f"county {county_id!r} is not a county of the network.",
                    ("fleets", tier, "counties", county_id),
                    f"use one of the counties: {', '.join(network.county_ids)}",
                )


@contextmanager
def _blamed(path: Path) -> Iterator[None]:
    """Point a network error without a scenario place at ``path`` (the vehicle choice at fault)."""
    try:
        yield
    except NetworkError as error:
        if error.path:
            raise
        error.path = path
        raise


def _tour_tables(
    routes: tuple[PlannedRoute, ...], stops: IntArray, capacity: int, sites: int, matrix: TravelMatrix
) -> dict[str, IntArray]:
    """The visiting order, with each stop's matrix row and position in it.

    The stops of the planned routes that are not full single-stop trips, in plan order, then the
    stops planned for full trips only, by site.
    """
    order: dict[int, None] = {}
    for route in routes:
        if not (len(route.stops) == 1 and route.planned_load[0] >= capacity):
            order.update(dict.fromkeys(route.stops))
    order.update(dict.fromkeys(int(site) for site in stops))
    tour = np.asarray(list(order), dtype=np.int64)
    matrix_row = np.full(sites, -1, dtype=np.int64)
    matrix_row[np.asarray(matrix.nodes, dtype=np.int64)] = np.arange(len(matrix.nodes))
    position = np.full(sites, -1, dtype=np.int64)
    position[tour] = np.arange(len(tour))
    return {
        "tour": tour,
        "tour_rows": matrix_row[tour],
        "tour_position_of_site": position,
        "matrix_row": matrix_row,
    }
