"""How many worker processes a run's replications get."""

from simnet.forking import cores
from simnet.run_size import estimate_run_size, worker_count
from simnet.scenario import scenario_from_text

SMALL = "name: x\nreplications: 5\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"


def test_asked_for_is_given_up_to_the_replications():
    """--workers 3 gives 3; --workers 9 for 5 replications gives 5 (no idle workers)."""
    size = estimate_run_size(scenario_from_text(SMALL))
    assert worker_count(size, 3, None) == 3
    assert worker_count(size, 9, None) == 5


def test_default_is_one_per_core_as_memory_allows():
    """By default one per core; with room for only two runs' growth, two."""
    size = estimate_run_size(scenario_from_text(SMALL))
    assert worker_count(size, None, None) == min(cores(), 5)
    tight = size
    assert worker_count(tight, None, 2 * tight.growth_bytes + 1) == min(cores(), 2)
    assert worker_count(tight, None, tight.growth_bytes // 2) == 1
