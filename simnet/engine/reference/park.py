"""The reference engine's county parks: the shared line of member carriers and each depot's own line."""

from __future__ import annotations

import simpy

from simnet.engine.facilities import line_key
from simnet.engine.ledger import Account
from simnet.engine.park import line_curve
from simnet.engine.reference.bus import ReferenceBus
from simnet.engine.reference.items import Parcel, arrive_at
from simnet.engine.reference.line import Line, Process
from simnet.engine.reference.world import World


class ReferenceParks:
    """Every park and depot line of the city, by the index of the dispatch point it feeds."""

    def __init__(self, world: World, waiting: list[simpy.Store], bus: ReferenceBus | None = None) -> None:
        self.world = world
        self.waiting = waiting
        self.bus = bus
        """Bus lines that take the sorted parcels the flows table puts on them, or None."""
        scenario = world.scenario
        handling = scenario.costs.handling_cny_per_parcel
        self.lines: dict[int, Line] = {}
        self.accounts: dict[int, tuple[Account, float]] = {}
        for index, point in enumerate(world.plan.points):
            if point.sorting_rate_per_h is None:
                continue
            curve = line_curve(scenario.parks, point.sorting_rate_per_h, world.total_days)
            use = world.stats.line(point.tier, point.county, point.carrier, curve.at)
            self.lines[index] = Line(world.env, curve, use)
            carrier = None if point.carrier < 0 else point.carrier
            unit_cny = handling.park if point.tier == "park" else handling.depot
            self.accounts[index] = (Account(point.tier, point.county, carrier), unit_cny)

    def sorting_point(self, parcel: Parcel, county: int) -> int:
        """The dispatch point whose line sorts this parcel: the flows table says."""
        return int(self.world.plan.flows.sorting_point[county, parcel.carrier])

    def sort(self, parcel: Parcel, county: int) -> Process:
        """A parcel unloaded at its park is sorted on its line and waits at its dispatch point."""
        env = self.world.env
        parcel.park_arrival_h = env.now
        point = self.sorting_point(parcel, county)
        arrive_at(parcel, self.world.plan.points[point].tier, env.now)
        account, unit_cny = self.accounts[point]
        self.world.ledger.add_cost(env.now, account, "handling", unit_cny)
        self.world.shares.charge(parcel, account.tier, "handling", unit_cny)
        plan = self.world.plan.points[point]
        self.world.shares.handle(line_key(plan.tier, plan.county, plan.carrier), env.now, [parcel])
        yield from self.lines[point].sort()
        parcel.park_done_h = env.now
        if self.bus is not None and self.bus.from_park(parcel):
            return
        yield self.waiting[point].put(parcel)
