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


@dataclass
class CityHub:
    """The hub's line and the finish times of parcels still inside (for the queue length)."""

    line: FifoLine
    inside_done_h: FloatArray = field(default_factory=lambda: np.empty(0))

    def sort(self, arrivals_h: FloatArray) -> tuple[FloatArray, NDArray[np.int64]]:
        """Finish times of a day's arrivals, and the number inside the hub just after each arrival."""
        done_h = self.line.process(arrivals_h)
        earlier = len(self.inside_done_h) - np.searchsorted(self.inside_done_h, arrivals_h, side="right")
        current = np.arange(1, len(arrivals_h) + 1) - np.searchsorted(done_h, arrivals_h, side="right")
        if len(arrivals_h):
            still_inside = np.concatenate((self.inside_done_h, done_h))
            self.inside_done_h = still_inside[still_inside > arrivals_h[-1]]
        return done_h, (earlier + current).astype(np.int64)
