"""Counter-based uniforms keyed by (seed, replication, salt, hub, item seq): the same draw for an item in any engine.

A draw is splitmix64 applied to a key folded from the scenario seed, the replication, a salt naming
what is drawn and the key of the item's hub, and the item's ``seq`` within its hub; its top 53
bits, plus one half, over 2⁵³ give a value strictly inside (0, 1). Nothing is taken from the
replication's random streams (``engine/streams.py``), so adding a keyed draw shifts no other draw,
and the order items are processed in does not matter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

MASK_64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15
MIX_1 = 0xBF58476D1CE4E5B9
MIX_2 = 0x94D049BB133111EB

COLLECTION_DELAY_SALT = 1
"""Salt of the residents' collection delay at village points and town stations (``engine/lockers.py``)."""

FRESH_PRODUCE_SALT = 2
"""Salt of whether a pickup is fresh produce (``engine/demand.fresh_flags``)."""


def splitmix64_int(value: int) -> int:
    """One splitmix64 step on a Python integer (mod 2⁶⁴): the scalar mixer that folds the key."""
    z = (value + GOLDEN_GAMMA) & MASK_64
    z = ((z ^ (z >> 30)) * MIX_1) & MASK_64
    z = ((z ^ (z >> 27)) * MIX_2) & MASK_64
    return z ^ (z >> 31)


def splitmix64(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """splitmix64 on every element (uint64 arithmetic wraps mod 2⁶⁴), the same bits as ``splitmix64_int``."""
    z = values + np.uint64(GOLDEN_GAMMA)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(MIX_1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(MIX_2)
    mixed: NDArray[np.uint64] = z ^ (z >> np.uint64(31))
    return mixed


def keyed_uniforms(
    seed: int, replication: int, salt: int, seq: NDArray[np.int64], hub_key: int = 0
) -> NDArray[np.float64]:
    """One uniform in (0, 1) per item ``seq``, fixed by (seed, replication, salt, hub key, seq) alone."""
    key = splitmix64_int(splitmix64_int(splitmix64_int(seed & MASK_64) ^ replication) ^ salt)
    key = splitmix64_int(key ^ hub_key)
    bits = splitmix64(np.asarray(seq, dtype=np.int64).astype(np.uint64) ^ np.uint64(key))
    uniforms: NDArray[np.float64] = ((bits >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
    return uniforms


SEQ_PER_HUB = 1 << 40
"""Units are numbered per city hub: hub h's parcels and pickups take seqs h · ``SEQ_PER_HUB`` + 0, 1, … in the
order the hub draws them, so seqs are unique in the city while a hub's units keep their order and keyed draws
whatever other hubs the city has (10¹² units a hub at most)."""


@dataclass(frozen=True)
class UnitDraws:
    """Keyed draws of one replication's units, each keyed by its hub's stream key and its seq within the hub."""

    seed: int
    replication: int
    hub_keys: tuple[int, ...]
    """The stream key of each hub, by hub number."""

    def uniforms(self, salt: int, seq: NDArray[np.int64]) -> NDArray[np.float64]:
        """One keyed uniform in (0, 1) per unit ``seq`` (``keyed_uniforms`` with its hub's key and in-hub seq)."""
        seq = np.asarray(seq, dtype=np.int64)
        hub = seq // SEQ_PER_HUB
        draws = np.empty(len(seq))
        for number in np.unique(hub).tolist():
            mine = hub == number
            in_hub = seq[mine] - number * SEQ_PER_HUB
            draws[mine] = keyed_uniforms(self.seed, self.replication, salt, in_hub, self.hub_keys[number])
        return draws
