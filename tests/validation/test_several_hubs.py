"""Several city hubs: a city of one hub written either way, a city of two independent halves, conservation per hub.

Each hub draws from its own random streams (keyed by its id) and numbers its own parcels, so a
half of a city that shares nothing with the other half (its hub serves only its county, and the
half's demand is the same) gives the same per-hub figures run alone or inside the city.
"""

import math

import numpy as np
import pytest

from simnet.engine.hub_tally import SEQ_PER_HUB
from simnet.engine.metrics import replication_metrics, replication_tables
from simnet.engine.model import run_replication
from simnet.engine.reference import ReferenceModel
from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text

ONE_HUB = """
name: one hub
seed: 11
horizon_days: 2
warmup_days: 1
drain_days: 2
replications: 1
demand: {parcels_per_day: 3000, rural_share: 0.4, pickups_per_village_per_day: 3, fresh_share: 0.2}
network: {generate: {counties: 2, towns_per_county: 2, villages_per_town: 3}, hub: {id: metro, x_km: 4, y_km: -3}}
hub: {capacity_per_day: 4000, line_haul_departures_h: [6, 20], breakdowns: {}}
fleets: {trunk: {count: 2}, park: {count: 2}, depot: {count: 1}}
parks: {consolidated_share: 0.5}
"""

LISTED_ONE_HUB = (
    ONE_HUB.replace(", hub: {id: metro, x_km: 4, y_km: -3}}", "}")
    .replace("hub: {capacity_per_day: 4000,", "hubs: [{id: metro, x_km: 4, y_km: -3, capacity_per_day: 4000,")
    .replace("breakdowns: {}}", "breakdowns: {}}]")
)
"""The same city with its one hub written as a list: id and place move from ``network.hub`` into the entry."""


def _county(name: str, sign: int) -> str:
    """A county of two towns with two villages each, north (sign 1) or south (sign −1) of the centre."""
    y = 50 * sign
    return f"""
    - id: {name}
      park: {{x_km: 5, y_km: {y}}}
      towns:
        - {{id: {name}-t1, x_km: 15, y_km: {y + 6 * sign}, villages: [
            {{id: {name}-v1, x_km: 18, y_km: {y + 9 * sign}}},
            {{id: {name}-v2, x_km: 12, y_km: {y + 11 * sign}, demand_weight: 2}}]}}
        - {{id: {name}-t2, x_km: -9, y_km: {y + 3 * sign}, villages: [
            {{id: {name}-v3, x_km: -13, y_km: {y + 5 * sign}}},
            {{id: {name}-v4, x_km: -7, y_km: {y + 8 * sign}}}]}}"""


NORTH_HUB = (
    "{id: north, x_km: 0, y_km: 35, capacity_per_day: 2600, counties: [n], urban_share: 0.5,"
    " trunk: {vehicle_type: trailer_17m5, count: 2}}"
)
SOUTH_HUB = (
    "{id: south, x_km: 0, y_km: -35, sorting_lines: 2, line_rate_per_h: 120, counties: [s], urban_share: 0.5,"
    " line_haul_departures_h: [7, 19], line_haul_capacity_per_departure: 6, dispatch_cutoffs_h: [3, 5],"
    " breakdowns: {time_between_failures_h: {kind: exponential, mean: 15}},"
    " trunk: {vehicle_type: trailer_17m5, count: 1}}"
)


def _city(parcels_per_day: int, hubs: list[str], counties: list[tuple[str, int]]) -> str:
    """A listed city of the given hubs and counties; rural share 0.5 and equal halves keep every share exact.

    Village points with one locker cell and residents' collection delays make keyed draws count too.
    """
    listed = "".join(_county(name, sign) for name, sign in counties)
    return f"""
name: halves
seed: 7
horizon_days: 2
warmup_days: 1
drain_days: 3
replications: 1
demand: {{parcels_per_day: {parcels_per_day}, rural_share: 0.5, pickups_per_village_per_day: 4, fresh_share: 0.25}}
hubs: [{", ".join(hubs)}]
network:
  counties:{listed}
fleets: {{park: {{count: 2}}, depot: {{count: 1}}}}
parks: {{consolidated_share: 0.5}}
village_points: {{opening_hours: [[9, 17]], locker_cells: 1, collection_delay_h: {{kind: exponential, mean: 10}}}}
output: {{parcel_sample_size: 1000000}}
"""


def _run(text: str) -> tuple[dict, dict]:
    plan = build_plan(scenario_from_text(text, "hubs.yaml"), default_planner())
    outcome = run_replication(plan, 0).outcome()
    return replication_metrics(outcome), replication_tables(outcome)


def _same(first: object, second: object) -> bool:
    if isinstance(first, float) and math.isnan(first):
        return isinstance(second, float) and math.isnan(second)
    return first == second


def test_one_hub_listed_equals_the_single_hub_form():
    """``hubs:`` with one entry gives exactly the results of ``hub:`` at ``network.hub``: every metric, every table."""
    single_metrics, single_tables = _run(ONE_HUB)
    listed_metrics, listed_tables = _run(LISTED_ONE_HUB)
    assert single_metrics.keys() == listed_metrics.keys()
    for name, value in single_metrics.items():
        assert _same(value, listed_metrics[name]), name
    assert single_tables.keys() == listed_tables.keys()
    for table, rows in single_tables.items():
        assert len(rows) == len(listed_tables[table]), table
        for mine, theirs in zip(rows, listed_tables[table], strict=True):
            assert all(_same(value, theirs[key]) for key, value in mine.items()), (table, mine, theirs)
    assert single_metrics["parcels_in"] > 5000  # 3,000 a day × 2 measured days: real traffic compared


