"""The road network: the city's sites and roads, fastest paths per vehicle type, and delivery routes."""

from simnet.network.city import CityNetwork, build_network
from simnet.network.errors import NetworkError, UnreachableError
from simnet.network.paths import TravelMatrix, travel_matrix
from simnet.network.routing import PlannedRoute, plan_routes

__all__ = [
    "CityNetwork",
    "NetworkError",
    "PlannedRoute",
    "TravelMatrix",
    "UnreachableError",
    "build_network",
    "plan_routes",
    "travel_matrix",
]
