"""One replication of a scenario: build the processes, drive the days, collect the results.

Lifecycle (desmod): build → run → collect. The engine takes a validated scenario (through its
static plan) and returns in-memory results; it knows nothing of files or the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy
from numpy.typing import NDArray

from simnet.engine.backlog import SITE_TIERS, count_at, new_backlog
from simnet.engine.bus import BusNetwork
from simnet.engine.cold_chain import returning_queues
from simnet.engine.demand import DemandSource, fresh_flags
from simnet.engine.dispatch import DispatchPoint, RunContext
from simnet.engine.facilities import Facility, hub_key, plan_facilities
from simnet.engine.factories import Factories, FactoryTally, shipper_parcels
from simnet.engine.fifo import FifoLine
from simnet.engine.handover import PickupsOnward, ToStations, place_pickups
from simnet.engine.hub import CityHub, hub_curve
from simnet.engine.hub_tally import SEQ_PER_HUB, HubTally
from simnet.engine.ledger import Account
from simnet.engine.line_haul import LineHaul
from simnet.engine.lockers import new_lockers
from simnet.engine.measuring import (
    RunDays,
    delivery_days,
    demand_model,
    new_attribution,
    new_ledger,
    new_stats,
    run_days,
)
from simnet.engine.outcome import FleetUse, Outcome
from simnet.engine.parcels import PARCEL_COLUMNS, PICKUP_COLUMNS, Columns, ReadyQueue, empty_columns
from simnet.engine.park import CountyPark, sorting_lines
from simnet.engine.streams import RandomStreams
from simnet.engine.trunk import Backhaul, Trunk
from simnet.planning.hubs import HubPlan
from simnet.planning.plan import StaticPlan
from simnet.planning.shippers import ShipperPlan

DayProgress = Callable[[int, int], None]
"""Called after each simulated day with (days done, parcels generated that day)."""


class ConservationError(RuntimeError):
    """Parcels were lost or created: arrivals differ from delivered plus those still in the network."""


@dataclass
class HubRun:
    """One city hub in a replication: its demand and streams, sorting line, tally, line-haul and trunk."""

    plan: HubPlan
    streams: RandomStreams
    demand: DemandSource
    hub: CityHub
    tally: HubTally
    line_haul: LineHaul
    trunk: Trunk
    next_seq: int
    """The seq the hub's next unit takes (see ``engine/hub_tally.SEQ_PER_HUB``)."""
    shippers: tuple[ShipperPlan, ...]
    """The shippers in the counties the hub serves."""


@dataclass
class Replication:
    """Everything one replication built, for the collect step."""

    plan: StaticPlan
    replication: int
    env: simpy.Environment
    context: RunContext
    hubs: list[HubRun]
    points: list[DispatchPoint]
    facilities: list[tuple[Facility, int]]
    """Every facility of the plan with its number in the attribution."""
    backlog_by_day: NDArray[np.int64]
    """Units waiting at the end of each simulated day, by tier (``engine/backlog.py``)."""
    simulated_days: int = 0
    """Days simulated: the run stops once every measured parcel and pickup has finished (``run_days``)."""
    bus: BusNetwork | None = None
    """The bus lines carrying parcels and pickups (``engine/bus.py``), or None."""
    factories: Factories | None = None
    """The shippers' parcels on their way (``engine/factories.py``), or None without shippers."""

    def close_day(self, day: int) -> None:
        """Count what waits at the end of a finished day; book and share out its fleets' and facilities' fixed costs."""
        self.count_waiting(day)
        context = self.context
        for hub in self.hubs:
            hub.trunk.book_fixed_costs(day)
        for point in self.points:
            point.book_fixed_costs(day)
        for facility, place in self.facilities:
            context.ledger.add_cost(24.0 * day, facility.account, "facility_fixed", facility.cost_per_day_cny)
            context.attribution.fixed(place, day, facility.cost_per_day_cny)
        context.attribution.close_day(day)

    def count_waiting(self, day: int) -> None:
        """Parcels and pickups waiting at the end of ``day`` (now, before anything else happens now)."""
        end_h = 24.0 * (day + 1)
        backlog = self.backlog_by_day
        site_tier = np.asarray(SITE_TIERS)[self.plan.network.site_kind]
        trunks = [hub.trunk for hub in self.hubs]
        count_at(backlog, day, "hub", "parcel", sum(len(queue) for trunk in trunks for queue in trunk.outbound))
        for point in self.points:
            parcels = point.parcels.columns
            if point.plan.tier == "town":
                waiting = int(np.count_nonzero(parcels["town_arrival_h"] < end_h))
            else:
                waiting = len(point.parcels)
            count_at(backlog, day, point.plan.tier, "parcel", waiting + point.awaiting_vehicle)
            tiers, counts = np.unique(site_tier[point.pickups.columns["site"]], return_counts=True)
            for tier, count in zip(tiers.tolist(), counts.tolist(), strict=True):
                count_at(backlog, day, tier, "pickup", count)
        count_at(backlog, day, "park", "pickup", sum(len(queue) for trunk in trunks for queue in trunk.returning))
        count_at(backlog, day, "hub", "pickup", sum(hub.line_haul.waiting_at(end_h) for hub in self.hubs))
        if self.context.lockers is not None:
            self.context.lockers.count_waiting(backlog, day)
        if self.bus is not None:
            self.bus.count_waiting(backlog, day)

    def outcome(self) -> Outcome:
        """The replication's results, for metrics and tables."""
        fleets = [
            FleetUse("trunk", -1, -1, trunk.vehicle_type, trunk.count, hub.trunk.peak_trucks_by_day)
            for hub in self.hubs
            for trunk in hub.plan.trunk_fleet.mix
        ]
        fleets += [
            FleetUse(
                p.plan.tier, p.plan.county, p.plan.carrier, vehicle.name, vehicle.count, p.peak_vehicles_by_day[kind]
            )
            for p in self.points
            for kind, vehicle in enumerate(p.plan.vehicles)
        ]
        return Outcome(
            plan=self.plan,
            stats=self.context.stats,
            ledger=self.context.ledger,
            hubs=tuple(hub.tally for hub in self.hubs),
            backlog=sum(hub.tally.urban_backlog for hub in self.hubs) + still_inside(self),
            fleets=tuple(fleets),
            attributed=self.context.attribution.result,
            backlog_by_day=self.backlog_by_day[: self.simulated_days],
            simulated_days=self.simulated_days,
            lockers=None if self.context.lockers is None else self.context.lockers.tally,
            bus=None if self.bus is None else self.bus.use,
            factories=None if self.factories is None else self.factories.tally,
        )


