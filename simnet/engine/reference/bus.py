"""The reference engine's bus lines: plain lists of waiting parcels and pickups, one process per departure.

The rule is stated once, in ``engine/bus.py``; here it is followed unit by unit.
"""

from __future__ import annotations

import numpy as np

from simnet.engine.backlog import SITE_TIERS
from simnet.engine.bus import PARK_KIND, departure_times
from simnet.engine.bus_use import BusDay, BusUse
from simnet.engine.facilities import hand_over_key
from simnet.engine.ledger import Account
from simnet.engine.reference.items import Parcel, Pickup, arrive_at, leave
from simnet.engine.reference.line import Process
from simnet.engine.reference.lockers import ReferenceLockers
from simnet.engine.reference.trunk import ReferenceTrunk
from simnet.engine.reference.world import World
from simnet.planning.bus_plan import BusPlan, PlannedBusLine

Unit = Parcel | Pickup


class ReferenceBus:
    """Every bus line: who waits at each stop for it, its departures, and what boarding costs."""

    def __init__(self, world: World, trunk: ReferenceTrunk, lockers: ReferenceLockers | None = None) -> None:
        assert world.plan.bus is not None
        self.world = world
        self.bus: BusPlan = world.plan.bus
        self.trunk = trunk
        self.lockers = lockers
        """Village points' hours and lockers, which parcels a bus leaves pass through (None: always open)."""
        self.down: list[list[list[tuple[float, Unit]]]] = [[[] for _ in line.sites] for line in self.bus.lines]
        """Per line and stop position: (ready time, parcel) waiting to ride it outward."""
        self.up: list[list[list[tuple[float, Unit]]]] = [[[] for _ in line.sites] for line in self.bus.lines]
        """Per line and stop position: (ready time, pickup) waiting to ride it back."""
        self.use = BusUse(world.stats.window_start_h, world.stats.window_end_h)
        self.accounts = [Account("bus", county) for county in range(len(world.plan.network.parks))]

    def start(self) -> None:
        """Start one process per line, which starts one per departure."""
        for number in range(len(self.bus.lines)):
            self.world.env.process(self.line_runs(number))

    def from_park(self, parcel: Parcel) -> bool:
        """A parcel just sorted at its park waits for its first line, if the flows table puts it on a bus."""
        line = int(self.world.plan.flows.bus_line[parcel.village, parcel.carrier])
        if line < 0:
            return False
        self.down[line][int(self.bus.down.board[parcel.village, line])].append((self.world.env.now, parcel))
        return True

    def from_village(self, pickup: Pickup) -> bool:
        """A pickup just appeared waits at its village for its first line back, if the flows table says so."""
        line = int(self.world.plan.flows.pickup_bus_line[pickup.village, pickup.carrier])
        if line < 0:
            return False
        self.up[line][int(self.bus.up.board[pickup.village, line])].append((self.world.env.now, pickup))
        return True

    def line_runs(self, number: int) -> Process:
        """A bus leaves at each departure of the line."""
        env = self.world.env
        for depart_h in departure_times(self.bus.lines[number], self.world.total_days):
            yield env.timeout(depart_h - env.now)
            env.process(self.trip(number, depart_h))

    def trip(self, number: int, depart_h: float) -> Process:
        """Outward with parcels, back with pickups; at each call, units leave, then (a step later) board.

        A wait never goes below 0 through the rounding of the clock (the last stop out is the first back).
        """
        env = self.world.env
        line = self.bus.lines[number]
        counts = self.use.day(number, depart_h)
        if counts is not None:
            counts.departures += 1
        peak = 0
        aboard: list[Unit] = []
        for position, arrive_h in enumerate(line.outward_h(depart_h).tolist()):
            yield env.timeout(max(arrive_h - env.now, 0.0))
            aboard = [parcel for parcel in aboard if not self.leaves(number, position, parcel, pickup=False)]
            yield env.timeout(0)
            aboard += self.board(number, position, len(aboard), counts, pickup=False)
            peak = max(peak, len(aboard))
        riding: list[Unit] = []
        back_h = line.return_h(depart_h)
        for position in reversed(range(len(line.sites))):
            yield env.timeout(max(float(back_h[position]) - env.now, 0.0))
            riding = [pickup for pickup in riding if not self.leaves(number, position, pickup, pickup=True)]
            yield env.timeout(0)
            riding += self.board(number, position, len(riding), counts, pickup=True)
            peak = max(peak, len(riding))
        if counts is not None:
            counts.peak_load_sum += peak / line.capacity_parcels

    def board(self, number: int, position: int, aboard: int, counts: BusDay | None, *, pickup: bool) -> list[Unit]:
        """The units waiting here for this line board, oldest first (ready time, then seq), while there is room."""
        line = self.bus.lines[number]
        queues = self.up if pickup else self.down
        waiting = sorted(queues[number][position], key=lambda entry: (entry[0], entry[1].seq))
        room = line.capacity_parcels - aboard
        boarding = [unit for _, unit in waiting[:room]]
        queues[number][position] = waiting[room:]
        if counts is not None:
            counts.left_waiting += len(waiting) - len(boarding)
        legs = self.bus.up if pickup else self.bus.down
        stats = self.world.stats
        for unit in boarding:
            leave(unit, self.world.env.now)
            first = int(legs.first[unit.village]) == number
            self.book_boarding(line, position, unit, first, pickup=pickup)
            if counts is not None:
                counts.transfers += 0 if first else 1
                if pickup:
                    counts.pickups += 1
                else:
                    counts.parcels += 1
            if isinstance(unit, Parcel) and first and stats.window_start_h <= unit.arrival_h < stats.window_end_h:
                self.use.parcels_boarded += 1
        return boarding

    def leaves(self, number: int, position: int, unit: Unit, *, pickup: bool) -> bool:
        """Whether the unit's leg on this line ends here; if so it leaves: delivered, onward, or to the trunk."""
        legs = self.bus.up if pickup else self.bus.down
        if int(legs.alight[unit.village, number]) != position:
            return False
        world = self.world
        now = world.env.now
        line = self.bus.lines[number]
        site = int(line.sites[position])
        next_line = int(legs.next_line[unit.village, number])
        if next_line >= 0:
            arrive_at(unit, SITE_TIERS[int(world.plan.network.site_kind[site])], now)
            if isinstance(unit, Pickup):
                unit.site, unit.ready_h = site, now
                self.up[next_line][int(legs.board[unit.village, next_line])].append((now, unit))
            else:
                self.down[next_line][int(legs.board[unit.village, next_line])].append((now, unit))
        elif isinstance(unit, Pickup):
            self.book_station(line, unit)
            self.trunk.bring_back(line.county, [unit])
        else:
            self.hand_over(unit)
        return True

    def hand_over(self, parcel: Parcel) -> None:
        """A bus leaves a parcel at its village point: delivered there, as from a van; the point's commission."""
        world = self.world
        now = world.env.now
        commission_cny = world.scenario.costs.village_commission_cny_per_parcel
        county = int(world.plan.county_of_village[parcel.village])
        world.ledger.add_cost(now, Account("village", county), "commission", commission_cny)
        world.shares.charge(parcel, "village", "commission", commission_cny)
        site = int(world.plan.network.villages[parcel.village])
        world.shares.handle(hand_over_key(True, True, site), now, [parcel])
        parcel.delivered_h = now
        parcel.at_village = True
        parcel.co_delivered = True
        world.stats.record_visits(np.array([parcel.village]), np.array([now]))
        if self.lockers is not None:
            self.lockers.hand_over(parcel, site, True)
        stats = world.stats
        if stats.window_start_h <= parcel.arrival_h < stats.window_end_h and now <= stats.end_h:
            self.use.parcels_delivered += 1

    def book_boarding(self, line: PlannedBusLine, position: int, unit: Unit, first: bool, *, pickup: bool) -> None:
        """The unit's fare (or transfer fare) and CO₂; station handling when it boards at the park."""
        world = self.world
        spec = self.bus.spec
        account = self.accounts[line.county]
        unit_cny = spec.price_cny_per_parcel if first else spec.transfer_cny_per_parcel
        if unit_cny:
            world.ledger.add_cost(world.env.now, account, "fare", unit_cny)
            world.shares.charge(unit, "bus", "fare", unit_cny)
        world.ledger.add_bus_co2(world.env.now, account, spec.co2_kg_per_parcel)
        if int(world.plan.network.site_kind[int(line.sites[position])]) == PARK_KIND:
            self.book_station(line, unit)

    def book_station(self, line: PlannedBusLine, unit: Unit) -> None:
        """Handling at the park's bus station for a unit boarding or leaving a bus there."""
        world = self.world
        unit_cny = self.bus.spec.station_handling_cny_per_parcel
        if unit_cny:
            world.ledger.add_cost(world.env.now, self.accounts[line.county], "handling", unit_cny)
            world.shares.charge(unit, "bus", "handling", unit_cny)
