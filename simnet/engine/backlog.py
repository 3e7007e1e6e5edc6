"""Parcels and pickups waiting at the end of each simulated day, by the tier of the place they wait at.

A rural parcel waits at the hub from its arrival until a truck takes it (sorted or not), at its
park or depot from unloading until a vehicle takes it, and at a town station from being left
there until a vehicle takes it on; one delivered, aboard a truck or a vehicle, waits nowhere. A
pickup waits at its village point or town station from appearing (or being left there) until a
vehicle collects it, at the park until a return departure, and at the hub from arriving until its
line-haul departure (with departures listed). "At the end of day d" is the
instant 24 (d + 1) h, before anything that happens then: a unit counts when it came before and
leaves then or later.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

BACKLOG_TIERS = ("hub", "park", "depot", "town", "village")
UNITS = ("parcel", "pickup")
SITE_TIERS = ("hub", "park", "town", "village")
"""Tier of a site by its kind code in the network (``CityNetwork.site_kind``)."""


def new_backlog(total_days: int) -> NDArray[np.int64]:
    """Per simulated day, tier and unit kind: units waiting at the end of the day (filled day by day)."""
    return np.zeros((total_days, len(BACKLOG_TIERS), len(UNITS)), dtype=np.int64)


def count_at(backlog: NDArray[np.int64], day: int, tier: str, unit: str, count: int) -> None:
    """Add ``count`` units waiting at a tier at the end of ``day``."""
    backlog[day, BACKLOG_TIERS.index(tier), UNITS.index(unit)] += count
