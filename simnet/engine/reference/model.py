"""One replication of the reference engine: the tiers wired together, run, and the outcome gathered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import simpy
from numpy.typing import NDArray

from simnet.engine.backlog import SITE_TIERS, count_at, new_backlog
from simnet.engine.demand import DemandSource
from simnet.engine.facilities import plan_facilities
from simnet.engine.factories import FactoryTally
from simnet.engine.hub import hub_curve
from simnet.engine.hub_tally import SEQ_PER_HUB, HubTally
from simnet.engine.measuring import RunDays, delivery_days, demand_model, new_ledger, new_stats, run_days
from simnet.engine.outcome import FleetUse, Outcome
from simnet.engine.reference.bus import ReferenceBus
from simnet.engine.reference.costs import ReferenceShares
from simnet.engine.reference.hub import ReferenceHub
from simnet.engine.reference.items import Parcel, Pickup, arrive_at, pickup_columns
from simnet.engine.reference.last_mile import ReferencePoint
from simnet.engine.reference.line import Line, Process
from simnet.engine.reference.line_haul import ReferenceLineHaul
from simnet.engine.reference.lockers import reference_lockers
from simnet.engine.reference.park import ReferenceParks
from simnet.engine.reference.shippers import ReferenceShippers
from simnet.engine.reference.trunk import ReferenceTrunk
from simnet.engine.reference.world import World
from simnet.engine.streams import RandomStreams
from simnet.planning.plan import StaticPlan


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
        days = RunDays.of(scenario)
        env = simpy.Environment()
        self.world = world = World(
            env=env,
            plan=plan,
            stats=new_stats(plan, days),
            ledger=new_ledger(scenario, days),
            total_days=days.total_days,
            end_h=days.end_h,
            delivery_day=delivery_days(scenario, days.total_days).tolist(),
            shares=ReferenceShares(),
        )
        assert demand is None or len(plan.hubs) == 1, "listed demand is for a city of one hub"
        self.shippers = None
        if plan.shippers:
            tally = FactoryTally(len(plan.shippers), days.window_start_h, days.window_end_h, days.end_h)
            self.shippers = ReferenceShippers(world, tally)
        self.hubs: list[ReferenceHub] = []
        self.tallies: list[HubTally] = []
        self.line_hauls: list[ReferenceLineHaul] = []
        for hub in plan.hubs:
            streams = RandomStreams(scenario.seed, replication, hub.stream_key)
            curve = hub_curve(hub.spec, days.total_days, streams)
            use = world.stats.line("hub", -1, -1, curve.at)
            self.hubs.append(
                ReferenceHub(
                    world,
                    hub,
                    streams,
                    Line(env, curve, use),
                    demand or demand_model(plan, hub),
                    self.start_parcel,
                    self.start_pickup,
                    progress if hub.number == len(plan.hubs) - 1 else None,
                    None if self.shippers is None else self.shippers.start,
                )
            )
            self.tallies.append(HubTally(line=use, hours=round(days.end_h)))
            self.line_hauls.append(ReferenceLineHaul(world, hub.spec, self.shippers))
        self.trunk = ReferenceTrunk(
            world,
            [line_haul.arrive for line_haul in self.line_hauls],
            self.shippers,
            [line_haul.arrive_shipped for line_haul in self.line_hauls],
        )
        waiting = [simpy.Store(env) for _ in plan.points]
        pickups = [simpy.Store(env) for _ in plan.points]
        self.lockers = reference_lockers(world, replication)
        self.points = [
            ReferencePoint(
                world,
                point,
                waiting[index],
                pickups[index],
                None if point.final else self._to_station(waiting),
                self._onward(index, pickups),
                self.lockers,
                self.shippers,
            )
            for index, point in enumerate(plan.points)
        ]
        self.bus = None if plan.bus is None else ReferenceBus(world, self.trunk, self.lockers)
        if self.bus is not None:
            self.bus.start()
        self.parks = ReferenceParks(world, waiting, self.bus)
        self.pickup_stores = pickups
        self.progress = progress
        self.simulated_days = days.total_days

    # --- where things go: the plan's flows table -------------------------------------------------

    def _to_station(self, waiting: list[simpy.Store]) -> Callable[[Parcel], None]:
        """A parcel left at its town goes into its town station's store."""
        station_point = self.world.plan.flows.station_point

        def forward(parcel: Parcel) -> None:
            waiting[int(station_point[parcel.village])].put(parcel)

        return forward

    def _onward(self, index: int, pickups: list[simpy.Store]) -> Callable[[list[Pickup]], None]:
        """Pickups a point's vehicle brings back: to the next point (waiting at this point's site), or the trunk."""
        plan = self.world.plan
        point = plan.points[index]
        onward = int(plan.flows.pickup_onward_point[index])

        def bring_back(collected: list[Pickup]) -> None:
            if onward < 0:
                self.trunk.bring_back(point.county, collected)
                return
            for pickup in collected:
                pickup.site = point.depot_site
                pickup.ready_h = self.world.env.now
                arrive_at(pickup, SITE_TIERS[plan.network.site_kind[point.depot_site]], pickup.ready_h)
                pickups[onward].put(pickup)

        return bring_back

    # --- processes -------------------------------------------------------------------------------

    def start_parcel(self, parcel: Parcel) -> None:
        """Start a parcel's life as a process."""
        self.world.env.process(self.parcel(parcel))

    def start_pickup(self, pickup: Pickup) -> None:
        """Start a pickup's life as a process."""
        self.world.env.process(self.pickup(pickup))

    def parcel(self, parcel: Parcel) -> Process:
        """A parcel's life up to its dispatch point; vehicles take it from there."""
        yield from self.hubs[parcel.seq // SEQ_PER_HUB].sort(parcel)
        if not parcel.rural:
            return
        county = int(self.world.plan.county_of_village[parcel.village])
        yield from self.trunk.ride(parcel, county)
        yield from self.parks.sort(parcel, county)

    def pickup(self, pickup: Pickup) -> Process:
        """A pickup appears where the flows table says and waits for the vehicles that collect it there."""
        env = self.world.env
        flows = self.world.plan.flows
        yield env.timeout(pickup.appear_h - env.now)
        pickup.site = int(flows.collector_site[pickup.village, pickup.carrier])
        pickup.ready_h = pickup.appear_h
        arrive_at(pickup, SITE_TIERS[self.world.plan.network.site_kind[pickup.site]], pickup.appear_h)
        if self.bus is not None and self.bus.from_village(pickup):
            return
        yield self.pickup_stores[int(flows.collector_point[pickup.village, pickup.carrier])].put(pickup)

    # --- run and collect -------------------------------------------------------------------------

    def run(self) -> Outcome:
        """Run to the end of the drain days and gather the outcome."""
        env = self.world.env
        for hub in self.hubs:
            env.process(hub.days())
        for hub_plan in self.world.plan.hubs:
            env.process(self.trunk.cutoffs(hub_plan))
        env.process(self.trunk.returns())
        for line_haul in self.line_hauls:
            if line_haul.departures_h:
                env.process(line_haul.departures())
        if self.shippers is not None:
            for shipper in self.world.plan.shippers:
                if shipper.van is not None:
                    env.process(self.shippers.vans(shipper))
        for point in self.points:
            env.process(point.waves())
        days = RunDays.of(self.world.scenario)
        self.simulated_days = run_days(env, days, self.finished_by)
        if self.progress is not None and self.simulated_days < days.total_days:
            self.progress(days.total_days, 0)
        return self.collect()

    def finished_by(self, time_h: float) -> bool:
        """Whether every parcel and pickup that arrived in the window had finished by ``time_h``.

        Looked up parcel by parcel: sorted at the hub (urban), available to residents (rural), or,
        for a pickup, out of the model (at the hub, or gone on line-haul).
        """
        stats = self.world.stats
        for parcel in self.parcels:
            finish_h = parcel.delivered_h if parcel.rural else parcel.hub_done_h
            if stats.window_start_h <= parcel.arrival_h < stats.window_end_h and finish_h > time_h:
                return False
        for pickup in self.pickups:
            if stats.window_start_h <= pickup.appear_h < stats.window_end_h and pickup.finished_h > time_h:
                return False
        for shipped in [] if self.shippers is None else self.shippers.parcels:
            if stats.window_start_h <= shipped.appear_h < stats.window_end_h and shipped.finished_h > time_h:
                return False
        return True

    def collect(self) -> Outcome:
        """Fold every parcel's times into the statistics, book fixed costs, and return the outcome."""
        world = self.world
        stats = world.stats
        parcels = self.parcels
        for hub, tally in zip(self.hubs, self.tallies, strict=True):
            arrival_h = np.array([p.arrival_h for p in hub.parcels])
            done_h = np.array([p.hub_done_h for p in hub.parcels])
            rural_at_hub = np.array([p.rural for p in hub.parcels], dtype=bool)
            stats.record_hub(arrival_h, done_h, rural_at_hub, tally, hub.queue_max)
            hub.line.use.count(done_h, stats.window_start_h, stats.window_end_h)
        arrival = np.array([p.arrival_h for p in parcels])
        for index, line in self.parks.lines.items():
            finished = [p.park_done_h for p in parcels if self._sorted_by(p) == index]
            line.use.count(np.array(finished, dtype=np.float64), stats.window_start_h, stats.window_end_h)
        rural_parcels = [p for p in parcels if p.rural]
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
        stats.record_pickups_in(pickup_columns(self.pickups))
        if self.shippers is not None:
            self.shippers.collect()
        stats.flush()
        measured = stats.measured(arrival)
        delivered = np.array(
            [p.delivered_h <= world.end_h if p.rural else p.hub_done_h <= world.end_h for p in parcels], dtype=bool
        )
        fleets = [
            FleetUse("trunk", -1, -1, trunk.vehicle_type, trunk.count, self.trunk.peaks[hub.number])
            for hub in world.plan.hubs
            for trunk in hub.trunk_fleet.mix
        ]
        fleets += [
            FleetUse(p.plan.tier, p.plan.county, p.plan.carrier, vehicle.name, vehicle.count, p.peak_by_day[kind])
            for p in self.points
            for kind, vehicle in enumerate(p.plan.vehicles)
        ]
        for point in self.points:
            point.book_fixed_costs()
        self.trunk.book_fixed_costs()
        for facility in plan_facilities(world.plan):
            for day in range(self.simulated_days):
                world.ledger.add_cost(24.0 * day, facility.account, "facility_fixed", facility.cost_per_day_cny)
                world.shares.spread(
                    facility.key, day, facility.account.tier, "facility_fixed", facility.cost_per_day_cny
                )
        attributed = world.shares.fold(
            parcels,
            self.pickups,
            len(world.plan.network.villages),
            len(world.scenario.carriers),
            (stats.window_start_h, stats.window_end_h),
        )
        return Outcome(
            plan=world.plan,
            stats=stats,
            ledger=world.ledger,
            hubs=tuple(self.tallies),
            backlog=int(np.count_nonzero(measured & ~delivered)),
            fleets=tuple(fleets),
            attributed=attributed,
            backlog_by_day=self._backlog([p for p in parcels if p.rural], self.pickups),
            simulated_days=self.simulated_days,
            lockers=None if self.lockers is None else self.lockers.tally,
            bus=None if self.bus is None else self.bus.use,
            factories=None if self.shippers is None else self.shippers.tally,
        )

    @property
    def parcels(self) -> list[Parcel]:
        """Every parcel of the replication, hub by hub."""
        return [parcel for hub in self.hubs for parcel in hub.parcels]

    @property
    def pickups(self) -> list[Pickup]:
        """Every pickup of the replication, hub by hub."""
        return [pickup for hub in self.hubs for pickup in hub.pickups]

    def _backlog(self, parcels: list[Parcel], pickups: list[Pickup]) -> NDArray[np.int64]:
        """Count, for the end of each day, every unit whose wait somewhere spans that instant."""
        backlog = new_backlog(self.simulated_days)
        units: list[tuple[Parcel | Pickup, str]] = [(p, "parcel") for p in parcels]
        units += [(p, "pickup") for p in pickups]
        for day in range(self.simulated_days):
            end_h = 24.0 * (day + 1)
            for unit, kind in units:
                for tier, since_h, until_h in unit.waits:
                    if since_h < end_h <= until_h:
                        count_at(backlog, day, tier, kind, 1)
        return backlog

    def _sorted_by(self, parcel: Parcel) -> int | None:
        """Index of the point whose line sorted a rural parcel; None for an urban one."""
        if not parcel.rural:
            return None
        county = int(self.world.plan.county_of_village[parcel.village])
        return self.parks.sorting_point(parcel, county)


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
