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
    pickups_at_hub: int = 0
    """Measured pickups that left the model at this hub (reached it, or departed on its line-haul) by the end."""
    arrivals_by_hour: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    sorted_by_hour: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        self.arrivals_by_hour = np.zeros(self.hours)
        self.sorted_by_hour = np.zeros(self.hours)

    def record_day(
        self,
        arrival_h: NDArray[np.float64],
        done_h: NDArray[np.float64],
        rural: NDArray[np.bool_],
        measured: slice,
        end_h: float,
        queue_max: int,
    ) -> None:
        """Count a day's arrivals (in time order, one FIFO line): the measured, sorted by ``end_h``, waits, hours."""
        arrived_h, finish_h, rural_inside = arrival_h[measured], done_h[measured], rural[measured]
        by_end = int(np.searchsorted(finish_h, end_h, side="right"))
        self.parcels_in += len(arrived_h)
        self.rural_in += int(np.count_nonzero(rural_inside))
        self.sorted_by_end += by_end
        self.wait_sum_h += float((finish_h[:by_end] - arrived_h[:by_end]).sum())
        self.urban_delivered += by_end - int(np.count_nonzero(rural_inside[:by_end]))
        self.urban_backlog += int(np.count_nonzero(~rural_inside[by_end:]))
        self.queue_max = max(self.queue_max, queue_max)
        hours = np.arange(self.hours + 1, dtype=np.float64)
        hours[-1] = np.inf  # the last hour also counts what arrives after the end
        self.arrivals_by_hour += np.diff(np.searchsorted(arrival_h, hours, side="left"))
        hours[-1] = end_h
        self.sorted_by_hour += np.diff(np.searchsorted(done_h, hours, side="left"))

    def record_pickups_out(self, measured_count: int, time_h: float, end_h: float) -> None:
        """Count measured pickups leaving the model at this hub at ``time_h`` (those by the end)."""
        if time_h <= end_h:
            self.pickups_at_hub += measured_count
