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
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from simnet.experiment.summary import Estimate, unreliable_note
from simnet.labels import metric_format, metric_label
from simnet.metric_names import SHOWN_WHEN_MEASURED
from simnet.run_size import RunSize, gigabytes
from simnet.scenario.errors import format_path
from simnet.terminal_text import literal

SHOWN: tuple[str, ...] = (
    "parcels_in",
    "parcels_delivered",
    "parcels_backlog",
    "delivery_time_h_mean",
    "delivery_time_h_p95",
    "on_time_24h",
    "on_time_48h",
    "cost_per_parcel_cny",
    "cost_total_cny",
    "vehicle_km",
    "co2_g_per_parcel",
    "load_factor_mean",
    "hub_utilization",
    "hub_queue_max",
    "village_coverage",
    "village_visits_per_week_min",
    "park_entry_rate",
    "co_delivery_share",
    "pickup_time_h_mean",
)
"""The key metrics the run's table shows, labelled and formatted as in the plots and report."""


def _format(value: float, spec: str) -> str:
    return "–" if math.isnan(value) else format(value, spec)


def metrics_table(title: str, summary: dict[str, Estimate]) -> RenderableType:
    """Key metrics with their 95 % confidence intervals over replications; a warning under 5 replications."""
    table = Table(title=literal(title), title_justify="left")
    table.add_column("metric")
    table.add_column("mean", justify="right")
    table.add_column("95% CI", justify="right")
    for name in (*SHOWN, *SHOWN_WHEN_MEASURED):
        estimate = summary.get(name)
        if estimate is None or (name in SHOWN_WHEN_MEASURED and math.isnan(estimate.mean)):
            continue
        low, high = metric_format(name, estimate.ci_low), metric_format(name, estimate.ci_high)
        interval = "" if estimate.n < 2 else f"{low} … {high}"
        table.add_row(metric_label(name), metric_format(name, estimate.mean), interval)
    n = max((estimate.n for estimate in summary.values()), default=0)
    table.caption = f"{n} replication(s); delivery times are hub arrival → village point (rural parcels)"
    note = unreliable_note(n)
    return Group(table, Text(f"warning: {note}", style="bold yellow")) if note else table


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
