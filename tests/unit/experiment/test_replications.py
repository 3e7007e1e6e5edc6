"""Replications in worker processes give the same results as one after another, and report every day."""

import pandas as pd

from simnet.experiment.replications import run_scenario
from simnet.scenario import scenario_from_text

SMALL = """
name: workers
horizon_days: 2
warmup_days: 1
drain_days: 1
replications: 3
demand: {parcels_per_day: 3000, rural_share: 0.4, pickups_per_village_per_day: 2}
network: {generate: {counties: 2, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 5000}
"""


def test_two_workers_equal_one():
    """Metrics (NaN where not measured) and every table are identical with 1 and 2 workers (own streams)."""
    scenario = scenario_from_text(SMALL, "workers.yaml")
    alone = run_scenario(scenario, workers=1)
    shared = run_scenario(scenario, workers=2)
    pd.testing.assert_frame_equal(pd.DataFrame(alone.metrics), pd.DataFrame(shared.metrics))
    assert alone.tables.keys() == shared.tables.keys()
    for name in alone.tables:
        pd.testing.assert_frame_equal(pd.DataFrame(alone.tables[name]), pd.DataFrame(shared.tables[name]))


def test_workers_report_every_day():
    """Progress hears of each of the 4 simulated days (warm-up, 2 measured, drain) of each of 3 replications."""
    scenario = scenario_from_text(SMALL, "workers.yaml")
    heard = []
    run_scenario(scenario, workers=2, progress=lambda replication, day, parcels: heard.append((replication, day)))
    assert sorted(heard) == [(replication, day) for replication in range(3) for day in range(1, 5)]
