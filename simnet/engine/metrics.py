"""Key metrics (DESIGN.md §5) and tidy tables of one replication, from its ledger and statistics."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from simnet.engine.attribution import ITEMS, UNIT_KINDS
from simnet.engine.backlog import BACKLOG_TIERS
from simnet.engine.ledger import CostKey, TripKey, TripTotals
from simnet.engine.outcome import Outcome
from simnet.metric_names import FACTORY_METRICS, TIER_ORDER
from simnet.planning.plan import StaticPlan


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def replication_metrics(outcome: Outcome) -> dict[str, float]:
    """Every key metric of one replication, plus the extra ones."""
    stats = outcome.stats
    ledger = outcome.ledger
    totals = TripTotals()
    for trip in ledger.trip_totals.values():
        totals.trips += trip.trips
        totals.vehicle_km += trip.vehicle_km
        totals.vehicle_hours += trip.vehicle_hours
        totals.load_factor_sum += trip.load_factor_sum
        totals.co2_kg += trip.co2_kg
    for bus_co2_kg in ledger.bus_co2_kg.values():
        totals.co2_kg += bus_co2_kg
    cost_total = float(sum(ledger.cost_cny.values()))
    delivered = stats.urban_delivered + stats.rural_delivered
    members = outcome.plan.members
    return {
        "parcels_in": stats.parcels_in,
        "parcels_delivered": delivered,
        "parcels_backlog": outcome.backlog,
        "delivery_time_h_mean": _ratio(stats.delivery_time_sum_h, stats.rural_delivered),
        "delivery_time_h_p50": stats.delivery_time_quantile_h(0.50),
        "delivery_time_h_p95": stats.delivery_time_quantile_h(0.95),
        "delivery_time_h_p99": stats.delivery_time_quantile_h(0.99),
        "on_time_24h": _ratio(stats.on_time_24h, stats.rural_delivered),
        "on_time_48h": _ratio(stats.on_time_48h, stats.rural_delivered),
        "cost_total_cny": cost_total,
        "cost_per_parcel_cny": _ratio(outcome.attributed.horizon_cny("parcel"), stats.rural_in),
        "vehicle_km": totals.vehicle_km,
        "vehicle_hours": totals.vehicle_hours,
        "trips": totals.trips,
        "load_factor_mean": _ratio(totals.load_factor_sum, totals.trips),
        "co2_kg": totals.co2_kg,
        "co2_g_per_parcel": _ratio(1000 * totals.co2_kg, stats.rural_in),
        "hub_utilization": _ratio(
            sum(hub.line.sorted_in_window for hub in outcome.hubs),
            sum(hub.line.capacity_in_window for hub in outcome.hubs),
        ),
        "hub_queue_max": stats.hub_queue_max,
        "village_coverage": stats.village_coverage,
        "village_visits_per_week_min": stats.fewest_visits_in_a_week,
        "park_entry_rate": float(members.mean()),
        "co_delivery_share": _ratio(stats.co_delivered, stats.rural_delivered),
        "pickup_time_h_mean": _ratio(stats.pickup_time_sum_h, stats.pickups_at_hub),
        "rural_parcels_in": stats.rural_in,
        "rural_parcels_delivered": stats.rural_delivered,
        "hub_wait_h_mean": _ratio(stats.hub_wait_sum_h, stats.hub_sorted),
        "village_delivery_share": _ratio(stats.delivered_at_village, stats.rural_delivered),
        "pickups_in": stats.pickups_in,
        "pickups_at_hub": stats.pickups_at_hub,
        "pickup_time_h_p95": stats.pickup_time_quantile_h(0.95),
        "fresh_over_limit_share": stats.fresh_over_limit_share,
        **_locker_metrics(outcome),
        **_bus_metrics(outcome),
        **_factory_metrics(outcome),
    }


def _factory_metrics(outcome: Outcome) -> dict[str, float]:
    """Shippers' parcels: how many, their time from ready to line-haul, their collection cost, the backhaul used."""
    tally = outcome.factories
    if tally is None:
        return dict.fromkeys(FACTORY_METRICS, math.nan)
    departed = int(tally.departed.sum())
    parcels_in = int(tally.parcels_in.sum())
    return {
        "factory_parcels_in": parcels_in,
        "factory_time_h_mean": _ratio(float(tally.time_sum_h.sum()), departed),
        "factory_cost_per_parcel_cny": _ratio(float(tally.van_cny.sum()), parcels_in),
        "trunk_return_use": _ratio(tally.backhaul_used, tally.backhaul_offered),
    }


