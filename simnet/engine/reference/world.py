"""What every part of one reference replication shares: its clock, plan, streams, statistics and ledger."""

from __future__ import annotations

from dataclasses import dataclass

import simpy

from simnet.engine.ledger import Ledger
from simnet.engine.stats import ParcelStats
from simnet.engine.streams import RandomStreams
from simnet.planning.plan import StaticPlan
from simnet.scenario.models import Scenario


@dataclass(eq=False)
class World:
    """One replication's shared state."""

    env: simpy.Environment
    plan: StaticPlan
    streams: RandomStreams
    stats: ParcelStats
    ledger: Ledger
    total_days: int
    end_h: float
    delivery_day: list[bool]

    @property
    def scenario(self) -> Scenario:
        """The scenario being run."""
        return self.plan.scenario
