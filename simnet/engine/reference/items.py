"""The things the reference engine moves one by one: parcels going down and pickups going up."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy
from numpy.typing import NDArray


@dataclass(eq=False)
class Parcel:
    """One parcel and what happens to it."""

    seq: int
    arrival_h: float
    rural: bool
    carrier: int = -1
    village: int = -1
    sampled: bool = False
    hub_done_h: float = float("inf")
    park_arrival_h: float = float("nan")
    park_done_h: float = float("nan")
    town_arrival_h: float = float("nan")
    delivered_h: float = float("inf")
    at_village: bool = False
    co_delivered: bool = False
    unloaded: simpy.Event | None = None
    costs: defaultdict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    """CNY attributed to it, by (tier, kind)."""
    waits: list[tuple[str, float, float]] = field(default_factory=list)
    """Where it waited: (tier, from, until); the last one's end is inf while it still waits."""


@dataclass(eq=False)
class Pickup:
    """One parcel sent from a village point towards the city hub."""

    seq: int
    appear_h: float
    carrier: int
    village: int
    site: int
    ready_h: float = float("nan")
    """When it began to wait where it is now (appearing, or unloaded at a town station's park)."""
    hub_arrival_h: float = float("inf")
    """When it reaches the city hub (known from its return truck's departure)."""
    finished_h: float = float("inf")
    """When it leaves the model: on reaching the hub, or on its line-haul departure."""
    fresh: bool = False
    """Fresh produce, which must leave on line-haul within ``demand.fresh_max_h`` of appearing."""
    costs: defaultdict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    """CNY attributed to it, by (tier, kind)."""
    waits: list[tuple[str, float, float]] = field(default_factory=list)
    """Where it waited: (tier, from, until); the last one's end is inf while it still waits."""


def pickup_columns(pickups: list[Pickup]) -> dict[str, NDArray[Any]]:
    """Pickup objects as the columns the statistics take (appearance, village, fresh produce)."""
    return {
        "appear_h": np.array([p.appear_h for p in pickups], dtype=np.float64),
        "village": np.array([p.village for p in pickups], dtype=np.int64),
        "fresh": np.array([p.fresh for p in pickups], dtype=bool),
    }


def arrive_at(unit: Parcel | Pickup, tier: str, time_h: float) -> None:
    """The unit begins to wait at a place of ``tier``."""
    unit.waits.append((tier, time_h, float("inf")))


def leave(unit: Parcel | Pickup, time_h: float) -> None:
    """The unit leaves the place it waits at (a truck or vehicle takes it)."""
    tier, since_h, _ = unit.waits[-1]
    unit.waits[-1] = (tier, since_h, time_h)


@dataclass(eq=False)
class Shipped:
    """One parcel a factory or e-commerce park sends out of the city (``engine/factories.py``)."""

    seq: int
    appear_h: float
    shipper: int
    ready_h: float = float("nan")
    """When it began to wait where it is now (ready at its shipper, or brought to the park)."""
    hub_arrival_h: float = float("inf")
    finished_h: float = float("inf")
    """When it leaves the model on line-haul (or on reaching the hub without line-haul)."""


def shipped_columns(parcels: list[Shipped]) -> dict[str, NDArray[Any]]:
    """Shipped parcel objects as the columns the factory tally takes."""
    return {
        "appear_h": np.array([p.appear_h for p in parcels], dtype=np.float64),
        "shipper": np.array([p.shipper for p in parcels], dtype=np.int64),
    }