@pytest.mark.parametrize(("hub", "county", "sign"), [("north", "n", 1), ("south", "s", -1)])
def test_each_half_alone_gives_its_hub_figures(hub, county, sign):
    """A city of two halves that share nothing: each hub's row, and its county's, equal those of the half alone.

    The whole city has 4,000 parcels a day; each hub sorts half of the urban parcels (urban_share 0.5) and
    its county's rural ones, which carry half of the demand weight, so each half receives 2,000 a day with
    rural share 0.5, exactly what the half alone is given.
    """
    _, whole = _run(_city(4000, [NORTH_HUB, SOUTH_HUB], [("n", 1), ("s", -1)]))
    alone_hub = (NORTH_HUB if hub == "north" else SOUTH_HUB).replace("urban_share: 0.5", "urban_share: 1")
    _, alone = _run(_city(2000, [alone_hub], [(county, sign)]))
    whole_row = next(row for row in whole["hubs"] if row["hub"] == hub)
    (alone_row,) = alone["hubs"]
    assert all(_same(value, alone_row[key]) for key, value in whole_row.items()), (whole_row, alone_row)
    whole_county = next(row for row in whole["counties"] if row["county"] == county)
    (alone_county,) = alone["counties"]
    assert all(_same(value, alone_county[key]) for key, value in whole_county.items()), (whole_county, alone_county)
    assert whole_row["parcels_in"] > 3000  # 2,000 a day × 2 measured days: real traffic compared
    assert whole_row["pickups_in"] > 20  # 4 villages × 4 a day × 2 days = 32 expected


SHIPPERS = (
    "shippers: [{id: n-seat, at: n, parcels_per_day: 200, collected_by: trunk_return},"
    " {id: n-town, at: n-t2, parcels_per_day: 150, collected_by: park_vans},"
    " {id: s-town, at: s-t1, parcels_per_day: 100, collected_by: dedicated_van}]\n"
)
"""One shipper of each kind of collection, two in the north hub's county and one in the south's."""


def test_conservation_per_hub_and_flow():
    """Per hub, parcels in = delivered + backlog, pickups in = out at the hub + still on the way, and factory
    parcels in = gone on line-haul + still on the way, counted parcel by parcel in the reference engine; the
    fast engine's hubs and shippers tables give the same counts, and its hubs' attributed costs add up to
    the city's."""
    text = _city(4000, [NORTH_HUB, SOUTH_HUB], [("n", 1), ("s", -1)]).replace("drain_days: 3", "drain_days: 0")
    text += SHIPPERS
    plan = build_plan(scenario_from_text(text, "hubs.yaml"), default_planner())
    reference = ReferenceModel(plan, 0)
    outcome = reference.run()
    stats = outcome.stats
    fast = run_replication(plan, 0).outcome()
    rows = {row["hub"]: row for row in replication_tables(fast)["hubs"]}
    shipper_rows = replication_tables(fast)["shippers"]
    backlog_total = 0
    shipped_totals = np.zeros(2, dtype=np.int64)
    for hub in plan.hubs:
        parcels = [p for p in reference.parcels if p.seq // SEQ_PER_HUB == hub.number]
        measured = [p for p in parcels if stats.window_start_h <= p.arrival_h < stats.window_end_h]
        done = [p for p in measured if (p.delivered_h if p.rural else p.hub_done_h) <= stats.end_h]
        pickups = [p for p in reference.pickups if p.seq // SEQ_PER_HUB == hub.number]
        pickups_in = [p for p in pickups if stats.window_start_h <= p.appear_h < stats.window_end_h]
        pickups_out = [p for p in pickups_in if p.finished_h <= stats.end_h]
        row = rows[hub.id]
        assert row["parcels_in"] == len(measured)
        assert row["parcels_delivered"] == len(done)
        assert row["parcels_in"] == row["parcels_delivered"] + row["parcels_backlog"]
        assert row["pickups_in"] == len(pickups_in)
        assert row["pickups_at_hub"] == len(pickups_out)
        backlog_total += row["parcels_backlog"]
        shipped = [p for p in reference.shippers.parcels if plan.shippers[p.shipper].hub == hub.number]
        shipped_in = [p for p in shipped if stats.window_start_h <= p.appear_h < stats.window_end_h]
        shipped_out = [p for p in shipped_in if p.finished_h <= stats.end_h]
        rows_of_hub = [row for row in shipper_rows if row["hub"] == hub.id]
        assert sum(row["parcels_in"] for row in rows_of_hub) == len(shipped_in)
        assert sum(row["departed"] for row in rows_of_hub) == len(shipped_out)
        assert len(shipped_in) > 150  # south: 100 a day × 2 measured days = 200 expected; north 700
        shipped_totals += (len(shipped_in), len(shipped_out))
    assert backlog_total == replication_metrics(outcome)["parcels_backlog"]
    assert backlog_total > 0  # no drain days: the last day's parcels are still on their way
    assert 0 < shipped_totals[1] < shipped_totals[0]  # and so are some factory parcels
    city = replication_metrics(fast)
    hub_cost_cny = sum(row["cost_per_parcel_cny"] * row["rural_parcels_in"] for row in rows.values())
    assert hub_cost_cny == pytest.approx(city["cost_per_parcel_cny"] * city["rural_parcels_in"], rel=1e-12)
    assert np.isfinite(replication_metrics(outcome)["hub_utilization"])
