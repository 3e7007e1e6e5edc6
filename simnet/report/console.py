"""The terminal tables: key metrics after a run, a row per sweep point, a run's size before it runs.

Every text that came from a user (a scenario name, a swept value, a path) goes through
``terminal_text.literal``, so rich prints it as written instead of reading it as markup.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from rich.table import Table

from simnet.experiment.summary import Estimate
from simnet.run_size import RunSize, gigabytes
from simnet.scenario.errors import format_path
from simnet.terminal_text import literal

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
    table = Table(title=literal(title), title_justify="left")
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
    table = Table(title=literal(title), title_justify="left")
    for name in ("point", *parameters):
        table.add_column(literal(name), justify="right")
    for metric, _ in SWEEP_SHOWN:
        table.add_column(metric, justify="right")
    if summary.empty:
        return table
    for point, group in summary.groupby("point", sort=True):
        by_metric = group.set_index("metric")
        cells = [str(point), *(literal(str(group[name].iloc[0])) for name in parameters)]
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


def dry_run_table(title: str, size: RunSize, available_bytes: int | None, target: Path) -> Table:
    """What ``simnet run --dry-run`` shows: the run's size and plan, estimated without simulating."""
    table = Table(title=literal(title), title_justify="left", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("estimate")
    tiers = Counter(point.tier for point in size.dispatch_points)
    largest = max((point.stops for point in size.dispatch_points), default=0)
    available = "unknown" if available_bytes is None else gigabytes(available_bytes)
    rows = (
        ("parcels", f"{size.parcels_per_day:,} a day (busiest day ≈ {size.busiest_day_parcels:,}), "
         f"rural share {size.rural_share:.0%}; {size.days} days × {size.replications} replication(s) "
         f"= {size.parcels:,} parcels"),
        ("network", f"{size.sites:,} sites (counties {size.counties:,}, towns {size.towns:,}, "
         f"villages {size.villages:,})"),
        ("dispatch points", f"{len(size.dispatch_points):,} ("
         + ", ".join(f"{count:,} {tier}" for tier, count in sorted(tiers.items()))
         + f"), the largest with {largest:,} stops"),
        ("memory", f"about {gigabytes(size.memory_bytes)} at the peak ({available} available now)"),
        *((f"  {format_path(part.field)}", f"{gigabytes(part.bytes)}: {part.label}")
          for part in size.memory_parts if part.bytes > 0),
        ("time", f"about {_duration(size.simulate_s)} simulating ({size.engine} engine), plus up to "
         f"{_duration(size.route_planning_s)} planning routes the first time (cached after)"),
        ("results", f"{literal(str(target))}, about {gigabytes(size.output_bytes)}"),
    )  # fmt: skip
    for what, estimate in rows:
        table.add_row(what, estimate)
    table.caption = "a dry run: nothing simulated, nothing written; estimates are rough (within about 2×)"
    return table


def _duration(seconds: float) -> str:
    """``40 s``, ``12 min`` or ``3.5 h``."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
