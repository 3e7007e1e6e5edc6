"""Cumulative processing capacity C(t) of a sorting line: shifts and outages make it piecewise linear.

The FIFO formulas of DESIGN.md §3 need C and its inverse: C(t) is the number of parcels the line
could have finished by time t, counted from the start of the simulation.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class RateSegment:
    """A working period: ``rate_per_h`` parcels per hour from ``start_h`` to ``end_h``."""

    start_h: float
    end_h: float
    rate_per_h: float


@dataclass(frozen=True)
class CapacityCurve:
    """C(t) as breakpoints: ``cumulative[k]`` parcels of capacity by ``time_h[k]``, linear between."""

    time_h: FloatArray
    cumulative: FloatArray

    @classmethod
    def from_segments(cls, segments: Iterable[RateSegment], horizon_h: float) -> CapacityCurve:
        """Build C(t) on [0, horizon_h] from non-overlapping working segments (rate 0 elsewhere)."""
        points_h = [0.0]
        totals = [0.0]
        for segment in sorted(segments, key=lambda s: s.start_h):
            start_h = min(max(segment.start_h, points_h[-1]), horizon_h)
            end_h = min(max(segment.end_h, start_h), horizon_h)
            if end_h <= start_h or segment.rate_per_h <= 0:
                continue
            if start_h > points_h[-1]:
                points_h.append(start_h)
                totals.append(totals[-1])
            points_h.append(end_h)
            totals.append(totals[-1] + (end_h - start_h) * segment.rate_per_h)
        if points_h[-1] < horizon_h:
            points_h.append(horizon_h)
            totals.append(totals[-1])
        return cls(np.asarray(points_h, dtype=np.float64), np.asarray(totals, dtype=np.float64))

    @property
    def horizon_h(self) -> float:
        """The last time the curve is defined for."""
        return float(self.time_h[-1])

    @property
    def total(self) -> float:
        """Capacity over the whole horizon."""
        return float(self.cumulative[-1])

    def at(self, time_h: FloatArray | float) -> FloatArray:
        """C(t): capacity accumulated by each time."""
        return np.asarray(np.interp(time_h, self.time_h, self.cumulative), dtype=np.float64)

    def at_sorted(self, time_h: FloatArray, out: FloatArray) -> FloatArray:
        """C(t) of times sorted ascending, written into ``out``: each linear piece of C on its slice of the times.

        The same arithmetic as ``at`` (``np.interp``: slope × (t − t0) + c0), without a search per time.
        """
        bounds = np.searchsorted(time_h, self.time_h, side="left").tolist()
        out[: bounds[0]] = self.cumulative[0]
        for piece in range(len(self.time_h) - 1):
            first, last = bounds[piece], bounds[piece + 1]
            if last == first:
                continue
            c0, c1 = self.cumulative[piece], self.cumulative[piece + 1]
            t0, t1 = self.time_h[piece], self.time_h[piece + 1]
            units = np.subtract(time_h[first:last], t0, out=out[first:last])
            units *= (c1 - c0) / (t1 - t0)
            units += c0
        out[bounds[-1] :] = self.cumulative[-1]
        return out

    def inverse(self, units: FloatArray, out: FloatArray | None = None) -> FloatArray:
        """The first time C reaches each value (values sorted ascending); ``inf`` past the horizon.

        A value reached exactly at the end of a working stretch maps to that end; one just above
        it maps into the next working stretch. Sorted values let each linear piece of C be
        inverted on a contiguous slice: one pass over the values, no per-value search. ``out``
        (which may be ``units`` itself) receives the times instead of a new array.
        """
        units = np.asarray(units, dtype=np.float64)
        result = np.empty(units.shape) if out is None else out
        bounds = np.searchsorted(units, self.cumulative, side="right")
        result[: bounds[0]] = self.time_h[0]
        for piece in range(1, len(self.cumulative)):
            first, last = bounds[piece - 1], bounds[piece]
            if last == first:
                continue
            c0, c1 = self.cumulative[piece - 1], self.cumulative[piece]
            t0, t1 = self.time_h[piece - 1], self.time_h[piece]
            times_h = np.subtract(units[first:last], c0, out=result[first:last])
            times_h *= (t1 - t0) / (c1 - c0)
            times_h += t0
        result[bounds[-1] :] = np.inf
        return result


def subtract_outages(
    segments: Sequence[RateSegment], outages: Sequence[tuple[float, float, float]]
) -> list[RateSegment]:
    """Lower the rate during outages: each ``(start_h, end_h, lost_share)`` removes that share of the rate."""
    cuts = sorted({t for s in segments for t in (s.start_h, s.end_h)} | {t for o in outages for t in o[:2]})
    result: list[RateSegment] = []
    for left, right in itertools.pairwise(cuts):
        middle = (left + right) / 2
        rate = sum(s.rate_per_h for s in segments if s.start_h <= middle < s.end_h)
        if rate <= 0:
            continue
        lost = sum(share for start, end, share in outages if start <= middle < end)
        remaining = rate * max(0.0, 1.0 - lost)
        if remaining > 0:
            result.append(RateSegment(left, right, remaining))
    return result
