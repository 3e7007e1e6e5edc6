"""Bus lines as both engines use them: stops as sites, times from the first stop, and each served village's legs.

A parcel for a bus-served village rides *down* from its park: it boards the first line of its
path at the park, rides it outward (away from the line's first stop) to the stop where the path
changes lines, boards the next line there, and so on to its village. The path is the one with the
fewest lines (ties: the line listed first). A pickup rides the same lines back *up*, in the
opposite order, each on the line's return run. A line's bus leaves its first stop at each
departure, calls at every stop outward, and at once drives back calling at them in reverse, with
the same travel times.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass
from typing import get_args

import numpy as np
from numpy.typing import NDArray

from simnet.network.city import CityNetwork
from simnet.network.errors import NetworkError
from simnet.network.paths import travel_matrix
from simnet.scenario.errors import Path
from simnet.scenario.models.bus_lines import BusLines
from simnet.scenario.models.network import RoadClass

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

ROAD_CLASSES: tuple[str, ...] = get_args(RoadClass)
"""Every road class: a bus drives on all of them, at one speed."""
NO_LINE = -1
"""No line: the village is not served by bus (first line), or the leg is the last one (next line)."""


@dataclass(frozen=True, eq=False)
class PlannedBusLine:
    """One line: where it calls, how long after leaving its first stop, when it leaves and what it holds."""

    name: str
    county: int
    sites: IntArray
    """Site of each stop, in calling order outward."""
    offset_h: FloatArray
    """Hours from leaving the first stop to reaching each stop outward (0 at the first stop)."""
    departures_h: tuple[float, ...]
    """Clock times of the departures from the first stop, every day."""
    capacity_parcels: int
    place: Path
    """The scenario field the line comes from (for errors), or () for a generated line."""

    @property
    def round_trip_h(self) -> float:
        """Hours out to the last stop and back."""
        return 2.0 * float(self.offset_h[-1])

    def outward_h(self, depart_h: float) -> FloatArray:
        """When a departure reaches each stop outward."""
        arrive: FloatArray = depart_h + self.offset_h
        return arrive

    def return_h(self, depart_h: float) -> FloatArray:
        """When a departure reaches each stop on its way back (by stop position, the last stop first in time)."""
        arrive: FloatArray = (depart_h + float(self.offset_h[-1])) + (float(self.offset_h[-1]) - self.offset_h)
        return arrive


@dataclass(frozen=True, eq=False)
class Legs:
    """Each village's path over the lines in one direction, as (village, line) tables."""

    first: IntArray
    """(village,): the line it boards first, or -1 when the village is not served by bus."""
    board: IntArray
    """(village, line): stop position where the village's units board the line, or -1."""
    alight: IntArray
    """(village, line): stop position where they leave it, or -1."""
    next_line: IntArray
    """(village, line): the line they board after it, or -1 when the leg ends at its destination."""


@dataclass(frozen=True, eq=False)
class BusPlan:
    """The lines, which villages they serve, and the paths down (parcels) and up (pickups)."""

    spec: BusLines
    lines: tuple[PlannedBusLine, ...]
    served: NDArray[np.bool_]
    """(village,): whether member carriers' parcels for it ride the bus."""
    down: Legs
    up: Legs


def build_bus_plan(spec: BusLines, network: CityNetwork) -> BusPlan:
    """Resolve the lines' stops and times on ``network`` and find each served village's path (errors name the field)."""
    site_index = {site: index for index, site in enumerate(network.site_ids)}
    raw = [*_town_lines(spec, network), *_listed_lines(spec, network, site_index)]
    lines = tuple(_timed(spec, network, line) for line in raw)
    village_index = np.full(len(network.site_ids), -1, dtype=np.int64)
    village_index[network.villages] = np.arange(len(network.villages))
    down = _paths(network, lines, village_index)
    served = _served(spec, network, down, site_index, village_index)
    down_legs = _legs(down, served, len(network.villages), len(lines))
    return BusPlan(spec=spec, lines=lines, served=served, down=down_legs, up=_reversed(down_legs, spec.pickups_ride))


_RawLine = tuple[str, int, IntArray, tuple[float, ...] | None, tuple[float, ...], int, Path]
"""(name, county, stop sites, given travel hours or None, departures, capacity, scenario place)."""


