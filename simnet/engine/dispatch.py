"""A dispatch point at work: waves load parcels onto planned routes, vehicles drive them as SimPy processes.

Loading rule, at each wave time T: parcels ready by T, oldest first, fill their stop's dedicated
full routes, then the one shared route serving their stop, up to the vehicle's capacity; the rest
wait for the next wave. A loaded route leaves when a vehicle of the point's fleet is free
(routes in plan order), visits in planned order the stops that have parcels on board or pickups
waiting, and delivers each stop's parcels at its arrival there. The pickups waiting at its stops
when it leaves are assigned to it and come back with it, oldest first, as far as the space left
at each stop allows; each stop's pickups ride with one route only (its shared route, else its
last full route).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy
from numpy.typing import NDArray

from simnet.engine.ledger import Account, Ledger
from simnet.engine.parcels import Columns, ReadyQueue, take_rows
from simnet.engine.stats import ParcelStats
from simnet.planning.plan import DispatchPlan

IntArray = NDArray[np.int64]
PickupSink = Callable[[Columns, float], None]
ParcelSink = Callable[[Columns], None]


def group_rank(keys: IntArray) -> IntArray:
    """Position of each element among the earlier elements with the same key (0 for the first)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.ones(len(keys), dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    first = np.maximum.accumulate(np.where(starts, np.arange(len(keys)), 0))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys)) - first
    return rank


def assign_routes(plan: DispatchPlan, stop_sites: IntArray) -> IntArray:
    """Route index of each ready parcel (given oldest first) under the loading rule; -1 stays behind."""
    capacity = plan.vehicle.capacity_parcels
    slot = plan.slot_of_site[stop_sites]
    route = np.full(len(stop_sites), -1, dtype=np.int64)
    rank = group_rank(slot)
    on_dedicated = rank < plan.dedicated_count[slot] * capacity
    chosen = plan.dedicated_first[slot[on_dedicated]] + rank[on_dedicated] // capacity
    route[on_dedicated] = plan.dedicated_routes[chosen]
    candidates = np.flatnonzero(~on_dedicated & (plan.shared_route[slot] >= 0))
    shared = plan.shared_route[slot[candidates]]
    fits = group_rank(shared) < capacity
    route[candidates[fits]] = shared[fits]
    return route


@dataclass
class RunContext:
    """What every process of one replication shares."""

    env: simpy.Environment
    ledger: Ledger
    stats: ParcelStats
    total_days: int
    delivery_day: NDArray[np.bool_]
    stop_time_h: float


