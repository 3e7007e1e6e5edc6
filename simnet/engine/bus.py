"""Parcels and pickups on scheduled bus lines (客货邮融合), fast engine: a process per line, one per departure.

The rule, the same in both engines. A line's bus leaves its first stop at each departure time of
every day, calls at its stops outward and then back (``planning/bus_plan.py``). At each call,
first the units whose leg ends there leave the bus: a parcel at its village is handed to the
village point (delivered, as from a van), a unit whose path goes on waits there for its next
line, a pickup at the park waits for the trunk's return departures. Then, one zero-delay step
later (so that what arrives at that very instant is there), the units waiting at the stop for
this line and ready by now board, oldest first (ready time, then seq), as many as the room left:
the capacity less the units aboard. Parcels ride outward, pickups back. A unit pays
``price_cny_per_parcel`` when it boards its first line and ``transfer_cny_per_parcel`` at each
later one; ``station_handling_cny_per_parcel`` when it boards or leaves a bus at the park. All
is booked when it happens, to the ``bus`` account of the county, and charged to the unit itself;
CO₂ is ``co2_kg_per_parcel`` per unit and line ridden, booked at boarding. Buses cost nothing else.
A parcel left at its village point pays the point's commission, as from a van, booked then.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import numpy as np
import simpy
from numpy.typing import NDArray

from simnet.engine.backlog import SITE_TIERS, count_at
from simnet.engine.bus_use import BusDay, BusUse
from simnet.engine.dispatch import RunContext
from simnet.engine.facilities import hand_over_key
from simnet.engine.ledger import Account
from simnet.engine.parcels import (
    PARCEL_COLUMNS,
    PICKUP_COLUMNS,
    Columns,
    ReadyQueue,
    empty_columns,
    row_count,
    take_rows,
)
from simnet.planning.bus_plan import BusPlan, Legs, PlannedBusLine
from simnet.planning.plan import StaticPlan

IntArray = NDArray[np.int64]
PARK_KIND = 1
"""``CityNetwork.site_kind`` of a park."""


class FifoQueue(ReadyQueue):
    """Units waiting at a stop for one line, in order of ready time, then seq."""

    def push(self, batch: Columns) -> None:
        """Add units, keeping the order (ready time, seq)."""
        if row_count(batch) == 0:
            return
        joined = {name: np.concatenate((self.columns[name], batch[name])) for name in self.columns}
        self.columns = take_rows(joined, np.lexsort((joined["seq"], joined["ready_h"])))


class BusNetwork:
    """Every bus line of a replication: the queues at their stops, the departures, the bookings."""

    def __init__(self, plan: StaticPlan, context: RunContext, returning: list[ReadyQueue]) -> None:
        assert plan.bus is not None
        self.bus: BusPlan = plan.bus
        self.plan = plan
        self.context = context
        self.returning = returning
        self.down = [[FifoQueue(empty_columns(PARCEL_COLUMNS)) for _ in line.sites] for line in self.bus.lines]
        """Per line and stop position: parcels waiting there to ride it outward."""
        self.up = [[FifoQueue(empty_columns(PICKUP_COLUMNS)) for _ in line.sites] for line in self.bus.lines]
        """Per line and stop position: pickups waiting there to ride it back."""
        self.use = BusUse(context.stats.window_start_h, context.stats.window_end_h)
        self.aboard_measured = 0
        """Measured parcels on a bus now."""
        self.accounts = [Account("bus", county) for county in range(len(plan.network.parks))]
        self.village_accounts = [Account("village", county) for county in range(len(plan.network.parks))]
        self.transfer_positions = {
            pickup: [_transfer_positions(legs, number) for number in range(len(self.bus.lines))]
            for pickup, legs in ((False, self.bus.down), (True, self.bus.up))
        }
        """Per direction (pickups or not) and line: stop positions where units board it as a change of lines."""
        self.boarding_positions = {
            pickup: [
                frozenset(legs.board[legs.board[:, number] >= 0, number].tolist())
                for number in range(len(self.bus.lines))
            ]
            for pickup, legs in ((False, self.bus.down), (True, self.bus.up))
        }
        """Per direction and line: stop positions where some units board it (elsewhere nobody waits for it)."""

    # --- units coming to the lines ---------------------------------------------------------------

    def from_park(self, parcels: Columns) -> Columns:
        """Take the sorted parcels the flows table puts on a bus (to their first line's queue); return the rest."""
        line = self.plan.flows.bus_line[parcels["village"], parcels["carrier"]]
        riding = line >= 0
        if riding.any():
            self._queue_down(take_rows(parcels, riding), line[riding])
        return take_rows(parcels, ~riding) if riding.any() else parcels

    def from_village(self, pickups: Columns) -> Columns:
        """Take the new pickups the flows table puts on a bus (at their village); return the rest."""
        line = self.plan.flows.pickup_bus_line[pickups["village"], pickups["carrier"]]
        riding = line >= 0
        if riding.any():
            mine = take_rows(pickups, riding)
            mine["site"] = self.plan.network.villages[mine["village"]].astype(np.int32)
            self._queue_up(mine, line[riding])
        return take_rows(pickups, ~riding) if riding.any() else pickups

    def _queue_down(self, parcels: Columns, line: IntArray) -> None:
        """Parcels wait for ``line`` at the stop where their path boards it."""
        self._queue(self.down, self.bus.down, parcels, line)

    def _queue_up(self, pickups: Columns, line: IntArray) -> None:
        """Pickups wait for ``line``'s run back at the stop where their path boards it."""
        self._queue(self.up, self.bus.up, pickups, line)

    @staticmethod
    def _queue(queues: list[list[FifoQueue]], legs: Legs, units: Columns, line: IntArray) -> None:
        """Push each unit to the queue of (its line, the stop its leg on that line starts from)."""
        board = legs.board[units["village"], line]
        for number, position in sorted(set(zip(line.tolist(), board.tolist(), strict=True))):
            queues[number][position].push(take_rows(units, (line == number) & (board == position)))

    # --- the buses -------------------------------------------------------------------------------

    def line_runs(self, number: int) -> Generator[simpy.Event, Any, None]:
        """Start a bus on ``number`` at each of its departures, every day, up to the end of the run."""
        env = self.context.env
        line = self.bus.lines[number]
        for depart_h in departure_times(line, self.context.total_days):
            yield env.timeout(depart_h - env.now)
            env.process(self.trip(number, depart_h))

    def trip(self, number: int, depart_h: float) -> Generator[simpy.Event, Any, None]:
        """One departure: outward with parcels, then back with pickups, leaving and boarding at each call.

        The last stop out is the first back, at the same time: a wait never goes below 0 through the
        rounding of the clock.
        """
        env = self.context.env
        line = self.bus.lines[number]
        counts = self.use.day(number, depart_h)
        if counts is not None:
            counts.departures += 1
        peak = 0
        for pickup, times_h, positions in (
            (False, line.outward_h(depart_h), range(len(line.sites))),
            (True, line.return_h(depart_h), reversed(range(len(line.sites)))),
        ):
            aboard = _Aboard(len(line.sites))
            for position in positions:
                if not self._anything_to_do(number, position, float(times_h[position]), aboard, pickup=pickup):
                    continue
                yield env.timeout(max(float(times_h[position]) - env.now, 0.0))
                leaving = aboard.leave(position)
                if leaving is not None:
                    (self._leave_up if pickup else self._leave_down)(number, position, leaving)
                if position not in self.boarding_positions[pickup][number]:
                    continue
                yield env.timeout(0)
                boarding = self._board(number, position, line.capacity_parcels - aboard.count, counts, pickup=pickup)
                if boarding is not None:
                    legs = self.bus.up if pickup else self.bus.down
                    aboard.board(boarding, legs.alight[boarding["village"], number])
                peak = max(peak, aboard.count)
        if counts is not None:
            counts.peak_load_sum += peak / line.capacity_parcels

    def _anything_to_do(self, number: int, position: int, arrive_h: float, aboard: _Aboard, *, pickup: bool) -> bool:
        """Whether a call at ``position`` can see a unit leave or board; calls that cannot are not simulated.

        Units leave where their batch says; units change lines only at the transfer positions; a
        parcel's first line boards at the park, position 0; a pickup's first line at its village,
        where new pickups are queued only at midnight, so its queue now tells who is ready by
        ``arrive_h`` unless a midnight falls before then.
        """
        if aboard.batches[position] or position in self.transfer_positions[pickup][number]:
            return True
        if position not in self.boarding_positions[pickup][number]:
            return False
        if not pickup:
            return position == 0
        now = self.context.env.now
        next_midnight_h = 24.0 * math.ceil(now / 24.0)
        return next_midnight_h <= arrive_h or self.up[number][position].ready_count(arrive_h) > 0

    def _board(self, number: int, position: int, room: int, counts: BusDay | None, *, pickup: bool) -> Columns | None:
        """The units ready at this stop for this line board, oldest first, as many as there is ``room``."""
        queue = (self.up if pickup else self.down)[number][position]
        ready = queue.ready_count(self.context.env.now)
        taken = min(ready, room)
        if counts is not None:
            counts.left_waiting += ready - taken
        if taken == 0:
            return None
        boarding = queue.pop_first(taken)
        legs = self.bus.up if pickup else self.bus.down
        first = legs.first[boarding["village"]] == number
        self._book_boarding(self.bus.lines[number], position, boarding, first, pickup=pickup)
        if counts is not None:
            counts.transfers += int(np.count_nonzero(~first))
            if pickup:
                counts.pickups += taken
            else:
                counts.parcels += taken
        if not pickup:
            measured = self.context.stats.measured(boarding["arrival_h"])
            self.aboard_measured += int(np.count_nonzero(measured))
            self.use.parcels_boarded += int(np.count_nonzero(measured & first))
        return boarding

    def _leave_down(self, number: int, position: int, off: Columns) -> None:
        """Parcels whose leg ends here leave: to their village point, or to wait for their next line."""
        now = self.context.env.now
        stats = self.context.stats
        self.aboard_measured -= int(np.count_nonzero(stats.measured(off["arrival_h"])))
        next_line = self.bus.down.next_line[off["village"], number]
        onward = next_line >= 0
        if onward.any():
            moving = take_rows(off, onward)
            moving["ready_h"] = np.full(row_count(moving), now)
            self._queue_down(moving, next_line[onward])
            off = take_rows(off, ~onward)
        if row_count(off):
            self.hand_over(self.bus.lines[number], position, off)

    def hand_over(self, line: PlannedBusLine, position: int, parcels: Columns) -> None:
        """A bus leaves parcels at their village point now: delivered there, as from a van (the village point's rule).

        The village point's commission is booked now, to the county's village account, and the
        parcels count as handled by that village point (for its daily cost).
        """
        context = self.context
        now = context.env.now
        count = row_count(parcels)
        times_h = np.full(count, now)
        commission_cny = context.ledger.costs.village_commission_cny_per_parcel * count
        context.ledger.add_cost(now, self.village_accounts[line.county], "commission", commission_cny)
        village_group, carrier_group = context.attribution.groups(
            parcels["village"], parcels["carrier"], parcels["arrival_h"], pickup=False
        )
        place = context.attribution.number(hand_over_key(True, True, int(line.sites[position])))
        context.attribution.record(
            village_group,
            carrier_group,
            now,
            [("village", "commission", commission_cny)],
            unit_place=np.full(count, place, dtype=np.int64) if place >= 0 else None,
        )
        stats = context.stats
        stats.record_visits(parcels["village"].astype(np.int64), times_h)
        if context.lockers is None:
            stats.record_delivered(parcels, times_h, at_village=True, co_delivered=True)
        else:
            sites = np.full(count, int(line.sites[position]), dtype=np.int64)
            context.lockers.hand_over(parcels, times_h, sites, at_village=True, co_delivered=True)
        self.use.parcels_delivered += int(
            np.count_nonzero(stats.measured(parcels["arrival_h"]) & (times_h <= stats.end_h))
        )

    def _leave_up(self, number: int, position: int, off: Columns) -> None:
        """Pickups whose leg ends here leave: at the park for the trunk returns, or to wait for their next line."""
        now = self.context.env.now
        line = self.bus.lines[number]
        count = row_count(off)
        off["ready_h"] = np.full(count, now)
        off["site"] = np.full(count, int(line.sites[position]), dtype=np.int32)
        next_line = self.bus.up.next_line[off["village"], number]
        onward = next_line >= 0
        if onward.any():
            self._queue_up(take_rows(off, onward), next_line[onward])
            off = take_rows(off, ~onward)
        if row_count(off):
            self._book_station(line, off, pickup=True)
            self.returning[line.county].push(off)

    # --- money and CO₂ -------------------------------------------------------------------------

    def _book_boarding(
        self, line: PlannedBusLine, position: int, units: Columns, first: NDArray[np.bool_], *, pickup: bool
    ) -> None:
        """Fare (or transfer fare) and CO₂ for units boarding now at ``position``; station handling at the park."""
        spec = self.bus.spec
        context = self.context
        now = context.env.now
        account = self.accounts[line.county]
        for subset, unit_cny in ((first, spec.price_cny_per_parcel), (~first, spec.transfer_cny_per_parcel)):
            count = int(np.count_nonzero(subset))
            if count == 0 or not unit_cny:
                continue
            context.ledger.add_cost(now, account, "fare", unit_cny * count)
            self._attribute(take_rows(units, subset), [("bus", "fare", unit_cny * count)], pickup=pickup)
        context.ledger.add_bus_co2(now, account, spec.co2_kg_per_parcel * row_count(units))
        if int(self.plan.network.site_kind[int(line.sites[position])]) == PARK_KIND:
            self._book_station(line, units, pickup=pickup)

    def _book_station(self, line: PlannedBusLine, units: Columns, *, pickup: bool) -> None:
        """Handling at the park's bus station for units boarding or leaving a bus there."""
        unit_cny = self.bus.spec.station_handling_cny_per_parcel
        count = row_count(units)
        if not unit_cny or count == 0:
            return
        self.context.ledger.add_cost(self.context.env.now, self.accounts[line.county], "handling", unit_cny * count)
        self._attribute(units, [("bus", "handling", unit_cny * count)], pickup=pickup)

    def _attribute(self, units: Columns, amounts: list[tuple[str, str, float]], *, pickup: bool) -> None:
        """Charge ``amounts`` to ``units`` (each the same share: a per-unit charge)."""
        attribution = self.context.attribution
        time_h = units["appear_h"] if pickup else units["arrival_h"]
        village_group, carrier_group = attribution.groups(units["village"], units["carrier"], time_h, pickup=pickup)
        attribution.record(village_group, carrier_group, self.context.env.now, amounts)

    # --- what is inside ------------------------------------------------------------------------

    def measured_inside(self) -> int:
        """Measured parcels waiting for a bus or aboard one."""
        stats = self.context.stats
        waiting = sum(
            int(np.count_nonzero(stats.measured(queue.columns["arrival_h"])))
            for queues in self.down
            for queue in queues
        )
        return waiting + self.aboard_measured

    def count_waiting(self, backlog: NDArray[np.int64], day: int) -> None:
        """Units waiting for a bus at the end of ``day``, by the tier of the stop they wait at."""
        network = self.plan.network
        for line, down, up in zip(self.bus.lines, self.down, self.up, strict=True):
            for position, site in enumerate(line.sites.tolist()):
                tier = SITE_TIERS[int(network.site_kind[site])]
                count_at(backlog, day, tier, "parcel", len(down[position]))
                count_at(backlog, day, tier, "pickup", len(up[position]))


class _Aboard:
    """The units on a bus, in batches by the stop position where they leave it."""

    def __init__(self, stops: int) -> None:
        self.batches: list[list[Columns]] = [[] for _ in range(stops)]
        self.count = 0

    def board(self, units: Columns, alight: IntArray) -> None:
        """Units board; each will leave at its ``alight`` position."""
        self.count += row_count(units)
        order = np.argsort(alight, kind="stable")
        gathered, alight = take_rows(units, order), alight[order]
        positions, starts = np.unique(alight, return_index=True)
        ends = [*starts[1:].tolist(), len(alight)]
        for position, start, end in zip(positions.tolist(), starts.tolist(), ends, strict=True):
            self.batches[position].append({name: values[start:end] for name, values in gathered.items()})

    def leave(self, position: int) -> Columns | None:
        """The units whose leg ends at ``position`` (None when there are none)."""
        batches = self.batches[position]
        if not batches:
            return None
        self.batches[position] = []
        off = {name: np.concatenate([batch[name] for batch in batches]) for name in batches[0]}
        self.count -= row_count(off)
        return off


def _transfer_positions(legs: Legs, number: int) -> frozenset[int]:
    """Positions where some village's units board line ``number`` after riding another line."""
    changing = (legs.board[:, number] >= 0) & (legs.first != number)
    return frozenset(legs.board[changing, number].tolist())


def departure_times(line: PlannedBusLine, total_days: int) -> list[float]:
    """Every departure of a line in the run, in time order (a clock time past 24 falls on the next day)."""
    times = sorted(24.0 * day + depart_h for day in range(total_days) for depart_h in line.departures_h)
    return [time_h for time_h in times if time_h < 24.0 * total_days]
