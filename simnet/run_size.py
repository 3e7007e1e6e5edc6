"""How big a run is, from its scenario alone: memory, parcels, sites, dispatch points, time.

Estimated before anything is built, so a scenario that cannot fit (a 26 GB run, a generated
city of four million villages) is refused at once with the field that drives it, not after
minutes of simulating. What the engine keeps at its peak, and so what is counted:

- the parcels of the busiest day (peak multiplier, three standard deviations of the day factor)
  as numpy columns, with the sorting temporaries, and the rural ones in flight to their villages;
- the hub's backlog when demand outruns capacity: carried from day to day, growing on days above
  capacity (a peak day) and draining on days below it;
- the pickups that village points send up each day;
- every dispatch point's travel matrix (all pairs of its stops), kept by the static plan;
- the road graph's sites, and the parcel sample's rows of every replication until written.

Replications run one after another, so memory does not grow with them; time does.

Calibration (``tracemalloc`` peak of one replication after planning and ``resource.getrusage``
peak RSS, on the 2-core development machine, one generated county of 20 villages, 1–6 days):
the fast engine peaked at 175 MB for 2,000,000 parcels/day at rural share 0.08 and 243 MB at
0.3, and at 169 MB for 400,000 parcels/day all rural, which gives about 75 bytes per parcel of the
day and 155–400 bytes per rural parcel; the constants take the upper ends. A hub at a quarter of
the demand added 36 bytes per backlogged parcel. The reference engine (one SimPy process per
parcel) took 1.7 kB per parcel and 1.5 kB more per rural one at 20,000 parcels/day. Planning a
county of 820 stops with six depot fleets peaked at 112 MB, 28 bytes per stop pair per dispatch
point. A sample row is a dict of 11 values (650 bytes) and its DataFrame copy (580 bytes).
Times: 2,000,000 parcels/day took 0.85 µs per parcel-day at rural share 0.08 and 1.7 µs at 0.3,
and route planning 0.5 s per dispatch point plus 3 ms per stop.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from simnet.forking import cores
from simnet.scenario import LoadedScenario
from simnet.scenario.errors import Path
from simnet.scenario.models import Scenario

BASE_PROCESS_BYTES = 200_000_000
"""Python, numpy, pandas, SimPy and PyVRP loaded, before any parcel (peak RSS 158 MB, rounded up)."""

BUSY_DAY_SIGMAS = 3.0
"""Standard deviations of the day factor above the mean that the busiest day is taken to reach."""

SAMPLE_ROW_BYTES = 1_300
"""One parcel-sample row in memory: its dict (650 bytes) and its DataFrame copy while written."""

SAMPLE_ROW_FILE_BYTES = 60
"""One parcel-sample row in ``parcels.parquet``, uncompressed (seven numbers, four short ids)."""

SITE_BYTES = 2_000
"""One site in the road graph and the per-site arrays (networkx keeps a dict per node and edge)."""

MATRIX_BYTES_PER_PAIR = 28
"""One pair of a dispatch point's stops: distance and time matrices and route planning's copies."""

FIXED_OUTPUT_BYTES = 2_000_000
"""A results folder without its parcel sample: report (with its font), scenario, tables."""

ROUTE_PLAN_S_PER_POINT = 0.5
ROUTE_PLAN_S_PER_STOP = 0.003
"""Route planning time (PyVRP) of a dispatch point: fixed, and per stop; cached after the first run."""


@dataclass(frozen=True)
class EngineCost:
    """What one engine costs per parcel."""

    bytes_per_parcel: float
    bytes_per_rural_parcel: float
    bytes_per_backlog_parcel: float
    us_per_parcel_day: float
    us_per_rural_parcel_day: float


ENGINE_COSTS = {
    "fast": EngineCost(80, 400, 40, 0.7, 4.0),
    "reference": EngineCost(1_700, 1_500, 1_700, 50.0, 50.0),
}
"""Per-parcel costs of each engine, from the calibration above (upper ends, rounded)."""


@dataclass(frozen=True)
class DispatchPoint:
    """A dispatch point as the plan will make it: what it serves and how many stops it has."""

    tier: str
    stops: int


@dataclass(frozen=True)
class MemoryPart:
    """One cause of memory use, its size, and the scenario field that drives it."""

    label: str
    bytes: int
    field: Path


@dataclass(frozen=True)
class RunSize:
    """A run's size, estimated from its scenario."""

    engine: str
    replications: int
    days: int
    parcels_per_day: int
    busiest_day_parcels: int
    rural_share: float
    sites: int
    counties: int
    towns: int
    villages: int
    dispatch_points: tuple[DispatchPoint, ...]
    memory_parts: tuple[MemoryPart, ...]
    output_bytes: int
    simulate_s: float
    route_planning_s: float

    @property
    def memory_bytes(self) -> int:
        """Peak memory of the whole process."""
        return BASE_PROCESS_BYTES + self.growth_bytes

    @property
    def growth_bytes(self) -> int:
        """Memory the run takes beyond the loaded program."""
        return sum(part.bytes for part in self.memory_parts)

    @property
    def largest_part(self) -> MemoryPart:
        """The part that drives memory most."""
        return max(self.memory_parts, key=lambda part: part.bytes)

    @property
    def parcels(self) -> int:
        """Parcels simulated in all: every day of every replication."""
        return self.parcels_per_day * self.days * self.replications