def _shipper_rows(outcome: Outcome) -> list[dict[str, Any]]:
    """Per shipper: where it is, who collects, its parcels in the window, those gone, their time and van cost."""
    tally = outcome.factories
    if tally is None:
        return []
    network = outcome.plan.network
    return [
        {"shipper": shipper.spec.id, "county": network.county_ids[shipper.county], "at": shipper.spec.at,
         "collected_by": shipper.spec.collected_by, "parcels_in": int(tally.parcels_in[index]),
         "departed": int(tally.departed[index]),
         "time_h_mean": _ratio(float(tally.time_sum_h[index]), int(tally.departed[index])),
         "van_cost_cny": float(tally.van_cny[index])}
        for index, shipper in enumerate(outcome.plan.shippers)
    ]  # fmt: skip


def _bus_metrics(outcome: Outcome) -> dict[str, float]:
    """Share of the horizon's delivered rural parcels that a bus delivered, and their bus cost per parcel."""
    use = outcome.bus
    if use is None:
        return dict.fromkeys(("bus_share", "bus_cost_per_parcel_cny"), math.nan)
    attributed = outcome.attributed
    start = (2 + UNIT_KINDS.index("parcel")) * attributed.villages
    bus_items = [index for index, (tier, _kind) in enumerate(ITEMS) if tier == "bus"]
    bus_cny = float(attributed.by_village[bus_items, start : start + attributed.villages].sum())
    return {
        "bus_share": _ratio(use.parcels_delivered, outcome.stats.rural_delivered),
        "bus_cost_per_parcel_cny": _ratio(bus_cny, use.parcels_boarded),
    }


def _bus_rows(outcome: Outcome) -> list[dict[str, Any]]:
    """Per bus line and measured day: departures, what they carried, transfers, units left waiting, peak load."""
    use = outcome.bus
    if use is None or outcome.plan.bus is None:
        return []
    lines = outcome.plan.bus.lines
    network = outcome.plan.network
    return [
        {"line": lines[line].name, "county": network.county_ids[lines[line].county], "day": day + 1,
         "departures": counts.departures, "capacity_parcels": lines[line].capacity_parcels,
         "parcels": counts.parcels, "pickups": counts.pickups, "transfers": counts.transfers,
         "left_waiting": counts.left_waiting, "peak_load_mean": _ratio(counts.peak_load_sum, counts.departures)}
        for (line, day), counts in sorted(use.days.items())
    ]  # fmt: skip


def _locker_metrics(outcome: Outcome) -> dict[str, float]:
    """Locker utilisation, the share of closed-hours parcels that found no free cell, mean time to collection."""
    tally = outcome.lockers
    if tally is None:
        return dict.fromkeys(("locker_utilization", "locker_no_cell_share", "collection_time_h_mean"), math.nan)
    return {
        "locker_utilization": tally.utilization,
        "locker_no_cell_share": tally.no_cell_share,
        "collection_time_h_mean": tally.collection_time_h_mean,
    }


def _locker_rows(outcome: Outcome) -> list[dict[str, Any]]:
    """Per village point or town station with locker cells: its parcels, closed-hours parcels and cell use."""
    tally = outcome.lockers
    if tally is None:
        return []
    network = outcome.plan.network
    offered_h = tally.cells * tally.window_h
    return [
        {"tier": "village" if tally.at_village[site] else "town",
         "county": network.county_ids[int(network.county_of_site[site])], "site": network.site_ids[site],
         "cells": int(tally.cells[site]), "parcels": int(tally.parcels[site]),
         "closed_hours_parcels": int(tally.closed[site]), "no_cell_parcels": int(tally.no_cell[site]),
         "utilization": _ratio(float(tally.busy_cell_h[site]), float(offered_h[site]))}
        for site in np.flatnonzero(tally.cells > 0).tolist()
    ]  # fmt: skip


def _cost_order(item: tuple[CostKey, float]) -> tuple[tuple[str, int, int, str, int], str, int]:
    """Cost rows by account, kind and day."""
    (account, kind, day), _ = item
    return account.sort_key(), kind, day


