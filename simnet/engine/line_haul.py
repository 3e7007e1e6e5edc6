"""Outbound line-haul at a city hub: upward parcels wait for a departure with room, oldest first.

Pickups the trunk brings to the hub wait there, in order of arrival (those arriving together in
``seq`` order), until a line-haul departure; each departure takes up to its capacity of the oldest
waiting, and the rest wait for the next. An upward parcel leaves the model when it departs, and
its time is measured to that departure; with no departures listed it leaves the model on
reaching the hub. Departures repeat daily at their clock times (modulo 24 h). Line-haul costs lie
outside the city network and are not booked. Shippers' parcels (``engine/factories.py``) wait with
the pickups: a departure takes the oldest of both, ties by seq.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from simnet.engine.dispatch import RunContext
from simnet.engine.factories import FactoryTally, empty_factory_columns
from simnet.engine.parcels import PICKUP_COLUMNS, Columns, ReadyQueue, empty_columns
from simnet.scenario.models.facilities import Hub


def departure_clock_h(hub: Hub) -> tuple[float, ...]:
    """The hub's line-haul departures as clock times within the day, in order (empty when none)."""
    return tuple(sorted(hour % 24 for hour in hub.line_haul_departures_h or ()))


class LineHaul:
    """The hub's upward parcels waiting for line-haul, and the departures that take them."""

    def __init__(self, hub: Hub, context: RunContext, shipped_tally: FactoryTally | None) -> None:
        self.context = context
        self.departures_h = departure_clock_h(hub)
        self.capacity = hub.line_haul_capacity_per_departure
        self.waiting = ReadyQueue(empty_columns(PICKUP_COLUMNS))
        """Pickups at the hub (or on their way there), ready from their arrival at the hub."""
        self.shipped = ReadyQueue(empty_factory_columns())
        """Shippers' parcels at the hub (or on their way), ready from their arrival."""
        self.shipped_tally = shipped_tally
        """Where shippers' parcels leaving are counted; None without shippers."""

    def arrive(self, pickups: Columns, arrival_h: float) -> None:
        """Pickups reach the hub at ``arrival_h``."""
        self._arrive(self.waiting, pickups, arrival_h, self._leave)

    def arrive_shipped(self, parcels: Columns, arrival_h: float) -> None:
        """Shippers' parcels reach the hub at ``arrival_h``."""
        self._arrive(self.shipped, parcels, arrival_h, self._leave_shipped)

    def _arrive(
        self, queue: ReadyQueue, units: Columns, arrival_h: float, leave: Callable[[Columns, float], None]
    ) -> None:
        """Units arriving together wait for line-haul in ``seq`` order, or leave the model (no departures)."""
        if not self.departures_h:
            leave(units, arrival_h)
            return
        order = np.argsort(units["seq"], kind="stable")
        queue.push(
            {name: values[order] for name, values in units.items()} | {"ready_h": np.full(len(order), arrival_h)}
        )

    def departures(self) -> Generator[simpy.Event, Any, None]:
        """At each departure, the oldest waiting pickups and shippers' parcels leave, up to the capacity."""
        env = self.context.env
        for day in range(self.context.total_days):
            for depart_h in self.departures_h:
                yield env.timeout(24.0 * day + depart_h - env.now)
                yield env.timeout(0)  # after the day's count at midnight, which sees them waiting
                pickups, shipped = self._oldest(env.now)
                if pickups:
                    self._leave(self.waiting.pop_first(pickups), env.now)
                if shipped:
                    self._leave_shipped(self.shipped.pop_first(shipped), env.now)

    def _oldest(self, time_h: float) -> tuple[int, int]:
        """How many pickups and shippers' parcels a departure at ``time_h`` takes: the oldest of both, ties by seq."""
        ready = self.waiting.ready_count(time_h)
        ready_shipped = self.shipped.ready_count(time_h)
        if self.capacity is None or ready + ready_shipped <= self.capacity:
            return ready, ready_shipped
        if not ready_shipped:
            return self.capacity, 0
        arrived_h = np.concatenate(
            (self.waiting.columns["ready_h"][:ready], self.shipped.columns["ready_h"][:ready_shipped])
        )
        seq = np.concatenate((self.waiting.columns["seq"][:ready], self.shipped.columns["seq"][:ready_shipped]))
        taken = np.lexsort((seq, arrived_h))[: self.capacity]
        pickups = int(np.count_nonzero(taken < ready))
        return pickups, len(taken) - pickups

    def _leave_shipped(self, parcels: Columns, time_h: float) -> None:
        """Shippers' parcels leave the model at ``time_h``."""
        assert self.shipped_tally is not None
        self.shipped_tally.record_out(parcels, time_h)

    def _leave(self, pickups: Columns, time_h: float) -> None:
        """Pickups leave the model at ``time_h``."""
        self.context.stats.record_pickups_at_hub(pickups, time_h)

    def waiting_at(self, time_h: float) -> int:
        """Pickups at the hub at ``time_h``: arrived before it and not yet departed."""
        return int(np.searchsorted(self.waiting.columns["ready_h"], time_h, side="left"))

    def shipped_waiting_at(self, time_h: float) -> int:
        """Shippers' parcels at the hub at ``time_h``: arrived before it and not yet departed."""
        return int(np.searchsorted(self.shipped.columns["ready_h"], time_h, side="left"))