class DispatchPoint:
    """The runtime of one dispatch plan: its waiting parcels and pickups, its fleet, its waves.

    ``forward_parcels`` takes the parcels a non-final point leaves at towns; ``return_pickups``
    takes the pickups its vehicles bring back, with the time they are unloaded.
    """

    def __init__(
        self,
        plan: DispatchPlan,
        context: RunContext,
        parcels: ReadyQueue,
        pickups: ReadyQueue,
        forward_parcels: ParcelSink | None,
        return_pickups: PickupSink,
    ) -> None:
        self.plan = plan
        self.context = context
        self.parcels = parcels
        self.pickups = pickups
        self.forward_parcels = forward_parcels
        self.return_pickups = return_pickups
        self.fleet = simpy.Resource(context.env, capacity=plan.fleet_count)
        self.vehicles_in_use = 0
        self.held_measured = 0
        self.peak_vehicles_by_day: dict[int, int] = {}
        carrier = None if plan.carrier < 0 else plan.carrier
        self.account = Account(plan.tier, plan.county, carrier, plan.vehicle_name)
        """The fleet's account: its trips and vehicle-days."""
        if plan.at_village and plan.final:
            self.hand_over_cost = (Account("village", plan.county, carrier), "commission")
        else:
            self.hand_over_cost = (Account("town", plan.county, carrier), "handling")

    def run(self) -> Generator[simpy.Event, Any, None]:
        """Send out a wave at each wave time of every day the point works."""
        env = self.context.env
        for day in range(self.context.total_days):
            if self.plan.delivery_days_only and not self.context.delivery_day[day]:
                continue
            for wave_h in self.plan.waves_h:
                yield env.timeout(24.0 * day + wave_h - env.now)
                self.dispatch_wave(env.now)

    def dispatch_wave(self, time_h: float) -> None:
        """Load the parcels ready now onto routes and start a vehicle process per route with work."""
        ready = self.parcels.ready_count(time_h)
        stop_sites = self.plan.stop_of_village[self.parcels.columns["village"][:ready]]
        route_of_parcel = assign_routes(self.plan, stop_sites)
        boarding = np.flatnonzero(route_of_parcel >= 0)
        loaded = self.parcels.pop(boarding)
        by_route = np.argsort(route_of_parcel[boarding], kind="stable")
        loaded = take_rows(loaded, by_route)
        bounds = np.searchsorted(route_of_parcel[boarding][by_route], np.arange(len(self.plan.routes) + 1))
        waiting_slots = self.plan.slot_of_site[self.pickups.columns["site"][: self.pickups.ready_count(time_h)]]
        collecting = set(self.plan.pickup_route[waiting_slots].tolist())
        for index in range(len(self.plan.routes)):
            first, last = bounds[index], bounds[index + 1]
            if last > first or index in collecting:
                cargo = {name: values[first:last] for name, values in loaded.items()}
                self.held_measured += int(self.context.stats.measured(cargo["arrival_h"]).sum())
                self.context.env.process(self.drive(index, cargo))

    def drive(self, route_index: int, cargo: Columns) -> Generator[simpy.Event, Any, None]:
        """One vehicle's trip on a route: wait for a vehicle, deliver stop by stop, collect pickups."""
        context = self.context
        env = context.env
        plan = self.plan
        request = self.fleet.request()
        yield request
        depart_h = env.now
        self._vehicle_taken(depart_h)
        stops = np.asarray(plan.routes[route_index].stops, dtype=np.int64)
        cargo_stop = plan.stop_of_village[cargo["village"]]
        pending = plan.slot_of_site[self.pickups.columns["site"][: self.pickups.ready_count(depart_h)]]
        active = np.zeros(len(plan.dedicated_count), dtype=bool)
        active[plan.slot_of_site[cargo_stop]] = True
        active[pending[plan.pickup_route[pending] == route_index]] = True
        visited = stops[active[plan.slot_of_site[stops]]]
        if len(visited) == 0:
            self.vehicles_in_use -= 1
            self.fleet.release(request)
            return
        rows = plan.matrix_row[np.concatenate(([plan.depot_site], visited, [plan.depot_site]))]
        legs_h = plan.matrix.time_h[rows[:-1], rows[1:]]
        distance_km = float(plan.matrix.distance_km[rows[:-1], rows[1:]].sum())
        arrive_h = depart_h + np.cumsum(legs_h)[:-1] + context.stop_time_h * np.arange(len(visited))
        trip_h = float(legs_h.sum()) + context.stop_time_h * len(visited)
        order = np.argsort(visited)
        position = order[np.searchsorted(visited[order], cargo_stop)]
        by_stop = np.argsort(position, kind="stable")
        self._hand_over(take_rows(cargo, by_stop), arrive_h[position[by_stop]], depart_h)
        drops = np.bincount(position, minlength=len(visited))
        collected = self._collect_pickups(route_index, visited, depart_h, drops)
        context.ledger.add_trip(
            depart_h,
            self.account,
            plan.vehicle,
            distance_km,
            trip_h,
            len(cargo_stop) / plan.vehicle.capacity_parcels,
        )
        yield env.timeout(trip_h)
        self.vehicles_in_use -= 1
        self.fleet.release(request)
        if collected is not None:
            self.return_pickups(collected, env.now)

    def _collect_pickups(self, route_index: int, visited: IntArray, depart_h: float, drops: IntArray) -> Columns | None:
        """Assign to this trip the pickups waiting at departure at the stops it collects for, oldest first.

        A stop takes as many as the space left there allows (capacity less the parcels still aboard
        and the pickups already taken). Each stop's pickups go with one route only (``pickup_route``).
        """
        plan = self.plan
        ready = self.pickups.ready_count(depart_h)
        slot = plan.slot_of_site[self.pickups.columns["site"][:ready]]
        stop_of_slot = np.full(len(plan.dedicated_count), -1, dtype=np.int64)
        visited_slots = plan.slot_of_site[visited]
        collects = plan.pickup_route[visited_slots] == route_index
        stop_of_slot[visited_slots[collects]] = np.flatnonzero(collects)
        stop = stop_of_slot[slot]
        candidate = np.flatnonzero(stop >= 0)
        if len(candidate) == 0:
            return None
        waiting = np.bincount(stop[candidate], minlength=len(visited))
        aboard_after = int(drops.sum()) - np.cumsum(drops)
        taken = np.zeros(len(visited), dtype=np.int64)
        picked = 0
        for index in np.flatnonzero(waiting):
            free = plan.vehicle.capacity_parcels - int(aboard_after[index]) - picked
            taken[index] = min(int(waiting[index]), max(free, 0))
            picked += int(taken[index])
        chosen = candidate[group_rank(stop[candidate]) < taken[stop[candidate]]]
        if len(chosen) == 0:
            return None
        return self.pickups.pop(chosen)

    def _vehicle_taken(self, time_h: float) -> None:
        self.vehicles_in_use += 1
        day = int(time_h // 24)
        self.peak_vehicles_by_day[day] = max(self.peak_vehicles_by_day.get(day, 0), self.vehicles_in_use)

    def _hand_over(self, parcels: Columns, times_h: NDArray[np.float64], depart_h: float) -> None:
        """A route's parcels leave the vehicle at their stops: to residents, or on to a town station.

        Handling and commission are booked at the trip's departure.
        """
        count = len(times_h)
        if count == 0:
            return
        context = self.context
        plan = self.plan
        costs = context.ledger.costs
        self.held_measured -= int(np.count_nonzero(context.stats.measured(parcels["arrival_h"])))
        account, kind = self.hand_over_cost
        unit_cny = (
            costs.village_commission_cny_per_parcel if kind == "commission" else costs.handling_cny_per_parcel.town
        )
        context.ledger.add_cost(depart_h, account, kind, unit_cny * count)
        if self.forward_parcels is not None:
            parcels["town_arrival_h"] = times_h
            parcels["ready_h"] = times_h
            self.forward_parcels(parcels)
            return
        if plan.at_village:
            context.stats.record_visits(parcels["village"].astype(np.int64), times_h)
        else:
            parcels["town_arrival_h"] = times_h
        context.stats.record_delivered(parcels, times_h, at_village=plan.at_village, co_delivered=plan.carrier < 0)

    def book_fixed_costs(self) -> None:
        """Charge each vehicle-day the fleet needed (its peak number of vehicles out that day)."""
        for day, vehicles in self.peak_vehicles_by_day.items():
            self.context.ledger.add_cost(
                24.0 * day, self.account, "vehicle_fixed", vehicles * self.plan.vehicle.cost_per_day_cny
            )
