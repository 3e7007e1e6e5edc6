"""The city hub: shifts as rate segments, breakdown outages, C(t) of the hub and its queue counts."""

import numpy as np
import pytest
from pydantic import ValidationError

from simnet.engine.capacity import CapacityCurve, RateSegment
from simnet.engine.fifo import FifoLine
from simnet.engine.hub import CityHub, breakdown_outages, hub_curve, shift_segments
from simnet.engine.streams import RandomStreams
from simnet.scenario.models.distributions import Constant
from simnet.scenario.models.facilities import Breakdowns, Hub, Shift

NIGHT_AND_DAY = (Shift(start_h=18, end_h=28), Shift(start_h=6, end_h=16, capacity_share=0.5))


def test_shift_segments_by_day_with_night_shift_crossing_midnight() -> None:
    """Each day repeats the shifts, offset by 24 h, from the evening before day 0; 18–28 h runs to 04:00."""
    segments = shift_segments(NIGHT_AND_DAY, 100.0, 2)
    assert segments == [
        RateSegment(-6.0, 4.0, 100.0),
        RateSegment(-18.0, -8.0, 50.0),
        RateSegment(18.0, 28.0, 100.0),
        RateSegment(6.0, 16.0, 50.0),
        RateSegment(42.0, 52.0, 100.0),
        RateSegment(30.0, 40.0, 50.0),
    ]


def test_hub_curve_by_hand() -> None:
    """400 parcels a day over 10 h at share 1 and 10 h at share 0.5: full rate 400 / 15 per hour."""
    hub = Hub(capacity_per_day=400, shifts=NIGHT_AND_DAY)
    rate = 400 / 15
    curve = hub_curve(hub, 2, RandomStreams(1, 0))
    # The night shift begun at 18:00 the evening before runs 00:00–04:00 of day 0: C(4) = 4 h × rate;
    # C(16) = C(4) + 10 h × rate / 2; C(24) = + 6 h × rate (18:00–24:00); C(28) = + 4 h × rate;
    # C(40) = + 5 rate; C(48) = + 6 rate, cut at the horizon 48 h.
    times = np.array([4.0, 16.0, 24.0, 28.0, 40.0, 48.0])
    expected = np.array([4 * rate, 9 * rate, 15 * rate, 19 * rate, 24 * rate, 30 * rate])
    np.testing.assert_allclose(curve.at(times), expected, rtol=1e-12)
    assert curve.horizon_h == 48.0
    assert curve.at(28.0) - curve.at(4.0) == pytest.approx(hub.daily_capacity)


def test_breakdown_outages_constant_times_by_hand() -> None:
    """Up 5 h, down 1 h, repeated per line: outages start at 5, 11, 17 h before a 20 h horizon."""
    breakdowns = Breakdowns(time_between_failures_h=Constant(value=5.0), repair_time_h=Constant(value=1.0))
    outages = breakdown_outages(breakdowns, 2, 20.0, np.random.default_rng(0))
    one_line = [(5.0, 6.0, 0.5), (11.0, 12.0, 0.5), (17.0, 18.0, 0.5)]
    assert outages == one_line + one_line


def test_hub_curve_with_breakdowns_by_hand() -> None:
    """Two 10/h lines both down 1 h in every 6 from 5 h: 4 outage hours in day 0, C(24) = 20 × 20 = 400."""
    hub = Hub(
        sorting_lines=2,
        line_rate_per_h=10.0,
        shifts=(Shift(start_h=0, end_h=24),),
        breakdowns=Breakdowns(time_between_failures_h=Constant(value=5.0), repair_time_h=Constant(value=1.0)),
    )
    curve = hub_curve(hub, 1, RandomStreams(1, 0))
    # Outages [5, 6), [11, 12), [17, 18), [23, 24) on both lines (share 1/2 each): rate 0 there.
    np.testing.assert_allclose(curve.at(np.array([5.0, 6.0, 11.0, 24.0])), [100.0, 100.0, 200.0, 400.0])


def test_hub_curve_loses_one_line_rate_per_outage_hour() -> None:
    """Each outage takes its line's share (1/lines) of the rate: lost capacity = 10/h × outage hours, summed."""
    hub = Hub(
        sorting_lines=2,
        line_rate_per_h=10.0,
        shifts=(Shift(start_h=0, end_h=24),),
        breakdowns=Breakdowns(),
    )
    streams = RandomStreams(5, 0)
    curve = hub_curve(hub, 30, streams)
    outages = breakdown_outages(hub.breakdowns, 2, 24.0 * 30, streams.generator("breakdowns"))
    # Lost capacity: 10/h for each outage hour of each line (they are all inside the 24 h shifts).
    lost = sum(10.0 * (min(end, 720.0) - start) for start, end, _ in outages)
    assert len(outages) > 0
    assert curve.total == pytest.approx(20.0 * 720.0 - lost)


def test_breakdowns_need_time_between_failures() -> None:
    """Zero time between failures is refused by validation (the failure clock would never advance)."""
    with pytest.raises(ValidationError, match="time between failures must be positive"):
        Breakdowns(time_between_failures_h=Constant(value=0.0), repair_time_h=Constant(value=0.0))


def test_city_hub_sort_by_hand() -> None:
    """Rate 10/h from 0 h: finish times and the number inside after each arrival, over two batches."""
    curve = CapacityCurve.from_segments([RateSegment(0.0, 24.0, 10.0)], 24.0)
    hub = CityHub(FifoLine(curve))
    done, inside = hub.sort(np.array([0.0, 0.0, 0.05, 1.0]))
    # Each parcel takes 0.1 h: 0.1, 0.2, 0.3; the 1 h parcel finds an idle line → 1.1 h.
    np.testing.assert_allclose(done, [0.1, 0.2, 0.3, 1.1])
    assert inside.tolist() == [1, 2, 3, 1]
    done, inside = hub.sort(np.array([1.05, 2.0]))
    # At 1.05 h the 1 h parcel (done 1.1 h) is still inside: 2; it starts at 1.1 → 1.2 h. At 2 h: 1.
    np.testing.assert_allclose(done, [1.2, 2.1])
    assert inside.tolist() == [2, 1]
    empty_done, empty_inside = hub.sort(np.empty(0))
    assert len(empty_done) == len(empty_inside) == 0
    assert hub.sort(np.array([2.05]))[1].tolist() == [2]


def test_longest_queue_of_a_day_is_the_largest_length():
    """sort_day's maximum (by blocks) equals the largest of sort's lengths, over busy days with a backlog."""
    rng = np.random.default_rng(3)
    curve = CapacityCurve.from_segments([RateSegment(0.0, 200.0, 20_000.0)], 200.0)
    by_lengths, by_blocks = CityHub(FifoLine(curve)), CityHub(FifoLine(curve))
    for day in range(3):
        arrivals = 24.0 * day + np.sort(rng.random(600_000) * 24.0)
        measured = slice(1000, 590_000)
        done, lengths = by_lengths.sort(arrivals, measured)
        done_blocks, longest = by_blocks.sort_day(arrivals, measured)
        np.testing.assert_array_equal(done, done_blocks)
        assert longest == lengths.max()
