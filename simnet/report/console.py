"""The short key-metrics table printed after a run."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from rich.table import Table

from simnet.experiment.summary import Estimate

SHOWN: tuple[tuple[str, str, str], ...] = (
    ("parcels_in", "parcels in (hub)", ",.0f"),
    ("parcels_delivered", "parcels delivered", ",.0f"),
    ("parcels_backlog", "parcels backlog", ",.0f"),
    ("delivery_time_h_mean", "rural delivery time, mean (h)", ".2f"),
    ("delivery_time_h_p95", "rural delivery time, p95 (h)", ".2f"),
    ("on_time_24h", "on time within 24 h", ".1%"),
    ("on_time_48h", "on time within 48 h", ".1%"),
    ("cost_per_parcel_cny", "cost per rural parcel (CNY)", ".3f"),
    ("cost_total_cny", "cost, total (CNY)", ",.0f"),
    ("vehicle_km", "vehicle-km", ",.0f"),
    ("co2_g_per_parcel", "CO₂ per rural parcel (g)", ".1f"),
    ("load_factor_mean", "load factor, mean", ".1%"),
    ("hub_utilization", "hub utilisation", ".1%"),
    ("hub_queue_max", "hub queue, max (parcels)", ",.0f"),
    ("village_coverage", "village coverage", ".1%"),
    ("village_visits_per_week_min", "fewest village visits per week", ".1f"),
    ("park_entry_rate", "carriers in the park", ".1%"),
    ("co_delivery_share", "co-delivery share", ".1%"),
    ("pickup_time_h_mean", "pickup → hub, mean (h)", ".2f"),
)


def _format(value: float, spec: str) -> str:
    return "–" if math.isnan(value) else format(value, spec)


def metrics_table(title: str, summary: dict[str, Estimate]) -> Table:
    """Key metrics with their 95 % confidence intervals over replications."""
    table = Table(title=title, title_justify="left")
    table.add_column("metric")
    table.add_column("mean", justify="right")
    table.add_column("95% CI", justify="right")
    for name, label, spec in SHOWN:
        estimate = summary.get(name)
        if estimate is None:
            continue
        interval = "" if estimate.n < 2 else f"{_format(estimate.ci_low, spec)} … {_format(estimate.ci_high, spec)}"
        table.add_row(label, _format(estimate.mean, spec), interval)
    n = max((estimate.n for estimate in summary.values()), default=0)
    table.caption = f"{n} replication(s); delivery times are hub arrival → village point (rural parcels)"
    return table


SWEEP_SHOWN: tuple[tuple[str, str], ...] = (
    ("delivery_time_h_mean", ".2f"),
    ("delivery_time_h_p95", ".2f"),
    ("cost_per_parcel_cny", ".3f"),
    ("vehicle_km", ",.0f"),
    ("parcels_backlog", ",.0f"),
    ("hub_utilization", ".1%"),
)


def sweep_table(title: str, summary: pd.DataFrame, parameters: Sequence[str]) -> Table:
    """One row per sweep point: its parameters and a few key metrics (mean ± 95 % CI half-width)."""
    table = Table(title=title, title_justify="left")
    for name in ("point", *parameters):
        table.add_column(name, justify="right")
    for metric, _ in SWEEP_SHOWN:
        table.add_column(metric, justify="right")
    if summary.empty:
        return table
    for point, group in summary.groupby("point", sort=True):
        by_metric = group.set_index("metric")
        cells = [str(point), *(str(group[name].iloc[0]) for name in parameters)]
        for metric, spec in SWEEP_SHOWN:
            if metric not in by_metric.index:
                cells.append("–")
                continue
            mean = float(by_metric.loc[metric, "mean"])
            half = (float(by_metric.loc[metric, "ci_high"]) - float(by_metric.loc[metric, "ci_low"])) / 2
            spread = "" if math.isnan(half) else f" ± {_format(half, spec)}"
            cells.append(_format(mean, spec) + spread)
        table.add_row(*cells)
    return table
