"""What each city hub measured: its sorting figures, the per-hub counterpart of the city's in ``ParcelStats``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from simnet.engine.keyed_uniforms import SEQ_PER_HUB
from simnet.engine.stats import LineUse

__all__ = ["SEQ_PER_HUB", "HubTally"]


@dataclass
class HubTally:
    """One hub's parcels in the window, their sorting, its longest queue and its line's use."""

    line: LineUse
    hours: int
    """Hours of the run, the length of the by-hour counts."""
    parcels_in: int = 0
    rural_in: int = 0
    sorted_by_end: int = 0
    wait_sum_h: float = 0.0
    urban_delivered: int = 0
    urban_backlog: int = 0
    queue_max: int = 0
    arrivals_by_hour: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    sorted_by_hour: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        self.arrivals_by_hour = np.zeros(self.hours)
        self.sorted_by_hour = np.zeros(self.hours)
