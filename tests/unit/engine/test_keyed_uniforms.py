"""Keyed uniforms: the same draw for the same (seed, replication, salt, seq), uniform on (0, 1)."""

import numpy as np

from simnet.engine.keyed_uniforms import keyed_uniforms, splitmix64, splitmix64_int


def test_splitmix64_known_value_and_vector_form():
    """splitmix64 of 0 is 0xE220A8397B1DCDAF (the generator's first output from state 0); arrays mix alike."""
    assert splitmix64_int(0) == 0xE220A8397B1DCDAF
    values = np.array([0, 1, 2**40, 2**64 - 1], dtype=np.uint64)
    assert [int(v) for v in splitmix64(values)] == [splitmix64_int(int(v)) for v in values]


def test_a_draw_depends_on_its_key_alone():
    """Drawn in any order or subset, an item gets the same value; another salt, seed or replication another."""
    seq = np.arange(1000, dtype=np.int64)
    draws = keyed_uniforms(5, 2, 1, seq)
    assert np.array_equal(keyed_uniforms(5, 2, 1, seq[::-1]), draws[::-1])
    assert keyed_uniforms(5, 2, 1, seq[7:8])[0] == draws[7]
    for other in (keyed_uniforms(5, 2, 2, seq), keyed_uniforms(6, 2, 1, seq), keyed_uniforms(5, 3, 1, seq)):
        assert not np.any(other == draws)


def test_uniform_moments():
    """Over 10⁶ items: inside (0, 1), mean 1/2 and variance 1/12 within 5 standard errors."""
    draws = keyed_uniforms(20261124, 0, 1, np.arange(1_000_000, dtype=np.int64))
    assert draws.min() > 0.0
    assert draws.max() < 1.0
    standard_error = np.sqrt(1 / 12 / len(draws))
    assert abs(draws.mean() - 0.5) < 5 * standard_error
    assert abs(draws.var() - 1 / 12) < 5 * np.sqrt(1 / 180 / len(draws))
