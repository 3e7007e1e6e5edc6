"""The loading rule of a dispatch wave: dedicated full routes first, then the shared route, FIFO."""

from types import SimpleNamespace
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simnet.engine.dispatch import assign_routes, group_rank


def test_group_rank_by_hand() -> None:
    """Each element's rank among earlier equal keys: keys 3 1 3 3 1 2 → ranks 0 0 1 2 1 0."""
    ranks = group_rank(np.array([3, 1, 3, 3, 1, 2], dtype=np.int64))
    assert ranks.tolist() == [0, 0, 1, 2, 1, 0]
    assert ranks.dtype == np.int64


def test_group_rank_empty_and_negative_keys() -> None:
    """No keys give no ranks; negative keys (−1 for 'no route') are ranked like any other."""
    assert group_rank(np.empty(0, dtype=np.int64)).tolist() == []
    assert group_rank(np.array([-1, 4, -1, -1], dtype=np.int64)).tolist() == [0, 0, 1, 2]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-2, 5), max_size=60))
def test_group_rank_matches_counting_loop(keys: list[int]) -> None:
    """group_rank equals counting, element by element, how often each key was seen before."""
    seen: dict[int, int] = {}
    expected = []
    for key in keys:
        expected.append(seen.get(key, 0))
        seen[key] = seen.get(key, 0) + 1
    assert group_rank(np.asarray(keys, dtype=np.int64)).tolist() == expected


def make_plan(
    capacity: int,
    slot_of_site: list[int],
    dedicated_count: list[int],
    shared_route: list[int],
) -> Any:
    """A DispatchPlan stand-in with just what assign_routes reads; dedicated routes numbered first."""
    count = np.asarray(dedicated_count, dtype=np.int64)
    first = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
    return SimpleNamespace(
        vehicle=SimpleNamespace(capacity_parcels=capacity),
        slot_of_site=np.asarray(slot_of_site, dtype=np.int64),
        dedicated_count=count,
        dedicated_first=first,
        dedicated_routes=np.arange(int(count.sum()), dtype=np.int64),
        shared_route=np.asarray(shared_route, dtype=np.int64),
    )


# Sites 0–4; site 1 → slot 0, site 2 → slot 1, site 3 → slot 2 (sites 0 and 4 not served).
# Slot 0 has dedicated routes 0 and 1 and shares route 3; slot 1 has no dedicated route and shares
# route 3; slot 2 has dedicated route 2 and no shared route. Vehicles carry 2 parcels.
HAND_PLAN = make_plan(2, [-1, 0, 1, 2, -1], dedicated_count=[2, 0, 1], shared_route=[3, 3, -1])


def test_assign_routes_by_hand() -> None:
    """Dedicated routes fill oldest first, the shared route takes the next oldest of its stops, rest wait."""
    sites = np.array([1, 2, 1, 3, 1, 1, 2, 1, 3, 3, 2, 1, 2], dtype=np.int64)
    # Site 1 parcels (0, 2, 4, 5, 7, 11): two per dedicated route → 0, 0, 1, 1; 7 and 11 try route 3.
    # Site 3 parcels (3, 8, 9): route 2 takes 3 and 8; 9 has no shared route → −1.
    # Site 2 parcels (1, 6, 10, 12) have only route 3. Route 3's candidates oldest first are
    # 1, 6, 7, 10, 11, 12; it takes 2 → parcels 1 and 6; 7, 10, 11, 12 wait (−1).
    expected = [0, 3, 0, 2, 1, 1, 3, -1, 2, -1, -1, -1, -1]
    assert assign_routes(HAND_PLAN, sites).tolist() == expected


def test_shared_route_mixes_stops_in_age_order() -> None:
    """With room on the shared route, overflow of a dedicated stop and another stop board in age order."""
    plan = make_plan(3, [-1, 0, 1], dedicated_count=[1, 0], shared_route=[1, 1])
    # Dedicated route 0 serves site 1; shared route 1 serves sites 1 and 2; capacity 3.
    sites = np.array([2, 1, 1, 1, 2, 1, 1, 2], dtype=np.int64)
    # Site 1 parcels 1, 2, 3 fill route 0; parcels 5, 6 overflow. Route 1 candidates by age:
    # 0 (site 2), 4 (site 2), 5 (site 1), 6, 7 → first three board: 0, 4, 5.
    assert assign_routes(plan, sites).tolist() == [1, 0, 0, 0, 1, 1, -1, -1]


def test_no_parcels() -> None:
    """An empty wave loads nothing."""
    assert assign_routes(HAND_PLAN, np.empty(0, dtype=np.int64)).tolist() == []


def brute_force_assign(plan: Any, sites: list[int]) -> list[int]:
    """Parcel by parcel, oldest first: the next seat on the stop's dedicated routes, else on its shared route."""
    capacity = plan.vehicle.capacity_parcels
    used_dedicated: dict[int, int] = {}
    load: dict[int, int] = {}
    result = []
    for site in sites:
        slot = int(plan.slot_of_site[site])
        seat = used_dedicated.get(slot, 0)
        used_dedicated[slot] = seat + 1
        if seat < plan.dedicated_count[slot] * capacity:
            result.append(int(plan.dedicated_routes[plan.dedicated_first[slot] + seat // capacity]))
            continue
        shared = int(plan.shared_route[slot])
        if shared >= 0 and load.get(shared, 0) < capacity:
            load[shared] = load.get(shared, 0) + 1
            result.append(shared)
        else:
            result.append(-1)
    return result


@st.composite
def loading_cases(draw: st.DrawFn) -> tuple[Any, list[int]]:
    slots = draw(st.integers(1, 5))
    capacity = draw(st.integers(1, 4))
    dedicated = draw(st.lists(st.integers(0, 2), min_size=slots, max_size=slots))
    shared_count = draw(st.integers(0, 3))
    base = sum(dedicated)
    shared = draw(
        st.lists(st.integers(-1, shared_count - 1), min_size=slots, max_size=slots).map(
            lambda xs: [base + x if x >= 0 else -1 for x in xs]
        )
    )
    plan = make_plan(capacity, list(range(slots)), dedicated, shared)
    sites = draw(st.lists(st.integers(0, slots - 1), max_size=40))
    return plan, sites


@settings(max_examples=300, deadline=None)
@given(case=loading_cases())
def test_assign_routes_matches_brute_force(case: tuple[Any, list[int]]) -> None:
    """The vectorised loading rule equals seating parcels one by one in age order."""
    plan, sites = case
    got = assign_routes(plan, np.asarray(sites, dtype=np.int64))
    assert got.tolist() == brute_force_assign(plan, sites)
    routes, loads = np.unique(got[got >= 0], return_counts=True)
    assert np.all(loads <= plan.vehicle.capacity_parcels), dict(zip(routes.tolist(), loads.tolist(), strict=True))
