"""Carrier settlement in the park: what each member carrier pays, by parcels and by the Shapley value.

The players N are the scenario's park members (at most :data:`MAX_PLAYERS`). Every coalition S of
them is simulated as a scenario whose park members are S, the other carriers each delivering alone
from their own depot; every coalition runs with the scenario's seed and replications (common
random numbers: the same parcels, in the same places, at the same times). Costs are read from the
``costs`` table in the settled scope (one county, or all counties together), over the measured
window:

- own_j(S): the costs booked to carrier j's accounts (its depot, its fleet, the commission and
  station handling of its parcels); a carrier outside the park has only these.
- shared(S): the park's shared costs, booked to no carrier (the park line, the park fleet, the
  commission and station handling of the park's parcels). The trunk and the hub are not settled:
  they carry every parcel alike whoever is in the park.

The characteristic function, the cost of coalition S, is

    c(∅) = 0,    c({i}) = own_i(∅)    (a carrier alone: its own depot, nobody in the park),
    c(S) = shared(S) + Σ_{i∈S} own_i(S)    for |S| ≥ 2,

and the saving game is saving(S) = Σ_{i∈S} c({i}) − c(S), so saving(∅) = saving({i}) = 0. Carrier i's
Shapley share φ_i of the grand coalition's saving is its Shapley value in the saving game
(``shapley.py``); its Shapley cost in the park is c({i}) − φ_i, and these costs add up to c(N).
The default rule, by parcels, gives member i own_i(N) + shared(N) × p_i ÷ Σ_{k∈N} p_k, where p_i
is the parcels its own depot line sorted in the window when alone (the same parcels in every
coalition, by common random numbers). Figures are means over the replications (the Shapley value
is linear, so the shares of the mean game are the mean of the shares).
"""

from __future__ import annotations

import traceback
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simnet.engine.metrics import replication_tables
from simnet.engine.model import run_replication
from simnet.experiment.executors import Task, TaskResult
from simnet.experiment.points import Point
from simnet.experiment.shapley import Coalition, shapley_values
from simnet.planning import default_planner, plan_for
from simnet.scenario import LoadedScenario, ScenarioError
from simnet.scenario.errors import Location
from simnet.scenario.models import Scenario

MAX_PLAYERS = 8
"""At most 2^8 = 256 coalitions to simulate."""

ALL_COUNTIES = ""
"""The scope of a settlement over every county together."""

SHARED = "shared_cny"
OWN = "own_cny"
PARCELS = "parcels"
SEPARATOR = "/"
"""A task's figures are named ``shared_cny/COUNTY``, ``own_cny/COUNTY/CARRIER`` and ``parcels/COUNTY/CARRIER``."""


def settlement_players(loaded: LoadedScenario) -> tuple[str, ...]:
    """The park's member carriers, the players; a located ``ScenarioError`` unless there are 2 to 8."""
    members = loaded.scenario.consolidated_carrier_ids
    if 2 <= len(members) <= MAX_PLAYERS:
        return members
    location = loaded.source_map.locate(("parks",))
    if len(members) < 2:
        raise ScenarioError.single(
            location,
            f"a settlement needs at least 2 carriers in the park; this scenario has {len(members)}",
            "put carriers in the park, e.g. --set parks.consolidated_share=1 or list parks.consolidated_carriers",
        )
    raise ScenarioError.single(
        location,
        f"a settlement simulates every coalition of the park's carriers, so at most {MAX_PLAYERS} of them; "
        f"this scenario has {len(members)}",
        f"list at most {MAX_PLAYERS} carriers in parks.consolidated_carriers",
    )


def check_county(loaded: LoadedScenario, county: str) -> None:
    """Raise a ``ScenarioError`` naming ``--county`` unless ``county`` is one of the city's counties (or empty: all)."""
    if county == ALL_COUNTIES:
        return
    county_ids = plan_for(loaded.scenario, default_planner()).network.county_ids
    if county not in county_ids:
        listing = ", ".join(county_ids[:12]) + (" …" if len(county_ids) > 12 else "")
        raise ScenarioError.single(
            Location(f"--county {county}"), f"the city has no county {county!r}", f"use one of: {listing}"
        )


