"""The things the reference engine moves one by one: parcels going down and pickups going up."""

from __future__ import annotations

from dataclasses import dataclass

import simpy


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
