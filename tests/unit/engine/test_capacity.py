"""C(t), its inverse and outages: the cumulative capacity curve of a sorting line (DESIGN.md §3)."""

import numpy as np
import pytest

from simnet.engine.capacity import CapacityCurve, RateSegment, subtract_outages

# 10 parcels/h on [2, 5) and 20 parcels/h on [8, 9), nothing elsewhere, horizon 12 h.
# By hand: C = 0 up to 2 h, rises 10/h to C(5) = 3 h × 10 = 30, flat to 8 h, rises 20/h to
# C(9) = 30 + 1 h × 20 = 50, flat to 12 h.
TWO_SEGMENTS = (RateSegment(2.0, 5.0, 10.0), RateSegment(8.0, 9.0, 20.0))


@pytest.fixture
def curve() -> CapacityCurve:
    return CapacityCurve.from_segments(TWO_SEGMENTS, horizon_h=12.0)


def test_curve_values_by_hand(curve: CapacityCurve) -> None:
    """C(t) is 0 before the first segment, linear inside segments, flat between, 50 at the end."""
    times = np.array([0.0, 1.0, 2.0, 3.5, 5.0, 6.5, 8.0, 8.5, 9.0, 10.0, 12.0])
    # 3.5 h: 1.5 h × 10 = 15; 8.5 h: 30 + 0.5 h × 20 = 40.
    expected = np.array([0.0, 0.0, 0.0, 15.0, 30.0, 30.0, 30.0, 40.0, 50.0, 50.0, 50.0])
    np.testing.assert_allclose(curve.at(times), expected, rtol=0, atol=1e-12)
    assert curve.total == 50.0
    assert curve.horizon_h == 12.0


def test_curve_beyond_horizon_is_total(curve: CapacityCurve) -> None:
    """Past the horizon C stays at the total capacity (no work is counted after it)."""
    np.testing.assert_array_equal(curve.at(np.array([12.0, 13.0, 1e6])), [50.0, 50.0, 50.0])


def test_segment_order_does_not_matter() -> None:
    """Segments given out of time order build the same curve."""
    forward = CapacityCurve.from_segments(TWO_SEGMENTS, 12.0)
    backward = CapacityCurve.from_segments(TWO_SEGMENTS[::-1], 12.0)
    np.testing.assert_array_equal(forward.time_h, backward.time_h)
    np.testing.assert_array_equal(forward.cumulative, backward.cumulative)


def test_segments_are_clipped_to_horizon() -> None:
    """A segment crossing the horizon only counts up to it; one after it counts nothing."""
    # [10, 14) at 5/h clipped to [10, 12): 2 h × 5 = 10; [13, 15) lies past the horizon.
    curve = CapacityCurve.from_segments([RateSegment(10.0, 14.0, 5.0), RateSegment(13.0, 15.0, 7.0)], 12.0)
    assert curve.total == 10.0
    assert curve.horizon_h == 12.0
    assert curve.at(11.0) == pytest.approx(5.0)


def test_adjacent_segments_join_without_a_flat_piece() -> None:
    """Back-to-back segments with different rates give a kinked curve with no gap at the joint."""
    # [0, 4) at 10/h then [4, 6) at 30/h: C(4) = 40, C(5) = 70, C(6) = 100.
    curve = CapacityCurve.from_segments([RateSegment(0.0, 4.0, 10.0), RateSegment(4.0, 6.0, 30.0)], 6.0)
    np.testing.assert_allclose(curve.at(np.array([2.0, 4.0, 5.0, 6.0])), [20.0, 40.0, 70.0, 100.0])
    np.testing.assert_allclose(curve.inverse(np.array([40.0, 70.0, 100.0])), [4.0, 5.0, 6.0])


def test_zero_rate_and_empty_segments_are_ignored() -> None:
    """Segments with rate 0 or no length add no capacity and no breakpoints that change C."""
    curve = CapacityCurve.from_segments(
        [RateSegment(1.0, 3.0, 0.0), RateSegment(4.0, 4.0, 9.0), RateSegment(5.0, 6.0, 2.0)], 8.0
    )
    np.testing.assert_allclose(curve.at(np.array([3.0, 4.5, 5.0, 5.5, 6.0, 8.0])), [0, 0, 0, 1, 2, 2])


def test_inverse_inside_segments(curve: CapacityCurve) -> None:
    """C⁻¹ of values reached inside a segment interpolates linearly: 15 → 3.5 h, 40 → 8.5 h."""
    np.testing.assert_allclose(curve.inverse(np.array([15.0, 40.0])), [3.5, 8.5], rtol=0, atol=1e-12)


def test_inverse_at_segment_end_returns_that_end(curve: CapacityCurve) -> None:
    """A value reached exactly at a segment's end gives that end, not the start of the next segment."""
    # C first reaches 30 at 5 h (it stays 30 until 8 h); 50 first at 9 h.
    np.testing.assert_allclose(curve.inverse(np.array([30.0, 50.0])), [5.0, 9.0], rtol=0, atol=1e-12)


