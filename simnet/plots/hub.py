"""The city's hubs over time, together: cumulative arrivals and sorted parcels (their gap is the queue), and inside."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from simnet.labels import Lang, parcel_unit, text
from simnet.plots._common import new_figure, scaled_formatter
from simnet.results.load import Results


def first_replication(results: Results) -> int:
    """The lowest replication number of the hub table, as the tables hold it (the one a report shows)."""
    return int(results.tables["hub_hours"]["replication"].min())


def hub_flow(results: Results, *, replication: int | None = None, lang: Lang = "en") -> Figure:
    """Cumulative arrivals and sorted parcels per hour of one replication (all hubs), and those inside on a second axis.

    ``replication`` defaults to the first in the table; counts read in thousands (en) or 万 (zh).
    """
    hours = results.tables["hub_hours"]
    chosen = first_replication(results) if replication is None else replication
    chosen_rows = hours[hours["replication"] == chosen]
    rows = chosen_rows.groupby("hour", as_index=False)[["arrivals", "sorted", "inside_at_end"]].sum()
    if rows.empty:
        raise ValueError(f"replication {chosen} is not in the hub_hours table.")
    divisor, unit = parcel_unit(lang)
    days = (rows["hour"].to_numpy(dtype=float) + 1) / 24
    figure = new_figure()
    axes = figure.add_subplot()
    axes.plot(days, np.cumsum(rows["arrivals"].to_numpy()), label=text("arrivals", lang), color="#1f77b4")
    axes.plot(days, np.cumsum(rows["sorted"].to_numpy()), label=text("sorted", lang), color="#2ca02c")
    scenario = results.scenario()
    start = scenario.warmup_days
    axes.axvspan(start, start + scenario.horizon_days, color="#eeeeee", zorder=0, label=text("measured", lang))
    axes.set_xlabel(text("hub_time", lang))
    axes.set_ylabel(text("cumulative_parcels", lang, unit=unit))
    axes.yaxis.set_major_formatter(scaled_formatter(divisor))
    axes.set_xlim(0, float(days.max()))
    axes.set_ylim(bottom=0)
    inside = axes.twinx()
    inside.fill_between(
        days, rows["inside_at_end"].to_numpy(dtype=float), color="#d62728", alpha=0.25, label=text("inside", lang)
    )
    inside.set_ylabel(text("inside_axis", lang, unit=unit))
    inside.set_ylim(bottom=0)
    inside.yaxis.set_major_formatter(scaled_formatter(divisor))
    handles = axes.get_legend_handles_labels()
    more = inside.get_legend_handles_labels()
    axes.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left", fontsize="small")
    axes.set_title(text("hub_title", lang, unit=unit))
    return figure
