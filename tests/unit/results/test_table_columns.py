"""The declared columns of every results table are those a real run writes, so empty tables keep them."""

from simnet.experiment.replications import run_scenario
from simnet.results.table_columns import TABLE_COLUMNS, table_frame
from simnet.scenario import scenario_from_text

SMALL = """name: small
horizon_days: 1
warmup_days: 0
drain_days: 1
replications: 1
demand: {parcels_per_day: 400, rural_share: 0.5, pickups_per_village_per_day: 1}
network: {generate: {counties: 1, towns_per_county: 1, villages_per_town: 2}}
hub: {capacity_per_day: 2000}
"""


def test_declared_columns_match_a_real_run():
    """Every table of a run has exactly the declared columns, in order (the engine and this list agree)."""
    tables = run_scenario(scenario_from_text(SMALL)).tables
    assert set(tables) == set(TABLE_COLUMNS)
    for name, frame in tables.items():
        assert tuple(frame.columns) == TABLE_COLUMNS[name], name


def test_a_table_without_rows_keeps_its_columns():
    """An empty parcel sample is a table with no rows and all its columns."""
    frame = table_frame("parcels", [])
    assert frame.empty
    assert tuple(frame.columns) == TABLE_COLUMNS["parcels"]
