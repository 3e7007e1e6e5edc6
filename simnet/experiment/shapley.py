"""The exact Shapley value of a cooperative game with few players, from the value of every coalition.

A game gives each coalition S of the players N (n = |N|) a value v(S), with v(∅) = 0. Player i's
Shapley value is its marginal contribution averaged over every order in which the players could
join, that is

    φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! × (v(S ∪ {i}) − v(S)).

It is the one division of v(N) that is efficient (Σ φ_i = v(N)), symmetric (players whose
contributions are the same to every coalition get the same), gives a null player (who adds
nothing to any coalition) nothing, and is additive over games. The sum runs over all 2^(n−1)
coalitions without i, so it is meant for a handful of players (simnet's settlement has at most 8).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

Coalition = frozenset[str]
"""A set of players, by name."""


def coalitions(players: Sequence[str]) -> list[Coalition]:
    """Every subset of ``players``, the empty one first, smaller ones before larger ones."""
    return [frozenset(combo) for size in range(len(players) + 1) for combo in itertools.combinations(players, size)]


def shapley_values(players: Sequence[str], value: Callable[[Coalition], float]) -> dict[str, float]:
    """Each player's Shapley value of the game ``value`` (module docstring); ``value(∅)`` must be 0."""
    if len(set(players)) != len(players):
        raise ValueError(f"players must be distinct, found {list(players)}")
    empty = value(frozenset())
    if empty != 0:
        raise ValueError(f"the empty coalition must be worth 0, not {empty}")
    n = len(players)
    weights = [math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n) for size in range(n)]
    worth = {coalition: value(coalition) for coalition in coalitions(players)}
    shares: dict[str, float] = {}
    for player in players:
        others = [other for other in players if other != player]
        shares[player] = sum(
            weights[len(coalition)] * (worth[coalition | {player}] - worth[coalition])
            for coalition in coalitions(others)
        )
    return shares
