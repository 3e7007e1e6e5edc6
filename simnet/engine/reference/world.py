"""What every part of one reference replication shares: its clock, plan, statistics, ledger and cost shares."""

from __future__ import annotations

from dataclasses import dataclass

import simpy

from simnet.engine.ledger import Ledger
from simnet.engine.reference.costs import ReferenceShares
from simnet.engine.stats import ParcelStats
from simnet.planning.plan import StaticPlan
from simnet.scenario.models import Scenario


@dataclass(eq=False)
class World:
    """One replication's shared state; ``shares`` is its cost attribution."""

    env: simpy.Environment
    plan: StaticPlan
    stats: ParcelStats
    ledger: Ledger
    total_days: int
    end_h: float
    delivery_day: list[bool]
    shares: ReferenceShares

    @property
    def scenario(self) -> Scenario:
        """The scenario being run."""
        return self.plan.scenario
