"""The reference engine's city hub: the day driver that makes a hub's parcels and pickups, and its line."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simnet.engine.demand import DemandSource, fresh_flags
from simnet.engine.facilities import hub_key
from simnet.engine.factories import shipper_parcels
from simnet.engine.hub_tally import SEQ_PER_HUB
from simnet.engine.ledger import Account
from simnet.engine.reference.items import Parcel, Pickup, Shipped, arrive_at
from simnet.engine.reference.line import Line, Process
from simnet.engine.reference.world import World
from simnet.engine.streams import RandomStreams
from simnet.planning.hubs import HubPlan


class ReferenceHub:
    """Parcels come into being at midnight and queue, one by one, for the hub's sorting line."""

    def __init__(
        self,
        world: World,
        hub: HubPlan,
        streams: RandomStreams,
        line: Line,
        demand: DemandSource,
        start_parcel: Callable[[Parcel], None],
        start_pickup: Callable[[Pickup], None],
        progress: Callable[[int, int], None] | None,
        start_shipped: Callable[[Shipped], None] | None = None,
    ) -> None:
        self.world = world
        self.plan = hub
        self.streams = streams
        self.line = line
        self.demand = demand
        self.start_parcel = start_parcel
        self.start_pickup = start_pickup
        self.progress = progress
        self.start_shipped = start_shipped
        """Takes the day's new parcels of the hub's shippers; None without shippers."""
        self.parcels: list[Parcel] = []
        self.pickups: list[Pickup] = []
        self.inside = 0
        self.queue_max = 0

    def days(self) -> Process:
        """At each midnight the day's parcels and pickups come into being, each as a process."""
        world = self.world
        env = world.env
        streams = self.streams
        handling_cny = world.scenario.costs.handling_cny_per_parcel.hub
        first_seq = self.plan.number * SEQ_PER_HUB
        account = Account("hub", hub=self.plan.number)
        shippers = world.plan.shippers_of(self.plan.number)
        seq = first_seq
        for day in range(world.total_days):
            yield env.timeout(24.0 * day - env.now)
            count = self.demand.volume(day, streams)
            arrivals = self.demand.arrivals(day, count, streams)
            rural, destination = self.demand.destinations(day, count, streams)
            rural_index = 0
            for index in range(count):
                parcel = Parcel(seq + index, float(arrivals[index]), bool(rural[index]))
                if parcel.rural:
                    parcel.carrier = int(destination["carrier"][rural_index])
                    parcel.village = int(destination["village"][rural_index])
                    parcel.sampled = bool(destination["sampled"][rural_index])
                    rural_index += 1
                    world.ledger.add_cost(24.0 * day, account, "handling", handling_cny)
                    world.shares.charge(parcel, "hub", "handling", handling_cny)
                    world.shares.handle(hub_key(self.plan.number), 24.0 * day, [parcel])
                self.parcels.append(parcel)
                self.start_parcel(parcel)
            seq += count
            raw = self.demand.pickups(day, streams)
            fresh_share = world.scenario.demand.fresh_share
            for index in range(len(raw["appear_h"])):
                pickup = Pickup(
                    seq + index,
                    float(raw["appear_h"][index]),
                    int(raw["carrier"][index]),
                    int(raw["village"][index]),
                    -1,
                )
                pickup.fresh = bool(fresh_flags(streams, np.array([pickup.seq - first_seq]), fresh_share)[0])
                self.pickups.append(pickup)
                self.start_pickup(pickup)
            seq += len(raw["appear_h"])
            if self.start_shipped is not None:
                shipped = shipper_parcels(shippers, day, streams)
                for index in range(len(shipped["appear_h"])):
                    self.start_shipped(
                        Shipped(seq + index, float(shipped["appear_h"][index]), int(shipped["shipper"][index]))
                    )
                seq += len(shipped["appear_h"])
            if self.progress is not None:
                self.progress(day + 1, count)

    def sort(self, parcel: Parcel) -> Process:
        """A parcel arrives at the hub and is sorted in its turn."""
        env = self.world.env
        stats = self.world.stats
        yield env.timeout(parcel.arrival_h - env.now)
        if parcel.rural:
            arrive_at(parcel, "hub", env.now)
        self.inside += 1
        if stats.window_start_h <= parcel.arrival_h < stats.window_end_h:
            self.queue_max = max(self.queue_max, self.inside)
        yield from self.line.sort()
        self.inside -= 1
        parcel.hub_done_h = env.now
