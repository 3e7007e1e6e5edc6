"""The exact vectorised FIFO formula of a sorting line (DESIGN.md §3); departures load by FIFO prefixes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simnet.engine.capacity import CapacityCurve

FloatArray = NDArray[np.float64]


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
