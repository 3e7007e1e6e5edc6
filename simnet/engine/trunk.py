"""Trunk trucks between a city hub and the parks of the counties it serves, a shared pool at the hub.

At each of the hub's cut-offs its free trucks go, one at a time, to the park with the most parcels
still unassigned (ties: lower county index), each taking up to its capacity of that park's oldest
sorted parcels. A truck is free again when back from its round trip. Pickups ride back at the
parks' return departures on as many trucks as they fill (counted as round trips, not drawn from
the pool). A truck that has unloaded takes shippers' parcels back (``engine/factories.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from simnet.engine.dispatch import RunContext
from simnet.engine.facilities import trunk_pool_key
from simnet.engine.factories import Factories
from simnet.engine.ledger import Account
from simnet.engine.parcels import PARCEL_COLUMNS, Columns, ReadyQueue, empty_columns, split_rows
from simnet.planning.hubs import HubPlan
from simnet.planning.plan import StaticPlan

ParkArrival = Callable[[int, Columns, float], None]
HubArrival = Callable[[Columns, float], None]


@dataclass(frozen=True)
class Backhaul:
    """Where trucks leaving a park pick up shippers' parcels, and where those reach the hub."""

    factories: Factories
    to_hub: HubArrival


class Trunk:
    """A hub's trunk fleet, its outbound queue per county served and those parks' return queues."""

    def __init__(
        self,
        plan: StaticPlan,
        hub: HubPlan,
        context: RunContext,
        returning: list[ReadyQueue],
        deliver: ParkArrival,
        to_hub: HubArrival,
        backhaul: Backhaul | None = None,
    ) -> None:
        self.plan = plan
        self.hub = hub
        self.context = context
        self.counties: list[int] = hub.counties.tolist()
        """The counties the hub serves; queues and accounts below are in this order."""
        self.returning = [returning[county] for county in self.counties]
        """Per county served: pickups waiting at the park for a return departure."""
        self.deliver = deliver
        self.to_hub = to_hub
        """Takes the pickups a return trip brings to the hub, with their arrival time."""
        self.backhaul = backhaul
        """Shippers' parcels trucks take back from the parks (``engine/factories.py``); None without shippers."""
        self.outbound = [ReadyQueue(empty_columns(PARCEL_COLUMNS)) for _ in self.counties]
        self.position_of_county = np.full(len(plan.network.parks), -1, dtype=np.int64)
        """Per county of the city: its position among the counties served, or -1."""
        self.position_of_county[self.counties] = np.arange(len(self.counties))
        fleet = hub.trunk_fleet.mix[0]
        self.vehicle = hub.trunk_vehicle
        self.fixed_account = Account("trunk", vehicle_type=fleet.vehicle_type, hub=hub.number)
        """The pool's vehicle-days, which no county owns."""
        self.trip_accounts = [Account("trunk", county, None, fleet.vehicle_type) for county in self.counties]
        """Per county served: the account of trips to and from its park."""
        self.pool_place = context.attribution.place(
            trunk_pool_key(hub.number), "trunk", "vehicle_fixed", charged=self.vehicle.cost_per_day_cny > 0
        )
        """The pool's number in the attribution: its truck-days are shared by all trunk trips' units."""
        self.pool = simpy.Container(context.env, capacity=fleet.count, init=fleet.count)
        self.capacity = self.vehicle.capacity_parcels
        self.trucks_out = 0
        self.on_the_road_measured = 0
        self.peak_trucks_by_day: dict[int, int] = {}

    def take_sorted(self, parcels: Columns) -> None:
        """Rural parcels sorted at the hub join the outbound queue of their county."""
        county = self.position_of_county[self.plan.county_of_village[parcels["village"]]]
        for queue, rows in zip(self.outbound, split_rows(parcels, county, len(self.counties)), strict=True):
            queue.push(rows)

    def cutoffs(self) -> Generator[simpy.Event, Any, None]:
        """Dispatch trucks at every cut-off of every day."""
        env = self.context.env
        for day in range(self.context.total_days):
            for cutoff_h in sorted(self.hub.spec.dispatch_cutoffs_h):
                yield env.timeout(24.0 * day + cutoff_h - env.now)
                yield from self._dispatch(env.now)

    def _dispatch(self, time_h: float) -> Generator[simpy.Event, Any, None]:
        if not self.outbound:
            return  # a hub serving no county sends no trucks
        unassigned = np.array([queue.ready_count(time_h) for queue in self.outbound], dtype=np.int64)
        loads: list[tuple[int, int]] = []
        for _ in range(int(self.pool.level)):
            county = int(np.argmax(unassigned))
            if unassigned[county] == 0:
                break
            load = int(min(self.capacity, unassigned[county]))
            unassigned[county] -= load
            loads.append((county, load))
        if not loads:
            return
        yield self.pool.get(len(loads))
        for position, load in loads:
            cargo = self.outbound[position].pop_first(load)
            self.on_the_road_measured += int(self.context.stats.measured(cargo["arrival_h"]).sum())
            self.context.env.process(self._trip(position, cargo, time_h))

    def _trip(self, position: int, cargo: Columns, depart_h: float) -> Generator[simpy.Event, Any, None]:
        env = self.context.env
        self.trucks_out += 1
        day = int(depart_h // 24)
        self.peak_trucks_by_day[day] = max(self.peak_trucks_by_day.get(day, 0), self.trucks_out)
        one_way_h = float(self.hub.trunk_time_h[position])
        self._book_trips(depart_h, position, cargo, "arrival_h", pickup=False)
        yield env.timeout(one_way_h)
        self.on_the_road_measured -= int(self.context.stats.measured(cargo["arrival_h"]).sum())
        self.deliver(self.counties[position], cargo, env.now)
        if self.backhaul is not None:
            shipped = self.backhaul.factories.backhaul(self.counties[position], env.now, self.capacity)
            if len(shipped["seq"]):
                self.backhaul.to_hub(shipped, env.now + one_way_h)
        yield env.timeout(one_way_h)
        self.trucks_out -= 1
        yield self.pool.put(1)

    def returns(self) -> Generator[simpy.Event, Any, None]:
        """Carry the pickups waiting at each park to the hub at the return departures."""
        env = self.context.env
        for day in range(self.context.total_days):
            for depart_h in sorted(self.plan.scenario.parks.return_departures_h):
                yield env.timeout(24.0 * day + depart_h - env.now)
                for position, queue in enumerate(self.returning):
                    waiting = queue.ready_count(env.now)
                    if waiting == 0:
                        continue
                    pickups = queue.pop_first(waiting)
                    self._book_trips(env.now, position, pickups, "appear_h", pickup=True)
                    self.to_hub(pickups, env.now + float(self.hub.trunk_time_h[position]))

    def _book_trips(self, depart_h: float, position: int, load: Columns, time_column: str, *, pickup: bool) -> None:
        """Book the round trips to the park of the ``position``-th county served that carry ``load``.

        One truck per ``capacity`` units; their cost is attributed to the parcels or pickups they carry together.

        """
        trip_cny: dict[str, float] = {}
        count = len(load["seq"])
        for first in range(0, count, self.capacity):
            items = self.context.ledger.add_trip(
                depart_h,
                self.trip_accounts[position],
                self.vehicle,
                2 * float(self.hub.trunk_distance_km[position]),
                2 * float(self.hub.trunk_time_h[position]),
                min(self.capacity, count - first) / self.capacity,
            )
            for kind, cny in items:
                trip_cny[kind] = trip_cny.get(kind, 0.0) + cny
        attribution = self.context.attribution
        village_group, carrier_group = attribution.groups(
            load["village"], load["carrier"], load[time_column], pickup=pickup
        )
        attribution.record(
            village_group,
            carrier_group,
            depart_h,
            [("trunk", kind, cny) for kind, cny in trip_cny.items()],
            fleet=self.pool_place,
        )

    def book_fixed_costs(self, day: int) -> None:
        """Charge the truck-days the pool needed on ``day`` (its peak number of trucks out)."""
        trucks = self.peak_trucks_by_day.get(day, 0)
        if trucks:
            cny = trucks * self.vehicle.cost_per_day_cny
            self.context.ledger.add_cost(24.0 * day, self.fixed_account, "vehicle_fixed", cny)
            self.context.attribution.fixed(self.pool_place, day, cny)