def test_inverse_just_above_a_flat_stretch_jumps_to_next_segment(curve: CapacityCurve) -> None:
    """A value just above a plateau is reached just after the next segment starts: 30 + ε → 8 h + ε/20."""
    eps = 1e-6
    np.testing.assert_allclose(curve.inverse(np.array([30.0 + eps])), [8.0 + eps / 20.0], rtol=0, atol=1e-12)


def test_inverse_of_zero_is_start(curve: CapacityCurve) -> None:
    """C reaches 0 at once, so C⁻¹(0) is the curve's start, 0 h."""
    assert curve.inverse(np.array([0.0]))[0] == 0.0


def test_inverse_past_total_is_inf(curve: CapacityCurve) -> None:
    """Values above the total capacity (50) are never reached within the horizon: inf."""
    result = curve.inverse(np.array([50.0 + 1e-9, 51.0, 1e9]))
    assert np.all(np.isinf(result))


def test_inverse_inverts_at_on_many_segments() -> None:
    """C(C⁻¹(u)) = u for sorted u in [0, total], on a curve with 20 random segments and gaps."""
    rng = np.random.default_rng(np.random.SeedSequence(11))
    edges = np.sort(rng.uniform(0, 100, 40))
    segments = [RateSegment(a, b, r) for a, b, r in zip(edges[::2], edges[1::2], rng.uniform(1, 50, 20), strict=True)]
    curve = CapacityCurve.from_segments(segments, 100.0)
    units = np.sort(rng.uniform(0, curve.total, 500))
    times = curve.inverse(units)
    assert times.shape == units.shape
    assert np.all(np.diff(times) >= 0)
    np.testing.assert_allclose(curve.at(times), units, rtol=1e-12, atol=1e-9)
    # Each answer is the first time C reaches the value: a hair earlier C is still below it.
    assert np.all(curve.at(times - 1e-9) < units)


def test_inverse_of_no_values() -> None:
    """An empty array of values gives an empty array of times."""
    assert CapacityCurve.from_segments(TWO_SEGMENTS, 12.0).inverse(np.empty(0)).shape == (0,)


def test_subtract_half_rate_outage() -> None:
    """An outage losing half the rate for 2 h of a 10 h, 100/h segment removes 2 × 50 = 100 parcels."""
    segments = subtract_outages([RateSegment(0.0, 10.0, 100.0)], [(2.0, 4.0, 0.5)])
    assert segments == [RateSegment(0.0, 2.0, 100.0), RateSegment(2.0, 4.0, 50.0), RateSegment(4.0, 10.0, 100.0)]
    curve = CapacityCurve.from_segments(segments, 10.0)
    # C(2) = 200, C(4) = 200 + 2 × 50 = 300, C(10) = 300 + 6 × 100 = 900.
    np.testing.assert_allclose(curve.at(np.array([2.0, 3.0, 4.0, 10.0])), [200.0, 250.0, 300.0, 900.0])


def test_outage_outside_working_time_changes_nothing() -> None:
    """An outage while the line is off shift removes no capacity."""
    shifts = [RateSegment(0.0, 8.0, 10.0), RateSegment(16.0, 24.0, 10.0)]
    with_outage = CapacityCurve.from_segments(subtract_outages(shifts, [(9.0, 15.0, 1.0)]), 24.0)
    plain = CapacityCurve.from_segments(shifts, 24.0)
    np.testing.assert_allclose(with_outage.at(np.arange(25.0)), plain.at(np.arange(25.0)))


def test_outage_across_a_gap_cuts_both_sides() -> None:
    """A full outage from 6 h to 18 h removes [6, 8) and [16, 18) of two 10/h shifts: 160 − 40 = 120."""
    shifts = [RateSegment(0.0, 8.0, 10.0), RateSegment(16.0, 24.0, 10.0)]
    curve = CapacityCurve.from_segments(subtract_outages(shifts, [(6.0, 18.0, 1.0)]), 24.0)
    assert curve.total == pytest.approx(120.0)
    assert curve.at(6.0) == pytest.approx(60.0)
    assert curve.at(18.0) == pytest.approx(60.0)


def test_overlapping_outages_add_their_shares_and_floor_at_zero() -> None:
    """Two overlapping half-rate outages stop the line where they overlap; shares above 1 lose no more."""
    # [0, 10) at 40/h; outages (2, 6, 0.5), (4, 8, 0.5) and (5, 6, 0.5): rates 40, 20 on [2, 4),
    # 0 on [4, 6) (shares 1 and 1.5), 20 on [6, 8), 40 on [8, 10): total 80 + 40 + 0 + 40 + 80 = 240.
    segments = subtract_outages([RateSegment(0.0, 10.0, 40.0)], [(2.0, 6.0, 0.5), (4.0, 8.0, 0.5), (5.0, 6.0, 0.5)])
    assert all(s.rate_per_h > 0 for s in segments)
    curve = CapacityCurve.from_segments(segments, 10.0)
    assert curve.total == pytest.approx(240.0)
    assert curve.at(4.0) == pytest.approx(120.0)
    assert curve.at(6.0) == pytest.approx(120.0)
