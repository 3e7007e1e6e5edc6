"""Delivery-time distribution: the CDF of hub arrival → village point, overall and per county."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from simnet.labels import Lang, text
from simnet.plots._common import PALETTE, county_names, new_figure
from simnet.results.load import Results


def delivery_time_cdf(results: Results, *, lang: Lang = "en") -> Figure:
    """Empirical CDF of delivery times from the parcel sample, for all counties and each county."""
    parcels = results.parcels
    hours = (parcels["delivered_h"] - parcels["hub_arrival_h"]).to_numpy(dtype=float)
    delivered = ~np.isnan(hours)
    figure = new_figure()
    axes = figure.add_subplot()
    names = county_names(results)
    counties = parcels["county"].astype(str).to_numpy()
    curves = [(text("all_counties", lang), hours[delivered], "black", 2.4)]
    for index, county in enumerate(sorted(set(counties[delivered]))):
        chosen = hours[delivered & (counties == county)]
        curves.append((names.get(county, county), chosen, PALETTE[index % len(PALETTE)], 1.2))
    for label, values, colour, width in curves:
        ordered = np.sort(values)
        share = np.arange(1, len(ordered) + 1) / max(len(ordered), 1)
        axes.step(ordered, share, where="post", label=f"{label} (n={len(ordered):,})", color=colour, linewidth=width)
    for limit in (24, 48):
        axes.axvline(limit, color="grey", linestyle=":", linewidth=1)
    axes.set_xlabel(text("hours", lang))
    axes.set_ylabel(text("share_delivered", lang))
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_ylim(0, 1.02)
    axes.set_xlim(left=0)
    axes.grid(alpha=0.3)
    axes.set_title(text("delivery_time_title", lang))
    axes.legend(loc="lower right", fontsize="small", ncols=1 if len(curves) <= 8 else 2)
    return figure
