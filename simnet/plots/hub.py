"""The city hub over time: cumulative arrival and sorted curves (their gap is the queue) and parcels inside."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from simnet.plots._common import new_figure
from simnet.plots.labels import Lang, text
from simnet.results.load import Results


def hub_flow(results: Results, *, replication: int = 0, lang: Lang = "en") -> Figure:
    """Cumulative arrivals and sorted parcels per hour of one replication, and the parcels inside on a second axis."""
    hours = results.tables["hub_hours"]
    rows = hours[hours["replication"] == replication].sort_values("hour")
    if rows.empty:
        raise ValueError(f"replication {replication} is not in the hub_hours table.")
    days = (rows["hour"].to_numpy(dtype=float) + 1) / 24
    figure = new_figure()
    axes = figure.add_subplot()
    axes.plot(days, np.cumsum(rows["arrivals"].to_numpy()), label=text("arrivals", lang), color="#1f77b4")
    axes.plot(days, np.cumsum(rows["sorted"].to_numpy()), label=text("sorted", lang), color="#2ca02c")
    scenario = results.scenario()
    start = scenario.warmup_days
    axes.axvspan(start, start + scenario.horizon_days, color="#eeeeee", zorder=0, label=text("measured", lang))
    axes.set_xlabel(text("hub_time", lang))
    axes.set_ylabel(text("cumulative_parcels", lang))
    axes.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    axes.set_xlim(0, float(days.max()))
    axes.set_ylim(bottom=0)
    inside = axes.twinx()
    inside.fill_between(
        days, rows["inside_at_end"].to_numpy(dtype=float), color="#d62728", alpha=0.25, label=text("inside", lang)
    )
    inside.set_ylabel(text("inside_axis", lang))
    inside.set_ylim(bottom=0)
    inside.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    handles = axes.get_legend_handles_labels()
    more = inside.get_legend_handles_labels()
    axes.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left", fontsize="small")
    axes.set_title(text("hub_title", lang))
    return figure
