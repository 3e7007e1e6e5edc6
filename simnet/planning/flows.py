"""Where each parcel and pickup goes next: one table both engines read, so nothing else decides it.

Parcels going down. Trucks bring a county's rural parcels to its park; there a carrier's parcels
are sorted by the line of one dispatch point: the county park's shared line when the carrier is a
member of the co-distribution park, else the carrier's own depot (``sorting_point``). A point
that is not the last leg (the park in a two-leg last mile) hands each parcel at its town to the
town station of its village (``station_point``).

Pickups going up. A pickup waits at ``collector_site`` for the vehicles of ``collector_point``:
a member carrier's pickup at its village, for the park's vehicles (or, in a two-leg last mile,
the town station's); an outside carrier's pickup for its depot's vehicles, at its village or, when
outside carriers deliver only to town stations, at the village's town station. A vehicle brings
what it collected back to its point; from there it goes on to ``pickup_onward_point`` (a town
station's pickups to the park, waiting at the station's site) or, where that is -1, onto the
county's trunk return departures.

Bus lines (``planning/bus_plan.py``). A member carrier's parcel for a village the park serves by
bus, once sorted at the park, waits at the park for the first line of its path (``bus_line``)
instead of the park's vehicles; its pickups there, when pickups ride, wait at the village for that
path's first line back up (``pickup_bus_line``) and reach the park's trunk return departures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from simnet.network.city import CityNetwork
from simnet.planning.bus_plan import BusPlan

IntArray = NDArray[np.int64]

NOWHERE = -1
"""Index of no dispatch point: the entry is never used (or, for pickups, the trunk takes over)."""


class PointFacts(Protocol):
    """What the flows need to know of a dispatch point."""

    @property
    def tier(self) -> str: ...

    @property
    def county(self) -> int: ...

    @property
    def carrier(self) -> int: ...

    @property
    def depot_site(self) -> int: ...


@dataclass(frozen=True, eq=False)
class Flows:
    """Next places of parcels and pickups, as indices into the plan's dispatch points (see the module)."""

    sorting_point: IntArray
    """(county, carrier): the point whose line sorts the carrier's parcels in that county."""
    station_point: IntArray
    """(village,): the town station a non-final point hands the village's parcels to, or -1."""
    collector_point: IntArray
    """(village, carrier): the point whose vehicles collect the carrier's pickups at that village."""
    collector_site: IntArray
    """(village, carrier): the site where those pickups wait to be collected."""
    pickup_onward_point: IntArray
    """(point,): where a point's collected pickups go next, or -1 for the county's trunk returns."""
    bus_line: IntArray
    """(village, carrier): the bus line a sorted parcel boards first at its park, or -1 for none."""
    pickup_bus_line: IntArray
    """(village, carrier): the bus line a pickup boards first at its village, or -1 for none."""


def build_flows(
    network: CityNetwork,
    members: NDArray[np.bool_],
    points: Sequence[PointFacts],
    *,
    two_leg: bool,
    outside_to_towns: bool,
    bus: BusPlan | None = None,
) -> Flows:
    """The flows of a plan whose dispatch points are ``points`` (parks, town stations, depots)."""
    counties, carriers = len(network.parks), len(members)
    park = np.full(counties, NOWHERE, dtype=np.int64)
    station = np.full(len(network.site_ids), NOWHERE, dtype=np.int64)
    depot = np.full((counties, carriers), NOWHERE, dtype=np.int64)
    for index, point in enumerate(points):
        if point.tier == "park":
            park[point.county] = index
        elif point.tier == "town":
            station[point.depot_site] = index
        else:
            depot[point.county, point.carrier] = index
    village_site = network.villages.astype(np.int64)
    town_site = network.town_of_site[village_site].astype(np.int64)
    county = network.county_of_site[village_site].astype(np.int64)
    sorting_point = np.where(members[None, :], park[:, None], depot)
    member_collector = station[town_site] if two_leg else park[county]
    collector_point = np.where(members[None, :], member_collector[:, None], depot[county, :])
    outside_site = town_site if outside_to_towns else village_site
    collector_site = np.where(members[None, :], village_site[:, None], outside_site[:, None])
    pickup_onward_point = np.array(
        [park[point.county] if point.tier == "town" else NOWHERE for point in points], dtype=np.int64
    )
    return Flows(
        sorting_point=sorting_point,
        station_point=station[town_site] if two_leg else np.full(len(village_site), NOWHERE, dtype=np.int64),
        collector_point=collector_point,
        collector_site=collector_site,
        pickup_onward_point=pickup_onward_point,
        bus_line=_by_members(members, None if bus is None else bus.down.first, len(village_site)),
        pickup_bus_line=_by_members(members, None if bus is None else bus.up.first, len(village_site)),
    )


def _by_members(members: NDArray[np.bool_], first_line: IntArray | None, villages: int) -> IntArray:
    """(village, carrier): a village's first bus line for member carriers, -1 for the others (or with no buses)."""
    if first_line is None:
        return np.full((villages, len(members)), NOWHERE, dtype=np.int64)
    return np.where(members[None, :], first_line[:, None], NOWHERE).astype(np.int64)
