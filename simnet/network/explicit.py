"""Sites and roads of a network the planner lists (``network.counties`` and ``network.roads``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from simnet.network.errors import NetworkError
from simnet.network.layout import Layout
from simnet.scenario.errors import Path
from simnet.scenario.models.network import HubSite, Network, Site

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius R₁ = (2a + b) / 3 of the WGS84 ellipsoid (IUGG), in km."""


@dataclass(frozen=True)
class ListedRoad:
    """One entry of ``network.roads`` with its ends as site indices."""

    start: int
    end: int
    road_class: str
    length_km: float | None
    path: Path


def explicit_layout(network: Network, hubs: Sequence[tuple[HubSite, Path]]) -> Layout:
    """The hubs (each with its place in the scenario), the listed parks, towns and villages, and every site's path."""
    counties = network.counties
    towns = [(c, t, town) for c, county in enumerate(counties) for t, town in enumerate(county.towns)]
    villages = [
        (position, t, v, village, c)
        for position, (c, t, town) in enumerate(towns)
        for v, village in enumerate(town.villages)
    ]
    paths: list[Path] = [(*path, "id") for _, path in hubs]
    paths += [("network", "counties", c, "id") for c in range(len(counties))]
    paths += [("network", "counties", c, "towns", t, "id") for c, t, _ in towns]
    paths += [("network", "counties", c, "towns", t, "villages", v, "id") for _, t, v, _, c in villages]
    sites: list[Site] = [
        *(hub for hub, _ in hubs),
        *(county.park for county in counties),
        *(town for _, _, town in towns),
    ]
    sites += [village for _, _, _, village, _ in villages]
    xy_km = _places_km(sites, by_lon_lat=network.uses_lon_lat)
    first_park = len(hubs)
    first_town, first_village = first_park + len(counties), first_park + len(counties) + len(towns)
    return Layout(
        hub_ids=tuple(hub.id for hub, _ in hubs),
        hub_xy_km=xy_km[:first_park],
        county_ids=tuple(county.id for county in counties),
        county_names=tuple(county.name or county.id for county in counties),
        park_xy_km=xy_km[first_park:first_town],
        town_ids=tuple(town.id for _, _, town in towns),
        town_county=np.array([c for c, _, _ in towns], dtype=np.int64),
        town_xy_km=xy_km[first_town:first_village],
        village_ids=tuple(village.id for _, _, _, village, _ in villages),
        village_town=np.array([position for position, *_ in villages], dtype=np.int64),
        village_xy_km=xy_km[first_village:],
        village_weight=np.array([village.demand_weight for _, _, _, village, _ in villages], dtype=np.float64),
        site_paths=dict(enumerate(paths)),
    )


def _places_km(sites: list[Site], *, by_lon_lat: bool) -> npt.NDArray[np.float64]:
    """Each site's planar place in km, (sites, 2): as given, or projected from lon/lat (the model makes all alike)."""
    if by_lon_lat:
        return project_lon_lat(np.array([site.lon_lat for site in sites], dtype=np.float64))
    return np.array([site.xy_km for site in sites], dtype=np.float64)


def project_lon_lat(lon_lat_deg: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """WGS84 (lon, lat) in degrees, (n, 2), to planar (x, y) km by a local equirectangular projection.

    Around the sites' (hub included) mean longitude λ₀ and mean latitude φ₀: x = R·(λ − λ₀)·cos φ₀ and
    y = R·(φ − φ₀), angles in radians, R = ``EARTH_RADIUS_KM``; so 0.01° of latitude is 1.112 km anywhere.
    North–south distances are exact on the sphere; east–west ones are exact on the parallel φ₀ and off by
    the factor cos φ₀ / cos φ ≈ 1 + tan φ₀ · (φ − φ₀) elsewhere: 0.6 % at 0.5° (55 km) from φ₀ at 35° N,
    well inside the spread of the detour factor that turns these distances into road lengths.
    """
    lon_rad, lat_rad = np.radians(lon_lat_deg[:, 0]), np.radians(lon_lat_deg[:, 1])
    lon0_rad, lat0_rad = lon_rad.mean(), lat_rad.mean()
    x_km = EARTH_RADIUS_KM * (lon_rad - lon0_rad) * np.cos(lat0_rad)
    y_km = EARTH_RADIUS_KM * (lat_rad - lat0_rad)
    return np.column_stack((x_km, y_km))


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
