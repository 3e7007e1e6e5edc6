"""Cold chain at the county parks: fresh produce passes through it before it can leave for the hub.

With ``parks.cold_chain_capacity_per_day``, each park has a cold chain handling that many units a
day at an even rate around the clock, first come first served (a line as in DESIGN.md §3); pickups
unloaded together enter it in ``seq`` order. A fresh pickup unloaded at the park (from a van or a
bus) enters it at once, and is ready for the trunk's return departures when it comes out; other
pickups are ready at once. Without the setting fresh
produce waits as other pickups do.
"""

from __future__ import annotations

import numpy as np

from simnet.engine.capacity import CapacityCurve, RateSegment
from simnet.engine.fifo import FifoLine
from simnet.engine.parcels import PICKUP_COLUMNS, Columns, ReadyQueue, empty_columns


def cold_chain_curve(capacity_per_day: float, days: int) -> CapacityCurve:
    """C(t) of one park's cold chain over ``days`` days: an even rate, all day."""
    horizon_h = 24.0 * (days + 1)
    return CapacityCurve.from_segments([RateSegment(0.0, horizon_h, capacity_per_day / 24.0)], horizon_h)


class ColdChainQueue(ReadyQueue):
    """A park's pickups waiting for the return departures, fresh ones ready when their cold chain is done."""

    def __init__(self, columns: Columns, line: FifoLine) -> None:
        super().__init__(columns)
        self.line = line

    def push(self, batch: Columns) -> None:
        """Add pickups unloaded now: fresh ones go through the cold chain, in their order in the batch."""
        fresh = np.flatnonzero(batch["fresh"])
        if len(fresh):
            fresh = fresh[np.argsort(batch["seq"][fresh], kind="stable")]
            ready_h = batch["ready_h"].copy()
            ready_h[fresh] = self.line.process(ready_h[fresh])
            batch = {**batch, "ready_h": ready_h}
        super().push(batch)


def returning_queues(counties: int, capacity_per_day: float | None, days: int) -> list[ReadyQueue]:
    """Per county, the park's queue of pickups waiting for the return departures (with a cold chain if set)."""
    if capacity_per_day is None:
        return [ReadyQueue(empty_columns(PICKUP_COLUMNS)) for _ in range(counties)]
    curve = cold_chain_curve(capacity_per_day, days)
    return [ColdChainQueue(empty_columns(PICKUP_COLUMNS), FifoLine(curve)) for _ in range(counties)]
