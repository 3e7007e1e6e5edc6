"""FifoLine against a brute-force, one-parcel-at-a-time loop (DESIGN.md §3).

Hypothesis draws times on a grid of 1, 1/2 or 1/8 h and rates in halves of a parcel per hour, so C(t) and
the FIFO sums are exact in binary floating point: ties (a parcel needing exactly the capacity left
in a segment, a departure at a parcel's ready time) are then decided the same way by both sides
instead of by rounding. A second test uses continuous random values, where ties have probability 0.
"""

import itertools
import math
from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simnet.engine.capacity import CapacityCurve, RateSegment
from simnet.engine.fifo import FifoLine

HORIZON_H = 48.0
TOLERANCE_H = 1e-9


UNIT_SLACK = 1e-12
"""Float slack in capacity units: three thirds of an hour at 3/h add up to 0.999…9, not 1."""


def brute_force_finish(arrivals_h: Sequence[float], segments: Sequence[RateSegment]) -> list[float]:
    """Single server, one parcel at a time: each needs 1 unit of capacity at the segment's rate.

    Work on a parcel stops when a segment ends and resumes at the next one (preemptive resume);
    a parcel that cannot get its unit before the last segment ends never finishes (inf).
    """
    ordered = sorted(segments, key=lambda s: s.start_h)
    finish_h: list[float] = []
    free_h = 0.0
    for arrival_h in arrivals_h:
        time_h = max(arrival_h, free_h)
        remaining = 1.0
        done_h = math.inf
        for segment in ordered:
            if segment.end_h <= time_h or segment.rate_per_h <= 0:
                continue
            begin_h = max(segment.start_h, time_h)
            available = (segment.end_h - begin_h) * segment.rate_per_h
            if available >= remaining - UNIT_SLACK:
                done_h = min(begin_h + remaining / segment.rate_per_h, segment.end_h)
                break
            remaining -= available
            time_h = segment.end_h
        finish_h.append(done_h)
        free_h = done_h
    return finish_h


GRIDS = (1, 2, 8)
"""Times are multiples of 1, 1/2 or 1/8 h; coarse grids with whole rates make ties frequent."""