def _town_lines(spec: BusLines, network: CityNetwork) -> list[_RawLine]:
    """One line per town: its park, the town, then the town's villages, each next the nearest not yet called at."""
    if spec.town_lines is None:
        return []
    generated = spec.town_lines
    lines: list[_RawLine] = []
    for town in network.towns.tolist():
        county = int(network.county_of_site[town])
        villages = network.villages[network.town_of_site[network.villages] == town].tolist()
        order = [int(network.parks[county]), town]
        while villages:
            here = order[-1]
            distance = [
                (np.hypot(network.x_km[v] - network.x_km[here], network.y_km[v] - network.y_km[here]), v)
                for v in villages
            ]
            nearest = min(distance)[1]
            order.append(nearest)
            villages.remove(nearest)
        lines.append(
            (
                network.site_ids[town],
                county,
                np.asarray(order, dtype=np.int64),
                None,
                generated.departures_h,
                generated.capacity_parcels,
                ("bus_lines", "town_lines"),
            )
        )
    return lines


def _listed_lines(spec: BusLines, network: CityNetwork, site_index: dict[str, int]) -> list[_RawLine]:
    """The listed lines with their stops as sites; every stop a town or village of the first stop's county."""
    lines: list[_RawLine] = []
    for number, line in enumerate(spec.lines):
        place: Path = ("bus_lines", "lines", number)
        sites: list[int] = []
        for position, stop in enumerate(line.stops):
            if stop not in site_index:
                close = difflib.get_close_matches(stop, network.site_ids, n=1, cutoff=0.6)
                raise NetworkError(
                    f"stop {stop!r} of bus line {line.id!r} is not a site of the network.",
                    (*place, "stops", position),
                    f"did you mean {close[0]!r}?" if close else "use the id of a park, town or village",
                )
            sites.append(site_index[stop])
        county = int(network.county_of_site[sites[0]])
        for position, site in enumerate(sites):
            kind = int(network.site_kind[site])
            if kind == 0 or (kind == 1 and position > 0):
                raise NetworkError(
                    f"stop {line.stops[position]!r} of bus line {line.id!r} is "
                    f"{'the city hub' if kind == 0 else 'a park after the first stop'}.",
                    (*place, "stops", position),
                    "a line starts at its county's park (or a stop of another line) and calls at towns and villages",
                )
            if int(network.county_of_site[site]) != county:
                raise NetworkError(
                    f"stop {line.stops[position]!r} of bus line {line.id!r} lies in county "
                    f"{network.county_ids[int(network.county_of_site[site])]}, the line's first stop in "
                    f"{network.county_ids[county]}.",
                    (*place, "stops", position),
                    "keep a line inside one county; make a second line for the other county",
                )
        lines.append(
            (line.id, county, np.asarray(sites, dtype=np.int64), line.travel_h, line.departures_h,
             line.capacity_parcels, place)
        )  # fmt: skip
    return lines


def _timed(spec: BusLines, network: CityNetwork, line: _RawLine) -> PlannedBusLine:
    """A line with its outward times: as given, or the fastest road path at the bus speed between stops."""
    name, county, sites, travel_h, departures_h, capacity, place = line
    if travel_h is None:
        speeds = dict.fromkeys(ROAD_CLASSES, spec.speed_kmh)
        try:
            matrix = travel_matrix(network, speeds, sites.tolist())
        except NetworkError as error:
            error.path = error.path or (*place, "stops")
            raise
        legs_h = np.array([matrix.time_h[index, index + 1] for index in range(len(sites) - 1)])
    else:
        legs_h = np.asarray(travel_h, dtype=np.float64)
    return PlannedBusLine(
        name=name,
        county=county,
        sites=sites,
        offset_h=np.concatenate(([0.0], np.cumsum(legs_h))),
        departures_h=tuple(departures_h),
        capacity_parcels=capacity,
        place=place,
    )


_Leg = tuple[int, int, int]
"""(line, board position, alight position)."""