def estimate_run_size(scenario: Scenario, engine: str = "fast") -> RunSize:
    """The size of ``scenario``'s run with ``engine`` (``fast`` or ``reference``), before anything is built."""
    cost = ENGINE_COSTS[engine]
    demand = scenario.demand
    days = scenario.warmup_days + scenario.horizon_days + scenario.drain_days
    busy_factor = 1 + BUSY_DAY_SIGMAS * demand.daily_volume_cv
    peak = max((peak.multiplier for peak in demand.peak_days), default=1.0)
    busiest = demand.parcels_per_day * max(peak, 1.0) * busy_factor
    backlog = _largest_backlog(scenario, busy_factor)
    villages_by_county = list(_villages_by_town_by_county(scenario))
    villages = sum(sum(towns) for towns in villages_by_county)
    sites = 1 + sum(1 + len(towns) + sum(towns) for towns in villages_by_county)
    points = tuple(point for towns in villages_by_county for point in _county_points(scenario, towns))
    sample_rows = min(
        scenario.output.parcel_sample_size, round(demand.parcels_per_day * demand.rural_share * scenario.horizon_days)
    )
    network_field: Path = (
        ("network", "generate", "villages_per_town")
        if scenario.network.generate is not None
        else ("network", "counties")
    )
    parts = (
        MemoryPart(
            f"parcels of the busiest day (about {busiest:,.0f})",
            round(busiest * (cost.bytes_per_parcel + demand.rural_share * cost.bytes_per_rural_parcel)),
            ("demand", "parcels_per_day"),
        ),
        MemoryPart(
            f"the hub's backlog (up to {backlog:,.0f} parcels, when demand outruns capacity)",
            round(backlog * cost.bytes_per_backlog_parcel),
            ("hub", "capacity_per_day"),
        ),
        MemoryPart(
            f"pickups ({villages:,} villages × {demand.pickups_per_village_per_day:g} a day)",
            round(villages * demand.pickups_per_village_per_day * cost.bytes_per_rural_parcel),
            ("demand", "pickups_per_village_per_day"),
        ),
        MemoryPart(
            f"the network ({sites:,} sites, {len(points):,} dispatch points' travel matrices)",
            sites * SITE_BYTES + sum((point.stops + 1) ** 2 for point in points) * MATRIX_BYTES_PER_PAIR,
            network_field,
        ),
        MemoryPart(
            f"the parcel sample ({sample_rows:,} rows × {scenario.replications} replications)",
            sample_rows * scenario.replications * SAMPLE_ROW_BYTES,
            ("output", "parcel_sample_size"),
        ),
    )
    parcel_day_us = cost.us_per_parcel_day + demand.rural_share * cost.us_per_rural_parcel_day
    return RunSize(
        engine=engine,
        replications=scenario.replications,
        days=days,
        parcels_per_day=demand.parcels_per_day,
        busiest_day_parcels=round(busiest),
        rural_share=demand.rural_share,
        sites=sites,
        counties=len(villages_by_county),
        towns=sum(len(towns) for towns in villages_by_county),
        villages=villages,
        dispatch_points=points,
        memory_parts=parts,
        output_bytes=FIXED_OUTPUT_BYTES + sample_rows * scenario.replications * SAMPLE_ROW_FILE_BYTES,
        simulate_s=scenario.replications * days * demand.parcels_per_day * parcel_day_us / 1e6,
        route_planning_s=sum(ROUTE_PLAN_S_PER_POINT + ROUTE_PLAN_S_PER_STOP * point.stops for point in points),
    )


