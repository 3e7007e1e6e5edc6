"""The optimal split found by shortest paths equals the recursion over the visiting order, ties included."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simnet.planning.split import RouteLimits, split_order


def _split_in_order(
    rows: np.ndarray, loads: np.ndarray, distance_km: np.ndarray, limits: RouteLimits
) -> list[tuple[int, int]]:
    """The rule as stated: fewest total km over the order, ties to the longest last route, one stop at a time."""
    count = len(rows)
    best_km = [0.0] + [float("inf")] * count
    cut = [0] * (count + 1)
    for start in range(count):
        for end in range(start + 1, count + 1):
            route = rows[start:end]
            km = float(distance_km[0, route[0]] + distance_km[route[:-1], route[1:]].sum() + distance_km[route[-1], 0])
            if end > start + 1 and int(loads[start:end].sum()) > limits.capacity_parcels:
                break
            total = best_km[start] + km
            if total < best_km[end]:
                best_km[end], cut[end] = total, start
    ranges = []
    end = count
    while end > 0:
        ranges.append((cut[end], end))
        end = cut[end]
    return ranges[::-1]


@settings(max_examples=300, deadline=None)
@given(
    size=st.integers(2, 9),
    seed=st.integers(0, 2**32 - 1),
    capacity=st.integers(1, 12),
)
def test_shortest_path_split_equals_the_recursion(size: int, seed: int, capacity: int) -> None:
    """Whole-km matrices (many ties) and small capacities: the same routes as the stop-by-stop recursion."""
    rng = np.random.default_rng(seed)
    distance_km = rng.integers(1, 4, (size, size)).astype(np.float64)
    distance_km = np.minimum(distance_km, distance_km.T)
    np.fill_diagonal(distance_km, 0.0)
    rows = rng.permutation(np.arange(1, size))[: int(rng.integers(1, size))]
    loads = rng.integers(0, 5, len(rows))
    limits = RouteLimits(capacity, None, None, 0.0)
    expected = _split_in_order(rows, loads, distance_km, limits)
    assert split_order(rows, loads, distance_km, distance_km, limits) == expected
