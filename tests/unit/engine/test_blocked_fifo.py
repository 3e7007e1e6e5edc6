"""The FIFO line worked in blocks, in place: the very floats of the whole-batch formula (DESIGN.md §3)."""

import numpy as np
import pytest

from simnet.engine import fifo
from simnet.engine.capacity import CapacityCurve, RateSegment
from simnet.engine.fifo import FifoLine

HORIZON_H = 48.0


@pytest.fixture
def curve() -> CapacityCurve:
    """Two shifts with a gap: 300/h on [2, 20) h, 250/h on [26, 44) h."""
    return CapacityCurve.from_segments([RateSegment(2.0, 20.0, 300.0), RateSegment(26.0, 44.0, 250.0)], HORIZON_H)


def test_at_sorted_is_at_bit_for_bit(curve: CapacityCurve) -> None:
    """C of sorted times piece by piece gives np.interp's very floats, at breakpoints and past the ends too."""
    rng = np.random.default_rng(11)
    times = np.sort(np.concatenate((rng.uniform(-1.0, 50.0, 5000), curve.time_h, [-1.0, 48.0, 60.0])))
    np.testing.assert_array_equal(curve.at_sorted(times, np.empty_like(times)), curve.at(times))


def test_inverse_into_its_own_values(curve: CapacityCurve) -> None:
    """``inverse`` written over its input gives what it returns as a new array."""
    units = np.array([0.0, 15.0, 5400.0, 5400.5, 6000.0, 9900.0, 12_000.0])
    expected = curve.inverse(units)
    np.testing.assert_array_equal(curve.inverse(units, out=units), expected)


def test_blocks_give_the_whole_batch_formula_bit_for_bit(curve: CapacityCurve, monkeypatch: pytest.MonkeyPatch) -> None:
    """Working a batch in blocks (the running maximum carried over) changes no float of the result."""
    arrivals_h = np.sort(np.random.default_rng(3).uniform(0.0, 40.0, 10_000))
    done_units = 17.0
    offsets = np.arange(len(arrivals_h), dtype=np.float64)
    units = offsets + 1 + np.maximum(np.maximum.accumulate(curve.at(arrivals_h) - offsets), done_units)
    monkeypatch.setattr(fifo, "BLOCK_ROWS", 777)
    line = FifoLine(curve, done_units=done_units)
    np.testing.assert_array_equal(line.process(arrivals_h), curve.inverse(units))
    assert line.done_units == units[-1]
    assert len(line.process(np.empty(0))) == 0
    assert line.done_units == units[-1]
