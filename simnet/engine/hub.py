"""The city sorting hub: a FIFO line at a time-varying rate (shifts, breakdowns) fed a day at a time."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from simnet.engine.capacity import CapacityCurve, RateSegment, subtract_outages
from simnet.engine.fifo import FifoLine
from simnet.engine.streams import RandomStreams
from simnet.scenario.models.distributions import Constant, Exponential, LogNormal, Uniform
from simnet.scenario.models.facilities import Breakdowns, Hub, Shift

FloatArray = NDArray[np.float64]


def shift_segments(shifts: tuple[Shift, ...], full_rate_per_h: float, days: int) -> list[RateSegment]:
    """The working segments of a line over ``days`` days, with the night shift begun the evening before day 0.

    The run starts at midnight with the line working as on any other night (its queue empty).
    """
    return [
        RateSegment(24.0 * day + shift.start_h, 24.0 * day + shift.end_h, full_rate_per_h * shift.capacity_share)
        for day in range(-1, days)
        for shift in shifts
    ]


def draw(distribution: Constant | Exponential | LogNormal | Uniform, rng: np.random.Generator) -> float:
    """One sample of a scenario distribution."""
    if isinstance(distribution, Constant):
        return distribution.value
    if isinstance(distribution, Exponential):
        return float(rng.exponential(distribution.mean))
    if isinstance(distribution, LogNormal):
        sigma2 = np.log1p(distribution.cv**2)
        return float(rng.lognormal(np.log(distribution.mean) - sigma2 / 2, np.sqrt(sigma2)))
    return float(rng.uniform(distribution.low, distribution.high))


def breakdown_outages(
    breakdowns: Breakdowns, lines: int, horizon_h: float, rng: np.random.Generator
) -> list[tuple[float, float, float]]:
    """Failure periods of each of ``lines`` lines (alternating up and repair times), as lost rate shares."""
    outages: list[tuple[float, float, float]] = []
    for _ in range(lines):
        time_h = draw(breakdowns.time_between_failures_h, rng)
        while time_h < horizon_h:
            repair_h = draw(breakdowns.repair_time_h, rng)
            outages.append((time_h, time_h + repair_h, 1.0 / lines))
            time_h += repair_h + draw(breakdowns.time_between_failures_h, rng)
    return outages


def hub_curve(hub: Hub, days: int, streams: RandomStreams) -> CapacityCurve:
    """C(t) of the hub over the whole run: shifts at the full rate, less the lines broken down."""
    horizon_h = 24.0 * days
    segments = shift_segments(hub.shifts, hub.full_rate_per_h, days + 1)
    if hub.breakdowns is not None:
        lines = hub.sorting_lines or 1
        outages = breakdown_outages(hub.breakdowns, lines, horizon_h, streams.generator("breakdowns"))
        segments = subtract_outages(segments, outages)
    return CapacityCurve.from_segments(segments, horizon_h)


QUEUE_BLOCK = 4096
"""Arrivals per block when looking for the longest hub queue of a day."""


@dataclass
class CityHub:
    """The hub's line and the finish times of parcels still inside (for the queue length)."""

    line: FifoLine
    inside_done_h: FloatArray = field(default_factory=lambda: np.empty(0))

    def sort(self, arrivals_h: FloatArray, measured: slice | None = None) -> tuple[FloatArray, NDArray[np.int64]]:
        """Finish times of a day's arrivals, and the number inside the hub just after each ``measured`` arrival.

        ``measured`` is a slice of the arrivals (all of them when None).
        """
        measured = slice(0, len(arrivals_h)) if measured is None else measured
        done_h = self.line.process(arrivals_h)
        lengths = self._lengths(arrivals_h, done_h, np.arange(measured.start, measured.stop))
        self._keep_inside(arrivals_h, done_h)
        return done_h, lengths

    def sort_day(self, arrivals_h: FloatArray, measured: slice) -> tuple[FloatArray, int]:
        """Finish times of a day's arrivals, and the most inside the hub just after a ``measured`` arrival (0: none).

        The same maximum as that of ``sort``'s lengths, found without computing every length: for a block
        of arrivals p … q − 1, no length exceeds q − k(a_p) + e(a_p) (at most q arrived, at least k(a_p)
        of today's and all but e(a_p) of earlier parcels left), while the length after its last arrival is
        exact; only blocks whose bound passes the best exact length are worked out in full.
        """
        done_h = self.line.process(arrivals_h)
        longest = self._longest(arrivals_h, done_h, measured.start, measured.stop)
        self._keep_inside(arrivals_h, done_h)
        return done_h, longest

    def _lengths(self, arrivals_h: FloatArray, done_h: FloatArray, index: NDArray[np.int64]) -> NDArray[np.int64]:
        """Parcels inside just after the day's arrivals ``index`` (increasing).

        Earlier parcels still inside plus today's arrived and not yet finished; both in time order, so
        counted by bisection.
        """
        arrived_h = arrivals_h[index]
        earlier = len(self.inside_done_h) - np.searchsorted(self.inside_done_h, arrived_h, side="right")
        current = index + 1 - np.searchsorted(done_h, arrived_h, side="right")
        return (earlier + current).astype(np.int64)

    def _longest(self, arrivals_h: FloatArray, done_h: FloatArray, start: int, stop: int) -> int:
        """The largest of the lengths after arrivals ``start`` … ``stop`` − 1, by blocks (see ``sort_day``)."""
        if stop <= start:
            return 0
        firsts = np.arange(start, stop, QUEUE_BLOCK)
        lasts = np.minimum(firsts + QUEUE_BLOCK, stop) - 1
        bounds = (lasts + 1) - np.searchsorted(done_h, arrivals_h[firsts], side="right")
        bounds += len(self.inside_done_h) - np.searchsorted(self.inside_done_h, arrivals_h[firsts], side="right")
        best = int(self._lengths(arrivals_h, done_h, lasts).max())
        for first, last in zip(firsts[bounds > best].tolist(), lasts[bounds > best].tolist(), strict=True):
            best = max(best, int(self._lengths(arrivals_h, done_h, np.arange(first, last + 1)).max()))
        return best

    def _keep_inside(self, arrivals_h: FloatArray, done_h: FloatArray) -> None:
        """Keep the finish times of parcels still inside after the day's last arrival.

        They are a tail of the earlier ones and of today's, as one FIFO line finishes parcels in arrival order.
        """
        if len(arrivals_h):
            last_h = arrivals_h[-1]
            self.inside_done_h = np.concatenate(
                (
                    self.inside_done_h[np.searchsorted(self.inside_done_h, last_h, side="right") :],
                    done_h[np.searchsorted(done_h, last_h, side="right") :],
                )
            )
