"""The city as the engine sees it: sites in a fixed order, their tiers and places, and the road graph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import networkx as nx
import numpy as np
import numpy.typing as npt

from simnet.network.errors import NetworkError
from simnet.network.explicit import explicit_layout, listed_roads
from simnet.network.generated import generated_layout
from simnet.network.layout import HUB, PARK, TOWN, VILLAGE, Layout
from simnet.scenario.errors import Path
from simnet.scenario.models.network import HubSite, Network
from simnet.scenario.models.scenario import Scenario

_Scalar = TypeVar("_Scalar", bound=np.generic)

MIN_ROAD_KM = 0.1
"""Shortest road drawn from coordinates, so that two sites on one spot are still a drive apart."""

MAX_IMPLIED_LINKS = 2_000_000
"""Most implied links a network may need (see ``implied_links``). The baseline's 284,000 take about a second
and 100 MB to build; a county of 2,000 sites alone would need 2 million, which is refused with a fix rather
than left to exhaust memory."""


@dataclass(frozen=True, eq=False)
class CityNetwork:
    """Sites indexed hubs (0, 1, …), parks by county, towns, villages; arrays are per site unless named otherwise."""

    site_ids: tuple[str, ...]
    site_kind: npt.NDArray[np.int8]  # 0 hub, 1 park, 2 town (station), 3 village
    x_km: npt.NDArray[np.float64]
    y_km: npt.NDArray[np.float64]
    county_of_site: npt.NDArray[np.int64]  # county index, -1 for a hub
    town_of_site: npt.NDArray[np.int64]  # its town's site index for towns and villages, -1 otherwise
    hubs: npt.NDArray[np.int64]  # site index of each hub, in the order of ``Scenario.all_hubs``
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
    hubs: list[tuple[HubSite, Path]] = [(network.hub, ("network", "hub"))]
    if scenario.hubs is not None:
        hubs = [(hub.site, ("hubs", index)) for index, hub in enumerate(scenario.hubs)]
    if network.generate is not None:
        layout = generated_layout(network.generate, [hub for hub, _ in hubs])
    else:
        layout = explicit_layout(network, hubs)
    return _assemble(layout, network)


def _assemble(layout: Layout, network: Network) -> CityNetwork:
    """Per-site arrays and the road graph of ``layout``."""
    hubs = len(layout.hub_ids)
    counties, towns, villages = len(layout.county_ids), len(layout.town_ids), len(layout.village_ids)
    xy_km = np.vstack((layout.hub_xy_km, layout.park_xy_km, layout.town_xy_km, layout.village_xy_km))
    town_sites = layout.first_town + np.arange(towns, dtype=np.int64)
    village_sites = layout.first_village + np.arange(villages, dtype=np.int64)
    village_town_sites = town_sites[layout.village_town]
    site_ids = layout.site_ids
    site_kind = np.repeat(np.array([HUB, PARK, TOWN, VILLAGE], dtype=np.int8), [hubs, counties, towns, villages])
    county_of_site = np.concatenate(
        (np.full(hubs, -1), np.arange(counties), layout.town_county, layout.town_county[layout.village_town]),
        dtype=np.int64,
    )
    site_index = {site: index for index, site in enumerate(site_ids)}
    return CityNetwork(
        site_ids=site_ids,
        site_kind=_frozen(site_kind),
        x_km=_frozen(xy_km[:, 0].copy()),
        y_km=_frozen(xy_km[:, 1].copy()),
        county_of_site=_frozen(county_of_site),
        town_of_site=_frozen(
            np.concatenate((np.full(hubs + counties, -1), town_sites, village_town_sites), dtype=np.int64)
        ),
        hubs=_frozen(np.arange(hubs, dtype=np.int64)),
        parks=_frozen(hubs + np.arange(counties, dtype=np.int64)),
        county_ids=layout.county_ids,
        county_names=layout.county_names,
        towns=_frozen(town_sites),
        villages=_frozen(village_sites),
        village_weight=_frozen(layout.village_weight.copy()),
        graph=_road_graph(network, xy_km, site_kind, county_of_site, site_index),
        site_paths=dict(layout.site_paths),
    )


def _road_graph(
    network: Network,
    xy_km: npt.NDArray[np.float64],
    site_kind: npt.NDArray[np.int8],
    county_of_site: npt.NDArray[np.int64],
    site_index: dict[str, int],
) -> nx.Graph:
    """The listed roads, or the implied links when none are listed; lengths default to straight line × detour.

    A length drawn from coordinates is max(``MIN_ROAD_KM``, straight line × ``network.detour_factor``).
    """
    if network.generate is None and network.roads:
        roads = listed_roads(network, site_index)
        start = np.array([road.start for road in roads], dtype=np.int64)
        end = np.array([road.end for road in roads], dtype=np.int64)
        road_class = [road.road_class for road in roads]
        listed_km = np.array([np.nan if road.length_km is None else road.length_km for road in roads])
    else:
        _check_link_count(network, county_of_site)
        start, end = implied_links(site_kind, county_of_site)
        classes = network.road_classes
        by_tier = {
            HUB: classes.hub_to_park,
            PARK: classes.hub_to_park,
            TOWN: classes.park_to_town,
            VILLAGE: classes.town_to_village,
        }
        road_class = [by_tier[tier] for tier in np.maximum(site_kind[start], site_kind[end]).tolist()]
        listed_km = np.full(len(start), np.nan)
    straight_km = np.hypot(*(xy_km[start] - xy_km[end]).T)
    length_km = np.where(np.isnan(listed_km), np.maximum(MIN_ROAD_KM, straight_km * network.detour_factor), listed_km)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(xy_km)))
    graph.add_edges_from(
        (a, b, {"length_km": km, "road_class": name})
        for a, b, km, name in zip(start.tolist(), end.tolist(), length_km.tolist(), road_class, strict=True)
    )
    return graph


def implied_links(
    site_kind: npt.NDArray[np.int8], county_of_site: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The site pairs (start, end) that a network without listed roads joins by a straight-line link.

    The rule: any two sites of one county (its park, towns and villages) are joined, and so are any two of
    the hubs and the parks; each link's road class is that of the lower tier of its two ends
    (``network.road_classes``: ``hub_to_park`` for a park or a hub, ``park_to_town`` for a town, ``town_to_village``
    for a village), so a van goes village to village on village roads, and towns are joined by county roads
    (the default classes).

    Assumption: vehicles below the park keep to their county. Parcels and pickups never cross counties below
    the park, and every link out of a county ends at its park, so a path between two sites of a county that
    left it would pass its park twice: the county's fastest paths stay inside it. What the assumption leaves
    out is a van cutting through a neighbouring county (its park by expressway, then one of its roads) where
    that would be faster than its own county's roads. In exchange, the baseline's 2,400 sites get 284,000
    links instead of the 2.9 million of every pair. Pairs come hubs and parks first, then county by county,
    each (i, j) with i < j in site order.
    """
    hub_and_parks = np.flatnonzero(site_kind <= PARK)
    groups = [hub_and_parks] + [
        np.flatnonzero(county_of_site == county) for county in range(int(county_of_site.max()) + 1)
    ]
    starts, ends = [], []
    for group in groups:
        first, second = np.triu_indices(len(group), 1)
        starts.append(group[first])
        ends.append(group[second])
    return np.concatenate(starts).astype(np.int64), np.concatenate(ends).astype(np.int64)


def _check_link_count(network: Network, county_of_site: npt.NDArray[np.int64]) -> None:
    """Refuse a network whose implied links would number more than ``MAX_IMPLIED_LINKS``."""
    county_sites = np.bincount(county_of_site[county_of_site >= 0])
    links = int((county_sites * (county_sites - 1) // 2).sum()) + len(county_sites) * (len(county_sites) + 1) // 2
    if links <= MAX_IMPLIED_LINKS:
        return
    path: Path = ("network", "generate") if network.generate is not None else ("network", "counties")
    smaller = "fewer towns_per_county or villages_per_town" if network.generate is not None else "smaller counties"
    raise NetworkError(
        f"joining every two sites of a county would take {links:,} links (the largest county has "
        f"{int(county_sites.max()):,} sites), more than the {MAX_IMPLIED_LINKS:,} simnet builds.",
        path,
        f"list the roads ('network.roads' or 'network.roads_csv'), or use {smaller}",
    )


def _frozen(values: npt.NDArray[_Scalar]) -> npt.NDArray[_Scalar]:
    """``values`` made read-only, so the frozen network cannot change underneath the engine."""
    values.setflags(write=False)
    return values