def build_replication(
    plan: StaticPlan,
    replication: int,
    progress: DayProgress | None = None,
    demand: DemandSource | None = None,
) -> Replication:
    """Create the SimPy environment and every facility and vehicle process of one replication.

    ``demand`` replaces the scenario's random demand in a city of one hub (tests list parcels by hand this way).
    """
    scenario = plan.scenario
    days = RunDays.of(scenario)
    total_days = days.total_days
    env = simpy.Environment()
    stats = new_stats(plan, days)
    facilities = plan_facilities(plan)
    context = RunContext(
        env=env,
        ledger=new_ledger(scenario, days),
        stats=stats,
        total_days=total_days,
        delivery_day=delivery_days(scenario, total_days),
        stop_time_h=scenario.service.stop_time_h,
        attribution=new_attribution(plan, days, facilities),
        lockers=new_lockers(plan, stats, replication),
    )
    if context.lockers is not None:
        context.lockers.start(env, total_days)
    parcel_queues = [ReadyQueue(empty_columns(PARCEL_COLUMNS)) for _ in plan.points]
    pickup_queues = [ReadyQueue(empty_columns(PICKUP_COLUMNS)) for _ in plan.points]
    returning = returning_queues(len(plan.network.parks), scenario.parks.cold_chain_capacity_per_day, total_days)
    factories = None
    if plan.shippers:
        tally = FactoryTally(len(plan.shippers), stats.window_start_h, stats.window_end_h, stats.end_h)
        factories = Factories(plan.shippers, len(plan.network.parks), context, tally)
    points = [
        DispatchPoint(
            point,
            context,
            parcel_queues[index],
            pickup_queues[index],
            forward_parcels=None if point.final else ToStations(plan.flows, parcel_queues),
            return_pickups=_pickups_onward(plan, index, pickup_queues, returning),
            shipped=None if factories is None or point.tier != "park" else factories.at_stop[point.county],
            return_shipped=None if factories is None or point.tier != "park" else factories.to_park(point.county),
        )
        for index, point in enumerate(plan.points)
    ]
    bus = None if plan.bus is None else BusNetwork(plan, context, returning)
    lines = sorting_lines(points, context, scenario.parks, None if bus is None else bus.from_park)
    parks = [CountyPark(county, context, plan.flows.sorting_point, lines) for county in range(len(plan.network.parks))]
    assert demand is None or len(plan.hubs) == 1, "listed demand is for a city of one hub"
    hubs = [_hub_run(plan, hub, context, replication, returning, parks, demand, factories) for hub in plan.hubs]
    built = Replication(
        plan=plan,
        replication=replication,
        env=env,
        context=context,
        hubs=hubs,
        points=points,
        backlog_by_day=new_backlog(total_days),
        facilities=[(facility, context.attribution.number(facility.key)) for facility in facilities],
        bus=bus,
        factories=factories,
    )
    env.process(_days(built, pickup_queues, progress))
    for hub in hubs:
        env.process(hub.trunk.cutoffs())
        env.process(hub.trunk.returns())
        if hub.line_haul.departures_h:
            env.process(hub.line_haul.departures())
    for point in points:
        env.process(point.run())
    if bus is not None:
        for number in range(len(bus.bus.lines)):
            env.process(bus.line_runs(number))
    if factories is not None:
        for shipper in plan.shippers:
            if shipper.van is not None:
                env.process(factories.vans(shipper))
    return built


