"""Parcels from factories and e-commerce parks (快递进厂), from the shipper to line-haul at its hub.

The rule, the same in both engines:
- Each day a shipper has Poisson(``parcels_per_day``) parcels, ready at times uniform over its ready
  window (drawn from its hub's ``shippers`` stream, shippers in their listed order).
- Collection. At a county seat with ``trunk_return`` a parcel is at the park when ready. With
  ``dedicated_van`` a van leaves the park at each of the shipper's departures, reaches the shipper
  after the one-way time t, takes up to its capacity of the parcels ready there (oldest first, ties
  by seq), and is back at the park after 2t; it leaves at every departure and its round trip is
  booked then, to the park's account (not attributed to villages).
- Park to hub: each trunk truck that has unloaded at a park takes up to its capacity of the
  shipper parcels waiting at that park (ready by then, oldest first) back to its hub: the return
  leg of the truck's round trip, already booked, so it costs nothing more (backhaul).
- At the hub a shipper parcel waits for line-haul with the pickups, oldest first by arrival, ties
  by seq, and leaves the model on its departure (on arrival without line-haul departures).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy
from numpy.typing import NDArray

from simnet.engine.dispatch import RunContext
from simnet.engine.ledger import Account
from simnet.engine.parcels import Columns, ReadyQueue
from simnet.engine.streams import RandomStreams
from simnet.planning.shippers import ShipperPlan

FACTORY_COLUMNS = ("seq", "appear_h", "shipper", "ready_h")
"""Columns of shipper parcels: ``appear_h`` when ready at the shipper, ``ready_h`` when ready where they wait."""


def empty_factory_columns() -> Columns:
    """No shipper parcels."""
    return {
        "seq": np.zeros(0, dtype=np.int64),
        "appear_h": np.zeros(0),
        "shipper": np.zeros(0, dtype=np.int64),
        "ready_h": np.zeros(0),
    }


def shipper_parcels(shippers: Sequence[ShipperPlan], day: int, streams: RandomStreams) -> Columns:
    """A day's parcels of a hub's shippers (without seq), in order of readiness (ties: shipper order)."""
    rng = streams.generator("shippers", day)
    appear, owner = [], []
    for shipper in shippers:
        spec = shipper.spec
        count = int(rng.poisson(spec.parcels_per_day))
        appear.append(24.0 * day + spec.ready_from_h + (spec.ready_until_h - spec.ready_from_h) * rng.random(count))
        owner.append(np.full(count, shipper.number, dtype=np.int64))
    times = np.concatenate(appear) if appear else np.zeros(0)
    numbers = np.concatenate(owner) if owner else np.zeros(0, dtype=np.int64)
    order = np.argsort(times, kind="stable")
    return {"appear_h": times[order], "shipper": numbers[order], "ready_h": times[order]}


@dataclass
class FactoryTally:
    """What the window's shipper parcels did: per shipper and in all, and the trunk backhaul's use."""

    shippers: int
    window_start_h: float
    window_end_h: float
    end_h: float
    parcels_in: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    departed: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Measured parcels gone on line-haul by the end."""
    time_sum_h: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    van_cny: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    """Dedicated vans' trips leaving in the window."""
    finished: int = 0
    """Measured parcels gone, whenever they went (for the run's end)."""
    last_finish_h: float = 0.0
    backhaul_offered: int = 0
    """Capacity of the trunk trucks leaving parks in the window (one truckload each)."""
    backhaul_used: int = 0
    """Shipper parcels they carried."""

    def __post_init__(self) -> None:
        self.parcels_in = np.zeros(self.shippers, dtype=np.int64)
        self.departed = np.zeros(self.shippers, dtype=np.int64)
        self.time_sum_h = np.zeros(self.shippers)
        self.van_cny = np.zeros(self.shippers)

    def measured(self, time_h: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Which times fall inside the window."""
        return (time_h >= self.window_start_h) & (time_h < self.window_end_h)

    def record_in(self, parcels: Columns) -> None:
        """Count the parcels ready inside the window, per shipper."""
        inside = self.measured(parcels["appear_h"])
        self.parcels_in += np.bincount(parcels["shipper"][inside], minlength=self.shippers)

    def record_out(self, parcels: Columns, time_h: float) -> None:
        """Parcels leave on line-haul at ``time_h``: their time from ready to departure, those by the end."""
        inside = self.measured(parcels["appear_h"])
        count = int(np.count_nonzero(inside))
        if not count:
            return
        self.finished += count
        self.last_finish_h = max(self.last_finish_h, time_h)
        if time_h > self.end_h:
            return
        shipper = parcels["shipper"][inside]
        self.departed += np.bincount(shipper, minlength=self.shippers)
        self.time_sum_h += np.bincount(shipper, weights=time_h - parcels["appear_h"][inside], minlength=self.shippers)

    def record_backhaul(self, time_h: float, capacity: int, carried: int) -> None:
        """A truck leaves a park at ``time_h`` with room for ``capacity``, carrying ``carried`` shipper parcels."""
        if self.window_start_h <= time_h < self.window_end_h:
            self.backhaul_offered += capacity
            self.backhaul_used += carried

    def all_finished_by(self, time_h: float) -> bool:
        """Whether every measured parcel had left on line-haul by ``time_h``."""
        return self.finished == int(self.parcels_in.sum()) and self.last_finish_h <= time_h


class Factories:
    """The fast engine's shipper parcels: at each dedicated-van shipper, at park-van stops, at each park; the vans."""

    def __init__(self, shippers: Sequence[ShipperPlan], counties: int, context: RunContext, tally: FactoryTally):
        self.shippers = shippers
        self.context = context
        self.tally = tally
        self.at_shipper = [ReadyQueue(empty_factory_columns()) for _ in shippers]
        self.at_park = [ReadyQueue(empty_factory_columns()) for _ in range(counties)]
        self.at_stop: list[dict[int, ReadyQueue]] = [{} for _ in range(counties)]
        """Per county, per site: the parcels of the shippers there that park vans collect (oldest first)."""
        for shipper in shippers:
            if shipper.spec.collected_by == "park_vans":
                self.at_stop[shipper.county].setdefault(shipper.site, ReadyQueue(empty_factory_columns()))

    def place(self, parcels: Columns) -> None:
        """A day's new parcels (with seq) wait at their shipper (its van or the park vans collect) or at its park."""
        self.tally.record_in(parcels)
        for shipper in self.shippers:
            mine = parcels["shipper"] == shipper.number
            if not mine.any():
                continue
            rows = {name: values[mine] for name, values in parcels.items()}
            self._queue_of(shipper).push(rows)

    def _queue_of(self, shipper: ShipperPlan) -> ReadyQueue:
        """Where a shipper's new parcels wait (the module's rule)."""
        if shipper.spec.collected_by == "park_vans":
            return self.at_stop[shipper.county][shipper.site]
        if shipper.van is not None:
            return self.at_shipper[shipper.number]
        return self.at_park[shipper.county]

    def to_park(self, county: int) -> Callable[[Columns, float], None]:
        """What takes the parcels a park van brings back to ``county``'s park (ready there when unloaded, by number)."""
        queue = self.at_park[county]

        def unload(parcels: Columns, time_h: float) -> None:
            unloaded = {name: values[np.argsort(parcels["seq"], kind="stable")] for name, values in parcels.items()}
            unloaded["ready_h"] = np.full(len(unloaded["seq"]), time_h)
            queue.push(unloaded)

        return unload

    def vans(self, shipper: ShipperPlan) -> Generator[simpy.Event, Any, None]:
        """A dedicated van's round trips from the park at each departure (the module's rule)."""
        env = self.context.env
        van = shipper.van
        assert van is not None
        account = Account("park", shipper.county, None, shipper.spec.vehicle_type)
        for day in range(self.context.total_days):
            for depart_h in shipper.spec.van_clock_h:
                yield env.timeout(24.0 * day + depart_h - env.now)
                env.process(self._round_trip(shipper, account, env.now))

    def _round_trip(self, shipper: ShipperPlan, account: Account, depart_h: float) -> Generator[simpy.Event, Any, None]:
        env = self.context.env
        van = shipper.van
        assert van is not None
        yield env.timeout(shipper.van_time_h)
        queue = self.at_shipper[shipper.number]
        load = queue.pop_first(min(van.capacity_parcels, queue.ready_count(env.now)))
        items = self.context.ledger.add_trip(
            depart_h,
            account,
            van,
            2 * shipper.van_distance_km,
            2 * shipper.van_time_h,
            len(load["seq"]) / van.capacity_parcels,
        )
        cny = sum(amount for _, amount in items)
        self.context.attribution.record(
            np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), depart_h, [("park", kind, c) for kind, c in items]
        )
        if self.tally.window_start_h <= depart_h < self.tally.window_end_h:
            self.tally.van_cny[shipper.number] += cny
        yield env.timeout(shipper.van_time_h)
        load["ready_h"] = np.full(len(load["seq"]), env.now)
        self.at_park[shipper.county].push(load)

    def backhaul(self, county: int, time_h: float, capacity: int) -> Columns:
        """What a trunk truck unloaded at ``county``'s park at ``time_h`` takes back to its hub."""
        queue = self.at_park[county]
        load = queue.pop_first(min(capacity, queue.ready_count(time_h)))
        self.tally.record_backhaul(time_h, capacity, len(load["seq"]))
        return load
