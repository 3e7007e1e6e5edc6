"""The names results, reports and plots share with the engine: key metrics (DESIGN §5) and tier order.

A neutral module, so that ``results/``, ``report/`` and ``plots/`` read these names without importing the engine.
"""

from __future__ import annotations

KEY_METRICS: tuple[str, ...] = (
    "parcels_in",
    "parcels_delivered",
    "parcels_backlog",
    "delivery_time_h_mean",
    "delivery_time_h_p50",
    "delivery_time_h_p95",
    "delivery_time_h_p99",
    "on_time_24h",
    "on_time_48h",
    "cost_total_cny",
    "cost_per_parcel_cny",
    "vehicle_km",
    "vehicle_hours",
    "trips",
    "load_factor_mean",
    "co2_kg",
    "co2_g_per_parcel",
    "hub_utilization",
    "hub_queue_max",
    "village_coverage",
    "village_visits_per_week_min",
    "park_entry_rate",
    "co_delivery_share",
    "pickup_time_h_mean",
)
"""The contract: these names stay stable across releases."""

FEATURE_METRICS: tuple[str, ...] = (
    "fresh_over_limit_share",
    "locker_utilization",
    "locker_no_cell_share",
    "collection_time_h_mean",
    "bus_share",
    "bus_cost_per_parcel_cny",
    "factory_parcels_in",
    "factory_time_h_mean",
    "factory_cost_per_parcel_cny",
    "trunk_return_use",
)
"""Metrics of what a scenario may have (fresh produce, lockers or hours, bus lines, shippers): NaN without it."""

SHOWN_WHEN_MEASURED: tuple[str, ...] = ("pickup_time_h_p95", *FEATURE_METRICS)
"""Rows the run's table and the report add for the flows a scenario has (the first kilometre's p95, fresh
produce, lockers, bus lines, shippers): shown when they were measured."""

FACTORY_METRICS: tuple[str, ...] = (
    "factory_parcels_in",
    "factory_time_h_mean",
    "factory_cost_per_parcel_cny",
    "trunk_return_use",
)
"""The shippers' figures (``engine/factories.py``); NaN without shippers."""

EXTRA_METRICS: tuple[str, ...] = (
    "rural_parcels_in",
    "rural_parcels_delivered",
    "hub_wait_h_mean",
    "village_delivery_share",
    "pickups_in",
    "pickups_at_hub",
    "pickup_time_h_p95",
    *FEATURE_METRICS,
)
"""Further metrics a planner reads beside the key ones."""


SHARE_METRICS = frozenset(
    {
        "on_time_24h",
        "on_time_48h",
        "load_factor_mean",
        "hub_utilization",
        "village_coverage",
        "park_entry_rate",
        "co_delivery_share",
        "village_delivery_share",
        "fresh_over_limit_share",
        "locker_utilization",
        "locker_no_cell_share",
        "bus_share",
        "trunk_return_use",
    }
)
"""Metrics that are shares from 0 to 1; every other metric is a count, time, cost or amount, never below 0."""

TIER_ORDER = ("hub", "trunk", "park", "depot", "town", "village", "bus")
"""Tiers from the city hub down, the order of rows in the tables."""