def _hub_run(
    plan: StaticPlan,
    hub: HubPlan,
    context: RunContext,
    replication: int,
    returning: list[ReadyQueue],
    parks: list[CountyPark],
    demand: DemandSource | None,
    factories: Factories | None,
) -> HubRun:
    """A hub's part of a replication, drawing from its own streams."""
    streams = RandomStreams(plan.scenario.seed, replication, hub.stream_key)
    curve = hub_curve(hub.spec, context.total_days, streams)
    tally = HubTally(line=context.stats.line("hub", -1, -1, curve.at), hours=round(context.stats.end_h))
    line_haul = LineHaul(hub.spec, context, None if factories is None else factories.tally)
    trunk = Trunk(
        plan,
        hub,
        context,
        returning,
        lambda county, cargo, time_h: parks[county].receive(cargo, time_h),
        line_haul.arrive,
        None if factories is None else Backhaul(factories, line_haul.arrive_shipped),
    )
    return HubRun(
        plan=hub,
        streams=streams,
        demand=demand or demand_model(plan, hub),
        hub=CityHub(FifoLine(curve)),
        tally=tally,
        line_haul=line_haul,
        trunk=trunk,
        next_seq=hub.number * SEQ_PER_HUB,
        shippers=plan.shippers_of(hub.number),
    )


def _pickups_onward(
    plan: StaticPlan, index: int, pickup_queues: list[ReadyQueue], returning: list[ReadyQueue]
) -> PickupsOnward:
    """Where the pickups a point's vehicles bring back go: the next point's queue, or the trunk returns."""
    point = plan.points[index]
    onward = int(plan.flows.pickup_onward_point[index])
    if onward < 0:
        return PickupsOnward(returning[point.county], site=None)
    return PickupsOnward(pickup_queues[onward], site=point.depot_site)


def _days(
    built: Replication, pickup_queues: list[ReadyQueue], progress: DayProgress | None
) -> Generator[simpy.Event, Any, None]:
    """The day driver: at each midnight, each hub's parcels of the day reach it and its pickups its villages."""
    context = built.context
    for day in range(context.total_days):
        yield context.env.timeout(24.0 * day - context.env.now)
        if day > 0:
            built.close_day(day - 1)
        count = sum(_hub_day(built, hub, day, pickup_queues) for hub in built.hubs)
        if progress is not None:
            progress(day + 1, count)