def coalition_mask(players: Sequence[str], coalition: Coalition) -> int:
    """The coalition as a bit mask over ``players`` (bit k: the k-th player is in); the coalition's point index."""
    return sum(1 << index for index, player in enumerate(players) if player in coalition)


def coalition_members(players: Sequence[str], mask: int) -> tuple[str, ...]:
    """The players of a bit mask, in player order."""
    return tuple(player for index, player in enumerate(players) if mask >> index & 1)


def coalition_points(players: Sequence[str]) -> list[Point]:
    """The runs a settlement needs: nobody in the park (every carrier alone), and every coalition of two or more.

    A coalition of one is its carrier alone, which the run with nobody in the park already shows.
    """
    location = Location("settlement coalition")
    points = []
    for mask in range(1 << len(players)):
        members = coalition_members(players, mask)
        if len(members) == 1:
            continue
        values = (("parks.consolidated_share", None), ("parks.consolidated_carriers", list(members)))
        points.append(Point(mask, values, (location, location)))
    return points


def account_totals(tables: dict[str, list[dict[str, Any]]]) -> dict[str, float]:
    """One replication's settlement figures: shared and own costs and depot parcels, per county and carrier."""
    totals: dict[str, float] = defaultdict(float)
    for row in tables["costs"]:
        if not row["county"] or row["tier"] == "trunk":
            continue
        if row["carrier"]:
            totals[SEPARATOR.join((OWN, row["county"], row["carrier"]))] += row["cost_cny"]
        else:
            totals[SEPARATOR.join((SHARED, row["county"]))] += row["cost_cny"]
    for row in tables["lines"]:
        if row["tier"] == "depot":
            totals[SEPARATOR.join((PARCELS, row["county"], row["carrier"]))] += row["parcels_sorted"]
    return dict(totals)


def run_settlement_task(task: Task) -> TaskResult:
    """Run one replication of one coalition and keep its settlement figures; a failure is the task's error."""
    try:
        plan = plan_for(Scenario.model_validate(task.scenario), default_planner())
        tables = replication_tables(run_replication(plan, task.replication).outcome())
        return TaskResult(task.point, task.replication, account_totals(tables), None)
    except Exception as error:  # a coalition's failure is recorded; the others go on
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        return TaskResult(task.point, task.replication, None, detail)


@dataclass(frozen=True)
class Settlement:
    """A settled game: every coalition's cost and saving, and each carrier's figures (CNY over the window)."""

    county: str
    players: tuple[str, ...]
    parcels: dict[str, float]
    cost_cny: dict[int, float]
    """c(S) by coalition mask (every subset, singletons alone, ∅ = 0)."""
    by_parcels_cny: dict[str, float]
    shapley_saving_cny: dict[str, float]

    def stand_alone_cny(self, mask: int) -> float:
        """Σ_{i∈S} c({i}): what the coalition's carriers pay alone."""
        return sum(self.alone_cny(player) for player in coalition_members(self.players, mask))

    def saving_cny(self, mask: int) -> float:
        """saving(S) = Σ_{i∈S} c({i}) − c(S)."""
        return self.stand_alone_cny(mask) - self.cost_cny[mask]

    def alone_cny(self, player: str) -> float:
        """c({i}): the carrier alone, from its own depot."""
        return self.cost_cny[1 << self.players.index(player)]


def _mean_figures(results: Sequence[TaskResult]) -> dict[int, dict[str, float]]:
    """Each coalition's figures averaged over its replications (a figure absent in one counts as 0)."""
    by_point: dict[int, list[dict[str, float]]] = defaultdict(list)
    for result in results:
        if result.metrics is None:
            raise ValueError(f"coalition {result.point} replication {result.replication} failed: {result.error}")
        by_point[result.point].append(result.metrics)
    means = {}
    for point, replications in by_point.items():
        names = sorted({name for figures in replications for name in figures})
        means[point] = {name: float(np.mean([figures.get(name, 0.0) for figures in replications])) for name in names}
    return means


