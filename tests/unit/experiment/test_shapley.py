"""The exact Shapley value: efficiency, symmetry, null player, additivity, and a three-player game by hand."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simnet.experiment.shapley import Coalition, coalitions, shapley_values

PLAYERS = ("a", "b", "c", "d")


def game_of(worths: list[float], players: tuple[str, ...] = PLAYERS) -> dict[Coalition, float]:
    """A game on ``players``: the empty coalition worth 0, the others the given worths in ``coalitions`` order."""
    every = coalitions(players)
    return {frozenset(): 0.0, **dict(zip(every[1:], worths, strict=True))}


WORTHS = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=15, max_size=15)
"""The worths of the 15 non-empty coalitions of four players."""


def test_three_players_by_hand():
    """v(ab)=90, v(ac)=60, v(bc)=30, v(abc)=120, singletons 0: φ = (55, 40, 25).

    By the formula, with weights 1/3 for the empty and the two-player coalitions and 1/6 for singletons:
    φ_a = (90 + 60)/6 + (120 − 30)/3 = 25 + 30 = 55; φ_b = (90 + 30)/6 + (120 − 60)/3 = 20 + 20 = 40;
    φ_c = (60 + 30)/6 + (120 − 90)/3 = 15 + 10 = 25.
    """
    worth = {
        frozenset(): 0.0,
        frozenset("a"): 0.0,
        frozenset("b"): 0.0,
        frozenset("c"): 0.0,
        frozenset("ab"): 90.0,
        frozenset("ac"): 60.0,
        frozenset("bc"): 30.0,
        frozenset("abc"): 120.0,
    }
    shares = shapley_values(("a", "b", "c"), worth.__getitem__)
    assert shares == pytest.approx({"a": 55.0, "b": 40.0, "c": 25.0}, abs=1e-12)


def test_two_players_split_the_surplus_equally():
    """With two players each gets its own worth plus half of what the pair adds: v(a)=10, v(b)=4, v(ab)=20 → 13, 7."""
    worth = {frozenset(): 0.0, frozenset("a"): 10.0, frozenset("b"): 4.0, frozenset("ab"): 20.0}
    assert shapley_values(("a", "b"), worth.__getitem__) == pytest.approx({"a": 13.0, "b": 7.0})


@settings(max_examples=50, deadline=None)
@given(WORTHS)
def test_efficiency(worths):
    """The shares add up to the grand coalition's worth, whatever the game."""
    worth = game_of(worths)
    shares = shapley_values(PLAYERS, worth.__getitem__)
    assert sum(shares.values()) == pytest.approx(worth[frozenset(PLAYERS)], rel=1e-9, abs=1e-6)


@settings(max_examples=50, deadline=None)
@given(WORTHS)
def test_symmetry(worths):
    """Players a and b made interchangeable (v(S) = v(S with a and b swapped)) get identical shares."""
    worth = game_of(worths)
    swap = {"a": "b", "b": "a"}
    symmetric = {s: (worth[s] + worth[frozenset(swap.get(p, p) for p in s)]) / 2 for s in worth}
    shares = shapley_values(PLAYERS, symmetric.__getitem__)
    assert shares["a"] == pytest.approx(shares["b"], rel=1e-9, abs=1e-6)


@settings(max_examples=50, deadline=None)
@given(WORTHS)
def test_null_player(worths):
    """A player who adds nothing to any coalition (v(S ∪ {d}) = v(S)) gets zero; the others share v(N)."""
    worth = game_of(worths)
    null = {s: worth[s - {"d"}] for s in worth}
    shares = shapley_values(PLAYERS, null.__getitem__)
    assert shares["d"] == pytest.approx(0.0, abs=1e-6)
    assert shares["a"] + shares["b"] + shares["c"] == pytest.approx(null[frozenset(PLAYERS)], rel=1e-9, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(WORTHS, WORTHS)
def test_additivity(first, second):
    """The value of the sum of two games is the sum of their values (so a mean game has the mean shares)."""
    one, two = game_of(first), game_of(second)
    both = {s: one[s] + two[s] for s in one}
    shares_one = shapley_values(PLAYERS, one.__getitem__)
    shares_two = shapley_values(PLAYERS, two.__getitem__)
    shares_both = shapley_values(PLAYERS, both.__getitem__)
    for player in PLAYERS:
        assert shares_both[player] == pytest.approx(shares_one[player] + shares_two[player], rel=1e-9, abs=1e-5)


def test_empty_coalition_must_be_worth_nothing():
    """A game whose empty coalition is worth something is refused: the shares would not be a division of v(N)."""
    with pytest.raises(ValueError, match="empty coalition must be worth 0"):
        shapley_values(("a",), lambda coalition: 1.0)


def test_coalitions_in_order():
    """All 2^n subsets, smaller before larger, the empty one first."""
    assert coalitions(("a", "b")) == [frozenset(), frozenset("a"), frozenset("b"), frozenset("ab")]
