"""The report's per-county and per-carrier tables, from the results tables, as means over replications.

Cost per parcel, in both tables, is what the cost attribution gave the horizon's rural parcels (drain days
included; pickups are separate units and left out), as the key metric ``cost_per_parcel_cny`` has it: per
replication, Σ ``cost_cny`` of the ``parcel`` rows of ``cost_to_serve_villages`` (grouped by its ``county``) or
``cost_to_serve_carriers`` ÷ the county's or carrier's ``rural_parcels_in``; then the mean over replications.
In each replication the rows weighted by their parcels add up to the city's figure.

Vehicle-km and CO₂ are those booked in the window. Per county: those of the ``trips`` to and within it (trunk
trips to its park included). Per carrier: what is booked to one carrier (its county depots) is its own; what
several share (the trunk, the county park, town stations) is split in proportion to rural parcels in, so the
carriers' km and CO₂ add up to the run's totals. A carrier's depot km are those of its formed routes; its depot
CO₂ is that km at the CO₂ per km of the depot trips of the same county, vehicle type and day (a vehicle type's
CO₂ per km does not depend on load or time).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from simnet.results.load import Results

COUNTY_COLUMNS = ("rural_parcels_in", "delivery_time_h_mean", "on_time_24h", "cost_per_parcel_cny", "vehicle_km",
                  "co2_kg", "co2_g_per_parcel")  # fmt: skip
"""Columns of the per-county table after its name, in order."""

CARRIER_COLUMNS = ("rural_parcels_in", "delivery_time_h_mean", "on_time_24h", "cost_per_parcel_cny", "vehicle_km",
                   "co2_kg", "co2_g_per_parcel")  # fmt: skip
"""Columns of the per-carrier table after its name and whether it is in the park, in order."""


def _per_parcel(frame: pd.DataFrame) -> pd.DataFrame:
    parcels = frame["rural_parcels_in"].replace(0, np.nan)
    return frame.assign(cost_per_parcel_cny=frame["cost_cny"] / parcels,
                        co2_g_per_parcel=1000 * frame["co2_kg"] / parcels)  # fmt: skip


def attributed_parcel_cost(results: Results, by: Literal["county", "carrier"]) -> pd.Series:
    """Per replication and ``by`` ("county" or "carrier"): CNY attributed to the horizon's rural parcels.

    Counties from ``cost_to_serve_villages`` (each village row names its county), carriers from
    ``cost_to_serve_carriers``; ``parcel`` rows only.
    """
    table = results.tables["cost_to_serve_villages" if by == "county" else "cost_to_serve_carriers"]
    parcels = table[table["unit"] == "parcel"]
    summed: pd.Series = parcels.groupby(["replication", by])["cost_cny"].sum()
    return summed


def county_breakdown(results: Results) -> pd.DataFrame:
    """Per county (index: county id; ``name`` first): delivery, cost per parcel, km and CO₂, mean over replications.

    ``cost_cny`` (attributed to the county's parcels) is kept after the shown columns, for checks.
    """
    counties = results.tables["counties"].drop(columns="cost_cny", errors="ignore")
    trips = results.tables["trips"].groupby(["replication", "county"], as_index=False)[["vehicle_km", "co2_kg"]].sum()
    merged = counties.merge(trips, on=["replication", "county"], how="left").fillna({"vehicle_km": 0.0, "co2_kg": 0.0})
    cost = attributed_parcel_cost(results, "county")
    merged["cost_cny"] = cost.reindex(pd.MultiIndex.from_frame(merged[["replication", "county"]])).fillna(
        0.0).to_numpy()  # fmt: skip
    means = _per_parcel(merged).groupby("county", sort=True)[[*COUNTY_COLUMNS, "cost_cny"]].mean()
    names = counties.drop_duplicates("county").set_index("county")["name"]
    return means.assign(name=names.reindex(means.index))[["name", *COUNTY_COLUMNS, "cost_cny"]]


def _own_depot_km_co2(results: Results) -> pd.DataFrame:
    """Per replication and carrier: km of its depot routes and their CO₂ (kg)."""
    keys = ["replication", "county", "vehicle_type", "day"]
    routes = results.tables["formed_routes"]
    depot = routes[routes["tier"] == "depot"].groupby([*keys, "carrier"], as_index=False)["vehicle_km"].sum()
    trips = results.tables["trips"]
    rates = trips[trips["tier"] == "depot"].groupby(keys)[["co2_kg", "vehicle_km"]].sum()
    co2_per_km = (rates["co2_kg"] / rates["vehicle_km"].replace(0, np.nan)).rename("co2_per_km").reset_index()
    depot = depot.merge(co2_per_km, on=keys, how="left").fillna({"co2_per_km": 0.0})
    depot["co2_kg"] = depot["vehicle_km"] * depot["co2_per_km"]
    return depot.groupby(["replication", "carrier"], as_index=False)[["vehicle_km", "co2_kg"]].sum()


def carrier_breakdown(results: Results) -> pd.DataFrame:
    """Per carrier (index: carrier id): name, in park, delivery, cost, km and CO₂, mean over replications.

    Cost is attributed, shared km and CO₂ split by rural parcels in (see the module docstring); ``cost_cny``
    (attributed to the carrier's parcels) is kept for checks.
    """
    carriers = results.tables["carriers"]
    trips = results.tables["trips"]
    own = _own_depot_km_co2(results).set_index(["replication", "carrier"])
    totals = trips.groupby("replication")[["vehicle_km", "co2_kg"]].sum()
    shared = totals - own.groupby("replication").sum().reindex(totals.index).fillna(0.0)
    frame = carriers.set_index(["replication", "carrier"])
    replication = frame.index.get_level_values("replication")
    share = frame["rural_parcels_in"] / frame["rural_parcels_in"].groupby("replication").transform("sum")
    frame["cost_cny"] = attributed_parcel_cost(results, "carrier").reindex(frame.index).fillna(0.0)
    for column in ("vehicle_km", "co2_kg"):
        frame[column] = own[column].reindex(frame.index).fillna(0.0) + shared[column].reindex(
            replication).fillna(0.0).to_numpy() * share  # fmt: skip
    frame = _per_parcel(frame.reset_index())
    frame["in_park"] = frame["in_park"].astype(float)
    means = frame.groupby("carrier", sort=False)[["in_park", *CARRIER_COLUMNS, "cost_cny"]].mean()
    names = carriers.drop_duplicates("carrier").set_index("carrier")["name"]
    means["in_park"] = means["in_park"] > 0.5
    return means.assign(name=names.reindex(means.index))[["name", "in_park", *CARRIER_COLUMNS, "cost_cny"]]


def fleet_breakdown(results: Results, waits: pd.DataFrame) -> pd.DataFrame:
    """Per tier, means over replications: vehicles owned and most needed on a day, fleet-days all out, waits.

    ``full_days`` is the share of fleet-days with every vehicle out; ``waited_share`` the share of parcels on
    routes that waited for a vehicle and ``wait_h_mean`` their mean wait (h); ``waits`` is ``plots.vehicle_waits``.
    """
    fleets = results.tables["fleets"]
    per_day = fleets.groupby(["replication", "tier", "day"])[["vehicles", "vehicles_used"]].sum()
    per_tier = per_day.groupby(["replication", "tier"]).max()
    per_tier["full_days"] = (fleets["utilization"] >= 1.0).groupby([fleets["replication"], fleets["tier"]]).mean()
    waited = waits.groupby(["replication", "tier"])[["parcels", "waited_parcels", "wait_parcel_h"]].sum()
    per_tier["waited_share"] = waited["waited_parcels"] / waited["parcels"].replace(0, np.nan)
    per_tier["wait_h_mean"] = waited["wait_parcel_h"] / waited["waited_parcels"].replace(0, np.nan)
    return per_tier.groupby("tier").mean()
