"""Village points and town stations with opening hours and smart lockers (智能快件箱): when a parcel becomes available.

The rule, for both engines. A parcel's final stop (its village point, or the town station where it
is delivered) may have opening hours, clock intervals [start, end) repeated every day (default:
always open), and ``locker_cells`` (default 0). A parcel handed over while the point is open is
available to its resident at once and takes no cell. One handed over while it is closed goes into
a cell if one is free at that instant and is available at once; the cell stays busy until the
resident collects it, the collection delay (drawn per parcel from the scenario's distribution with
a keyed uniform, ``engine/keyed_uniforms.py``) after the hand-over. With no free cell the parcel
waits at the point, counted in the backlog at the village or town tier, until the next opening
time, when it is available. Parcels handed over at the same instant at one point are taken in
``seq`` order; a cell freed at time t is free for a parcel handed over at t. Delivery time runs to
availability; visits count at the vehicle's arrival.

The fast engine learns a trip's hand-over times at its departure, not in time order, so this module
keeps the closed-hours hand-overs of each replication and resolves them in time order at every
midnight, before anything else happens then: every hand-over before midnight is known by then
(a trip's departure comes before its arrivals), and the day's backlog and the check whether every
measured parcel has finished see them resolved.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import simpy
from numpy.typing import NDArray
from simpy.events import URGENT, EventPriority

from simnet.engine.backlog import count_at
from simnet.engine.keyed_uniforms import COLLECTION_DELAY_SALT, UnitDraws
from simnet.engine.parcels import Columns, take_rows
from simnet.engine.stats import ParcelStats
from simnet.planning.plan import StaticPlan
from simnet.scenario.models.points import PickupPoints

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class TimeoutAt(simpy.Event):
    """A timeout with a chosen priority among the events of its instant (SimPy's own ``Timeout`` is NORMAL)."""

    def __init__(self, env: simpy.Environment, delay_h: float, priority: int) -> None:
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule(self, EventPriority(priority), delay_h)


def points_of(plan: StaticPlan) -> dict[bool, PickupPoints | None]:
    """The scenario's hours-and-lockers section for village points (True) and town stations (False)."""
    scenario = plan.scenario
    return {True: scenario.village_points, False: scenario.town_stations}


def collection_delays_h(points: PickupPoints, draws: UnitDraws, seq: IntArray) -> FloatArray:
    """Each parcel's collection delay: the distribution's quantile at the parcel's keyed uniform."""
    return points.collection_delay_h.quantile(draws.uniforms(COLLECTION_DELAY_SALT, seq))


def unit_draws(plan: StaticPlan, replication: int) -> UnitDraws:
    """The keyed draws of a replication's parcels, by their hubs."""
    return UnitDraws(plan.scenario.seed, replication, tuple(hub.stream_key for hub in plan.hubs))


@dataclass
class LockerTally:
    """Per network site, what the points with hours or lockers saw, for the metrics and the ``lockers`` table.

    Counts are of measured parcels handed over before the run's end; busy cell-hours are those
    inside the measured window, whoever the parcel. ``cells`` is set at every village point (with a
    ``village_points`` section) and at every town station that is some parcels' final stop (with a
    ``town_stations`` section).
    """

    cells: IntArray
    at_village: NDArray[np.bool_]
    window_h: float
    parcels: IntArray
    closed: IntArray
    no_cell: IntArray
    busy_cell_h: FloatArray
    collection_delay_sum_h: float = 0.0
    collection_delays: int = 0

    @property
    def utilization(self) -> float:
        """Cell-hours busy over cell-hours offered in the measured window; NaN without cells."""
        offered_h = float(self.cells.sum()) * self.window_h
        return float(self.busy_cell_h.sum()) / offered_h if offered_h else float("nan")

    @property
    def no_cell_share(self) -> float:
        """Of the parcels handed over while closed, the share that found no free cell; NaN when none."""
        closed = int(self.closed.sum())
        return int(self.no_cell.sum()) / closed if closed else float("nan")

    @property
    def collection_time_h_mean(self) -> float:
        """Mean time from availability to collection; NaN when no point has a section."""
        return self.collection_delay_sum_h / self.collection_delays if self.collection_delays else float("nan")

    def count_parcels(self, sites: IntArray, measured: NDArray[np.bool_], delays_h: FloatArray) -> None:
        """Count measured parcels handed over at their sites, and their collection delays."""
        self.parcels += np.bincount(sites[measured], minlength=len(self.parcels))
        self.collection_delay_sum_h += float(delays_h[measured].sum())
        self.collection_delays += int(np.count_nonzero(measured))

    def count_closed(
        self, sites: IntArray, measured: NDArray[np.bool_], no_cell: NDArray[np.bool_], busy_h: FloatArray
    ) -> None:
        """Count measured closed-hours hand-overs (and those that found no cell) and add cell-hours busy."""
        size = len(self.parcels)
        self.closed += np.bincount(sites[measured], minlength=size)
        self.no_cell += np.bincount(sites[measured & no_cell], minlength=size)
        self.busy_cell_h += np.bincount(sites, weights=busy_h, minlength=size)


def new_tally(plan: StaticPlan) -> LockerTally:
    """An empty tally: cells at every village point, and at every town station some parcels end at, per section."""
    sites = len(plan.network.site_ids)
    cells = np.zeros(sites, dtype=np.int64)
    at_village = np.zeros(sites, dtype=bool)
    village_points, town_stations = points_of(plan).values()
    if village_points is not None:
        cells[plan.network.villages] = village_points.locker_cells
        at_village[plan.network.villages] = True
    if town_stations is not None:
        for point in plan.points:
            if point.final and not point.at_village:
                cells[point.tour] = town_stations.locker_cells
    window_h = 24.0 * plan.scenario.horizon_days
    zeros = np.zeros(sites, dtype=np.int64)
    return LockerTally(cells, at_village, window_h, zeros, zeros.copy(), zeros.copy(), np.zeros(sites))


def opening_arrays(points: PickupPoints) -> tuple[FloatArray, FloatArray]:
    """The opening intervals' starts and ends, in hours from midnight."""
    hours = np.asarray(points.opening_hours, dtype=np.float64)
    return hours[:, 0], hours[:, 1]


def is_open(points: PickupPoints, times_h: FloatArray) -> NDArray[np.bool_]:
    """Whether the point is open at each time: some interval holds the time of day."""
    starts_h, ends_h = opening_arrays(points)
    day_start_h = 24.0 * np.floor(times_h / 24.0)
    clock_h = (times_h - day_start_h)[:, None]
    opened: NDArray[np.bool_] = np.any((starts_h <= clock_h) & (clock_h < ends_h), axis=1)
    return opened


def next_opening_h(points: PickupPoints, times_h: FloatArray) -> FloatArray:
    """For times when the point is closed: the next opening time (today's next start, or tomorrow's first)."""
    starts_h, _ = opening_arrays(points)
    day_start_h = 24.0 * np.floor(times_h / 24.0)
    later = np.searchsorted(starts_h, times_h - day_start_h, side="right")
    today = later < len(starts_h)
    start_h = starts_h[np.minimum(later, len(starts_h) - 1)]
    opening: FloatArray = np.where(today, day_start_h + start_h, day_start_h + 24.0 + starts_h[0])
    return opening


@dataclass
class _Closed:
    """Closed-hours hand-overs not yet resolved: the parcels, their times, sites, delays and co-delivery flags."""

    parcels: Columns
    times_h: FloatArray
    sites: IntArray
    delays_h: FloatArray
    co_delivered: NDArray[np.bool_]


@dataclass
class Lockers:
    """One replication's points with hours or lockers, in the fast engine: the rule above, resolved each midnight."""

    stats: ParcelStats
    draws: UnitDraws
    tally: LockerTally
    sections: dict[bool, PickupPoints | None]
    buffered: dict[bool, list[_Closed]] = field(default_factory=lambda: {True: [], False: []})
    buffered_measured: int = 0
    """Measured parcels handed over while closed whose availability is not yet resolved (still inside)."""
    busy_until_h: dict[int, list[float]] = field(default_factory=dict)
    """Per site: a heap of the times its busy cells are freed."""
    waiting: list[tuple[FloatArray, FloatArray, str]] = field(default_factory=list)
    """Parcels that found no cell: (hand-over times, opening times, tier), for the backlog."""

    def hand_over(
        self, parcels: Columns, times_h: FloatArray, sites: IntArray, *, at_village: bool, co_delivered: bool
    ) -> None:
        """Final hand-overs at their sites: open-hours ones are available now, closed-hours ones wait for midnight."""
        section = self.sections[at_village]
        stats = self.stats
        if section is None:
            stats.record_delivered(parcels, times_h, at_village=at_village, co_delivered=co_delivered)
            return
        measured = stats.measured(parcels["arrival_h"])
        delays_h = collection_delays_h(section, self.draws, parcels["seq"])
        self.tally.count_parcels(sites, measured & (times_h < stats.end_h), delays_h)
        opened = is_open(section, times_h)
        if opened.all():
            stats.record_delivered(parcels, times_h, at_village=at_village, co_delivered=co_delivered)
            return
        stats.record_delivered(
            take_rows(parcels, opened), times_h[opened], at_village=at_village, co_delivered=co_delivered
        )
        closed = ~opened
        self.buffered[at_village].append(
            _Closed(
                take_rows(parcels, closed),
                times_h[closed],
                sites[closed],
                delays_h[closed],
                np.full(int(np.count_nonzero(closed)), co_delivered),
            )
        )
        self.buffered_measured += int(np.count_nonzero(measured[closed]))

    def start(self, env: simpy.Environment, total_days: int) -> None:
        """Resolve at each midnight, before the events of that instant and a run's stop there (scheduled now)."""
        for day in range(1, total_days + 1):
            TimeoutAt(env, 24.0 * day, URGENT).callbacks.append(partial(self._at_midnight, day, total_days))

    def _at_midnight(self, day: int, total_days: int, _event: simpy.Event) -> None:
        """The callback of the midnight starting ``day``."""
        self.resolve_day(day, total_days)

    def resolve_day(self, day: int, total_days: int) -> None:
        """At midnight starting ``day``: resolve the closed-hours hand-overs before it (after the last day, all)."""
        end_h = 24.0 * day if day < total_days else np.inf
        for at_village, batches in self.buffered.items():
            if batches:
                self._resolve(at_village, end_h)

    def _resolve(self, at_village: bool, end_h: float) -> None:
        """Take each closed-hours hand-over before ``end_h`` in time order: a free cell, or the next opening."""
        section = self.sections[at_village]
        assert section is not None
        batches = self.buffered[at_village]
        parcels = {name: np.concatenate([batch.parcels[name] for batch in batches]) for name in batches[0].parcels}
        times_h = np.concatenate([batch.times_h for batch in batches])
        sites = np.concatenate([batch.sites for batch in batches])
        delays_h = np.concatenate([batch.delays_h for batch in batches])
        co_delivered = np.concatenate([batch.co_delivered for batch in batches])
        due = times_h < end_h
        if not due.any():
            return
        later = ~due
        self.buffered[at_village] = (
            [_Closed(take_rows(parcels, later), times_h[later], sites[later], delays_h[later], co_delivered[later])]
            if later.any()
            else []
        )
        order = np.flatnonzero(due)
        order = order[np.lexsort((parcels["seq"][order], times_h[order], sites[order]))]
        parcels = take_rows(parcels, order)
        times_h, sites, delays_h, co_delivered = times_h[order], sites[order], delays_h[order], co_delivered[order]
        in_cell = self.take_cells(times_h, sites, delays_h, section.locker_cells)
        available_h = np.where(in_cell, times_h, next_opening_h(section, times_h))
        stats = self.stats
        measured = stats.measured(parcels["arrival_h"])
        self.buffered_measured -= int(np.count_nonzero(measured))
        held_h = np.minimum(times_h + delays_h, stats.window_end_h) - np.maximum(times_h, stats.window_start_h)
        busy_h = np.where(in_cell, np.maximum(held_h, 0.0), 0.0)
        self.tally.count_closed(sites, measured & (times_h < stats.end_h), ~in_cell, busy_h)
        self.waiting.append((times_h[~in_cell], available_h[~in_cell], "village" if at_village else "town"))
        for flag in (True, False):
            rows = co_delivered == flag
            if rows.any():
                stats.record_delivered(
                    take_rows(parcels, rows), available_h[rows], at_village=at_village, co_delivered=flag
                )

    def take_cells(self, times_h: FloatArray, sites: IntArray, delays_h: FloatArray, cells: int) -> NDArray[np.bool_]:
        """In (site, time, seq) order: whether each parcel finds a free cell; a cell is busy until collection."""
        in_cell = np.zeros(len(times_h), dtype=bool)
        if cells == 0:
            return in_cell
        busy = self.busy_until_h
        for index, (time_h, site, delay_h) in enumerate(
            zip(times_h.tolist(), sites.tolist(), delays_h.tolist(), strict=True)
        ):
            heap = busy.setdefault(site, [])
            while heap and heap[0] <= time_h:
                heapq.heappop(heap)
            if len(heap) < cells:
                heapq.heappush(heap, time_h + delay_h)
                in_cell[index] = True
        return in_cell

    def count_waiting(self, backlog: NDArray[np.int64], day: int) -> None:
        """Add the parcels waiting at closed points at the end of ``day`` to the backlog; forget those gone."""
        end_h = 24.0 * (day + 1)
        still: list[tuple[FloatArray, FloatArray, str]] = []
        for handed_h, opening_h, tier in self.waiting:
            count_at(backlog, day, tier, "parcel", int(np.count_nonzero((handed_h < end_h) & (opening_h >= end_h))))
            if (opening_h >= end_h).any():
                still.append((handed_h, opening_h, tier))
        self.waiting = still


def new_lockers(plan: StaticPlan, stats: ParcelStats, replication: int) -> Lockers | None:
    """The replication's lockers, or None when neither village points nor town stations have a section."""
    sections = points_of(plan)
    if all(section is None for section in sections.values()):
        return None
    return Lockers(stats, unit_draws(plan, replication), new_tally(plan), sections)
