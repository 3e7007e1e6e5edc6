"""What one replication leaves behind, whichever engine ran it: the input to its metrics and tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simnet.engine.attribution import AttributedCosts
from simnet.engine.bus_use import BusUse
from simnet.engine.factories import FactoryTally
from simnet.engine.hub_tally import HubTally
from simnet.engine.ledger import Ledger
from simnet.engine.lockers import LockerTally
from simnet.engine.stats import ParcelStats
from simnet.planning.plan import StaticPlan


@dataclass(frozen=True)
class FleetUse:
    """A fleet: what it is, how many vehicles it owns, and the most it had out on each simulated day."""

    tier: str
    county: int
    carrier: int
    vehicle_type: str
    vehicles: int
    peak_by_day: dict[int, int]


@dataclass(frozen=True)
class Outcome:
    """The statistics, ledger, attributed costs, line and fleet use of one replication, and its backlog at the end."""

    plan: StaticPlan
    stats: ParcelStats
    ledger: Ledger
    hubs: tuple[HubTally, ...]
    """What each city hub measured, in the order of ``plan.hubs``."""
    backlog: int
    fleets: tuple[FleetUse, ...]
    attributed: AttributedCosts
    backlog_by_day: NDArray[np.int64]
    """Units waiting at the end of each simulated day, by tier and unit kind (``engine/backlog.py``)."""
    simulated_days: int
    """Days simulated (the run stops once every measured unit has finished, at the latest after the drain days)."""
    lockers: LockerTally | None = None
    """What points with hours or lockers saw (``engine/lockers.py``); None when no section gives them."""
    bus: BusUse | None = None
    """What the bus lines carried (``engine/bus.py``); None without ``bus_lines``."""
    factories: FactoryTally | None = None
    """What the shippers' parcels did (``engine/factories.py``); None without ``shippers``."""
