"""The reference engine's dispatch points: waves load parcels onto planned routes, vehicles drive them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import simpy

from simnet.engine.ledger import Account
from simnet.engine.reference.items import Parcel, Pickup
from simnet.engine.reference.line import Process
from simnet.engine.reference.world import World
from simnet.planning.plan import DispatchPlan


class ReferencePoint:
    """A dispatch point: the parcels and pickups waiting there, its fleet, its waves and vehicles.

    ``forward`` takes a parcel a non-final point leaves at its town; ``bring_back`` takes the
    pickups a vehicle brings back.
    """

    def __init__(
        self,
        world: World,
        plan: DispatchPlan,
        waiting: simpy.Store,
        pickups: simpy.Store,
        forward: Callable[[Parcel], None] | None,
        bring_back: Callable[[list[Pickup]], None],
    ) -> None:
        self.world = world
        self.plan = plan
        self.waiting = waiting
        self.pickups = pickups
        self.forward = forward
        self.bring_back = bring_back
        self.fleet = simpy.Resource(world.env, plan.fleet_count)
        self.in_use = 0
        self.peak_by_day: dict[int, int] = {}
        carrier = None if plan.carrier < 0 else plan.carrier
        self.account = Account(plan.tier, plan.county, carrier, plan.vehicle_name)
        self.village_account = Account("village", plan.county, carrier)
        self.town_account = Account("town", plan.county, carrier)

    def waves(self) -> Process:
        """At each wave, load the waiting parcels oldest first onto the routes and send the vehicles."""
        world = self.world
        env = world.env
        plan = self.plan
        capacity = plan.vehicle.capacity_parcels
        for day in range(world.total_days):
            if plan.delivery_days_only and not world.delivery_day[day]:
                continue
            for wave_h in plan.waves_h:
                yield env.timeout(24.0 * day + wave_h - env.now)
                yield env.timeout(0)
                loads: list[list[Parcel]] = [[] for _ in plan.routes]
                staying: list[Parcel] = []
                for parcel in self.waiting.items:
                    slot = plan.slot_of_site[plan.stop_of_village[parcel.village]]
                    first = plan.dedicated_first[slot]
                    options = [int(plan.dedicated_routes[first + k]) for k in range(plan.dedicated_count[slot])]
                    options += [int(plan.shared_route[slot])] if plan.shared_route[slot] >= 0 else []
                    route = next((r for r in options if len(loads[r]) < capacity), None)
                    (staying if route is None else loads[route]).append(parcel)
                self.waiting.items[:] = staying
                for index, load in enumerate(loads):
                    if load or self.pickups_waiting(index, plan.routes[index].stops):
                        env.process(self.vehicle(index, load))

    def pickups_waiting(self, route: int, stops: tuple[int, ...]) -> bool:
        """Whether pickups wait at a stop whose pickups this route collects."""
        plan = self.plan
        collected = {s for s in stops if plan.pickup_route[plan.slot_of_site[s]] == route}
        return any(pickup.site in collected for pickup in self.pickups.items)

    def vehicle(self, route_index: int, cargo: list[Parcel]) -> Process:
        """A vehicle drives a route: to each stop with parcels or pickups, and back to its depot."""
        world = self.world
        env = world.env
        plan = self.plan
        with self.fleet.request() as vehicle:
            yield vehicle
            depart_h = env.now
            stops = plan.routes[route_index].stops
            collects = {s for s in stops if plan.pickup_route[plan.slot_of_site[s]] == route_index}
            waiting_sites = {pickup.site for pickup in self.pickups.items}
            visit = [
                s for s in stops if any(self.stop(p) == s for p in cargo) or (s in collects and s in waiting_sites)
            ]
            if not visit:
                return
            self.in_use += 1
            day = int(depart_h // 24)
            self.peak_by_day[day] = max(self.peak_by_day.get(day, 0), self.in_use)
            self.book_hand_over(len(cargo), depart_h)
            picked = self.assign_pickups(visit, collects, cargo)
            aboard = list(cargo)
            here = plan.depot_site
            distance_km = 0.0
            for site in visit:
                distance_km += self.leg_km(here, site)
                yield env.timeout(self.leg_h(here, site))
                for parcel in [p for p in aboard if self.stop(p) == site]:
                    self.hand_over(parcel)
                aboard = [p for p in aboard if self.stop(p) != site]
                yield env.timeout(world.scenario.service.stop_time_h)
                here = site
            distance_km += self.leg_km(here, plan.depot_site)
            yield env.timeout(self.leg_h(here, plan.depot_site))
            world.ledger.add_trip(
                depart_h,
                self.account,
                plan.vehicle,
                distance_km,
                env.now - depart_h,
                len(cargo) / plan.vehicle.capacity_parcels,
            )
            self.in_use -= 1
        if picked:
            self.bring_back(picked)

    def assign_pickups(self, visit: list[int], collects: set[int], cargo: list[Parcel]) -> list[Pickup]:
        """At departure, the pickups waiting at the stops this route collects for go with it, oldest first.

        Each stop gives as many as the space left there allows: capacity less the parcels still
        aboard less the pickups already taken.
        """
        plan = self.plan
        aboard = len(cargo)
        picked: list[Pickup] = []
        for site in visit:
            aboard -= sum(1 for p in cargo if self.stop(p) == site)
            if site in collects:
                free = plan.vehicle.capacity_parcels - aboard - len(picked)
                at_site = [p for p in self.pickups.items if p.site == site][: max(free, 0)]
                for pickup in at_site:
                    self.pickups.items.remove(pickup)
                picked += at_site
        return picked

    def stop(self, parcel: Parcel) -> int:
        """The site where this point's vehicles leave the parcel."""
        return int(self.plan.stop_of_village[parcel.village])

    def leg_h(self, start: int, end: int) -> float:
        """Driving time from one site to another."""
        plan = self.plan
        return float(plan.matrix.time_h[plan.matrix_row[start], plan.matrix_row[end]])

    def leg_km(self, start: int, end: int) -> float:
        """Driving distance from one site to another."""
        plan = self.plan
        return float(plan.matrix.distance_km[plan.matrix_row[start], plan.matrix_row[end]])

    def book_hand_over(self, count: int, depart_h: float) -> None:
        """Village commission (or station handling) for a trip's parcels, booked at departure."""
        costs = self.world.scenario.costs
        for _ in range(count):
            if self.plan.final and self.plan.at_village:
                self.world.ledger.add_cost(
                    depart_h, self.village_account, "commission", costs.village_commission_cny_per_parcel
                )
            else:
                self.world.ledger.add_cost(depart_h, self.town_account, "handling", costs.handling_cny_per_parcel.town)

    def hand_over(self, parcel: Parcel) -> None:
        """A parcel leaves the vehicle: available to residents, or on to its town station."""
        plan = self.plan
        now = self.world.env.now
        if self.forward is not None:
            parcel.town_arrival_h = now
            self.forward(parcel)
            return
        if not plan.at_village:
            parcel.town_arrival_h = now
        parcel.delivered_h = now
        parcel.at_village = plan.at_village
        parcel.co_delivered = plan.carrier < 0
        if plan.at_village:
            self.world.stats.record_visits(np.array([parcel.village]), np.array([now]))

    def book_fixed_costs(self) -> None:
        """Each vehicle-day the fleet needed (its peak number of vehicles out that day)."""
        for day, vehicles in self.peak_by_day.items():
            self.world.ledger.add_cost(
                24.0 * day, self.account, "vehicle_fixed", vehicles * self.plan.vehicle.cost_per_day_cny
            )
