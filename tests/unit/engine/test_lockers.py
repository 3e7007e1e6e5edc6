"""Opening hours and smart lockers (``engine/lockers.py``), in both engines' implementations of the rule."""

from __future__ import annotations

import math

import numpy as np
import pytest
import simpy
from scipy import stats as scipy_stats

from simnet.engine.backlog import BACKLOG_TIERS, new_backlog
from simnet.engine.keyed_uniforms import UnitDraws
from simnet.engine.lockers import Lockers, LockerTally, collection_delays_h, is_open, next_opening_h
from simnet.engine.parcels import PARCEL_COLUMNS
from simnet.engine.reference.items import Parcel
from simnet.engine.reference.lockers import ReferenceLockers, next_opening, open_at
from simnet.engine.stats import ParcelStats
from simnet.scenario.models.distributions import Constant, Exponential
from simnet.scenario.models.points import PickupPoints

SITE = 0
DAY_POINT = PickupPoints(opening_hours=((8, 18),), locker_cells=2, collection_delay_h=Constant(value=10))
"""The hand-calculated point: open 08:00–18:00, two cells, every resident collects 10 h after availability."""

HAND_OVERS = (
    # (seq, hand-over h, available h): why
    (1, 10.0, 10.0),  # open: available at once, no cell
    (2, 19.0, 19.0),  # closed, both cells free: cell A until 29
    (3, 20.0, 20.0),  # closed, one cell free: cell B until 30
    (4, 21.0, 32.0),  # closed, A and B busy: waits for 08:00 next day (32 h)
    (6, 29.0, 32.0),  # closed; A freed at 29 goes to seq 5 (same instant, lower seq): waits for 32 h
    (5, 29.0, 29.0),  # closed; A, freed at exactly 29, is free at 29: cell A until 39
    (7, 31.0, 31.0),  # closed; B freed at 30: cell B until 41
    (8, 33.0, 33.0),  # open (09:00): available at once
    (9, 42.0, 42.0),  # 18:00 is closed ([8, 18)); A and B freed at 39 and 41: a cell until 52
)
OCCUPANCY = ((19, 20, 1), (20, 30, 2), (30, 31, 1), (31, 39, 2), (39, 41, 1), (41, 42, 0), (42, 52, 1))
"""Busy cells over time, (from h, until h, cells), written out from the hand-overs above."""
WINDOW_END_H = 48.0
"""Measured window [0, 48): the occupancy's integral inside it is 46 cell-hours (the last parcel's 10 h cut to 6)."""


def _stats() -> ParcelStats:
    """Statistics of one village over two measured days and one drain day, every parcel measured."""
    return ParcelStats(0.0, WINDOW_END_H, 72.0, 1, 1, 1, 2, county_of_village=np.zeros(1, dtype=np.int64))


def _tally(cells: int) -> LockerTally:
    """An empty tally of one point with ``cells`` cells over the measured window."""
    zeros = np.zeros(1, dtype=np.int64)
    return LockerTally(
        np.array([cells]), np.array([True]), WINDOW_END_H, zeros, zeros.copy(), zeros.copy(), np.zeros(1)
    )


def _columns(seq: list[int]) -> dict[str, np.ndarray]:
    """Parcel columns for the fast engine: hub arrival at 0 h (measured), sampled so their times can be read."""
    count = len(seq)
    columns = {name: np.zeros(count, dtype=kind) for name, kind in PARCEL_COLUMNS.items()}
    columns["seq"] = np.array(seq, dtype=np.int64)
    columns["sampled"] = np.ones(count, dtype=bool)
    return columns


def _busy_cells_at(time_h: float, delivered: dict[int, float]) -> int:
    """Cells busy at ``time_h`` by the engine's outcome: parcels left while closed and available at once hold a
    cell for the 10 h until collection."""
    in_cell = [
        handed_h for seq, handed_h, _ in HAND_OVERS if not _open_by_hand(handed_h) and delivered[seq] == handed_h
    ]
    return sum(handed_h <= time_h < handed_h + 10.0 for handed_h in in_cell)


def _open_by_hand(time_h: float) -> bool:
    """Whether the hand-calculated point is open: 08:00–18:00."""
    return 8.0 <= time_h % 24 < 18.0


