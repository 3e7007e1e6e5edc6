"""Demand listed by hand for hand-calculated tests: given rural parcels and one pickup, all on day 0."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class DayZeroDemand:
    """Rural parcels arriving at the hub at ``arrivals_h`` for ``villages`` (carrier 0 unless given), and one
    pickup of carrier 0 appearing at village 1 at ``pickup_h`` (none when None); nothing on later days."""

    arrivals_h: NDArray[np.float64]
    villages: NDArray[np.int32]
    carriers: NDArray[np.int16] = field(default_factory=lambda: np.zeros(0, dtype=np.int16))
    pickup_h: float | None = None

    def volume(self, day, streams):
        return len(self.arrivals_h) if day == 0 else 0

    def arrivals(self, day, count, streams):
        return self.arrivals_h.copy() if day == 0 else np.empty(0)

    def destinations(self, day, count, streams):
        carriers = self.carriers if len(self.carriers) else np.zeros(len(self.arrivals_h), dtype=np.int16)
        return np.ones(count, dtype=bool), {
            "carrier": carriers[:count].copy(),
            "village": self.villages[:count].copy(),
            "sampled": np.ones(count, dtype=bool),
        }

    def pickups(self, day, streams):
        count = 1 if day == 0 and self.pickup_h is not None else 0
        return {
            "appear_h": np.full(count, self.pickup_h if count else 0.0),
            "village": np.ones(count, dtype=np.int32),
            "carrier": np.zeros(count, dtype=np.int16),
        }
