"""The reference engine's trunk: trucks from each hub's pool at its cut-offs, and the return departures."""

from __future__ import annotations

from collections.abc import Callable

import simpy

from simnet.engine.cold_chain import cold_chain_curve
from simnet.engine.facilities import trunk_pool_key
from simnet.engine.ledger import Account
from simnet.engine.reference.items import Parcel, Pickup, Shipped, arrive_at, leave
from simnet.engine.reference.line import Line, Process
from simnet.engine.reference.shippers import ReferenceShippers
from simnet.engine.reference.world import World
from simnet.engine.stats import LineUse
from simnet.planning.hubs import HubPlan


class ReferenceTrunk:
    """The hubs' outbound store per county, the parks' return stores and each hub's truck pool."""

    def __init__(
        self,
        world: World,
        to_hub: list[Callable[[list[Pickup], float], None]],
        shippers: ReferenceShippers | None = None,
        shipped_to_hub: list[Callable[[list[Shipped], float], None]] | None = None,
    ) -> None:
        self.world = world
        self.to_hub = to_hub
        """Per hub: takes the pickups a return trip brings to it, with their arrival time."""
        self.shippers = shippers
        self.shipped_to_hub = shipped_to_hub
        """Per hub: takes the shippers' parcels a truck brings back (``engine/factories.py``); None without."""
        env = world.env
        plan = world.plan
        counties = len(plan.network.parks)
        self.outbound = [simpy.Store(env) for _ in range(counties)]
        self.returning = [simpy.Store(env) for _ in range(counties)]
        fleets = [hub.trunk_fleet.mix[0] for hub in plan.hubs]
        self.pools = [simpy.Container(env, capacity=fleet.count, init=fleet.count) for fleet in fleets]
        self.trucks_out = [0 for _ in plan.hubs]
        self.peaks: list[dict[int, int]] = [{} for _ in plan.hubs]
        self.fixed_accounts = [
            Account("trunk", vehicle_type=fleet.vehicle_type, hub=number) for number, fleet in enumerate(fleets)
        ]
        self.trip_accounts = [
            Account("trunk", county, None, fleets[hub].vehicle_type) for county, hub in enumerate(plan.hub_of_county)
        ]
        capacity = world.scenario.parks.cold_chain_capacity_per_day
        self.cold_chains = (
            []
            if capacity is None
            else [
                Line(env, cold_chain_curve(capacity, world.total_days), LineUse("park", county, -1, 0.0))
                for county in range(counties)
            ]
        )
        """Per county: the park's cold chain for fresh produce (``engine/cold_chain.py``), when set."""

    def ride(self, parcel: Parcel, county: int) -> Process:
        """A sorted parcel waits at the hub for a truck to its county and rides until it is unloaded."""
        parcel.unloaded = self.world.env.event()
        yield self.outbound[county].put(parcel)
        yield parcel.unloaded

    def cutoffs(self, hub: HubPlan) -> Process:
        """A hub's trunk trucks leave at each cut-off, one at a time to the park of its with most parcels waiting."""
        world = self.world
        env = world.env
        capacity = hub.trunk_vehicle.capacity_parcels
        counties = hub.counties.tolist()
        pool = self.pools[hub.number]
        for day in range(world.total_days):
            for cutoff_h in sorted(hub.spec.dispatch_cutoffs_h):
                yield env.timeout(24.0 * day + cutoff_h - env.now)
                yield env.timeout(0)
                waiting = [len(self.outbound[county].items) for county in counties]
                trucks: list[tuple[int, int]] = []
                for _ in range(int(pool.level) if counties else 0):
                    position = waiting.index(max(waiting))
                    if waiting[position] == 0:
                        break
                    load = min(capacity, waiting[position])
                    waiting[position] -= load
                    trucks.append((counties[position], load))
                if not trucks:
                    continue
                yield pool.get(len(trucks))
                for county, load in trucks:
                    cargo = []
                    for _ in range(load):
                        parcel = yield self.outbound[county].get()
                        leave(parcel, env.now)
                        cargo.append(parcel)
                    env.process(self.truck(hub, county, cargo))

    def truck(self, hub: HubPlan, county: int, cargo: list[Parcel]) -> Process:
        """A truck's round trip from its hub to a park: unload, come back, be free again."""
        env = self.world.env
        plan = self.world.plan
        number = hub.number
        self.trucks_out[number] += 1
        day = int(env.now // 24)
        self.peaks[number][day] = max(self.peaks[number].get(day, 0), self.trucks_out[number])
        self.book_trips(county, cargo)
        yield env.timeout(float(plan.trunk_time_h[county]))
        for parcel in cargo:
            assert parcel.unloaded is not None
            parcel.unloaded.succeed()
        if self.shippers is not None and self.shipped_to_hub is not None:
            shipped = self.shippers.backhaul(county, hub.trunk_vehicle.capacity_parcels)
            if shipped:
                self.shipped_to_hub[number](shipped, env.now + float(plan.trunk_time_h[county]))
        yield env.timeout(float(plan.trunk_time_h[county]))
        self.trucks_out[number] -= 1
        yield self.pools[number].put(1)

    def book_trips(self, county: int, units: list[Parcel] | list[Pickup]) -> None:
        """Round trips between the hub and a county's park, one per truckload, booked at their start.

        Their cost is split among all the units they carry together; the pool handled them all.
        """
        world = self.world
        plan = world.plan
        hub = plan.hubs[int(plan.hub_of_county[county])]
        capacity = hub.trunk_vehicle.capacity_parcels
        carried: list[Parcel | Pickup] = list(units)
        for first in range(0, len(carried), capacity):
            load = carried[first : first + capacity]
            trip_cny = world.ledger.add_trip(
                world.env.now,
                self.trip_accounts[county],
                hub.trunk_vehicle,
                2 * float(plan.trunk_distance_km[county]),
                2 * float(plan.trunk_time_h[county]),
                len(load) / capacity,
            )
            world.shares.share("trunk", trip_cny, carried)
        world.shares.handle(trunk_pool_key(hub.number), world.env.now, carried)

    def bring_back(self, county: int, pickups: list[Pickup]) -> None:
        """Pickups unloaded at a county's park wait there for a return departure (fresh ones after the cold chain)."""
        chilled = sorted((p for p in pickups if p.fresh), key=lambda p: p.seq) if self.cold_chains else []
        for pickup in pickups:
            arrive_at(pickup, "park", self.world.env.now)
            if not (pickup.fresh and self.cold_chains):
                self.returning[county].put(pickup)
        for pickup in chilled:
            self.world.env.process(self.chill(county, pickup))

    def chill(self, county: int, pickup: Pickup) -> Process:
        """A fresh pickup passes through its park's cold chain, then waits for a return departure."""
        yield from self.cold_chains[county].sort()
        yield self.returning[county].put(pickup)

    def returns(self) -> Process:
        """At each return departure, the pickups waiting at a park ride to the hub on as many trucks as they fill."""
        world = self.world
        env = world.env
        for day in range(world.total_days):
            for depart_h in sorted(world.scenario.parks.return_departures_h):
                yield env.timeout(24.0 * day + depart_h - env.now)
                yield env.timeout(0)
                for county, store in enumerate(self.returning):
                    pickups = list(store.items)
                    store.items.clear()
                    for pickup in pickups:
                        leave(pickup, env.now)
                    if pickups:
                        self.book_trips(county, pickups)
                        hub = int(world.plan.hub_of_county[county])
                        self.to_hub[hub](pickups, env.now + float(world.plan.trunk_time_h[county]))

    def book_fixed_costs(self) -> None:
        """Each truck-day a hub's pool needed (its peak number of trucks out that day)."""
        for hub in self.world.plan.hubs:
            cost_per_day_cny = hub.trunk_vehicle.cost_per_day_cny
            account = self.fixed_accounts[hub.number]
            for day, trucks in self.peaks[hub.number].items():
                self.world.ledger.add_cost(24.0 * day, account, "vehicle_fixed", trucks * cost_per_day_cny)
                self.world.shares.spread(
                    trunk_pool_key(hub.number), day, "trunk", "vehicle_fixed", trucks * cost_per_day_cny
                )
