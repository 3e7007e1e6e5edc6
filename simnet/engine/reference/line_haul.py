"""The reference engine's outbound line-haul at a hub (the rule is stated in ``engine/line_haul.py``)."""

from __future__ import annotations

from simnet.engine.line_haul import departure_clock_h
from simnet.engine.reference.items import Pickup, Shipped, arrive_at, leave, pickup_columns
from simnet.engine.reference.line import Process
from simnet.engine.reference.shippers import ReferenceShippers
from simnet.engine.reference.world import World
from simnet.scenario.models.hubs import ListedHub


class ReferenceLineHaul:
    """Pickups and shippers' parcels at the hub in a plain list; departures take the oldest."""

    def __init__(self, world: World, hub: ListedHub, shippers: ReferenceShippers | None) -> None:
        self.world = world
        self.shippers = shippers
        self.departures_h = departure_clock_h(hub)
        self.capacity = hub.line_haul_capacity_per_departure
        self.at_hub: list[Pickup | Shipped] = []

    def arrive_shipped(self, parcels: list[Shipped], arrival_h: float) -> None:
        """Shippers' parcels reach the hub at ``arrival_h``: they wait for line-haul, or leave (no departures)."""
        assert self.shippers is not None
        if not self.departures_h:
            self.shippers.finish(parcels, arrival_h)
            return
        for parcel in parcels:
            parcel.hub_arrival_h = arrival_h
        self.at_hub += parcels

    def arrive(self, pickups: list[Pickup], arrival_h: float) -> None:
        """Pickups reach the hub at ``arrival_h``: they wait for line-haul, or leave the model (no departures)."""
        if not self.departures_h:
            self.finish(pickups, arrival_h)
            return
        for pickup in pickups:
            pickup.hub_arrival_h = arrival_h
            arrive_at(pickup, "hub", arrival_h)
        self.at_hub += pickups

    def departures(self) -> Process:
        """At each departure, the pickups there longest leave, up to the capacity, in the order they came."""
        env = self.world.env
        for day in range(self.world.total_days):
            for depart_h in self.departures_h:
                yield env.timeout(24.0 * day + depart_h - env.now)
                yield env.timeout(0)
                here = sorted(
                    (p for p in self.at_hub if p.hub_arrival_h <= env.now), key=lambda p: (p.hub_arrival_h, p.seq)
                )
                leaving = here if self.capacity is None else here[: self.capacity]
                for unit in leaving:
                    self.at_hub.remove(unit)
                pickups = [unit for unit in leaving if isinstance(unit, Pickup)]
                shipped = [unit for unit in leaving if isinstance(unit, Shipped)]
                for pickup in pickups:
                    leave(pickup, env.now)
                if pickups:
                    self.finish(pickups, env.now)
                if shipped:
                    assert self.shippers is not None
                    self.shippers.finish(shipped, env.now)

    def finish(self, pickups: list[Pickup], time_h: float) -> None:
        """The pickups leave the model at ``time_h``."""
        for pickup in pickups:
            pickup.finished_h = time_h
        self.world.stats.record_pickups_at_hub(pickup_columns(pickups), time_h)
