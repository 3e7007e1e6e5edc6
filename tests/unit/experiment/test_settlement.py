"""Settlement arithmetic: which accounts a coalition pays, c(S), the saving game, by-parcels and Shapley shares."""

import pytest

from simnet.experiment.executors import TaskResult
from simnet.experiment.settlement import (
    account_totals,
    coalition_mask,
    coalition_points,
    coalition_rows,
    settle,
    settlement_rows,
)

PLAYERS = ("a", "b")


def task(mask: int, replication: int, figures: dict[str, float]) -> TaskResult:
    return TaskResult(mask, replication, figures, None)


ALONE = {
    "own_cny/c01/a": 100.0,
    "own_cny/c01/b": 60.0,
    "own_cny/c01/x": 999.0,
    "parcels/c01/a": 10.0,
    "parcels/c01/b": 30.0,
    "parcels/c01/x": 50.0,
}
"""Nobody in the park: a pays 100 CNY for 10 parcels, b 60 for 30; x is outside the park in every run."""

TOGETHER = {"shared_cny/c01": 110.0, "own_cny/c01/a": 4.0, "own_cny/c01/b": 6.0, "own_cny/c01/x": 999.0}
"""a and b in the park: 110 CNY shared, 4 and 6 still on their own accounts; x unchanged."""


def test_two_carriers_by_hand():
    """c(a)=100, c(b)=60, c(ab)=110+4+6=120: saving 40, 20 each by Shapley (costs 80, 40); by parcels 4+27.5, 6+82.5.

    By parcels the 110 shared CNY split 10:30 (27.5 and 82.5) on top of each one's own 4 and 6. The outside
    carrier x pays neither rule.
    """
    settlement = settle(PLAYERS, [task(0, 0, ALONE), task(3, 0, TOGETHER)])
    rows = {row["carrier"]: row for row in settlement_rows(settlement, {"a": "A"})}
    assert rows["a"]["alone_cny"] == 100.0
    assert rows["a"]["name"] == "A"
    assert rows["a"]["shapley_saving_cny"] == pytest.approx(20.0)
    assert rows["b"]["shapley_cny"] == pytest.approx(40.0)
    assert rows["a"]["by_parcels_cny"] == pytest.approx(31.5)
    assert rows["b"]["by_parcels_cny"] == pytest.approx(88.5)
    assert rows["b"]["alone_cny_per_parcel"] == pytest.approx(2.0)
    assert rows["a"]["shapley_cny_per_parcel"] == pytest.approx(8.0)
    grand = next(row for row in coalition_rows(settlement) if row["coalition"] == "a+b")
    assert (grand["cost_cny"], grand["stand_alone_cny"], grand["saving_cny"]) == (120.0, 160.0, 40.0)
    assert grand["saving_share"] == pytest.approx(0.25)


def test_a_carrier_the_park_does_not_help_gets_nothing():
    """z costs the park exactly what it costs alone (50): a null player, φ_z = 0; a and b split the 40 saved, 20 each.

    c(a)=100, c(b)=60, c(z)=50; c(ab)=120, c(az)=150, c(bz)=110, c(abz)=170: savings 40, 0, 0, 40.
    """
    alone = {"own_cny/c01/a": 100.0, "own_cny/c01/b": 60.0, "own_cny/c01/z": 50.0}
    park = {3: 120.0, 5: 150.0, 6: 110.0, 7: 170.0}
    results = [task(0, 0, alone)] + [task(mask, 0, {"shared_cny/c01": cost}) for mask, cost in park.items()]
    settlement = settle(("a", "b", "z"), results)
    assert settlement.shapley_saving_cny == pytest.approx({"a": 20.0, "b": 20.0, "z": 0.0})


def test_replications_are_averaged():
    """Two replications whose costs are 0 and twice the figures give the figures' settlement (means)."""
    double = {name: 2 * value for name, value in TOGETHER.items()}
    zero = dict.fromkeys(TOGETHER, 0.0)
    one = settle(PLAYERS, [task(0, 0, ALONE), task(3, 0, TOGETHER)])
    two = settle(PLAYERS, [task(0, 0, ALONE), task(0, 1, ALONE), task(3, 0, zero), task(3, 1, double)])
    assert two.shapley_saving_cny == pytest.approx(one.shapley_saving_cny)


def in_county(figures: dict[str, float], county: str, factor: float = 1.0) -> dict[str, float]:
    """The figures moved from county c01 to ``county``, times ``factor``."""
    return {name.replace("c01", county): factor * value for name, value in figures.items()}


def test_county_scope():
    """A county's settlement reads its own accounts only; all counties together add the counties up."""
    alone = {**ALONE, **in_county(ALONE, "c02")}
    together = {**TOGETHER, **in_county(TOGETHER, "c02", factor=2.0)}
    results = [task(0, 0, alone), task(3, 0, together)]
    first, second, both = (settle(PLAYERS, results, county) for county in ("c01", "c02", ""))
    assert first.cost_cny[3] == 120.0
    assert second.cost_cny[3] == 240.0
    assert both.cost_cny == {mask: first.cost_cny[mask] + second.cost_cny[mask] for mask in first.cost_cny}


def test_account_totals_skip_trunk_and_hub():
    """Trunk and hub costs are nobody's in the park; depot accounts are the carrier's, the park's are shared."""
    tables = {
        "costs": [
            {"tier": "hub", "county": "", "carrier": "", "cost_cny": 5.0},
            {"tier": "trunk", "county": "c01", "carrier": "", "cost_cny": 7.0},
            {"tier": "park", "county": "c01", "carrier": "", "cost_cny": 11.0},
            {"tier": "village", "county": "c01", "carrier": "", "cost_cny": 2.0},
            {"tier": "depot", "county": "c01", "carrier": "x", "cost_cny": 3.0},
            {"tier": "village", "county": "c01", "carrier": "x", "cost_cny": 1.0},
        ],
        "lines": [
            {"tier": "park", "county": "c01", "carrier": "", "parcels_sorted": 9},
            {"tier": "depot", "county": "c01", "carrier": "x", "parcels_sorted": 4},
        ],
    }
    assert account_totals(tables) == {"shared_cny/c01": 13.0, "own_cny/c01/x": 4.0, "parcels/c01/x": 4}


def test_coalition_points_skip_singletons():
    """Three players: nobody, three pairs and all three (a coalition of one is its carrier alone), by mask."""
    points = coalition_points(("a", "b", "c"))
    assert [point.index for point in points] == [0, 3, 5, 6, 7]
    assert points[2].parameters == {"parks.consolidated_share": None, "parks.consolidated_carriers": ["a", "c"]}
    assert coalition_mask(("a", "b", "c"), frozenset("ac")) == 5
