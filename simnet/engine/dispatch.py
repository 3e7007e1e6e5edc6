"""A dispatch point at work: waves form routes from the day's loads, vehicles drive them as SimPy processes.

At each wave time T the parcels ready by T all leave, on routes formed from their stops' loads
by the rule in ``planning/split.py`` (full trips, then the optimal split of the planned visiting
order). A stop whose only business is pickups joins the wave when its oldest pickup has waited
``pickup_max_wait_h``. Each route leaves when a vehicle of the point's fleet is free (routes in
formed order), visits its stops in order and delivers each stop's parcels at its arrival there.
The pickups waiting at its stops when it leaves are assigned to it and come back with it, oldest
first, as far as the space left at each stop allows; each stop's pickups ride with one route of
the wave only (the last formed route that visits it).

Shippers' parcels that park vans collect (``engine/factories.py``) wait at a stop of the park's
routes. Such a stop joins every wave at which any of them is ready. The route that collects the
stop's pickups takes them too, after the pickups, in the space left, oldest first (ties by
number), and unloads them at the park when back.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import numpy as np
import simpy
from numpy.typing import NDArray

from simnet.engine.attribution import Attribution
from simnet.engine.facilities import fleet_key, hand_over_key
from simnet.engine.garage import Garage
from simnet.engine.ledger import Account, Ledger
from simnet.engine.lockers import Lockers
from simnet.engine.parcels import Columns, ReadyQueue, split_rows, take_rows
from simnet.engine.stats import ParcelStats
from simnet.engine.trips import drive_trips, pickups_taken
from simnet.planning.fleet import vehicle_choices
from simnet.planning.plan import DispatchPlan
from simnet.planning.split import form_routes, group_rank, pickup_route_of_positions, route_of_parcels, stable_order

IntArray = NDArray[np.int64]
PickupSink = Callable[[Columns, float], None]
ParcelSink = Callable[[Columns], None]


@dataclass
class RunContext:
    """What every process of one replication shares."""

    env: simpy.Environment
    ledger: Ledger
    stats: ParcelStats
    total_days: int
    delivery_day: NDArray[np.bool_]
    stop_time_h: float
    attribution: Attribution
    lockers: Lockers | None = None
    """Village points' and town stations' hours and lockers (``engine/lockers.py``); None: always open."""


@dataclass(frozen=True)
class _Trip:
    """A formed route: tour positions visited, whether it collects the pickups at each, its parcels, vehicle type."""

    positions: IntArray
    collects: NDArray[np.bool_]
    parcels: int
    kind: int


@dataclass(frozen=True)
class _Collected:
    """What a trip brings back: pickups and shippers' parcels (None: none)."""

    pickups: Columns | None = None
    shipped: Columns | None = None


