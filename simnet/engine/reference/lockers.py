"""The reference engine's village points and town stations with hours and lockers, parcel by parcel.

The rule is stated once, in ``engine/lockers.py``. Here each hand-over is taken at its own time on
the SimPy clock, after everything else at that instant (so simultaneous ones go in ``seq`` order),
with a plain list of each point's cell free times.
"""

from __future__ import annotations

import math

import numpy as np
import simpy

from simnet.engine.keyed_uniforms import UnitDraws
from simnet.engine.lockers import LockerTally, TimeoutAt, collection_delays_h, new_tally, points_of, unit_draws
from simnet.engine.reference.items import Parcel, arrive_at, leave
from simnet.engine.reference.world import World
from simnet.engine.stats import ParcelStats
from simnet.scenario.models.points import PickupPoints

AFTER_EVERYTHING = 2
"""Event priority below SimPy's NORMAL (1): an instant's hand-overs are resolved after all its other events."""


def open_at(points: PickupPoints, time_h: float) -> bool:
    """Whether the point is open at ``time_h``: some interval [start, end) holds the time of day."""
    clock_h = time_h - 24.0 * math.floor(time_h / 24.0)
    return any(start_h <= clock_h < end_h for start_h, end_h in points.opening_hours)


def next_opening(points: PickupPoints, time_h: float) -> float:
    """The first opening time after ``time_h``: a later start today, else tomorrow's first start."""
    day_start_h = 24.0 * math.floor(time_h / 24.0)
    for start_h, _ in points.opening_hours:
        if start_h > time_h - day_start_h:
            return day_start_h + start_h
    return day_start_h + 24.0 + points.opening_hours[0][0]


class ReferenceLockers:
    """One replication's points with hours or lockers: each point's busy cells and the parcels left this instant."""

    def __init__(
        self,
        env: simpy.Environment,
        stats: ParcelStats,
        sections: dict[bool, PickupPoints | None],
        tally: LockerTally,
        draws: UnitDraws,
    ) -> None:
        self.env = env
        self.stats = stats
        self.sections = sections
        self.tally = tally
        self.draws = draws
        self.cells_free_at_h: dict[int, list[float]] = {}
        """Per site: when each busy cell is freed (its parcel collected)."""
        self.left_now: list[tuple[Parcel, int, bool]] = []

    def hand_over(self, parcel: Parcel, site: int, at_village: bool) -> None:
        """A parcel is left at its final stop now; it is resolved with the others left now, after this instant."""
        if self.sections[at_village] is None:
            return
        if not self.left_now:
            TimeoutAt(self.env, 0.0, AFTER_EVERYTHING).callbacks.append(self.resolve_instant)
        self.left_now.append((parcel, site, at_village))

    def resolve_instant(self, _event: simpy.Event) -> None:
        """Take this instant's hand-overs in ``seq`` order."""
        left, self.left_now = sorted(self.left_now, key=lambda item: item[0].seq), []
        for parcel, site, at_village in left:
            self.resolve(parcel, site, at_village)

    def resolve(self, parcel: Parcel, site: int, at_village: bool) -> None:
        """Open: available now. Closed: into a free cell (busy until collected), else wait for the opening."""
        section = self.sections[at_village]
        assert section is not None
        stats = self.stats
        now = self.env.now
        seq = np.array([parcel.seq], dtype=np.int64)
        delay_h = float(collection_delays_h(section, self.draws, seq)[0])
        measured = stats.window_start_h <= parcel.arrival_h < stats.window_end_h
        tally = self.tally
        if measured:
            tally.parcels[site] += 1
            tally.collection_delay_sum_h += delay_h
            tally.collection_delays += 1
        parcel.delivered_h = now
        if open_at(section, now):
            return
        found_cell = self.take_cell(site, now, delay_h, section.locker_cells)
        if found_cell:
            held_h = min(now + delay_h, stats.window_end_h) - max(now, stats.window_start_h)
            tally.busy_cell_h[site] += max(held_h, 0.0)
        else:
            parcel.delivered_h = next_opening(section, now)
            arrive_at(parcel, "village" if at_village else "town", now)
            leave(parcel, parcel.delivered_h)
        if measured:
            tally.closed[site] += 1
            tally.no_cell[site] += 0 if found_cell else 1

    def take_cell(self, site: int, now: float, delay_h: float, cells: int) -> bool:
        """Whether a cell at ``site`` is free now (freed at or before now); if so it stays busy until collection."""
        busy = [free_h for free_h in self.cells_free_at_h.get(site, []) if free_h > now]
        found = len(busy) < cells
        if found:
            busy.append(now + delay_h)
        self.cells_free_at_h[site] = busy
        return found


def reference_lockers(world: World, replication: int) -> ReferenceLockers | None:
    """The replication's lockers, or None when neither village points nor town stations have a section."""
    sections = points_of(world.plan)
    if all(section is None for section in sections.values()):
        return None
    return ReferenceLockers(
        world.env, world.stats, sections, new_tally(world.plan), unit_draws(world.plan, replication)
    )
