"""The city as the engine sees it: sites in a fixed order, their tiers and places, and the road graph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import networkx as nx
import numpy as np
import numpy.typing as npt

from simnet.network.explicit import explicit_layout, listed_roads
from simnet.network.generated import generated_layout
from simnet.network.layout import HUB, PARK, TOWN, VILLAGE, Layout
from simnet.scenario.errors import Path
from simnet.scenario.models.network import Network
from simnet.scenario.models.scenario import Scenario

_Scalar = TypeVar("_Scalar", bound=np.generic)

MIN_ROAD_KM = 0.1
"""Shortest road drawn from coordinates, so that two sites on one spot are still a drive apart."""


@dataclass(frozen=True, eq=False)
class CityNetwork:
    """Sites indexed 0 (hub), parks by county, towns, villages; arrays are per site unless named otherwise."""

    site_ids: tuple[str, ...]
    site_kind: npt.NDArray[np.int8]  # 0 hub, 1 park, 2 town (station), 3 village
    x_km: npt.NDArray[np.float64]
    y_km: npt.NDArray[np.float64]
    county_of_site: npt.NDArray[np.int64]  # county index, -1 for the hub
    town_of_site: npt.NDArray[np.int64]  # its town's site index for towns and villages, -1 otherwise
    parks: npt.NDArray[np.int64]  # site index of each county's park, by county index
    county_ids: tuple[str, ...]
    county_names: tuple[str, ...]
    towns: npt.NDArray[np.int64]
    villages: npt.NDArray[np.int64]
    village_weight: npt.NDArray[np.float64]  # demand weight of each village, in the order of ``villages``
    graph: nx.Graph  # nodes are site indices; edges carry length_km (float) and road_class (str)
    site_paths: dict[int, Path]  # scenario field path of each site id; empty for a generated network


def build_network(scenario: Scenario) -> CityNetwork:
    """Build the city of ``scenario.network``: generated from its seed, or as listed."""
    network = scenario.network
    if network.generate is not None:
        layout = generated_layout(network.generate, network.hub)
    else:
        layout = explicit_layout(network)
    return _assemble(layout, network)


def _assemble(layout: Layout, network: Network) -> CityNetwork:
    """Per-site arrays and the road graph of ``layout``."""
    counties, towns, villages = len(layout.county_ids), len(layout.town_ids), len(layout.village_ids)
    xy_km = np.vstack((np.array([layout.hub_xy_km]), layout.park_xy_km, layout.town_xy_km, layout.village_xy_km))
    town_sites = layout.first_town + np.arange(towns, dtype=np.int64)
    village_sites = layout.first_village + np.arange(villages, dtype=np.int64)
    village_town_sites = town_sites[layout.village_town]
    site_ids = layout.site_ids
    return CityNetwork(
        site_ids=site_ids,
        site_kind=_frozen(
            np.repeat(np.array([HUB, PARK, TOWN, VILLAGE], dtype=np.int8), [1, counties, towns, villages])
        ),
        x_km=_frozen(xy_km[:, 0].copy()),
        y_km=_frozen(xy_km[:, 1].copy()),
        county_of_site=_frozen(
            np.concatenate(
                ([-1], np.arange(counties), layout.town_county, layout.town_county[layout.village_town]), dtype=np.int64
            )
        ),
        town_of_site=_frozen(
            np.concatenate((np.full(1 + counties, -1), town_sites, village_town_sites), dtype=np.int64)
        ),
        parks=_frozen(1 + np.arange(counties, dtype=np.int64)),
        county_ids=layout.county_ids,
        county_names=layout.county_names,
        towns=_frozen(town_sites),
        villages=_frozen(village_sites),
        village_weight=_frozen(layout.village_weight.copy()),
        graph=_road_graph(layout, network, xy_km, {site: index for index, site in enumerate(site_ids)}),
        site_paths=dict(layout.site_paths),
    )


def _road_graph(
    layout: Layout, network: Network, xy_km: npt.NDArray[np.float64], site_index: dict[str, int]
) -> nx.Graph:
    """The listed roads, or the implied tree when none are listed; lengths default to straight line × detour."""
    graph = nx.Graph()
    graph.add_nodes_from(range(len(xy_km)))
    if network.generate is None and network.roads:
        links = [(road.start, road.end, road.road_class, road.length_km) for road in listed_roads(network, site_index)]
    else:
        classes = network.road_classes.model_dump()
        links = [(start, end, classes[tier], None) for start, end, tier in layout.tree_links()]
    for start, end, road_class, listed_km in links:
        straight_km = float(np.hypot(*(xy_km[start] - xy_km[end])))
        length_km = max(MIN_ROAD_KM, straight_km * network.detour_factor) if listed_km is None else listed_km
        graph.add_edge(start, end, length_km=length_km, road_class=road_class)
    return graph


def _frozen(values: npt.NDArray[_Scalar]) -> npt.NDArray[_Scalar]:
    """``values`` made read-only, so the frozen network cannot change underneath the engine."""
    values.setflags(write=False)
    return values