def _trip_order(item: tuple[TripKey, TripTotals]) -> tuple[tuple[str, int, int, str, int], int]:
    """Trip rows by account and day."""
    (account, day), _ = item
    return account.sort_key(), day


def replication_tables(outcome: Outcome) -> dict[str, list[dict[str, Any]]]:
    """Tidy tables of one replication: costs, trips, days, counties, carriers and the rest (docs/results.md)."""
    plan = outcome.plan
    scenario = plan.scenario
    network = plan.network
    stats = outcome.stats
    ledger = outcome.ledger

    def county_id(index: int | None) -> str:
        return "" if index is None or index < 0 else network.county_ids[index]

    def carrier_id(index: int | None) -> str:
        return "" if index is None or index < 0 else scenario.carriers[index].id

    costs = [
        {"tier": account.tier, "county": county_id(account.county),
         "hub": plan.hubs[account.hub].id if account.hub is not None else "", "carrier": carrier_id(account.carrier),
         "vehicle_type": account.vehicle_type or "", "kind": kind, "day": day + 1, "cost_cny": amount}
        for (account, kind, day), amount in sorted(ledger.cost_cny.items(), key=_cost_order)
    ]  # fmt: skip
    trips = [
        {"tier": account.tier, "county": county_id(account.county), "vehicle_type": account.vehicle_type or "",
         "day": day + 1, "trips": t.trips, "vehicle_km": t.vehicle_km, "vehicle_hours": t.vehicle_hours,
         "load_factor_mean": _ratio(t.load_factor_sum, t.trips), "diesel_l": t.diesel_l,
         "energy_kwh": t.energy_kwh, "co2_kg": t.co2_kg}
        for (account, day), t in sorted(ledger.trip_totals.items(), key=_trip_order)
    ]  # fmt: skip
    cost_by_county = np.zeros(len(network.parks))
    for (account, _kind, _day), amount in ledger.cost_cny.items():
        if account.county is not None:
            cost_by_county[account.county] += amount
    counties = [
        {"county": network.county_ids[index], "name": network.county_names[index],
         "hub": plan.hubs[int(plan.hub_of_county[index])].id,
         "rural_parcels_in": int(stats.by_county["arrived"][index]),
         "delivered": int(stats.by_county["delivered"][index]),
         "delivery_time_h_mean": _ratio(stats.by_county["time_sum_h"][index], stats.by_county["delivered"][index]),
         "on_time_24h": _ratio(stats.by_county["on_time_24h"][index], stats.by_county["delivered"][index]),
         "cost_cny": float(cost_by_county[index]),
         "pickups_in": int(stats.by_county["pickups"][index]),
         "pickup_time_h_mean": _ratio(
             stats.by_county["pickup_time_sum_h"][index], stats.by_county["pickups_out"][index]),
         "fresh_over_limit_share": _ratio(
             stats.by_county["fresh_pickups"][index] - stats.by_county["fresh_on_time"][index],
             stats.by_county["fresh_pickups"][index])}
        for index in range(len(network.parks))
    ]  # fmt: skip
    carriers = [
        {"carrier": carrier.id, "name": carrier.name, "in_park": bool(plan.members[index]),
         "rural_parcels_in": int(stats.by_carrier["arrived"][index]),
         "delivered": int(stats.by_carrier["delivered"][index]),
         "delivery_time_h_mean": _ratio(stats.by_carrier["time_sum_h"][index], stats.by_carrier["delivered"][index]),
         "on_time_24h": _ratio(stats.by_carrier["on_time_24h"][index], stats.by_carrier["delivered"][index])}
        for index, carrier in enumerate(scenario.carriers)
    ]  # fmt: skip
    cost_by_day = np.zeros(scenario.horizon_days)
    for (_account, _kind, day), amount in ledger.cost_cny.items():
        cost_by_day[day] += amount
    days = [
        {"day": day + 1, "parcels_in": int(stats.by_day["arrived"][day]),
         "rural_parcels_in": int(stats.by_day["rural_arrived"][day]),
         "rural_delivered": int(stats.by_day["delivered"][day]), "cost_cny": float(cost_by_day[day])}
        for day in range(scenario.horizon_days)
    ]  # fmt: skip
    lines = [
        {"tier": use.tier, "county": county_id(use.county), "carrier": carrier_id(use.carrier),
         "parcels_sorted": use.sorted_in_window, "capacity": use.capacity_in_window, "utilization": use.utilization}
        for use in sorted(stats.lines, key=lambda use: (TIER_ORDER.index(use.tier), use.county, use.carrier))
    ]  # fmt: skip
    tables = {
        "costs": costs,
        "trips": trips,
        "lines": lines,
        "fleets": _fleet_rows(outcome, county_id, carrier_id),
        "counties": counties,
        "carriers": carriers,
        "days": days,
        "parcels": _sample_rows(outcome),
        "hubs": _hub_rows(outcome),
        "hub_hours": _hub_hour_rows(outcome),
        "formed_routes": _formed_route_rows(outcome, county_id, carrier_id),
        **_cost_to_serve_rows(outcome),
        "backlog": _backlog_rows(outcome),
        "lockers": _locker_rows(outcome),
        "bus_lines": _bus_rows(outcome),
        "shippers": _shipper_rows(outcome),
    }
    hub_of = {network.county_ids[county]: plan.hubs[hub].id for county, hub in enumerate(plan.hub_of_county.tolist())}
    for name in HUB_COLUMN_TABLES:
        tables[name] = [_with_hub(row, hub_of) for row in tables[name]]
    return tables