def _paths(network: CityNetwork, lines: tuple[PlannedBusLine, ...], village_index: IntArray) -> dict[int, list[_Leg]]:
    """Per village index on some line: the fewest-lines path from its park, riding lines outward only."""
    reached: dict[int, tuple[int, _Leg] | None] = {}
    for county, park in enumerate(network.parks.tolist()):
        reached[park] = None
        frontier = [park]
        while frontier:
            found: list[int] = []
            for site in frontier:
                for number, line in enumerate(lines):
                    if line.county != county or site not in line.sites:
                        continue
                    board = int(np.flatnonzero(line.sites == site)[0])
                    for alight in range(board + 1, len(line.sites)):
                        stop = int(line.sites[alight])
                        if stop not in reached:
                            reached[stop] = (site, (number, board, alight))
                            found.append(stop)
            frontier = found
    for line in lines:
        for position, site in enumerate(line.sites.tolist()):
            if site not in reached:
                raise NetworkError(
                    f"stop {network.site_ids[site]!r} of bus line {line.name!r} cannot be reached from the park "
                    "by riding lines outward.",
                    (*line.place, "stops", position) if line.place[-1] != "town_lines" else line.place,
                    "start the line at its park, or at a stop that another line reaches from the park",
                )
    paths: dict[int, list[_Leg]] = {}
    for site, how in reached.items():
        if village_index[site] < 0 or how is None:
            continue
        legs: list[_Leg] = []
        step: tuple[int, _Leg] | None = how
        while step is not None:
            legs.insert(0, step[1])
            step = reached[step[0]]
        paths[int(village_index[site])] = legs
    return paths


def _served(
    spec: BusLines,
    network: CityNetwork,
    paths: dict[int, list[_Leg]],
    site_index: dict[str, int],
    village_index: IntArray,
) -> NDArray[np.bool_]:
    """Which villages the policy serves by bus: those on a line, the listed ones, or those beyond a distance."""
    on_line = np.zeros(len(network.villages), dtype=bool)
    on_line[list(paths)] = True
    serve = spec.serve
    if serve.kind == "on_line":
        return on_line
    if serve.kind == "listed":
        served = np.zeros(len(network.villages), dtype=bool)
        for number, village in enumerate(serve.villages):
            index = int(village_index[site_index[village]]) if village in site_index else -1
            if index < 0:
                raise NetworkError(
                    f"{village!r} is not a village of the network.",
                    ("bus_lines", "serve", "villages", number),
                    "list village ids, as the network names them",
                )
            if not on_line[index]:
                raise NetworkError(
                    f"village {village!r} is served by bus but is a stop of no line.",
                    ("bus_lines", "serve", "villages", number),
                    "add it to the stops of a line of its county, or leave it out of the list",
                )
            served[index] = True
        return served
    far = np.zeros(len(network.villages), dtype=bool)
    for county, park in enumerate(network.parks.tolist()):
        mine = np.flatnonzero(on_line & (network.county_of_site[network.villages] == county))
        if len(mine) == 0:
            continue
        sites = network.villages[mine]
        matrix = travel_matrix(network, dict.fromkeys(ROAD_CLASSES, spec.speed_kmh), [park, *sites.tolist()])
        far[mine] = matrix.distance_km[0, 1:] > serve.distance_km
    return far


def _legs(paths: dict[int, list[_Leg]], served: NDArray[np.bool_], villages: int, lines: int) -> Legs:
    """The (village, line) tables of the served villages' downward paths."""
    first = np.full(villages, NO_LINE, dtype=np.int64)
    board = np.full((villages, lines), -1, dtype=np.int64)
    alight = np.full((villages, lines), -1, dtype=np.int64)
    next_line = np.full((villages, lines), NO_LINE, dtype=np.int64)
    for village in np.flatnonzero(served).tolist():
        legs = paths[village]
        first[village] = legs[0][0]
        for number, (line, on, off) in enumerate(legs):
            board[village, line], alight[village, line] = on, off
            if number + 1 < len(legs):
                next_line[village, line] = legs[number + 1][0]
    return Legs(first=first, board=board, alight=alight, next_line=next_line)


def _reversed(down: Legs, pickups_ride: bool) -> Legs:
    """The upward paths: the downward legs in reverse order, each ridden back (board and alight swapped)."""
    villages, lines = down.board.shape
    first = np.full(villages, NO_LINE, dtype=np.int64)
    next_line = np.full((villages, lines), NO_LINE, dtype=np.int64)
    if pickups_ride:
        for village in np.flatnonzero(down.first >= 0).tolist():
            order = [int(down.first[village])]
            while down.next_line[village, order[-1]] >= 0:
                order.append(int(down.next_line[village, order[-1]]))
            first[village] = order[-1]
            for upper, lower in itertools.pairwise(order):
                next_line[village, lower] = upper
    return Legs(first=first, board=down.alight.copy(), alight=down.board.copy(), next_line=next_line)