class DispatchPoint:
    """The runtime of one dispatch plan: its waiting parcels and pickups, its fleet, its waves.

    ``forward_parcels`` takes the parcels a non-final point leaves at towns; ``return_pickups``
    takes the pickups its vehicles bring back, with the time they are unloaded. ``shipped`` holds,
    per site, the shippers' parcels its vehicles collect there, and ``return_shipped`` takes them back.
    """

    def __init__(
        self,
        plan: DispatchPlan,
        context: RunContext,
        parcels: ReadyQueue,
        pickups: ReadyQueue,
        forward_parcels: ParcelSink | None,
        return_pickups: PickupSink,
        shipped: Mapping[int, ReadyQueue] | None = None,
        return_shipped: PickupSink | None = None,
    ) -> None:
        self.plan = plan
        self.context = context
        self.parcels = parcels
        self.pickups = pickups
        self.forward_parcels = forward_parcels
        self.return_pickups = return_pickups
        self.shipped = [(int(plan.tour_position_of_site[site]), queue) for site, queue in (shipped or {}).items()]
        """Per collection stop: its tour position and the shippers' parcels waiting there."""
        self.return_shipped = return_shipped
        self.garage = Garage(context.env, [vehicle.count for vehicle in plan.vehicles])
        self.held_measured = 0
        self.awaiting_vehicle = 0
        """Parcels loaded onto routes whose vehicle has not left yet (they are still at the point)."""
        self.peak_vehicles_by_day: list[dict[int, int]] = [{} for _ in plan.vehicles]
        """Per vehicle type: the most vehicles out at once on each simulated day."""
        carrier = None if plan.carrier < 0 else plan.carrier
        self.accounts = [Account(plan.tier, plan.county, carrier, vehicle.name) for vehicle in plan.vehicles]
        """Per vehicle type, the fleet's account: its trips and vehicle-days."""
        costs = context.ledger.costs
        if plan.at_village and plan.final:
            account, kind, unit_cny = (
                Account("village", plan.county, carrier),
                "commission",
                costs.village_commission_cny_per_parcel,
            )
        else:
            account, kind, unit_cny = (
                Account("town", plan.county, carrier),
                "handling",
                costs.handling_cny_per_parcel.town,
            )
        self.hand_over_cost = (account, kind, unit_cny)
        """What each parcel handed over costs: village commission, or town station handling."""
        attribution = context.attribution
        self.fleet_places = [
            attribution.place(
                fleet_key(plan.name, vehicle.name),
                plan.tier,
                "vehicle_fixed",
                charged=vehicle.vehicle.cost_per_day_cny > 0,
            )
            for vehicle in plan.vehicles
        ]
        """Per vehicle type: the fleet's number in the attribution."""
        self.hand_over_place = np.full(int(plan.tour.max(initial=-1)) + 1, -1, dtype=np.int64)
        """Per site: the attribution's number of the town station or village point there."""
        for site in np.unique(plan.tour).tolist():
            self.hand_over_place[site] = attribution.number(hand_over_key(plan.at_village, plan.final, site))
        self.hand_over_charged = bool((self.hand_over_place >= 0).any())
        """Whether any place this point leaves parcels at has a fixed cost to share."""

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
        """Form routes for the parcels ready now (and due pickups) and start a vehicle process per route."""
        plan = self.plan
        ready = self.parcels.ready_count(time_h)
        positions = plan.tour_position_of_site[plan.stop_of_village[self.parcels.columns["village"][:ready]]]
        loads = np.bincount(positions, minlength=len(plan.tour))
        active = (loads > 0) | self._pickups_due(time_h)
        for position, queue in self.shipped:
            active[position] |= queue.ready_count(time_h) > 0
        if not active.any():
            return
        routes = form_routes(plan.tour_rows, loads, active, plan.matrix.distance_km, plan.matrix.time_h, plan.limits)
        route_of_parcel = route_of_parcels(routes, positions, plan.limits.capacity_parcels)
        loaded = self.parcels.pop_first(ready)
        by_route = stable_order(route_of_parcel)
        loaded = take_rows(loaded, by_route)
        bounds = np.searchsorted(route_of_parcel[by_route], np.arange(len(routes) + 1))
        collector = pickup_route_of_positions(routes, len(plan.tour))
        self.held_measured += int(np.count_nonzero(self.context.stats.measured(loaded["arrival_h"])))
        self.awaiting_vehicle += len(loaded["seq"])
        leaving: list[_Trip] = []
        queued = False
        for index, route in enumerate(routes):
            positions_here = np.asarray(route.positions, dtype=np.int64)
            parcels = int(bounds[index + 1] - bounds[index])
            choices = vehicle_choices(
                plan.vehicles, plan.split_vehicle, plan.tour_rows[positions_here], parcels, plan.limits.stop_time_h
            )
            kind = None if queued else self.garage.take_now(choices)
            trip = _Trip(positions_here, collector[positions_here] == index, parcels, -1 if kind is None else kind)
            if kind is None:
                queued = True  # this route waits for a vehicle, and the later ones queue behind it
                cargo = {name: values[bounds[index] : bounds[index + 1]] for name, values in loaded.items()}
                self.context.env.process(self.drive(trip, cargo, choices))
            else:
                leaving.append(trip)
        if leaving:
            leaving_parcels = int(bounds[len(leaving)])
            self._leave(leaving, {name: values[:leaving_parcels] for name, values in loaded.items()}, time_h)

    def _pickups_due(self, time_h: float) -> NDArray[np.bool_]:
        """Per tour position: whether the oldest pickup ready there has waited ``pickup_max_wait_h``."""
        plan = self.plan
        ready = self.pickups.ready_count(time_h)
        positions = plan.tour_position_of_site[self.pickups.columns["site"][:ready]]
        oldest = positions[self.pickups.columns["ready_h"][:ready] <= time_h - plan.pickup_max_wait_h]
        due = np.zeros(len(plan.tour), dtype=bool)
        due[oldest] = True
        return due

    def drive(self, trip: _Trip, cargo: Columns, choices: tuple[int, ...]) -> Generator[simpy.Event, Any, None]:
        """A route that found no vehicle free at its wave: it waits for one, then leaves."""
        kind: int = yield self.garage.request(choices)
        self._leave([replace(trip, kind=kind)], cargo, self.context.env.now)

    def _leave(self, trips: list[_Trip], cargo: Columns, depart_h: float) -> None:
        """Trips leaving at ``depart_h``, each with its vehicle; ``cargo`` is their parcels, trip after trip.

        Each trip delivers stop by stop (a parcel is handed over at its stop's arrival time), takes
        the pickups waiting at the stops it collects for, books its route and trip, and frees its
        vehicle (and unloads its pickups) when back. The trips are driven and loaded together; the
        hand-overs are one batch.
        """
        context = self.context
        plan = self.plan
        attribution = context.attribution
        village_group, carrier_group = attribution.groups(
            cargo["village"], cargo["carrier"], cargo["arrival_h"], pickup=False
        )
        vehicles = [plan.vehicles[trip.kind] for trip in trips]
        driven = drive_trips(
            [plan.tour_rows[trip.positions] for trip in trips],
            [vehicle.matrix for vehicle in vehicles],
            depart_h,
            context.stop_time_h,
        )
        stop_positions = np.concatenate([trip.positions for trip in trips])
        stop = self._stop_of_parcels(cargo, trips, driven.stop_bounds, stop_positions)
        handed_order = stable_order(stop)
        collected = self._collect_pickups(
            trips,
            driven.stop_bounds,
            stop_positions,
            np.bincount(stop, minlength=len(stop_positions)),
            depart_h,
            np.array([vehicle.vehicle.capacity_parcels for vehicle in vehicles], dtype=np.int64),
        )
        first = 0
        for index, trip in enumerate(trips):
            end = first + trip.parcels
            self.awaiting_vehicle -= trip.parcels
            self._vehicle_taken(trip.kind, depart_h)
            vehicle = vehicles[index].vehicle
            distance_km, trip_h = float(driven.distance_km[index]), float(driven.hours[index])
            account = self.accounts[trip.kind]
            pickups, shipped = collected[index].pickups, collected[index].shipped
            context.ledger.add_route(
                depart_h,
                plan.name,
                account,
                len(trip.positions),
                trip.parcels,
                (0 if pickups is None else len(pickups["seq"])) + (0 if shipped is None else len(shipped["seq"])),
                distance_km,
                trip_h,
            )
            trip_cny = context.ledger.add_trip(
                depart_h, account, vehicle, distance_km, trip_h, trip.parcels / vehicle.capacity_parcels
            )
            trip_village, trip_carrier = village_group[first:end], carrier_group[first:end]
            if pickups is not None:
                pickup_village, pickup_carrier = attribution.groups(
                    pickups["village"], pickups["carrier"], pickups["appear_h"], pickup=True
                )
                trip_village = np.concatenate((trip_village, pickup_village))
                trip_carrier = np.concatenate((trip_carrier, pickup_carrier))
            attribution.record(
                trip_village,
                trip_carrier,
                depart_h,
                [(plan.tier, cost_kind, cny) for cost_kind, cny in trip_cny],
                fleet=self.fleet_places[trip.kind],
            )
            context.env.timeout(trip_h).callbacks.append(partial(self._back, trip.kind, collected[index]))
            first = end
        self._hand_over(
            take_rows(cargo, handed_order),
            driven.arrive_h[stop[handed_order]],
            depart_h,
            (village_group[handed_order], carrier_group[handed_order]),
        )

    def _stop_of_parcels(
        self, cargo: Columns, trips: list[_Trip], stop_bounds: IntArray, stop_positions: IntArray
    ) -> IntArray:
        """Each parcel's stop among the trips' stops laid one trip after another (``cargo``: trip after trip)."""
        size = len(self.plan.tour)
        stop_keys = np.repeat(np.arange(len(trips)), np.diff(stop_bounds)) * size + stop_positions
        parcel_keys = np.repeat(np.arange(len(trips)), [trip.parcels for trip in trips]) * size
        parcel_keys += self.plan.tour_position_of_site[self.plan.stop_of_village[cargo["village"]]]
        by_key = np.argsort(stop_keys)
        stop: IntArray = by_key[np.searchsorted(stop_keys[by_key], parcel_keys)]
        return stop

    def _back(self, kind: int, collected: _Collected, _event: simpy.Event) -> None:
        """A vehicle back at its depot: free again, and its pickups and shippers' parcels unloaded."""
        self.garage.release(kind)
        if collected.pickups is not None:
            self.return_pickups(collected.pickups, self.context.env.now)
        if collected.shipped is not None:
            assert self.return_shipped is not None
            self.return_shipped(collected.shipped, self.context.env.now)

    def _collect_pickups(
        self,
        trips: list[_Trip],
        stop_bounds: IntArray,
        stop_positions: IntArray,
        drops: IntArray,
        depart_h: float,
        capacities: IntArray,
    ) -> list[_Collected]:
        """Per trip, what it collects at departure at the stops it collects for, oldest first.

        The trips' stops come one trip after another (``stop_bounds``), with their tour positions and
        the parcels dropped at each. A stop takes as many as the space left there allows (capacity
        less the parcels still aboard and what was already collected: ``pickups_taken``): its
        pickups first, then its shippers' parcels.
        """
        plan = self.plan
        collects = np.concatenate([trip.collects for trip in trips])
        stop_of_position = np.full(len(plan.tour), -1, dtype=np.int64)
        stop_of_position[stop_positions[collects]] = np.flatnonzero(collects)
        ready = self.pickups.ready_count(depart_h)
        stop = stop_of_position[plan.tour_position_of_site[self.pickups.columns["site"][:ready]]]
        candidate = np.flatnonzero(stop >= 0)
        shipped_waiting = [
            (int(stop_of_position[position]), queue, queue.ready_count(depart_h))
            for position, queue in self.shipped
            if stop_of_position[position] >= 0
        ]
        if len(candidate) == 0 and not any(count for _, _, count in shipped_waiting):
            return [_Collected()] * len(trips)
        stop = stop[candidate]
        pickups_waiting = np.bincount(stop, minlength=len(drops))
        waiting = pickups_waiting.copy()
        for stop_index, _, count in shipped_waiting:
            waiting[stop_index] += count
        taken = pickups_taken(waiting, drops, stop_bounds, capacities)
        trip_of_stop = np.repeat(np.arange(len(trips)), np.diff(stop_bounds))
        pickups = self._taken_pickups(candidate, stop, np.minimum(taken, pickups_waiting), trip_of_stop, len(trips))
        shipped: list[list[Columns]] = [[] for _ in trips]
        for stop_index, queue, _ in shipped_waiting:
            count = int(taken[stop_index] - min(taken[stop_index], pickups_waiting[stop_index]))
            if count:
                shipped[int(trip_of_stop[stop_index])].append(queue.pop_first(count))
        return [
            _Collected(rows, _joined(batches) if batches else None)
            for rows, batches in zip(pickups, shipped, strict=True)
        ]

    def _taken_pickups(
        self, candidate: IntArray, stop: IntArray, taken: IntArray, trip_of_stop: IntArray, trips: int
    ) -> list[Columns | None]:
        """Per trip, the pickups it takes: at each stop the ``taken`` oldest of those waiting there (``stop``)."""
        chosen = group_rank(stop) < taken[stop]
        if not chosen.any():
            return [None] * trips
        collected = self.pickups.pop(candidate[chosen])
        if trips == 1:
            return [collected]
        by_trip = split_rows(collected, trip_of_stop[stop[chosen]], trips)
        return [rows if len(rows["seq"]) else None for rows in by_trip]

    def _vehicle_taken(self, kind: int, time_h: float) -> None:
        """Count a vehicle of type ``kind`` out, for the day's peak."""
        day = int(time_h // 24)
        peaks = self.peak_vehicles_by_day[kind]
        peaks[day] = max(peaks.get(day, 0), self.garage.out[kind])

    def _hand_over(
        self, parcels: Columns, times_h: NDArray[np.float64], depart_h: float, groups: tuple[IntArray, IntArray]
    ) -> None:
        """A route's parcels leave the vehicle at their stops: to residents, or on to a town station.

        Handling and commission are booked at the trip's departure; ``groups`` are the parcels'
        attribution groups (village, carrier).
        """
        count = len(times_h)
        if count == 0:
            return
        context = self.context
        plan = self.plan
        self.held_measured -= int(np.count_nonzero(context.stats.measured(parcels["arrival_h"])))
        account, kind, unit_cny = self.hand_over_cost
        context.ledger.add_cost(depart_h, account, kind, unit_cny * count)
        context.attribution.record(
            *groups,
            depart_h,
            [(account.tier, kind, unit_cny * count)],
            unit_place=self.hand_over_place[plan.stop_of_village[parcels["village"]]]
            if self.hand_over_charged
            else None,
        )
        if self.forward_parcels is not None:
            parcels["town_arrival_h"] = times_h
            parcels["ready_h"] = times_h
            self.forward_parcels(parcels)
            return
        if plan.at_village:
            context.stats.record_visits(parcels["village"].astype(np.int64), times_h)
        else:
            parcels["town_arrival_h"] = times_h
        if context.lockers is None:
            context.stats.record_delivered(parcels, times_h, at_village=plan.at_village, co_delivered=plan.carrier < 0)
            return
        sites = plan.stop_of_village[parcels["village"]]
        context.lockers.hand_over(parcels, times_h, sites, at_village=plan.at_village, co_delivered=plan.carrier < 0)

    def book_fixed_costs(self, day: int) -> None:
        """Charge each vehicle-day the fleet needed on ``day`` (per type, its peak number of vehicles out)."""
        for kind, peaks in enumerate(self.peak_vehicles_by_day):
            vehicles = peaks.get(day, 0)
            if vehicles:
                cny = vehicles * self.plan.vehicles[kind].vehicle.cost_per_day_cny
                self.context.ledger.add_cost(24.0 * day, self.accounts[kind], "vehicle_fixed", cny)
                self.context.attribution.fixed(self.fleet_places[kind], day, cny)


def _joined(batches: list[Columns]) -> Columns:
    """Batches of rows one after another."""
    if len(batches) == 1:
        return batches[0]
    return {name: np.concatenate([batch[name] for batch in batches]) for name in batches[0]}