HUB_COLUMN_TABLES = ("costs", "trips", "lines", "fleets", "formed_routes", "cost_to_serve_villages", "lockers",
                     "bus_lines", "shippers")  # fmt: skip
"""Tables with a county column that also name the county's hub (empty where the county is)."""


def _with_hub(row: dict[str, Any], hub_of: dict[str, str]) -> dict[str, Any]:
    """``row`` with ``hub``, the id of the hub serving its county, right after ``county``.

    A row that names its hub itself (a hub's or a trunk pool's cost) keeps it.
    """
    with_hub: dict[str, Any] = {}
    for key, value in row.items():
        if key == "hub":
            continue
        with_hub[key] = value
        if key == "county":
            with_hub["hub"] = hub_of.get(value, row.get("hub", ""))
    return with_hub


def _backlog_rows(outcome: Outcome) -> list[dict[str, Any]]:
    """Rural parcels and pickups waiting at the end of each measured and drain day, per tier."""
    warmup = outcome.plan.scenario.warmup_days
    return [
        {"day": day - warmup + 1, "tier": tier, "parcels": int(outcome.backlog_by_day[day, index, 0]),
         "pickups": int(outcome.backlog_by_day[day, index, 1])}
        for day in range(warmup, len(outcome.backlog_by_day))
        for index, tier in enumerate(BACKLOG_TIERS)
    ]  # fmt: skip


def _cost_to_serve_rows(outcome: Outcome) -> dict[str, list[dict[str, Any]]]:
    """Attributed cost of the horizon's parcels and pickups per village and per carrier, by tier and kind.

    ``units`` are the horizon's parcels (or pickups) of the village or carrier; ``cost_per_unit_cny``
    is the attributed cost over them. Only (tier, kind) items with a cost appear.
    """
    plan = outcome.plan
    network = plan.network
    attributed = outcome.attributed
    county_of_village = plan.county_of_village
    tables: dict[str, list[dict[str, Any]]] = {"cost_to_serve_villages": [], "cost_to_serve_carriers": []}
    groups = (
        ("cost_to_serve_villages", attributed.by_village, attributed.arrived_by_village, attributed.villages),
        ("cost_to_serve_carriers", attributed.by_carrier, attributed.arrived_by_carrier, attributed.carriers),
    )
    village_who = [
        {"village": network.site_ids[village], "county": network.county_ids[county]}
        for village, county in zip(network.villages.tolist(), county_of_village.tolist(), strict=True)
    ]
    carrier_who = [{"carrier": carrier.id} for carrier in plan.scenario.carriers]
    for name, sums, arrived, size in groups:
        who_of = village_who if name == "cost_to_serve_villages" else carrier_who
        for unit_index, unit in enumerate(UNIT_KINDS):
            start = (2 + unit_index) * size
            costs = sums[:, start : start + size]
            members, items = np.nonzero(costs.T)  # member by member, items in order: the table's row order
            units_of = arrived[start : start + size].tolist()
            amounts = costs[items, members].tolist()
            for member, item, cost in zip(members.tolist(), items.tolist(), amounts, strict=True):
                tier, kind = ITEMS[item]
                units = int(units_of[member])
                tables[name].append(
                    {**who_of[member], "unit": unit, "tier": tier, "kind": kind, "units": units, "cost_cny": cost,
                     "cost_per_unit_cny": _ratio(cost, units)}
                )  # fmt: skip
    return tables