def _in_scope(figures: dict[str, float], kind: str, county: str, carrier: str | None = None) -> float:
    """The sum of one kind of figure over the scope's counties (every county when ``county`` is empty)."""
    total = 0.0
    for name, value in figures.items():
        parts = name.split(SEPARATOR)
        if parts[0] != kind or (county and parts[1] != county):
            continue
        if carrier is None or parts[2] == carrier:
            total += value
    return total


def settle(players: Sequence[str], results: Sequence[TaskResult], county: str = ALL_COUNTIES) -> Settlement:
    """The settlement of ``county`` (all counties when empty) from every coalition's finished tasks."""
    players = tuple(players)
    figures = _mean_figures(results)
    alone = figures[0]
    cost: dict[int, float] = {0: 0.0}
    for index, player in enumerate(players):
        cost[1 << index] = _in_scope(alone, OWN, county, player)
    for mask, coalition in figures.items():
        if mask == 0:
            continue
        members = coalition_members(players, mask)
        cost[mask] = _in_scope(coalition, SHARED, county) + sum(
            _in_scope(coalition, OWN, county, member) for member in members
        )
    everyone = (1 << len(players)) - 1
    grand = figures[everyone]
    parcels = {player: _in_scope(alone, PARCELS, county, player) for player in players}
    total_parcels = sum(parcels.values())
    shared = _in_scope(grand, SHARED, county)
    by_parcels = {
        player: _in_scope(grand, OWN, county, player)
        + (shared * parcels[player] / total_parcels if total_parcels else 0.0)
        for player in players
    }

    def saving(coalition: Coalition) -> float:
        alone_sum = sum(cost[1 << players.index(player)] for player in coalition)
        return alone_sum - cost[coalition_mask(players, coalition)]

    return Settlement(
        county=county,
        players=players,
        parcels=parcels,
        cost_cny=cost,
        by_parcels_cny=by_parcels,
        shapley_saving_cny=shapley_values(players, saving),
    )


def settlement_rows(settlement: Settlement, names: dict[str, str]) -> list[dict[str, Any]]:
    """The settlement table: a row per member carrier, alone, in the park by parcels, and by Shapley."""
    rows = []
    for player in settlement.players:
        parcels = settlement.parcels[player]
        alone = settlement.alone_cny(player)
        shapley = alone - settlement.shapley_saving_cny[player]
        by_parcels = settlement.by_parcels_cny[player]
        rows.append(
            {
                "county": settlement.county,
                "carrier": player,
                "name": names.get(player, ""),
                "parcels": parcels,
                "alone_cny": alone,
                "by_parcels_cny": by_parcels,
                "shapley_cny": shapley,
                "shapley_saving_cny": settlement.shapley_saving_cny[player],
                "alone_cny_per_parcel": _per(alone, parcels),
                "by_parcels_cny_per_parcel": _per(by_parcels, parcels),
                "shapley_cny_per_parcel": _per(shapley, parcels),
            }
        )
    return rows


def coalition_rows(settlement: Settlement) -> list[dict[str, Any]]:
    """The coalitions table: every non-empty coalition's cost, what its members pay alone, and the saving."""
    rows = []
    for mask in sorted(settlement.cost_cny, key=lambda m: (bin(m).count("1"), m)):
        if mask == 0:
            continue
        members = coalition_members(settlement.players, mask)
        stand_alone = settlement.stand_alone_cny(mask)
        rows.append(
            {
                "county": settlement.county,
                "coalition": "+".join(members),
                "members": len(members),
                "cost_cny": settlement.cost_cny[mask],
                "stand_alone_cny": stand_alone,
                "saving_cny": settlement.saving_cny(mask),
                "saving_share": _per(settlement.saving_cny(mask), stand_alone),
            }
        )
    return rows


def _per(amount: float, count: float) -> float:
    return amount / count if count else float("nan")