@st.composite
def shift_patterns(draw: st.DrawFn) -> list[RateSegment]:
    """Non-overlapping working segments in [0, 48] h, with gaps, at rates of 0.5–12 parcels/h."""
    grid = draw(st.sampled_from(GRIDS))
    edges = draw(st.lists(st.integers(0, int(HORIZON_H) * grid), min_size=2, max_size=16, unique=True))
    edges = sorted(edges)
    if len(edges) % 2:
        edges = edges[:-1]
    rates = draw(st.lists(st.integers(1, 24), min_size=len(edges) // 2, max_size=len(edges) // 2))
    return [
        RateSegment(start / grid, end / grid, rate / 2)
        for start, end, rate in zip(edges[::2], edges[1::2], rates, strict=True)
    ]


@st.composite
def grid_arrivals(draw: st.DrawFn) -> list[float]:
    """Up to 80 sorted arrival times in [0, 56] h, past the 48 h horizon too (those never finish)."""
    grid = draw(st.sampled_from(GRIDS))
    return sorted(x / grid for x in draw(st.lists(st.integers(0, 56 * grid), max_size=80)))


@settings(max_examples=300, deadline=None)
@given(segments=shift_patterns(), arrivals_h=grid_arrivals())
def test_fifo_line_matches_brute_force_on_grid(segments: list[RateSegment], arrivals_h: list[float]) -> None:
    """FIFO finish times from one maximum.accumulate equal the per-parcel server loop (ties included)."""
    curve = CapacityCurve.from_segments(segments, HORIZON_H)
    got = FifoLine(curve).process(np.asarray(arrivals_h, dtype=np.float64))
    expected = brute_force_finish(arrivals_h, segments)
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOLERANCE_H)


def test_fifo_line_matches_brute_force_continuous() -> None:
    """On random real-valued shifts, rates and Poisson-like arrivals, the formula equals the loop to 1e-9 h."""
    rng = np.random.default_rng(np.random.SeedSequence(20240601))
    for _ in range(150):
        edges = np.sort(rng.uniform(0, HORIZON_H, 2 * int(rng.integers(1, 9))))
        rates = rng.uniform(0.3, 30.0, len(edges) // 2)
        segments = [RateSegment(a, b, r) for a, b, r in zip(edges[::2], edges[1::2], rates, strict=True)]
        arrivals_h = np.sort(rng.uniform(0, 52.0, int(rng.integers(0, 120))))
        got = FifoLine(CapacityCurve.from_segments(segments, HORIZON_H)).process(arrivals_h)
        expected = brute_force_finish(arrivals_h.tolist(), segments)
        np.testing.assert_allclose(got, expected, rtol=0, atol=TOLERANCE_H)


@settings(max_examples=200, deadline=None)
@given(
    segments=shift_patterns(),
    arrivals_h=grid_arrivals(),
    cuts=st.lists(st.integers(0, 80), max_size=5),
)
def test_batches_equal_one_batch(segments: list[RateSegment], arrivals_h: list[float], cuts: list[int]) -> None:
    """Feeding arrivals in several batches gives the finish times of one batch (state kept in done_units)."""
    curve = CapacityCurve.from_segments(segments, HORIZON_H)
    arrivals = np.asarray(arrivals_h, dtype=np.float64)
    whole = FifoLine(curve).process(arrivals)
    line = FifoLine(curve)
    bounds = [0, *sorted(min(c, len(arrivals)) for c in cuts), len(arrivals)]
    parts = [line.process(arrivals[a:b]) for a, b in itertools.pairwise(bounds)]
    np.testing.assert_allclose(np.concatenate(parts), whole, rtol=0, atol=TOLERANCE_H)


def test_done_units_is_capacity_used_by_last_parcel() -> None:
    """After a batch, done_units = C(finish of the last parcel): 10/h from 0 h, 3 parcels at 0 h → 3."""
    curve = CapacityCurve.from_segments([RateSegment(0.0, 10.0, 10.0)], 10.0)
    line = FifoLine(curve)
    done = line.process(np.zeros(3))
    np.testing.assert_allclose(done, [0.1, 0.2, 0.3])
    assert line.done_units == 3.0
    # An idle line does not bank capacity: a parcel at 5 h finishes at 5.1 h (C(5) + 1 = 51 units).
    np.testing.assert_allclose(line.process(np.array([5.0])), [5.1])
    assert line.done_units == 51.0


def test_parcels_waiting_overnight_finish_next_shift() -> None:
    """Parcels left at a shift's end are finished at the next shift's rate: 5 parcels, 2 fit today."""
    # 2/h on [0, 1) then 4/h on [24, 25): parcels 1–2 at 0.5 h, 1 h; parcels 3–5 at 24.25, 24.5, 24.75 h.
    curve = CapacityCurve.from_segments([RateSegment(0.0, 1.0, 2.0), RateSegment(24.0, 25.0, 4.0)], 48.0)
    np.testing.assert_allclose(FifoLine(curve).process(np.zeros(5)), [0.5, 1.0, 24.25, 24.5, 24.75])


def test_parcel_using_the_last_capacity_of_a_shift_finishes_at_its_end() -> None:
    """A parcel needing exactly the capacity left in a shift finishes at the shift's end, not the next start."""
    # 1/h on [0, 1) and [2, 3): the first parcel takes all of [0, 1) → 1 h; the second waits to 3 h.
    curve = CapacityCurve.from_segments([RateSegment(0.0, 1.0, 1.0), RateSegment(2.0, 3.0, 1.0)], 4.0)
    np.testing.assert_array_equal(FifoLine(curve).process(np.zeros(2)), [1.0, 3.0])


def test_empty_batch_keeps_state() -> None:
    """An empty batch returns no times and leaves done_units unchanged."""
    line = FifoLine(CapacityCurve.from_segments([RateSegment(0.0, 1.0, 5.0)], 2.0), done_units=2.0)
    assert line.process(np.empty(0)).shape == (0,)
    assert line.done_units == 2.0