def _hub_day(built: Replication, run: HubRun, day: int, pickup_queues: list[ReadyQueue]) -> int:
    """A day at one hub: its parcels arrive and are sorted, rural ones queue for the trunk, pickups appear.

    Returns the number of parcels that arrived.
    """
    context = built.context
    plan = built.plan
    stats = context.stats
    demand, streams = run.demand, run.streams
    hub_unit_cny = plan.scenario.costs.handling_cny_per_parcel.hub
    attribution = context.attribution
    count = demand.volume(day, streams)
    arrivals_h = demand.arrivals(day, count, streams)
    rural, destination = demand.destinations(day, count, streams)
    measured = stats.window_slice(arrivals_h)
    done_h, longest_queue = run.hub.sort_day(arrivals_h, measured)
    stats.record_hub(arrivals_h, done_h, rural, run.tally, longest_queue)
    run.tally.line.count(done_h, stats.window_start_h, stats.window_end_h)
    rural_count = len(destination["village"])
    rural_index = np.flatnonzero(rural)
    parcels = _rural_parcels(run.next_seq + rural_index, arrivals_h[rural_index], done_h[rural_index], destination)
    run.next_seq += count
    stats.record_rural_arrivals(parcels)
    context.ledger.add_cost(24.0 * day, Account("hub", hub=run.plan.number), "handling", hub_unit_cny * rural_count)
    village_group, carrier_group = attribution.groups(
        parcels["village"], parcels["carrier"], parcels["arrival_h"], pickup=False
    )
    attribution.arrive(village_group, carrier_group)
    attribution.record(
        village_group,
        carrier_group,
        24.0 * day,
        [("hub", "handling", hub_unit_cny * rural_count)],
        place=attribution.number(hub_key(run.plan.number)),
    )
    run.trunk.take_sorted(parcels)
    raw = demand.pickups(day, streams)
    seq = run.next_seq + np.arange(len(raw["appear_h"]), dtype=np.int64)
    pickups = {
        "seq": seq,
        "appear_h": raw["appear_h"],
        "carrier": raw["carrier"],
        "village": raw["village"],
        "site": np.empty(len(raw["appear_h"]), dtype=np.int32),
        "ready_h": raw["appear_h"],
        "fresh": fresh_flags(streams, seq - run.plan.number * SEQ_PER_HUB, plan.scenario.demand.fresh_share),
    }
    stats.record_pickups_in(pickups)
    run.next_seq += len(raw["appear_h"])
    attribution.arrive(*attribution.groups(pickups["village"], pickups["carrier"], pickups["appear_h"], pickup=True))
    place_pickups(plan.flows, pickups, pickup_queues, None if built.bus is None else built.bus.from_village)
    if built.factories is not None:
        shipped = shipper_parcels(run.shippers, day, streams)
        shipped["seq"] = run.next_seq + np.arange(len(shipped["appear_h"]), dtype=np.int64)
        run.next_seq += len(shipped["seq"])
        built.factories.place(shipped)
    return count


def _rural_parcels(
    seq: NDArray[np.int64], arrival_h: NDArray[np.float64], done_h: NDArray[np.float64], destination: Columns
) -> Columns:
    count = len(arrival_h)
    nan = np.full(count, np.nan)
    columns: Columns = {
        "seq": seq.astype(np.int64),
        "arrival_h": arrival_h,
        "hub_done_h": done_h,
        "carrier": destination["carrier"],
        "village": destination["village"],
        "park_arrival_h": nan,
        "park_done_h": nan.copy(),
        "town_arrival_h": nan.copy(),
        "ready_h": done_h,
        "sampled": destination["sampled"],
    }
    assert set(columns) == set(PARCEL_COLUMNS)
    return columns


def run_replication(
    plan: StaticPlan, replication: int, progress: DayProgress | None = None, demand: DemandSource | None = None
) -> Replication:
    """Build and run one replication until its measured parcels have finished; check parcel conservation."""
    built = build_replication(plan, replication, progress, demand)
    context = built.context
    shipped = None if built.factories is None else built.factories.tally
    built.simulated_days = run_days(
        context.env,
        RunDays.of(plan.scenario),
        lambda time_h: context.stats.all_finished_by(time_h) and (shipped is None or shipped.all_finished_by(time_h)),
    )
    if progress is not None and built.simulated_days < context.total_days:
        progress(context.total_days, 0)
    context.stats.flush()
    built.close_day(built.simulated_days - 1)
    context.attribution.finish(built.simulated_days)
    check_conservation(built)
    return built


def still_inside(built: Replication) -> int:
    """Measured rural parcels still in the network at the end: queued, on trucks, or not yet handed over."""
    stats = built.context.stats
    trunks = [hub.trunk for hub in built.hubs]
    queues = [*(queue for trunk in trunks for queue in trunk.outbound), *(point.parcels for point in built.points)]
    queued = sum(int(np.count_nonzero(stats.measured(queue.columns["arrival_h"]))) for queue in queues)
    held = sum(point.held_measured for point in built.points)
    if built.context.lockers is not None:
        held += built.context.lockers.buffered_measured
    if built.bus is not None:
        held += built.bus.measured_inside()
    return queued + sum(trunk.on_the_road_measured for trunk in trunks) + held + stats.in_transit_at_end


def check_conservation(built: Replication) -> None:
    """Raise ``ConservationError`` unless parcels in = delivered + still in the network."""
    stats = built.context.stats
    urban_backlog = sum(hub.tally.urban_backlog for hub in built.hubs)
    accounted = stats.urban_delivered + urban_backlog + stats.rural_delivered + still_inside(built)
    if accounted != stats.parcels_in:
        raise ConservationError(
            f"parcel conservation violated: {stats.parcels_in} arrived in the window but {accounted} are "
            f"accounted for (urban delivered {stats.urban_delivered}, urban backlog {urban_backlog}, "
            f"rural delivered {stats.rural_delivered}, rural inside {still_inside(built)})"
        )
