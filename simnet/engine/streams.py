"""Named random streams (DESIGN.md §4): one root SeedSequence, a child per replication, a grandchild per component.

Streams are keyed by (replication, component, day) through SeedSequence spawn keys, so a
component's numbers do not depend on how many other components or days draw before it: two
scenarios that share a component share its random numbers (common random numbers). A city hub's
streams add its key (``planning/hubs.stream_key``, from its id), so a hub draws the same numbers
in any city it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COMPONENTS: tuple[str, ...] = (
    "demand_volume",
    "arrival_times",
    "destinations",
    "carriers",
    "pickups",
    "breakdowns",
    "parcel_sample",
    "shippers",
)
"""Stochastic components in their fixed, documented order; append new ones at the end."""


@dataclass(frozen=True)
class RandomStreams:
    """The random generators of one replication."""

    seed: int
    replication: int
    hub_key: int | None = None
    """The key of the hub whose streams these are; None for streams no hub owns."""

    def generator(self, component: str, day: int = 0) -> np.random.Generator:
        """The generator of ``component`` on ``day`` (day 0 for whole-run components)."""
        key: tuple[int, ...] = (self.replication, COMPONENTS.index(component), day)
        if self.hub_key is not None:
            key = (*key, self.hub_key)
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=key)))
