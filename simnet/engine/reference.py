"""The reference engine: the same model written the obvious SimPy way, one process per parcel.

Every parcel is a process that arrives, queues for the hub's sorting line (a ``simpy.Resource``),
waits in the hub's outbound store for a truck, queues for its park or depot line and waits in
its dispatch point's store; trucks, waves and route vehicles are processes that move parcels
between stores. Sorting lines work at the rate of their shifts (and breakdowns), pausing a
parcel's sorting when the line stops. Nothing here is vectorised: its worth is that it can be
read and believed, and that the fast engine must give every parcel the same times.

Same-time events: a dispatcher (cut-off, wave, return departure) waits one zero-delay step
before looking, so that parcels finishing at that very instant are already in its store, as
"ready by T" in the fast engine.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from simnet.engine.capacity import CapacityCurve
from simnet.engine.demand import DemandSource
from simnet.engine.hub import hub_curve
from simnet.engine.measuring import RunDays, delivery_days, demand_model, new_ledger, new_stats
from simnet.engine.outcome import FleetUse, Outcome
from simnet.engine.park import line_curve
from simnet.engine.plan import DispatchPlan, StaticPlan
from simnet.engine.stats import LineUse
from simnet.engine.streams import RandomStreams

UNIT_SLACK = 1e-9
"""Capacity units a line may be short at the end of a working stretch and still finish there (float sums)."""

Process = Generator[simpy.Event, Any, None]


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


class Line:
    """A sorting line: one parcel at a time, first come first served, at the rate C(t) allows."""

    def __init__(self, env: simpy.Environment, curve: CapacityCurve, use: LineUse) -> None:
        self.env = env
        self.server = simpy.Resource(env, capacity=1)
        self.time_h = curve.time_h.tolist()
        self.cumulative = curve.cumulative.tolist()
        self.use = use

    def sort(self) -> Process:
        """Queue for the line, then get one unit of work done, pausing while the line stands still."""
        env = self.env
        with self.server.request() as turn:
            yield turn
            remaining = 1.0
            while True:
                piece = int(np.searchsorted(self.time_h, env.now, side="right")) - 1
                if piece >= len(self.time_h) - 1:
                    yield env.event()  # past the last shift of the run: never sorted
                end_h = self.time_h[piece + 1]
                rate = (self.cumulative[piece + 1] - self.cumulative[piece]) / (end_h - self.time_h[piece])
                if rate > 0 and rate * (end_h - env.now) >= remaining - UNIT_SLACK:
                    yield env.timeout(min(remaining / rate, end_h - env.now))
                    return
                remaining -= rate * (end_h - env.now)
                yield env.timeout(end_h - env.now)


@dataclass(eq=False)
class Point:
    """A dispatch point: the parcels and pickups waiting there, and its fleet."""

    plan: DispatchPlan
    waiting: simpy.Store
    pickups: simpy.Store
    fleet: simpy.Resource
    in_use: int = 0
    peak_by_day: dict[int, int] = field(default_factory=dict)


class ReferenceModel:
    """One replication of the reference engine."""

    def __init__(
        self,
        plan: StaticPlan,
        replication: int,
        demand: DemandSource | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        scenario = plan.scenario
        self.plan = plan
        self.scenario = scenario
        self.progress = progress
        self.env = env = simpy.Environment()
        days = RunDays.of(scenario)
        self.total_days = days.total_days
        self.end_h = days.end_h
        self.streams = RandomStreams(scenario.seed, replication)
        self.stats = new_stats(plan, days)
        self.ledger = new_ledger(scenario, days)
        self.delivery_day = delivery_days(scenario, self.total_days).tolist()
        curve = hub_curve(scenario.hub, self.total_days, self.streams)
        self.hub = Line(env, curve, self.stats.line("hub", -1, -1, curve.at))
        self.inside_hub = 0
        self.demand = demand or demand_model(plan)
        counties = len(plan.network.parks)
        self.outbound = [simpy.Store(env) for _ in range(counties)]
        self.returning = [simpy.Store(env) for _ in range(counties)]
        self.pool = simpy.Container(env, capacity=scenario.fleets.trunk.count, init=scenario.fleets.trunk.count)
        self.trucks_out = 0
        self.truck_peaks: dict[int, int] = {}
        self.lines: dict[tuple[int, int], Line] = {}
        self.points: dict[tuple[str, int, int], Point] = {}
        for point_plan in plan.all_plans():
            key = (
                point_plan.tier,
                point_plan.county if point_plan.tier != "town" else point_plan.depot_site,
                point_plan.carrier,
            )
            self.points[key] = Point(
                point_plan, simpy.Store(env), simpy.Store(env), simpy.Resource(env, point_plan.fleet_count)
            )
            if point_plan.tier != "town":
                rate = (
                    scenario.parks.sorting_rate_per_h
                    if point_plan.tier == "park"
                    else scenario.parks.depot_sorting_rate_per_h
                )
                line = line_curve(scenario.parks, rate, self.total_days)
                use = self.stats.line(point_plan.tier, point_plan.county, point_plan.carrier, line.at)
                self.lines[(point_plan.county, point_plan.carrier)] = Line(env, line, use)
        self.parcels: list[Parcel] = []
        self.pickups: list[Pickup] = []
        self.queue_max = 0

    # --- where things go -------------------------------------------------------------------------

    def member(self, carrier: int) -> bool:
        return bool(self.plan.members[carrier])

    def sorting_point(self, county: int, carrier: int) -> tuple[Line, Point]:
        """The line and dispatch point that take a carrier's parcels in a county."""
        if self.member(carrier):
            return self.lines[(county, -1)], self.points[("park", county, -1)]
        return self.lines[(county, carrier)], self.points[("depot", county, carrier)]

    def collector(self, pickup: Pickup) -> Point:
        """The dispatch point whose vehicles collect a pickup, and where it waits (sets ``site``)."""
        network = self.plan.network
        county = int(self.plan.county_of_village[pickup.village])
        village_site = int(network.villages[pickup.village])
        town_site = int(network.town_of_site[village_site])
        pickup.site = village_site
        if self.member(pickup.carrier):
            if self.scenario.service.last_mile == "two_leg":
                return self.points[("town", town_site, -1)]
            return self.points[("park", county, -1)]
        if self.scenario.parks.outside_carriers_deliver_to == "town_station":
            pickup.site = town_site
        return self.points[("depot", county, pickup.carrier)]

    # --- processes -------------------------------------------------------------------------------

    def days(self) -> Process:
        """At each midnight the day's parcels and pickups come into being, each as a process."""
        env = self.env
        seq = 0
        for day in range(self.total_days):
            yield env.timeout(24.0 * day - env.now)
            count = self.demand.volume(day, self.streams)
            arrivals = self.demand.arrivals(day, count, self.streams)
            rural, destination = self.demand.destinations(day, count, self.streams)
            rural_index = 0
            for index in range(count):
                parcel = Parcel(seq + index, float(arrivals[index]), bool(rural[index]))
                if parcel.rural:
                    parcel.carrier = int(destination["carrier"][rural_index])
                    parcel.village = int(destination["village"][rural_index])
                    parcel.sampled = bool(destination["sampled"][rural_index])
                    rural_index += 1
                    self.ledger.add_cost(
                        24.0 * day, "hub", -1, -1, "", "handling", self.scenario.costs.handling_cny_per_parcel.hub
                    )
                self.parcels.append(parcel)
                env.process(self.parcel(parcel))
            seq += count
            raw = self.demand.pickups(day, self.streams)
            for index in range(len(raw["appear_h"])):
                pickup = Pickup(
                    seq + index,
                    float(raw["appear_h"][index]),
                    int(raw["carrier"][index]),
                    int(raw["village"][index]),
                    -1,
                )
                self.pickups.append(pickup)
                env.process(self.pickup(pickup))
            seq += len(raw["appear_h"])
            if self.progress is not None:
                self.progress(day + 1, count)

    def parcel(self, parcel: Parcel) -> Process:
        """A parcel's life up to its dispatch point; vehicles take it from there."""
        env = self.env
        yield env.timeout(parcel.arrival_h - env.now)
        self.inside_hub += 1
        if self.stats.window_start_h <= parcel.arrival_h < self.stats.window_end_h:
            self.queue_max = max(self.queue_max, self.inside_hub)
        yield from self.hub.sort()
        self.inside_hub -= 1
        parcel.hub_done_h = env.now
        if not parcel.rural:
            return
        county = int(self.plan.county_of_village[parcel.village])
        parcel.unloaded = env.event()
        yield self.outbound[county].put(parcel)
        yield parcel.unloaded
        parcel.park_arrival_h = env.now
        line, point = self.sorting_point(county, parcel.carrier)
        tier = "park" if self.member(parcel.carrier) else "depot"
        handling = self.scenario.costs.handling_cny_per_parcel
        self.ledger.add_cost(
            env.now,
            tier,
            county,
            -1 if tier == "park" else parcel.carrier,
            "",
            "handling",
            handling.park if tier == "park" else handling.depot,
        )
        yield from line.sort()
        parcel.park_done_h = env.now
        yield point.waiting.put(parcel)

    def pickup(self, pickup: Pickup) -> Process:
        """A pickup appears at its village point (or its town station) and waits to be collected."""
        yield self.env.timeout(pickup.appear_h - self.env.now)
        yield self.collector(pickup).pickups.put(pickup)

    def cutoffs(self) -> Process:
        """Trunk trucks leave the hub at each cut-off, one at a time to the park with most parcels waiting."""
        env = self.env
        capacity = self.plan.trunk_vehicle.capacity_parcels
        for day in range(self.total_days):
            for cutoff_h in sorted(self.scenario.hub.dispatch_cutoffs_h):
                yield env.timeout(24.0 * day + cutoff_h - env.now)
                yield env.timeout(0)
                waiting = [len(store.items) for store in self.outbound]
                trucks: list[tuple[int, int]] = []
                for _ in range(int(self.pool.level)):
                    county = waiting.index(max(waiting))
                    if waiting[county] == 0:
                        break
                    load = min(capacity, waiting[county])
                    waiting[county] -= load
                    trucks.append((county, load))
                if not trucks:
                    continue
                yield self.pool.get(len(trucks))
                for county, load in trucks:
                    cargo = []
                    for _ in range(load):
                        cargo.append((yield self.outbound[county].get()))
                    env.process(self.truck(county, cargo))

    def truck(self, county: int, cargo: list[Parcel]) -> Process:
        """A truck's round trip to a park: unload, come back, be free again."""
        env = self.env
        self.trucks_out += 1
        day = int(env.now // 24)
        self.truck_peaks[day] = max(self.truck_peaks.get(day, 0), self.trucks_out)
        self.book_trunk_trip(county, len(cargo))
        yield env.timeout(float(self.plan.trunk_time_h[county]))
        for parcel in cargo:
            assert parcel.unloaded is not None
            parcel.unloaded.succeed()
        yield env.timeout(float(self.plan.trunk_time_h[county]))
        self.trucks_out -= 1
        yield self.pool.put(1)

    def book_trunk_trip(self, county: int, load: int) -> None:
        capacity = self.plan.trunk_vehicle.capacity_parcels
        self.ledger.add_trip(
            self.env.now,
            "trunk",
            county,
            -1,
            self.scenario.fleets.trunk.vehicle_type,
            self.plan.trunk_vehicle,
            2 * float(self.plan.trunk_distance_km[county]),
            2 * float(self.plan.trunk_time_h[county]),
            load / capacity,
        )

    def returns(self) -> Process:
        """At each return departure, the pickups waiting at a park ride to the hub on as many trucks as they fill."""
        env = self.env
        capacity = self.plan.trunk_vehicle.capacity_parcels
        for day in range(self.total_days):
            for depart_h in sorted(self.scenario.parks.return_departures_h):
                yield env.timeout(24.0 * day + depart_h - env.now)
                yield env.timeout(0)
                for county, store in enumerate(self.returning):
                    pickups = list(store.items)
                    store.items.clear()
                    for first in range(0, len(pickups), capacity):
                        self.book_trunk_trip(county, len(pickups[first : first + capacity]))
                    if pickups:
                        arrive_h = env.now + float(self.plan.trunk_time_h[county])
                        self.stats.record_pickups_at_hub(np.array([p.appear_h for p in pickups]), arrive_h)

    def waves(self, point: Point) -> Process:
        """At each wave, load the waiting parcels oldest first onto the routes and send the vehicles."""
        env = self.env
        plan = point.plan
        capacity = plan.vehicle.capacity_parcels
        for day in range(self.total_days):
            if plan.delivery_days_only and not self.delivery_day[day]:
                continue
            for wave_h in plan.waves_h:
                yield env.timeout(24.0 * day + wave_h - env.now)
                yield env.timeout(0)
                loads: list[list[Parcel]] = [[] for _ in plan.routes]
                staying: list[Parcel] = []
                for parcel in point.waiting.items:
                    slot = plan.slot_of_site[plan.stop_of_village[parcel.village]]
                    first = plan.dedicated_first[slot]
                    options = [int(plan.dedicated_routes[first + k]) for k in range(plan.dedicated_count[slot])]
                    options += [int(plan.shared_route[slot])] if plan.shared_route[slot] >= 0 else []
                    route = next((r for r in options if len(loads[r]) < capacity), None)
                    (staying if route is None else loads[route]).append(parcel)
                point.waiting.items[:] = staying
                for index, load in enumerate(loads):
                    if load or self.pickups_waiting(point, index, plan.routes[index].stops):
                        env.process(self.vehicle(point, index, load))

    def pickups_waiting(self, point: Point, route: int, stops: tuple[int, ...]) -> bool:
        """Whether pickups wait at a stop whose pickups this route collects."""
        plan = point.plan
        collected = {s for s in stops if plan.pickup_route[plan.slot_of_site[s]] == route}
        return any(pickup.site in collected for pickup in point.pickups.items)

    def vehicle(self, point: Point, route_index: int, cargo: list[Parcel]) -> Process:
        """A vehicle drives a route: to each stop with parcels or pickups, and back to its depot."""
        env = self.env
        plan = point.plan
        with point.fleet.request() as vehicle:
            yield vehicle
            depart_h = env.now
            stops = plan.routes[route_index].stops
            collects = {s for s in stops if plan.pickup_route[plan.slot_of_site[s]] == route_index}
            waiting_sites = {pickup.site for pickup in point.pickups.items}
            visit = [
                s
                for s in stops
                if any(self.stop(plan, p) == s for p in cargo) or (s in collects and s in waiting_sites)
            ]
            if not visit:
                return
            point.in_use += 1
            day = int(depart_h // 24)
            point.peak_by_day[day] = max(point.peak_by_day.get(day, 0), point.in_use)
            self.book_hand_over(plan, len(cargo), depart_h)
            picked = self.assign_pickups(point, visit, collects, cargo)
            aboard = list(cargo)
            here = plan.depot_site
            distance_km = 0.0
            for site in visit:
                distance_km += self.leg_km(plan, here, site)
                yield env.timeout(self.leg_h(plan, here, site))
                for parcel in [p for p in aboard if self.stop(plan, p) == site]:
                    self.hand_over(point, parcel)
                aboard = [p for p in aboard if self.stop(plan, p) != site]
                yield env.timeout(self.scenario.service.stop_time_h)
                here = site
            distance_km += self.leg_km(plan, here, plan.depot_site)
            yield env.timeout(self.leg_h(plan, here, plan.depot_site))
            self.ledger.add_trip(
                depart_h,
                plan.tier,
                plan.county,
                plan.carrier,
                plan.vehicle_name,
                plan.vehicle,
                distance_km,
                env.now - depart_h,
                len(cargo) / plan.vehicle.capacity_parcels,
            )
            point.in_use -= 1
        if picked:
            self.bring_back(point, picked)

    def assign_pickups(self, point: Point, visit: list[int], collects: set[int], cargo: list[Parcel]) -> list[Pickup]:
        """At departure, the pickups waiting at the stops this route collects for go with it, oldest first.

        Each stop gives as many as the space left there allows: capacity less the parcels still
        aboard less the pickups already taken.
        """
        plan = point.plan
        aboard = len(cargo)
        picked: list[Pickup] = []
        for site in visit:
            aboard -= sum(1 for p in cargo if self.stop(plan, p) == site)
            if site in collects:
                free = plan.vehicle.capacity_parcels - aboard - len(picked)
                at_site = [p for p in point.pickups.items if p.site == site][: max(free, 0)]
                for pickup in at_site:
                    point.pickups.items.remove(pickup)
                picked += at_site
        return picked

    def stop(self, plan: DispatchPlan, parcel: Parcel) -> int:
        return int(plan.stop_of_village[parcel.village])

    def leg_h(self, plan: DispatchPlan, start: int, end: int) -> float:
        return float(plan.matrix.time_h[plan.matrix_row[start], plan.matrix_row[end]])

    def leg_km(self, plan: DispatchPlan, start: int, end: int) -> float:
        return float(plan.matrix.distance_km[plan.matrix_row[start], plan.matrix_row[end]])

    def book_hand_over(self, plan: DispatchPlan, count: int, depart_h: float) -> None:
        """Village commission (or station handling) for a trip's parcels, booked at departure."""
        costs = self.scenario.costs
        for _ in range(count):
            if plan.final and plan.at_village:
                self.ledger.add_cost(
                    depart_h,
                    "village",
                    plan.county,
                    plan.carrier,
                    "",
                    "commission",
                    costs.village_commission_cny_per_parcel,
                )
            else:
                self.ledger.add_cost(
                    depart_h, "town", plan.county, plan.carrier, "", "handling", costs.handling_cny_per_parcel.town
                )

    def hand_over(self, point: Point, parcel: Parcel) -> None:
        """A parcel leaves the vehicle: available to residents, or into its town station's store."""
        plan = point.plan
        now = self.env.now
        if not plan.final:
            parcel.town_arrival_h = now
            town_site = int(self.plan.network.town_of_site[self.plan.network.villages[parcel.village]])
            self.points[("town", town_site, -1)].waiting.put(parcel)
            return
        if not plan.at_village:
            parcel.town_arrival_h = now
        parcel.delivered_h = now
        parcel.at_village = plan.at_village
        parcel.co_delivered = plan.carrier < 0
        if plan.at_village:
            self.stats.record_visits(np.array([parcel.village]), np.array([now]))

    def bring_back(self, point: Point, pickups: list[Pickup]) -> None:
        """Pickups come off the vehicle at its depot: to the park's return store, or the park's vehicles."""
        plan = point.plan
        if plan.tier == "town":
            for pickup in pickups:
                pickup.site = plan.depot_site
                self.points[("park", plan.county, -1)].pickups.put(pickup)
        else:
            for pickup in pickups:
                self.returning[plan.county].put(pickup)

    # --- run and collect -------------------------------------------------------------------------

    def run(self) -> Outcome:
        """Run to the end of the drain days and gather the outcome."""
        env = self.env
        env.process(self.days())
        env.process(self.cutoffs())
        env.process(self.returns())
        for point in self.points.values():
            env.process(self.waves(point))
        env.run(until=self.end_h)
        return self.collect()

    def collect(self) -> Outcome:
        stats = self.stats
        arrival = np.array([p.arrival_h for p in self.parcels])
        done = np.array([p.hub_done_h for p in self.parcels])
        rural = np.array([p.rural for p in self.parcels], dtype=bool)
        stats.record_hub(arrival, done, rural)
        stats.hub_queue_max = self.queue_max
        self.hub.use.count(done, stats.window_start_h, stats.window_end_h)
        for line in self.lines.values():
            finished = [p.park_done_h for p in self.parcels if self.lines_of(p) is line]
            line.use.count(np.array(finished, dtype=np.float64), stats.window_start_h, stats.window_end_h)
        rural_parcels = [p for p in self.parcels if p.rural]
        stats.record_rural_arrivals(_columns(rural_parcels))
        for at_village in (True, False):
            for co in (True, False):
                group = [
                    p
                    for p in rural_parcels
                    if p.delivered_h < float("inf") and p.at_village == at_village and p.co_delivered == co
                ]
                if group:
                    stats.record_delivered(
                        _columns(group),
                        np.array([p.delivered_h for p in group]),
                        at_village=at_village,
                        co_delivered=co,
                    )
        stats.record_pickups_in(np.array([p.appear_h for p in self.pickups]))
        stats.flush()
        measured = stats.measured(arrival)
        delivered = np.array(
            [p.delivered_h <= self.end_h if p.rural else p.hub_done_h <= self.end_h for p in self.parcels], dtype=bool
        )
        trunk = self.scenario.fleets.trunk
        fleets = [FleetUse("trunk", -1, -1, trunk.vehicle_type, trunk.count, self.truck_peaks)]
        fleets += [
            FleetUse(p.plan.tier, p.plan.county, p.plan.carrier, p.plan.vehicle_name, p.plan.fleet_count, p.peak_by_day)
            for p in self.points.values()
        ]
        for point in self.points.values():
            for day, vehicles in point.peak_by_day.items():
                self.ledger.add_cost(
                    24.0 * day,
                    point.plan.tier,
                    point.plan.county,
                    point.plan.carrier,
                    point.plan.vehicle_name,
                    "vehicle_fixed",
                    vehicles * point.plan.vehicle.cost_per_day_cny,
                )
        for day, trucks in self.truck_peaks.items():
            self.ledger.add_cost(
                24.0 * day,
                "trunk",
                -1,
                -1,
                trunk.vehicle_type,
                "vehicle_fixed",
                trucks * self.plan.trunk_vehicle.cost_per_day_cny,
            )
        return Outcome(
            plan=self.plan,
            stats=stats,
            ledger=self.ledger,
            hub_line=self.hub.use,
            backlog=int(np.count_nonzero(measured & ~delivered)),
            fleets=tuple(fleets),
        )

    def lines_of(self, parcel: Parcel) -> Line | None:
        if not parcel.rural:
            return None
        county = int(self.plan.county_of_village[parcel.village])
        return self.sorting_point(county, parcel.carrier)[0]


def _columns(parcels: list[Parcel]) -> dict[str, Any]:
    """Parcel objects as the column batch the statistics take."""
    return {
        "seq": np.array([p.seq for p in parcels], dtype=np.int64),
        "arrival_h": np.array([p.arrival_h for p in parcels]),
        "hub_done_h": np.array([p.hub_done_h for p in parcels]),
        "carrier": np.array([p.carrier for p in parcels], dtype=np.int16),
        "village": np.array([p.village for p in parcels], dtype=np.int32),
        "park_arrival_h": np.array([p.park_arrival_h for p in parcels]),
        "park_done_h": np.array([p.park_done_h for p in parcels]),
        "town_arrival_h": np.array([p.town_arrival_h for p in parcels]),
        "ready_h": np.array([p.park_done_h for p in parcels]),
        "sampled": np.array([p.sampled for p in parcels], dtype=bool),
    }


def run_reference(
    plan: StaticPlan,
    replication: int,
    progress: Callable[[int, int], None] | None = None,
    demand: DemandSource | None = None,
) -> Outcome:
    """One replication with the reference engine."""
    return ReferenceModel(plan, replication, demand, progress).run()
