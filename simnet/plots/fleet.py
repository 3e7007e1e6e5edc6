"""Fleet use per tier and measured day: vehicles needed as a share of those owned, and parcels that waited for one.

A last-mile route is formed at its dispatch wave and leaves when a vehicle of the point's fleet is free
(docs/model.md §7). Its wait is its departure time less the latest wave time at or before it (wave hours
``parks.dispatch_waves_h`` for parks and depots, ``service.town_dispatch_waves_h`` for town stations, repeated
every 24 h); a route whose wait is over ``WAIT_TOLERANCE_H`` waited for a vehicle, and so did every parcel aboard.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from simnet.labels import Lang, text, tier_label
from simnet.metric_names import TIER_ORDER
from simnet.plots._common import TIER_COLOURS, new_figure
from simnet.results.load import Results

WAIT_TOLERANCE_H = 1e-6
"""Departures this close after a wave time left at the wave (clock arithmetic leaves rounding of ~1e-12 h)."""


def route_waits_h(results: Results) -> pd.Series:
    """Each formed route's wait for a vehicle (h): departure less the latest wave time at or before it."""
    routes = results.tables["formed_routes"]
    scenario = results.scenario()
    waits = pd.Series(np.nan, index=routes.index, dtype=float)
    for tier, waves_h in (("town", scenario.service.town_dispatch_waves_h), ("", scenario.parks.dispatch_waves_h)):
        chosen = routes["tier"] == tier if tier else routes["tier"] != "town"
        depart_h = routes.loc[chosen, "depart_h"].to_numpy(dtype=float)
        since = np.mod(depart_h[:, None] - np.asarray(waves_h, dtype=float)[None, :] + WAIT_TOLERANCE_H, 24.0)
        waits[chosen] = np.maximum(since.min(axis=1) - WAIT_TOLERANCE_H, 0.0)
    return waits


def vehicle_waits(results: Results) -> pd.DataFrame:
    """Per replication, tier and measured day: parcels aboard formed routes, those that waited, their wait hours."""
    routes = results.tables["formed_routes"]
    waits = route_waits_h(results)
    waited = waits > WAIT_TOLERANCE_H
    frame = routes[["replication", "tier", "day"]].assign(
        parcels=routes["parcels"].to_numpy(dtype=float),
        waited_parcels=np.where(waited, routes["parcels"], 0).astype(float),
        wait_parcel_h=np.where(waited, waits * routes["parcels"], 0.0),
    )
    return frame.groupby(["replication", "tier", "day"], as_index=False)[
        ["parcels", "waited_parcels", "wait_parcel_h"]
    ].sum()


def fleet_use(results: Results) -> pd.DataFrame:
    """Per tier and day, means over replications: vehicles owned, needed, and the share of parcels that waited.

    The waited share is NaN for the trunk, which has no waves.
    """
    fleets = results.tables["fleets"]
    per_day = fleets.groupby(["replication", "tier", "day"], as_index=False)[["vehicles", "vehicles_used"]].sum()
    merged = per_day.merge(vehicle_waits(results), on=["replication", "tier", "day"], how="left")
    merged["needed_share"] = merged["vehicles_used"] / merged["vehicles"].replace(0, np.nan)
    merged["waited_share"] = merged["waited_parcels"] / merged["parcels"].replace(0, np.nan)
    return merged.groupby(["tier", "day"])[["vehicles", "vehicles_used", "needed_share", "waited_share"]].mean()


def fleet_utilization(results: Results, *, lang: Lang = "en", tiers: Sequence[str] = ()) -> Figure:
    """Grouped bars per measured day and tier: vehicles needed as % of owned, and % of parcels that waited for one.

    ``tiers`` adds empty groups, so that two runs side by side show the same groups.
    """
    use = fleet_use(results)
    present = set(use.index.get_level_values("tier")) | set(tiers)
    shown = [tier for tier in TIER_ORDER if tier in present]
    days = sorted(set(use.index.get_level_values("day")))
    figure = new_figure(9.0, 3.6)
    panels = figure.subplots(1, 2)
    for axes, column, title in zip(panels, ("needed_share", "waited_share"),
                                   ("fleet_needed_title", "fleet_waited_title"), strict=True):  # fmt: skip
        drawn = [tier for tier in shown if column == "needed_share" or tier != "trunk"]  # the trunk has no waves
        width = 0.8 / max(len(drawn), 1)
        for index, tier in enumerate(drawn):
            values = np.array([use[column].get((tier, day), np.nan) for day in days], dtype=float)
            offsets = np.arange(len(days)) + (index - (len(drawn) - 1) / 2) * width
            axes.bar(offsets, np.nan_to_num(values), width=width, color=TIER_COLOURS.get(tier, "#1f77b4"))
        axes.set_xticks(np.arange(len(days)), [str(day) for day in days])
        axes.set_xlabel(text("day", lang))
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_ylim(0, 1.05)
        axes.axhline(1.0, color="#555555", linewidth=0.8, linestyle=":")
        axes.grid(axis="y", alpha=0.3)
        axes.set_title(text(title, lang), fontsize="medium", wrap=True)
    handles = [Patch(color=TIER_COLOURS.get(tier, "#1f77b4"), label=tier_label(tier, lang)) for tier in shown]
    figure.legend(handles=handles, loc="outside lower center", ncols=max(len(shown), 1), fontsize="small")
    return figure
