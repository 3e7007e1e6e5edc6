"""The reference engine's dispatch points: waves load parcels onto planned routes, vehicles drive them."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import simpy

from simnet.engine.facilities import fleet_key, hand_over_key
from simnet.engine.garage import Garage
from simnet.engine.ledger import Account
from simnet.engine.reference.items import Parcel, Pickup, Shipped, arrive_at, leave
from simnet.engine.reference.line import Process
from simnet.engine.reference.lockers import ReferenceLockers
from simnet.engine.reference.shippers import ReferenceShippers
from simnet.engine.reference.world import World
from simnet.planning.fleet import vehicle_choices
from simnet.planning.plan import DispatchPlan
from simnet.planning.split import form_routes


class ReferencePoint:
    """A dispatch point: the parcels and pickups waiting there, its fleet, its waves and vehicles.

    ``forward`` takes a parcel a non-final point leaves at its town; ``bring_back`` takes the
    pickups a vehicle brings back; ``lockers`` makes final hand-overs wait for hours and cells;
    ``shippers`` holds the shippers' parcels a park's vehicles collect at its stops.
    """

    def __init__(
        self,
        world: World,
        plan: DispatchPlan,
        waiting: simpy.Store,
        pickups: simpy.Store,
        forward: Callable[[Parcel], None] | None,
        bring_back: Callable[[list[Pickup]], None],
        lockers: ReferenceLockers | None = None,
        shippers: ReferenceShippers | None = None,
    ) -> None:
        self.world = world
        self.plan = plan
        self.waiting = waiting
        self.pickups = pickups
        self.forward = forward
        self.bring_back = bring_back
        self.lockers = lockers
        self.shippers = shippers
        county_of_site = world.plan.network.county_of_site
        self.collection_sites = (
            set()
            if shippers is None or plan.tier != "park"
            else {site for site in shippers.at_stop if county_of_site[site] == plan.county}
        )
        """Sites where this point's vehicles collect shippers' parcels (park vans)."""
        self.garage = Garage(world.env, [vehicle.count for vehicle in plan.vehicles])
        self.peak_by_day: list[dict[int, int]] = [{} for _ in plan.vehicles]
        carrier = None if plan.carrier < 0 else plan.carrier
        self.accounts = [Account(plan.tier, plan.county, carrier, vehicle.name) for vehicle in plan.vehicles]
        self.village_account = Account("village", plan.county, carrier)
        self.town_account = Account("town", plan.county, carrier)

    def waves(self) -> Process:
        """At each wave, every waiting parcel leaves on a route formed from the stops' loads."""
        world = self.world
        env = world.env
        plan = self.plan
        for day in range(world.total_days):
            if plan.delivery_days_only and not world.delivery_day[day]:
                continue
            for wave_h in plan.waves_h:
                yield env.timeout(24.0 * day + wave_h - env.now)
                yield env.timeout(0)
                self.wave(env.now)

    def wave(self, now_h: float) -> None:
        """Count each stop's parcels, mark stops with overdue pickups, form the routes, load them, send them."""
        plan = self.plan
        capacity = plan.vehicle.capacity_parcels
        loads = np.zeros(len(plan.tour), dtype=np.int64)
        active = np.zeros(len(plan.tour), dtype=bool)
        for parcel in self.waiting.items:
            loads[self.position(parcel)] += 1
            active[self.position(parcel)] = True
        for pickup in self.pickups.items:
            if pickup.ready_h <= now_h - plan.pickup_max_wait_h:
                active[plan.tour_position_of_site[pickup.site]] = True
        for site in self.collection_sites:
            assert self.shippers is not None
            if self.shippers.ready_at(site):
                active[plan.tour_position_of_site[site]] = True
        if not active.any():
            return
        routes = form_routes(plan.tour_rows, loads, active, plan.matrix.distance_km, plan.matrix.time_h, plan.limits)
        full_trips: dict[int, list[int]] = {position: [] for position in range(len(plan.tour))}
        split_route: dict[int, int] = {}
        for index, route in enumerate(routes):
            for position, load in zip(route.positions, route.loads, strict=True):
                if len(route.positions) == 1 and load == capacity:
                    full_trips[position].append(index)
                else:
                    split_route[position] = index
        cargo: list[list[Parcel]] = [[] for _ in routes]
        seats_taken = dict.fromkeys(range(len(plan.tour)), 0)
        for parcel in self.waiting.items:
            position = self.position(parcel)
            seat = seats_taken[position]
            seats_taken[position] += 1
            trips = full_trips[position]
            cargo[trips[seat // capacity] if seat // capacity < len(trips) else split_route[position]].append(parcel)
        self.waiting.items.clear()
        last_visit = {position: index for index, route in enumerate(routes) for position in route.positions}
        for index, route in enumerate(routes):
            sites = [int(plan.tour[position]) for position in route.positions]
            collects = {int(plan.tour[p]) for p in route.positions if last_visit[p] == index}
            choices = self.choices(route.positions, len(cargo[index]))
            self.world.env.process(self.vehicle(sites, collects, cargo[index], choices))

    def choices(self, positions: tuple[int, ...], parcels: int) -> tuple[int, ...]:
        """The vehicle types that may drive a route, cheapest first (the rule of ``planning/fleet``)."""
        plan = self.plan
        rows = np.array([plan.tour_rows[position] for position in positions], dtype=np.int64)
        return vehicle_choices(plan.vehicles, plan.split_vehicle, rows, parcels, plan.limits.stop_time_h)

    def position(self, parcel: Parcel) -> int:
        """Position in the visiting order of the stop where this point's vehicles leave the parcel."""
        return int(self.plan.tour_position_of_site[self.stop(parcel)])

    def vehicle(self, visit: list[int], collects: set[int], cargo: list[Parcel], choices: tuple[int, ...]) -> Process:
        """A vehicle of the cheapest free fitting type drives a formed route: to each stop, and back to its depot."""
        world = self.world
        env = world.env
        plan = self.plan
        kind = yield self.garage.request(choices)
        vehicle = plan.vehicles[kind]
        depart_h = env.now
        day = int(depart_h // 24)
        self.peak_by_day[kind][day] = max(self.peak_by_day[kind].get(day, 0), self.garage.out[kind])
        self.book_hand_over(cargo, depart_h)
        for parcel in cargo:
            leave(parcel, depart_h)
        picked, shipped = self.assign_pickups(visit, collects, cargo, vehicle.vehicle.capacity_parcels)
        stops = [plan.depot_site, *visit, plan.depot_site]
        distance_km = sum(self.leg_km(kind, start, end) for start, end in itertools.pairwise(stops))
        trip_h = sum(self.leg_h(kind, start, end) for start, end in itertools.pairwise(stops))
        trip_h += world.scenario.service.stop_time_h * len(visit)
        self.book_trip(kind, depart_h, len(visit), cargo, picked, len(shipped), distance_km, trip_h)
        aboard = list(cargo)
        here = plan.depot_site
        for site in visit:
            yield env.timeout(self.leg_h(kind, here, site))
            for parcel in [p for p in aboard if self.stop(p) == site]:
                self.hand_over(parcel)
            aboard = [p for p in aboard if self.stop(p) != site]
            yield env.timeout(world.scenario.service.stop_time_h)
            here = site
        yield env.timeout(self.leg_h(kind, here, plan.depot_site))
        self.garage.release(kind)
        if picked:
            self.bring_back(picked)
        if shipped:
            assert self.shippers is not None
            self.shippers.unload_at_park(plan.county, shipped)

    def book_trip(
        self,
        kind: int,
        depart_h: float,
        stops: int,
        cargo: list[Parcel],
        picked: list[Pickup],
        shipped: int,
        distance_km: float,
        trip_h: float,
    ) -> None:
        """Book a route and its trip at departure, for the whole round trip; its cost goes to what it carries.

        ``shipped`` shippers' parcels it collects count among the route's pickups but share no cost.
        """
        world = self.world
        plan = self.plan
        vehicle = plan.vehicles[kind]
        world.ledger.add_route(
            depart_h, plan.name, self.accounts[kind], stops, len(cargo), len(picked) + shipped, distance_km, trip_h
        )
        trip_cny = world.ledger.add_trip(
            depart_h,
            self.accounts[kind],
            vehicle.vehicle,
            distance_km,
            trip_h,
            len(cargo) / vehicle.vehicle.capacity_parcels,
        )
        carried: list[Parcel | Pickup] = [*cargo, *picked]
        world.shares.share(plan.tier, trip_cny, carried)
        world.shares.handle(fleet_key(plan.name, vehicle.name), depart_h, carried)

    def assign_pickups(
        self, visit: list[int], collects: set[int], cargo: list[Parcel], capacity: int
    ) -> tuple[list[Pickup], list[Shipped]]:
        """At departure, the pickups (then the shippers' parcels) waiting at the stops this route collects for.

        Each stop gives, oldest first, as many as the space left there allows: capacity less the
        parcels still aboard less what was already collected.
        """
        aboard = len(cargo)
        picked: list[Pickup] = []
        shipped: list[Shipped] = []
        for site in visit:
            aboard -= sum(1 for p in cargo if self.stop(p) == site)
            if site in collects:
                free = capacity - aboard - len(picked) - len(shipped)
                at_site = [p for p in self.pickups.items if p.site == site][: max(free, 0)]
                for pickup in at_site:
                    self.pickups.items.remove(pickup)
                    leave(pickup, self.world.env.now)
                picked += at_site
                if site in self.collection_sites:
                    assert self.shippers is not None
                    shipped += self.shippers.collect_at(site, max(capacity - aboard - len(picked) - len(shipped), 0))
        return picked, shipped

    def stop(self, parcel: Parcel) -> int:
        """The site where this point's vehicles leave the parcel."""
        return int(self.plan.stop_of_village[parcel.village])

    def leg_h(self, kind: int, start: int, end: int) -> float:
        """Driving time from one site to another for a vehicle of type ``kind``."""
        plan = self.plan
        return float(plan.vehicles[kind].matrix.time_h[plan.matrix_row[start], plan.matrix_row[end]])

    def leg_km(self, kind: int, start: int, end: int) -> float:
        """Driving distance from one site to another for a vehicle of type ``kind``."""
        plan = self.plan
        return float(plan.vehicles[kind].matrix.distance_km[plan.matrix_row[start], plan.matrix_row[end]])

    def book_hand_over(self, cargo: list[Parcel], depart_h: float) -> None:
        """Village commission (or station handling) for each of a trip's parcels, booked at departure.

        The village point or town station where the parcel is left handled it that day.
        """
        costs = self.world.scenario.costs
        plan = self.plan
        for parcel in cargo:
            if plan.final and plan.at_village:
                account, kind, cny = self.village_account, "commission", costs.village_commission_cny_per_parcel
            else:
                account, kind, cny = self.town_account, "handling", costs.handling_cny_per_parcel.town
            self.world.ledger.add_cost(depart_h, account, kind, cny)
            self.world.shares.charge(parcel, account.tier, kind, cny)
            self.world.shares.handle(hand_over_key(plan.at_village, plan.final, self.stop(parcel)), depart_h, [parcel])

    def hand_over(self, parcel: Parcel) -> None:
        """A parcel leaves the vehicle: available to residents, or on to its town station."""
        plan = self.plan
        now = self.world.env.now
        if self.forward is not None:
            parcel.town_arrival_h = now
            arrive_at(parcel, "town", now)
            self.forward(parcel)
            return
        if not plan.at_village:
            parcel.town_arrival_h = now
        parcel.delivered_h = now
        parcel.at_village = plan.at_village
        parcel.co_delivered = plan.carrier < 0
        if plan.at_village:
            self.world.stats.record_visits(np.array([parcel.village]), np.array([now]))
        if self.lockers is not None:
            self.lockers.hand_over(parcel, self.stop(parcel), plan.at_village)

    def book_fixed_costs(self) -> None:
        """Each vehicle-day the fleet needed (per type, its peak number of vehicles out that day)."""
        for kind, peaks in enumerate(self.peak_by_day):
            vehicle = self.plan.vehicles[kind]
            for day, vehicles in peaks.items():
                cny = vehicles * vehicle.vehicle.cost_per_day_cny
                self.world.ledger.add_cost(24.0 * day, self.accounts[kind], "vehicle_fixed", cny)
                key = fleet_key(self.plan.name, vehicle.name)
                self.world.shares.spread(key, day, self.plan.tier, "vehicle_fixed", cny)
