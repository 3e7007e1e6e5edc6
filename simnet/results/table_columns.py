"""The columns of every table of a results folder, so a table with no rows still has them.

A run with no rural parcels, or a parcel sample of size 0, has tables without rows; written from
an empty list of rows they would have no columns either, and every reader (``results.parcels``,
the plots, the report) would fail on a valid run. The columns are the contract of DESIGN.md §6;
``tests/unit/results/test_table_columns.py`` checks them against the tables of a real run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "backlog": ("replication", "day", "tier", "parcels", "pickups"),
    "bus_lines": (
        "replication", "line", "county", "hub", "day", "departures", "capacity_parcels", "parcels", "pickups",
        "transfers", "left_waiting", "peak_load_mean",
    ),
    "carriers": (
        "replication", "carrier", "name", "in_park", "rural_parcels_in", "delivered", "delivery_time_h_mean",
        "on_time_24h",
    ),
    "cost_to_serve_carriers": (
        "replication", "carrier", "unit", "tier", "kind", "units", "cost_cny", "cost_per_unit_cny",
    ),
    "cost_to_serve_villages": (
        "replication", "village", "county", "hub", "unit", "tier", "kind", "units", "cost_cny", "cost_per_unit_cny",
    ),
    "costs": ("replication", "tier", "county", "hub", "carrier", "vehicle_type", "kind", "day", "cost_cny"),
    "counties": (
        "replication", "county", "name", "hub", "rural_parcels_in", "delivered", "delivery_time_h_mean", "on_time_24h",
        "cost_cny", "pickups_in", "pickup_time_h_mean", "fresh_over_limit_share",
    ),
    "days": ("replication", "day", "parcels_in", "rural_parcels_in", "rural_delivered", "cost_cny"),
    "fleets": (
        "replication", "tier", "county", "hub", "carrier", "vehicle_type", "day", "vehicles", "vehicles_used",
        "utilization",
    ),
    "formed_routes": (
        "replication", "dispatch_point", "tier", "county", "hub", "carrier", "vehicle_type", "day", "depart_h", "stops",
        "parcels", "pickups", "vehicle_km", "vehicle_hours", "load_factor",
    ),
    "hub_hours": ("replication", "hub", "hour", "arrivals", "sorted", "inside_at_end"),
    "hubs": (
        "replication", "hub", "counties", "capacity_per_day", "parcels_in", "rural_parcels_in", "parcels_delivered",
        "parcels_backlog", "rural_parcels_delivered", "delivery_time_h_mean", "cost_per_parcel_cny", "hub_utilization",
        "hub_queue_max", "hub_wait_h_mean", "pickups_in", "pickups_at_hub", "pickup_time_h_mean",
    ),
    "lines": ("replication", "tier", "county", "hub", "carrier", "parcels_sorted", "capacity", "utilization"),
    "lockers": (
        "replication", "tier", "county", "hub", "site", "cells", "parcels", "closed_hours_parcels", "no_cell_parcels",
        "utilization",
    ),
    "parcels": (
        "replication", "parcel", "carrier", "county", "village", "hub_arrival_h", "hub_done_h", "park_arrival_h",
        "park_done_h", "town_arrival_h", "delivered_h",
    ),
    "routes": ("dispatch_point", "tier", "vehicle_type", "route", "stop", "site", "x_km", "y_km"),
    "shippers": (
        "replication", "shipper", "county", "hub", "at", "collected_by", "parcels_in", "departed", "time_h_mean",
        "van_cost_cny",
    ),
    "sites": ("site", "kind", "county", "x_km", "y_km"),
    "trips": (
        "replication", "tier", "county", "hub", "vehicle_type", "day", "trips", "vehicle_km", "vehicle_hours",
        "load_factor_mean", "diesel_l", "energy_kwh", "co2_kg",
    ),
}  # fmt: skip


def table_frame(name: str, rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The table ``name`` of ``rows``; with no rows, an empty table with the table's columns."""
    if rows:
        return pd.DataFrame.from_records(rows)
    return pd.DataFrame(columns=list(TABLE_COLUMNS.get(name, ())))
