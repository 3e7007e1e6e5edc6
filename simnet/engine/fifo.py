"""The exact vectorised FIFO formula of a sorting line (DESIGN.md §3); departures load by FIFO prefixes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simnet.engine.capacity import CapacityCurve

FloatArray = NDArray[np.float64]

BLOCK_ROWS = 1 << 16
"""Parcels worked at once: blocks that fit the processor's cache."""


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
        """Finish times of a batch whose arrivals are sorted and not before earlier batches'.

        Worked in blocks of ``BLOCK_ROWS`` in place in the result, so a day at the hub stays in the
        cache and makes no array of its size but the result; the running maximum carries over blocks.
        """
        count = len(arrivals_h)
        done_h = np.empty(count, dtype=np.float64)
        steps = np.arange(min(count, BLOCK_ROWS), dtype=np.float64)
        offsets = np.empty_like(steps)
        reach = self.done_units
        for start in range(0, count, BLOCK_ROWS):
            stop = min(start + BLOCK_ROWS, count)
            block = done_h[start:stop]
            offset = np.add(steps[: stop - start], start, out=offsets[: stop - start])
            self.curve.at_sorted(arrivals_h[start:stop], out=block)
            block -= offset
            block[0] = max(block[0], reach)  # the running maximum goes on from earlier blocks and batches
            np.maximum.accumulate(block, out=block)
            reach = float(block[-1])
            offset += 1
            block += offset
            self.done_units = float(block[-1])
            self.curve.inverse(block, out=block)
        return done_h
