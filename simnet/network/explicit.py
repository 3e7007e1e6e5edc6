"""Sites and roads of a network the planner lists (``network.counties`` and ``network.roads``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from simnet.network.errors import NetworkError
from simnet.network.layout import Layout
from simnet.scenario.errors import Path
from simnet.scenario.models.network import Network


@dataclass(frozen=True)
class ListedRoad:
    """One entry of ``network.roads`` with its ends as site indices."""

    start: int
    end: int
    road_class: str
    length_km: float | None
    path: Path


def explicit_layout(network: Network) -> Layout:
    """The listed hub, parks, towns and villages, with the scenario field path of every site id."""
    counties = network.counties
    towns = [(c, t, town) for c, county in enumerate(counties) for t, town in enumerate(county.towns)]
    villages = [
        (position, t, v, village, c)
        for position, (c, t, town) in enumerate(towns)
        for v, village in enumerate(town.villages)
    ]
    paths: list[Path] = [("network", "hub", "id")]
    paths += [("network", "counties", c, "id") for c in range(len(counties))]
    paths += [("network", "counties", c, "towns", t, "id") for c, t, _ in towns]
    paths += [("network", "counties", c, "towns", t, "villages", v, "id") for _, t, v, _, c in villages]
    return Layout(
        hub_id=network.hub.id,
        hub_xy_km=(network.hub.x_km, network.hub.y_km),
        county_ids=tuple(county.id for county in counties),
        county_names=tuple(county.name or county.id for county in counties),
        park_xy_km=np.array([[county.park.x_km, county.park.y_km] for county in counties], dtype=np.float64),
        town_ids=tuple(town.id for _, _, town in towns),
        town_county=np.array([c for c, _, _ in towns], dtype=np.int64),
        town_xy_km=np.array([[town.x_km, town.y_km] for _, _, town in towns], dtype=np.float64),
        village_ids=tuple(village.id for _, _, _, village, _ in villages),
        village_town=np.array([position for position, *_ in villages], dtype=np.int64),
        village_xy_km=np.array([[village.x_km, village.y_km] for _, _, _, village, _ in villages], dtype=np.float64),
        village_weight=np.array([village.demand_weight for _, _, _, village, _ in villages], dtype=np.float64),
        site_paths=dict(enumerate(paths)),
    )


def listed_roads(network: Network, site_index: Mapping[str, int]) -> list[ListedRoad]:
    """``network.roads`` as site-index pairs; a road must join two different sites, and each pair only once."""
    roads: list[ListedRoad] = []
    first_listed: dict[frozenset[int], int] = {}
    for index, road in enumerate(network.roads):
        path: Path = ("network", "roads", index)
        start, end = site_index[road.start], site_index[road.end]
        if start == end:
            raise NetworkError(
                f"road {index} leads from {road.start!r} back to itself.",
                (*path, "to"),
                "a road joins two different sites; remove this one",
            )
        pair = frozenset((start, end))
        if pair in first_listed:
            raise NetworkError(
                f"roads {first_listed[pair]} and {index} both join {road.start!r} and {road.end!r}.",
                path,
                "list one road per pair of sites (simnet keeps one road between two sites); keep the one vehicles use",
            )
        first_listed[pair] = index
        roads.append(ListedRoad(start, end, road.road_class, road.length_km, path))
    return roads