def _occupancy_cell_h(end_h: float) -> float:
    """Cell-hours busy before ``end_h`` by the written-out occupancy."""
    return sum(cells * max(min(until_h, end_h) - from_h, 0.0) for from_h, until_h, cells in OCCUPANCY)


def test_hours_rule():
    """Open on [start, end) each day; when closed, the next opening is a later start today, else tomorrow's first."""
    points = PickupPoints(opening_hours=((7, 12), (14, 21)))
    times_h = np.array([6.9, 7.0, 12.0, 13.0, 21.0, 47.5])
    assert is_open(points, times_h).tolist() == [False, True, False, False, False, False]
    assert [open_at(points, time_h) for time_h in times_h] == [False, True, False, False, False, False]
    closed_h = times_h[[0, 2, 3, 4, 5]]
    expected_h = [7.0, 14.0, 14.0, 31.0, 55.0]
    assert next_opening_h(points, closed_h).tolist() == expected_h
    assert [next_opening(points, time_h) for time_h in closed_h] == expected_h


def test_hand_calculated_locker_fast_engine():
    """Two cells, closed 18:00–08:00: each parcel's availability, the busy cell-hours, the no-cell share and
    the backlog are those written out above, whatever order the trips' hand-overs come in."""
    stats = _stats()
    lockers = Lockers(stats, UnitDraws(1, 0, (0,)), _tally(2), {True: DAY_POINT, False: None})
    # Two trips, the later one's departure computed first: hand-overs do not come in time order.
    for rows in (HAND_OVERS[5:], HAND_OVERS[:5]):
        seq = [row[0] for row in rows]
        times_h = np.array([row[1] for row in rows])
        lockers.hand_over(
            _columns(seq), times_h, np.zeros(len(seq), dtype=np.int64), at_village=True, co_delivered=False
        )
    backlog = new_backlog(3)
    for day in (1, 2, 3):
        lockers.resolve_day(day, 3)
        lockers.count_waiting(backlog, day - 1)
    stats.flush()
    delivered = {
        int(row["seq"][i]): float(row["delivered_h"][i]) for row in stats.sample for i in range(len(row["seq"]))
    }
    assert delivered == {seq: available_h for seq, _, available_h in HAND_OVERS}
    for time_h in np.arange(18.0, 54.0, 0.5):
        written = sum(cells for from_h, until_h, cells in OCCUPANCY if from_h <= time_h < until_h)
        assert _busy_cells_at(time_h, delivered) == written, time_h
    assert lockers.buffered_measured == 0
    tally = lockers.tally
    assert tally.busy_cell_h[SITE] == pytest.approx(_occupancy_cell_h(WINDOW_END_H)) == 46.0
    assert tally.utilization == pytest.approx(46.0 / (2 * 48.0))
    assert (tally.parcels[SITE], tally.closed[SITE], tally.no_cell[SITE]) == (9, 7, 2)
    assert tally.no_cell_share == pytest.approx(2 / 7)
    assert tally.collection_time_h_mean == 10.0
    village = BACKLOG_TIERS.index("village")
    assert backlog[:, village, 0].tolist() == [1, 0, 0]  # seq 4 waits from 21 h to 32 h, across midnight 24 h


def test_hand_calculated_locker_reference_engine():
    """The reference engine's per-parcel locker gives the same availabilities, cell-hours and waits."""
    env = simpy.Environment()
    stats = _stats()
    lockers = ReferenceLockers(env, stats, {True: DAY_POINT, False: None}, _tally(2), UnitDraws(1, 0, (0,)))
    parcels = {seq: Parcel(seq=seq, arrival_h=0.0, rural=True) for seq, _, _ in HAND_OVERS}

    def leave_at(seq: int, time_h: float):
        yield env.timeout(time_h)
        lockers.hand_over(parcels[seq], SITE, True)

    for seq, time_h, _ in HAND_OVERS:  # seq 6 is handed over before seq 5 at 29 h
        env.process(leave_at(seq, time_h))
    env.run(until=72.0)
    assert {seq: parcel.delivered_h for seq, parcel in parcels.items()} == {s: a for s, _, a in HAND_OVERS}
    delivered = {seq: parcel.delivered_h for seq, parcel in parcels.items()}
    for time_h in np.arange(18.0, 54.0, 0.5):
        written = sum(cells for from_h, until_h, cells in OCCUPANCY if from_h <= time_h < until_h)
        assert _busy_cells_at(time_h, delivered) == written, time_h
    assert lockers.tally.busy_cell_h[SITE] == pytest.approx(46.0)
    assert (lockers.tally.closed[SITE], lockers.tally.no_cell[SITE]) == (7, 2)
    assert parcels[4].waits == [("village", 21.0, 32.0)]
    assert parcels[6].waits == [("village", 29.0, 32.0)]
    assert all(not parcels[seq].waits for seq in (1, 2, 3, 5, 7, 8, 9))


