"""Exact vectorised FIFO formulas (DESIGN.md §3): a line's finish times and loading onto departures."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simnet.engine.capacity import CapacityCurve

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass
class FifoLine:
    """A FIFO sorting line fed in time order, batch after batch; remembers where its work stands.

    With C the cumulative capacity and arrivals a_0 ≤ a_1 ≤ …, parcel i finishes when C reaches
    D_i = max(C(a_i), D_{i-1}) + 1, i.e. D_i = i + 1 + max(D_{-1}, max_{j≤i}(C(a_j) − j)), which one
    ``maximum.accumulate`` computes for a whole batch.
    """

    curve: CapacityCurve
    done_units: float = 0.0

    def process(self, arrivals_h: FloatArray) -> FloatArray:
        """Finish times of a batch whose arrivals are sorted and not before earlier batches'."""
        count = len(arrivals_h)
        if count == 0:
            return np.empty(0, dtype=np.float64)
        offsets = np.arange(count, dtype=np.float64)
        reach = np.maximum.accumulate(self.curve.at(arrivals_h) - offsets)
        units = offsets + 1 + np.maximum(reach, self.done_units)
        self.done_units = float(units[-1])
        return self.curve.inverse(units)


def board(ready_h: FloatArray, departures_h: FloatArray, capacities: IntArray, already: int = 0) -> IntArray:
    """Which departure each parcel takes, FIFO; -1 for parcels left behind.

    Parcels (sorted by ready time) board departures k at times T_k with capacities Q_k: with R(t)
    the parcels ready by t, B_k = min(B_{k−1} + Q_k, R(T_k)) have boarded after k, and parcel i
    takes the first k with B_k ≥ i + 1. ``already`` parcels at the front boarded earlier.
    """
    ready_counts = np.searchsorted(ready_h, departures_h, side="right")
    boarded = np.empty(len(departures_h), dtype=np.int64)
    total = already
    for k, (capacity, ready) in enumerate(zip(capacities, ready_counts, strict=True)):
        total = min(total + int(capacity), max(total, int(ready)))
        boarded[k] = total
    choice = np.searchsorted(boarded, np.arange(len(ready_h)) + 1, side="left")
    choice[np.arange(len(ready_h)) < already] = -1
    choice[choice >= len(departures_h)] = -1
    return choice.astype(np.int64)
