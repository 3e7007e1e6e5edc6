"""The reference engine's shippers' parcels: one process each, a plain list per shipper and per park.

The rule is stated in ``engine/factories.py``.
"""

from __future__ import annotations

from simnet.engine.factories import FactoryTally
from simnet.engine.ledger import Account
from simnet.engine.reference.items import Shipped, shipped_columns
from simnet.engine.reference.line import Process
from simnet.engine.reference.world import World
from simnet.planning.shippers import ShipperPlan


class ReferenceShippers:
    """Parcels waiting at each dedicated-van shipper, at park-van stops and at each park; the vans; the tally."""

    def __init__(self, world: World, tally: FactoryTally) -> None:
        self.world = world
        self.tally = tally
        self.at_shipper: list[list[Shipped]] = [[] for _ in world.plan.shippers]
        self.at_park: list[list[Shipped]] = [[] for _ in world.plan.network.parks]
        self.at_stop: dict[int, list[Shipped]] = {
            shipper.site: [] for shipper in world.plan.shippers if shipper.spec.collected_by == "park_vans"
        }
        """Per site: the parcels there that park vans collect."""
        self.parcels: list[Shipped] = []

    def start(self, parcel: Shipped) -> None:
        """A new parcel: counted, and brought to life as a process."""
        self.parcels.append(parcel)
        self.world.env.process(self._ready(parcel))

    def _ready(self, parcel: Shipped) -> Process:
        """At its ready time the parcel waits at its shipper (its van or the park vans collect), or at the park."""
        env = self.world.env
        yield env.timeout(parcel.appear_h - env.now)
        shipper = self.world.plan.shippers[parcel.shipper]
        parcel.ready_h = env.now
        if shipper.spec.collected_by == "park_vans":
            self.at_stop[shipper.site].append(parcel)
        elif shipper.van is None:
            self.at_park[shipper.county].append(parcel)
        else:
            self.at_shipper[shipper.number].append(parcel)

    def ready_at(self, site: int) -> list[Shipped]:
        """The parcels ready now at a park-van stop, oldest first (ties by number)."""
        now = self.world.env.now
        return sorted((p for p in self.at_stop[site] if p.ready_h <= now), key=lambda p: (p.ready_h, p.seq))

    def collect_at(self, site: int, count: int) -> list[Shipped]:
        """A park van takes the ``count`` oldest ready parcels at ``site``."""
        load = self.ready_at(site)[:count]
        for parcel in load:
            self.at_stop[site].remove(parcel)
        return load

    def unload_at_park(self, county: int, parcels: list[Shipped]) -> None:
        """A park van back at ``county``'s park: its shippers' parcels wait there for a trunk truck."""
        for parcel in parcels:
            parcel.ready_h = self.world.env.now
            self.at_park[county].append(parcel)

    def vans(self, shipper: ShipperPlan) -> Process:
        """The shipper's dedicated van leaves the park at each departure and fetches what is ready."""
        env = self.world.env
        for day in range(self.world.total_days):
            for depart_h in shipper.spec.van_clock_h:
                yield env.timeout(24.0 * day + depart_h - env.now)
                env.process(self._round_trip(shipper, env.now))

    def _round_trip(self, shipper: ShipperPlan, depart_h: float) -> Process:
        world = self.world
        env = world.env
        van = shipper.van
        assert van is not None
        yield env.timeout(shipper.van_time_h)
        waiting = sorted(
            (p for p in self.at_shipper[shipper.number] if p.ready_h <= env.now), key=lambda p: (p.ready_h, p.seq)
        )
        load = waiting[: van.capacity_parcels]
        for parcel in load:
            self.at_shipper[shipper.number].remove(parcel)
        items = world.ledger.add_trip(
            depart_h,
            Account("park", shipper.county, None, shipper.spec.vehicle_type),
            van,
            2 * shipper.van_distance_km,
            2 * shipper.van_time_h,
            len(load) / van.capacity_parcels,
        )
        world.shares.share("park", items, [])
        if self.tally.window_start_h <= depart_h < self.tally.window_end_h:
            self.tally.van_cny[shipper.number] += sum(cny for _, cny in items)
        yield env.timeout(shipper.van_time_h)
        for parcel in load:
            parcel.ready_h = env.now
            self.at_park[shipper.county].append(parcel)

    def backhaul(self, county: int, capacity: int) -> list[Shipped]:
        """What a trunk truck unloaded at ``county``'s park takes back: the oldest ready, up to ``capacity``."""
        now = self.world.env.now
        waiting = sorted((p for p in self.at_park[county] if p.ready_h <= now), key=lambda p: (p.ready_h, p.seq))
        load = waiting[:capacity]
        for parcel in load:
            self.at_park[county].remove(parcel)
        self.tally.record_backhaul(now, capacity, len(load))
        return load

    def finish(self, parcels: list[Shipped], time_h: float) -> None:
        """The parcels leave the model on line-haul at ``time_h``."""
        for parcel in parcels:
            parcel.finished_h = time_h
        self.tally.record_out(shipped_columns(parcels), time_h)

    def collect(self) -> None:
        """Count the parcels ready in the window."""
        self.tally.record_in(shipped_columns(self.parcels))
