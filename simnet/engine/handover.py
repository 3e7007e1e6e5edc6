"""Hand-overs between places of the fast engine, as the plan's flows table says (``planning/flows.py``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from simnet.engine.parcels import Columns, ReadyQueue, row_count, split_rows
from simnet.planning.flows import Flows

PickupFilter = Callable[[Columns], Columns]
"""Takes some pickups of a batch elsewhere and returns the others."""


def split_into(queues: list[ReadyQueue], batch: Columns, target: NDArray[np.int64]) -> None:
    """Push each row of ``batch`` to ``queues[target[row]]``, keeping the batch's order within each queue."""
    for queue, rows in zip(queues, split_rows(batch, target, len(queues)), strict=True):
        queue.push(rows)


class ToStations:
    """A park's parcels left at towns go into the queue of their village's town station."""

    def __init__(self, flows: Flows, parcel_queues: list[ReadyQueue]) -> None:
        self.station_point = flows.station_point
        self.parcel_queues = parcel_queues

    def __call__(self, parcels: Columns) -> None:
        """Hand over parcels that were just unloaded (their ``ready_h`` is already set)."""
        split_into(self.parcel_queues, parcels, self.station_point[parcels["village"]])


class PickupsOnward:
    """Pickups a vehicle brought back go on to one queue: a park's, or the county's trunk returns."""

    def __init__(self, queue: ReadyQueue, site: int | None) -> None:
        self.queue = queue
        self.site = site
        """Where they wait next (a town station's site), or None when the next queue has no sites."""

    def __call__(self, pickups: Columns, time_h: float) -> None:
        """Pickups unloaded at ``time_h`` are ready there from then on."""
        count = row_count(pickups)
        pickups["ready_h"] = np.full(count, time_h)
        if self.site is not None:
            pickups["site"] = np.full(count, self.site, dtype=np.int32)
        self.queue.push(pickups)


def place_pickups(
    flows: Flows, pickups: Columns, pickup_queues: list[ReadyQueue], by_bus: PickupFilter | None = None
) -> None:
    """New pickups wait at their collector's site, in the queue of the point whose vehicles collect them.

    ``by_bus`` first takes those that ride bus lines from their village (``engine/bus.py``).
    """
    if by_bus is not None:
        pickups = by_bus(pickups)
    village, carrier = pickups["village"], pickups["carrier"]
    pickups["site"] = flows.collector_site[village, carrier].astype(np.int32)
    split_into(pickup_queues, pickups, flows.collector_point[village, carrier])