def _formed_route_rows(
    outcome: Outcome, county_id: Callable[[int | None], str], carrier_id: Callable[[int | None], str]
) -> list[dict[str, Any]]:
    """Each last-mile route formed in the measured days: its point, departure, stops, load, km and hours."""
    capacity = {point.name: point.vehicle.capacity_parcels for point in outcome.plan.points}
    routes = sorted(
        outcome.ledger.formed_routes,
        key=lambda r: (r.point, r.depart_h, r.stops, r.parcels, r.pickups, r.distance_km),
    )
    return [
        {"dispatch_point": r.point, "tier": r.account.tier, "county": county_id(r.account.county),
         "carrier": carrier_id(r.account.carrier), "vehicle_type": r.account.vehicle_type or "", "day": r.day + 1,
         "depart_h": r.depart_h, "stops": r.stops, "parcels": r.parcels, "pickups": r.pickups,
         "vehicle_km": r.distance_km, "vehicle_hours": r.hours, "load_factor": r.parcels / capacity[r.point]}
        for r in routes
    ]  # fmt: skip


def _fleet_rows(
    outcome: Outcome, county_id: Callable[[int | None], str], carrier_id: Callable[[int | None], str]
) -> list[dict[str, Any]]:
    """Vehicles owned and needed (peak out at once) per fleet and measured day."""
    scenario = outcome.plan.scenario
    rows: list[dict[str, Any]] = []
    for fleet in sorted(outcome.fleets, key=lambda f: (TIER_ORDER.index(f.tier), f.county, f.carrier, f.vehicle_type)):
        for day in range(scenario.horizon_days):
            used = fleet.peak_by_day.get(scenario.warmup_days + day, 0)
            rows.append(
                {"tier": fleet.tier, "county": county_id(fleet.county), "carrier": carrier_id(fleet.carrier),
                 "vehicle_type": fleet.vehicle_type, "day": day + 1, "vehicles": fleet.vehicles,
                 "vehicles_used": used, "utilization": used / fleet.vehicles}
            )  # fmt: skip
    return rows


def _hub_hour_rows(outcome: Outcome) -> list[dict[str, Any]]:
    """Parcels arriving at and sorted by each hub in each hour of the run, and those inside at its end."""
    hours = 24 * outcome.simulated_days
    rows: list[dict[str, Any]] = []
    for hub, tally in zip(outcome.plan.hubs, outcome.hubs, strict=True):
        arrived = np.cumsum(tally.arrivals_by_hour[:hours])
        sorted_ = np.cumsum(tally.sorted_by_hour[:hours])
        rows += [
            {"hub": hub.id, "hour": hour, "arrivals": int(tally.arrivals_by_hour[hour]),
             "sorted": int(tally.sorted_by_hour[hour]), "inside_at_end": int(arrived[hour] - sorted_[hour])}
            for hour in range(len(arrived))
        ]  # fmt: skip
    return rows


