"""A dispatch point's vehicle types, and which of them may drive a formed route, cheapest first.

The rule. A point's fleet may mix vehicle types. Routes are formed (``planning/split.py``) for
the *split type*: the largest type (by capacity; ties: the first listed) whose road classes
reach every stop of the point. A type *fits* a formed route when it holds the route's parcels,
its roads reach every stop of it, and the route on its roads keeps to its range and its route
duration limit (the fleet's ``max_route_h``, else the type's); the split type always fits, as the
route was formed for it. The route takes the cheapest fitting type that has a vehicle free, by
the route's variable cost with that type (km × (cost per km + energy per km) + hours × driver
cost; ties: the order listed). Routes wait for a vehicle first come first served: a route whose
fitting types are all out waits, and the routes formed after it wait behind it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from simnet.network.city import CityNetwork
from simnet.network.errors import UnreachableError
from simnet.network.paths import TravelMatrix, travel_matrix
from simnet.scenario.models.costs import Costs
from simnet.scenario.models.vehicles import VehicleType

IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class PlannedVehicle:
    """One vehicle type of a dispatch point's fleet, on its own roads."""

    name: str
    vehicle: VehicleType
    count: int
    matrix: TravelMatrix
    """Fastest paths on this type's roads between the point and its stops (same node order for every
    type); infinite where this type's roads do not reach."""
    max_route_h: float | None
    variable_cny_per_km: float
    """Distance cost and energy per km."""

    def route_km_h(self, rows: IntArray, stop_time_h: float) -> tuple[float, float]:
        """Km and hours (driving and stops) of a round trip from the point through ``rows``."""
        path = np.concatenate(([0], rows, [0]))
        km = float(self.matrix.distance_km[path[:-1], path[1:]].sum())
        hours = float(self.matrix.time_h[path[:-1], path[1:]].sum()) + stop_time_h * len(rows)
        return km, hours


def reach_matrix(network: CityNetwork, speed_kmh: Mapping[str, float], nodes: list[int]) -> TravelMatrix:
    """Fastest paths between ``nodes`` on a type's roads, infinite between nodes its roads do not join.

    ``nodes[0]`` is the depot; a node counts as reachable when the type's open roads connect it to it.
    """
    try:
        return travel_matrix(network, speed_kmh, nodes)
    except UnreachableError:
        pass
    open_roads = [
        (start, end) for start, end, road_class in network.graph.edges(data="road_class") if road_class in speed_kmh
    ]
    joined = nx.node_connected_component(nx.Graph(open_roads), nodes[0]) if open_roads else {nodes[0]}
    reachable = [index for index, site in enumerate(nodes) if site in joined]
    size = len(nodes)
    distance_km = np.full((size, size), np.inf)
    time_h = np.full((size, size), np.inf)
    inner = travel_matrix(network, speed_kmh, [nodes[index] for index in reachable])
    distance_km[np.ix_(reachable, reachable)] = inner.distance_km
    time_h[np.ix_(reachable, reachable)] = inner.time_h
    order = np.asarray(nodes, dtype=np.int64)
    for array in (order, distance_km, time_h):
        array.setflags(write=False)
    return TravelMatrix(order, distance_km, time_h, tuple(network.site_ids[site] for site in nodes))


def energy_cny_per_km(vehicle: VehicleType, costs: Costs) -> float:
    """What a km of driving costs in fuel or electricity."""
    energy = vehicle.energy
    if energy.kind == "diesel":
        return energy.litres_per_100km / 100 * costs.diesel_cny_per_l
    return energy.kwh_per_100km / 100 * costs.electricity_cny_per_kwh


def split_type(vehicles: tuple[PlannedVehicle, ...]) -> int | None:
    """Index of the largest type whose roads reach every stop (ties: the first), or None when none does."""
    reaching = [i for i, v in enumerate(vehicles) if bool(np.isfinite(v.matrix.distance_km).all())]
    if not reaching:
        return None
    return max(reaching, key=lambda i: (vehicles[i].vehicle.capacity_parcels, -i))


def vehicle_choices(
    vehicles: tuple[PlannedVehicle, ...], split_index: int, rows: IntArray, parcels: int, stop_time_h: float
) -> tuple[int, ...]:
    """The types that fit a route through ``rows`` carrying ``parcels``, cheapest first (see the module)."""
    priced: list[tuple[float, int]] = []
    for index, planned in enumerate(vehicles):
        km, hours = planned.route_km_h(rows, stop_time_h)
        if index != split_index and not _fits(planned, parcels, km, hours):
            continue
        cost = km * planned.variable_cny_per_km + hours * planned.vehicle.driver_cost_per_h_cny
        priced.append((cost, index))
    return tuple(index for _, index in sorted(priced))


def _fits(planned: PlannedVehicle, parcels: int, km: float, hours: float) -> bool:
    """Whether a type other than the split type may drive the route."""
    if parcels > planned.vehicle.capacity_parcels or not math.isfinite(km):
        return False
    if planned.vehicle.range_km is not None and km > planned.vehicle.range_km:
        return False
    return planned.max_route_h is None or hours <= planned.max_route_h