def _erlang_b(cells: int, offered: float) -> float:
    """Erlang's loss formula by the standard recursion B(k) = a B(k−1) / (k + a B(k−1)), B(0) = 1."""
    loss = 1.0
    for k in range(1, cells + 1):
        loss = offered * loss / (k + offered * loss)
    return loss


CELLS = 3
ARRIVALS_PER_H = 2.0
MEAN_DELAY_H = 1.2
ARRIVALS = 100_000
BATCHES = 20
WARM_UP = 1_000


def _poisson_arrivals() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Poisson hand-overs (seed 7) at one always-closed point and their keyed exponential collection delays."""
    times_h = np.cumsum(np.random.default_rng(7).exponential(1 / ARRIVALS_PER_H, ARRIVALS))
    seq = np.arange(ARRIVALS, dtype=np.int64)
    points = PickupPoints(collection_delay_h=Exponential(mean=MEAN_DELAY_H))
    return times_h, seq, collection_delays_h(points, UnitDraws(11, 0, (0,)), seq)


def _interval(lost: np.ndarray) -> tuple[float, float]:
    """The no-cell share after the warm-up and its 95 % batch-means interval (20 batches, Student t)."""
    batches = lost[WARM_UP:].reshape(BATCHES, -1).mean(axis=1)
    half = scipy_stats.t.ppf(0.975, BATCHES - 1) * batches.std(ddof=1) / math.sqrt(BATCHES)
    return float(batches.mean() - half), float(batches.mean() + half)


def test_no_cell_share_is_erlang_b_fast_engine():
    """c = 3 cells, λ = 2 /h, mean collection 1.2 h (a = 2.4 erlang), n = 100,000 arrivals: the share finding
    no free cell matches Erlang B(3, 2.4) = 0.2684 within the run's 95 % interval (the cells are an M/M/c/c loss
    system whatever the delay's distribution)."""
    times_h, _, delays_h = _poisson_arrivals()
    lockers = Lockers(_stats(), UnitDraws(11, 0, (0,)), _tally(CELLS), {True: None, False: None})
    found = lockers.take_cells(times_h, np.zeros(ARRIVALS, dtype=np.int64), delays_h, CELLS)
    low, high = _interval((~found).astype(float))
    assert low <= _erlang_b(CELLS, ARRIVALS_PER_H * MEAN_DELAY_H) <= high
    assert high - low < 0.01


def test_no_cell_share_is_erlang_b_reference_engine():
    """The reference engine's plain list of cell free times loses the same parcels as the fast engine's heap."""
    times_h, _, delays_h = _poisson_arrivals()
    lockers = ReferenceLockers(
        simpy.Environment(), _stats(), {True: None, False: None}, _tally(CELLS), UnitDraws(11, 0, (0,))
    )
    found = np.array(
        [lockers.take_cell(SITE, t, d, CELLS) for t, d in zip(times_h.tolist(), delays_h.tolist(), strict=True)]
    )
    fast = Lockers(_stats(), UnitDraws(11, 0, (0,)), _tally(CELLS), {True: None, False: None})
    assert np.array_equal(found, fast.take_cells(times_h, np.zeros(ARRIVALS, dtype=np.int64), delays_h, CELLS))
    low, high = _interval((~found).astype(float))
    assert low <= _erlang_b(CELLS, ARRIVALS_PER_H * MEAN_DELAY_H) <= high
