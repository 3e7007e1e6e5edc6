"""Named random streams: reproducible, distinct per key, and common across scenarios (DESIGN.md §4)."""

import itertools

import numpy as np
import pytest

from simnet.engine.demand import DemandModel
from simnet.engine.hub import hub_curve
from simnet.engine.streams import COMPONENTS, RandomStreams
from simnet.scenario.models.demand import Demand
from simnet.scenario.models.distributions import Exponential
from simnet.scenario.models.facilities import Breakdowns, Hub


def numbers(streams: RandomStreams, component: str, day: int = 0, size: int = 8) -> np.ndarray:
    return streams.generator(component, day).random(size)


def test_same_key_same_numbers() -> None:
    """The same (seed, replication, component, day) gives identical numbers, from fresh objects too."""
    for component in COMPONENTS:
        first = numbers(RandomStreams(123, 2), component, day=5)
        again = numbers(RandomStreams(123, 2), component, day=5)
        np.testing.assert_array_equal(first, again)


def test_different_keys_different_numbers() -> None:
    """Changing the seed, the replication, the component or the day changes every number drawn."""
    keys = [
        (seed, replication, component, day)
        for seed, replication, component, day in itertools.product((1, 2), (0, 1), COMPONENTS, (0, 1, 7))
    ]
    draws = [numbers(RandomStreams(seed, rep), component, day) for seed, rep, component, day in keys]
    # 84 streams of 8 uniforms: no number repeats across streams (a repeat of a 53-bit double
    # between independent streams has probability ~1e-12; a shared stream would repeat all 8).
    pooled = np.concatenate(draws)
    assert len(np.unique(pooled)) == len(pooled)


def test_streams_follow_the_seed_sequence_tree() -> None:
    """Component c on day d of replication r is grandchild stream (r, c, d) of SeedSequence(seed)."""
    seed, replication, day = 20261124, 3, 2
    for index, component in enumerate(COMPONENTS):
        # A fresh tree per component: spawn() continues numbering from earlier calls.
        child = np.random.SeedSequence(seed).spawn(replication + 1)[replication]
        grandchild = child.spawn(index + 1)[index]
        day_stream = grandchild.spawn(day + 1)[day]
        expected = np.random.Generator(np.random.PCG64(day_stream)).random(4)
        np.testing.assert_array_equal(numbers(RandomStreams(seed, replication), component, day, 4), expected)


def test_component_order_is_fixed() -> None:
    """The documented order of components is kept: new ones are appended, so old keys never move."""
    assert COMPONENTS[:7] == (
        "demand_volume",
        "arrival_times",
        "destinations",
        "carriers",
        "pickups",
        "breakdowns",
        "parcel_sample",
    )


def test_unknown_component_is_refused() -> None:
    """A component name outside the documented list raises instead of silently sharing a stream."""
    with pytest.raises(ValueError, match="not in tuple"):
        RandomStreams(1, 0).generator("no_such_component")


def test_other_components_draws_do_not_shift_a_component() -> None:
    """Drawing many numbers from other components (or other days) before it leaves a component's numbers alone."""
    quiet = numbers(RandomStreams(8, 0), "arrival_times", day=3)
    busy_streams = RandomStreams(8, 0)
    for component in COMPONENTS:
        busy_streams.generator(component, 3).random(100_000)
    busy_streams.generator("arrival_times", 2).random(50_000)
    np.testing.assert_array_equal(numbers(busy_streams, "arrival_times", day=3), quiet)


DEMAND = Demand(parcels_per_day=5000, rural_share=0.2, daily_volume_cv=0.0)


def demand_model(demand: Demand) -> DemandModel:
    return DemandModel(
        demand=demand,
        parcels_per_day=demand.parcels_per_day,
        rural_share=demand.rural_share,
        villages=np.arange(len(np.full(5, 0.2))),
        carrier_shares=np.array([0.6, 0.4]),
        village_weights=np.full(5, 0.2),
        warmup_days=0,
        sample_fraction=0.5,
    )


def test_common_random_numbers_between_scenarios() -> None:
    """Two scenarios differing in breakdowns and rural share share their arrival times and volumes."""
    streams = RandomStreams(42, 1)
    calm = Hub(capacity_per_day=10_000)
    broken = Hub(
        capacity_per_day=10_000,
        breakdowns=Breakdowns(time_between_failures_h=Exponential(mean=3.0), repair_time_h=Exponential(mean=1.0)),
    )
    assert hub_curve(calm, 3, streams).total != hub_curve(broken, 3, streams).total
    base = demand_model(DEMAND)
    variant = demand_model(DEMAND.model_copy(update={"rural_share": 0.5}))
    for day in range(3):
        count = base.volume(day, streams)
        assert variant.volume(day, streams) == count
        np.testing.assert_array_equal(base.arrivals(day, count, streams), variant.arrivals(day, count, streams))
        # Rural flags compare the same uniforms with the share, so the rural parcels at share 0.2
        # are among those at 0.5; carriers and villages are drawn in turn for the rural parcels,
        # so the k-th rural parcel's carrier and village agree on the common prefix.
        base_rural, base_columns = base.destinations(day, count, streams)
        variant_rural, variant_columns = variant.destinations(day, count, streams)
        assert np.all(variant_rural[base_rural])
        shared = int(base_rural.sum())
        for name in ("carrier", "village"):
            np.testing.assert_array_equal(base_columns[name], variant_columns[name][:shared])


def test_replications_differ_in_demand() -> None:
    """Two replications of one scenario draw different arrival times on the same day."""
    model = demand_model(DEMAND)
    first = model.arrivals(0, 1000, RandomStreams(42, 0))
    second = model.arrivals(0, 1000, RandomStreams(42, 1))
    assert not np.array_equal(first, second)