def _largest_backlog(scenario: Scenario, busy_factor: float) -> float:
    """Most parcels waiting at the hub at a day's end, each day busy by ``busy_factor`` (a fluid bound)."""
    multipliers = {peak.day: peak.multiplier for peak in scenario.demand.peak_days}
    capacity = scenario.hub_capacity_per_day
    backlog = largest = 0.0
    for day in range(scenario.warmup_days + scenario.horizon_days + scenario.drain_days):
        measured_day = day - scenario.warmup_days + 1  # peak days count from the first measured day
        arriving = scenario.demand.parcels_per_day * multipliers.get(measured_day, 1.0) * busy_factor
        backlog = max(backlog + arriving - capacity, 0.0)
        largest = max(largest, backlog)
    return largest


def _villages_by_town_by_county(scenario: Scenario) -> Iterator[list[int]]:
    """For each county, the number of villages of each of its towns."""
    generate = scenario.network.generate
    if generate is not None:
        for _ in range(generate.counties):
            yield [generate.villages_per_town] * generate.towns_per_county
        return
    for county in scenario.network.counties:
        yield [len(town.villages) for town in county.towns]


def _county_points(scenario: Scenario, villages_by_town: list[int]) -> Iterator[DispatchPoint]:
    """The dispatch points of one county, as the static plan makes them (see ``planning/plan.py``)."""
    members = len(scenario.consolidated_carrier_ids)
    outside = len(scenario.carriers) - members
    two_leg = scenario.service.last_mile == "two_leg"
    villages = sum(villages_by_town)
    towns = len(villages_by_town)
    if members:
        yield DispatchPoint("park", towns if two_leg else villages)
        if two_leg:
            yield from (DispatchPoint("town", count) for count in villages_by_town)
    to_towns = scenario.parks.outside_carriers_deliver_to == "town_station"
    for _ in range(outside):
        yield DispatchPoint("depot", towns if to_towns else villages)


def check_fits(size: RunSize, loaded: LoadedScenario, available_bytes: int | None) -> None:
    """Raise a ``ScenarioError`` at the field that drives memory when the run cannot fit in ``available_bytes``."""
    if available_bytes is None or size.growth_bytes <= available_bytes:
        return
    part = size.largest_part
    raise loaded.error(
        part.field,
        f"this run needs about {gigabytes(size.memory_bytes)} of memory, most of it for {part.label} "
        f"({gigabytes(part.bytes)}), but {gigabytes(available_bytes)} is available",
        "make the run smaller here (fewer parcels, villages or sample rows), or add --no-size-check to run it anyway",
    )


def worker_count(size: RunSize, requested: int | None, available_bytes: int | None) -> int:
    """Worker processes for a run's replications.

    As asked, else one per core; never more than the replications, and by default no more than the
    available memory holds, each worker growing by the run's estimated growth.
    """
    workers = min(requested if requested is not None else cores(), size.replications)
    if requested is None and available_bytes is not None and size.growth_bytes > 0:
        workers = min(workers, max(1, available_bytes // size.growth_bytes))
    return max(1, workers)


def gigabytes(size_bytes: float) -> str:
    """A size for people: ``1.25 GB``, or ``310 MB`` below a gigabyte."""
    return f"{size_bytes / 1e9:,.2f} GB" if size_bytes >= 1e9 else f"{size_bytes / 1e6:,.0f} MB"