def _hub_rows(outcome: Outcome) -> list[dict[str, Any]]:
    """Each city hub's figures over the window: its counties, parcels in and their fate, cost, sorting, pickups.

    A hub's rural parcels and pickups are those of the counties it serves, so its delivered parcels are
    its urban ones sorted by the end plus its counties' rural ones delivered, and its backlog the rest;
    its cost per parcel is what the attribution gave its villages' horizon parcels over its rural parcels in.
    """
    by_county = outcome.stats.by_county
    attributed = outcome.attributed
    horizon_parcels = (2 + UNIT_KINDS.index("parcel")) * attributed.villages
    rows: list[dict[str, Any]] = []
    for hub, tally in zip(outcome.plan.hubs, outcome.hubs, strict=True):
        counties = hub.counties
        rural_delivered = int(by_county["delivered"][counties].sum())
        delivered = tally.urban_delivered + rural_delivered
        parcel_cny = float(attributed.by_village[:, horizon_parcels + hub.villages].sum())
        pickups_out = int(by_county["pickups_out"][counties].sum())
        rows.append(
            {"hub": hub.id, "counties": len(counties), "capacity_per_day": hub.spec.daily_capacity,
             "parcels_in": tally.parcels_in, "rural_parcels_in": tally.rural_in, "parcels_delivered": delivered,
             "parcels_backlog": tally.parcels_in - delivered, "rural_parcels_delivered": rural_delivered,
             "delivery_time_h_mean": _ratio(float(by_county["time_sum_h"][counties].sum()), rural_delivered),
             "cost_per_parcel_cny": _ratio(parcel_cny, tally.rural_in),
             "hub_utilization": tally.line.utilization, "hub_queue_max": tally.queue_max,
             "hub_wait_h_mean": _ratio(tally.wait_sum_h, tally.sorted_by_end),
             "pickups_in": int(by_county["pickups"][counties].sum()), "pickups_at_hub": pickups_out,
             "pickup_time_h_mean": _ratio(float(by_county["pickup_time_sum_h"][counties].sum()), pickups_out)}
        )  # fmt: skip
    return rows


def network_tables(plan: StaticPlan) -> dict[str, list[dict[str, Any]]]:
    """The city's sites and the planned routes of every dispatch point, for maps (the same in every replication)."""
    network = plan.network
    kinds = ("hub", "park", "town", "village")
    sites = [
        {"site": network.site_ids[index], "kind": kinds[int(network.site_kind[index])],
         "county": network.county_ids[int(network.county_of_site[index])] if network.county_of_site[index] >= 0 else "",
         "x_km": float(network.x_km[index]), "y_km": float(network.y_km[index])}
        for index in range(len(network.site_ids))
    ]  # fmt: skip
    routes = []
    for dispatch in plan.points:
        for number, route in enumerate(dispatch.routes):
            for stop, site in enumerate((dispatch.depot_site, *route.stops, dispatch.depot_site)):
                routes.append(
                    {"dispatch_point": dispatch.name, "tier": dispatch.tier, "vehicle_type": dispatch.vehicle_name,
                     "route": number, "stop": stop, "site": network.site_ids[site],
                     "x_km": float(network.x_km[site]), "y_km": float(network.y_km[site])}
                )  # fmt: skip
    for line in () if plan.bus is None else plan.bus.lines:
        for stop, site in enumerate(line.sites.tolist()):
            routes.append(
                {"dispatch_point": f"bus {line.name}", "tier": "bus", "vehicle_type": "", "route": 0, "stop": stop,
                 "site": network.site_ids[site], "x_km": float(network.x_km[site]), "y_km": float(network.y_km[site])}
            )  # fmt: skip
    return {"sites": sites, "routes": routes}


def _sample_rows(outcome: Outcome) -> list[dict[str, Any]]:
    plan = outcome.plan
    network = plan.network
    carrier_ids = [carrier.id for carrier in plan.scenario.carriers]
    county_ids = [network.county_ids[county] for county in plan.county_of_village.tolist()]
    village_ids = [network.site_ids[site] for site in network.villages.tolist()]
    times = ("arrival_h", "hub_done_h", "park_arrival_h", "park_done_h", "town_arrival_h", "delivered_h")
    rows: list[dict[str, Any]] = []
    for batch in outcome.stats.sample:
        columns = zip(batch["seq"].tolist(), batch["carrier"].tolist(), batch["village"].tolist(),
                      *(batch[name].tolist() for name in times), strict=True)  # fmt: skip
        for seq, carrier, village, arrival, hub_done, park_arrival, park_done, town_arrival, delivered in columns:
            rows.append(
                {
                    "parcel": seq,
                    "carrier": carrier_ids[carrier],
                    "county": county_ids[village],
                    "village": village_ids[village],
                    "hub_arrival_h": arrival,
                    "hub_done_h": hub_done,
                    "park_arrival_h": park_arrival,
                    "park_done_h": park_done,
                    "town_arrival_h": town_arrival,
                    "delivered_h": delivered,
                }
            )
    rows.sort(key=lambda row: row["parcel"])
    return rows
