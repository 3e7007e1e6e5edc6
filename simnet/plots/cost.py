"""Cost per rural parcel broken down by tier (bars) and kind (stacks)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simnet.metric_names import TIER_ORDER
from simnet.plots._common import PALETTE, new_figure
from simnet.plots.labels import Lang, kind_label, text, tier_label
from simnet.results.load import Results

KIND_ORDER = ("vehicle_fixed", "distance", "energy", "driver_time", "handling", "commission")
"""Cost kinds in stacking order."""


def cost_per_parcel_by_tier(results: Results) -> pd.DataFrame:
    """Mean over replications of each (tier, kind)'s measured cost over that replication's rural parcels in."""
    costs = results.tables["costs"]
    rural = results.replications.set_index("replication")["rural_parcels_in"]
    per_replication = costs.groupby(["replication", "tier", "kind"])["cost_cny"].sum().unstack(["tier", "kind"])
    per_replication = per_replication.reindex(rural.index).fillna(0.0)
    per_parcel = per_replication.div(rural.replace(0, np.nan), axis=0).mean()
    table = per_parcel.unstack("kind").fillna(0.0)
    tiers = [tier for tier in TIER_ORDER if tier in table.index] + [t for t in table.index if t not in TIER_ORDER]
    kinds = [kind for kind in KIND_ORDER if kind in table.columns] + [k for k in table.columns if k not in KIND_ORDER]
    return table.loc[tiers, kinds]


def cost_breakdown(results: Results, *, lang: Lang = "en") -> Figure:
    """Horizontal bars of cost per rural parcel per tier, stacked by cost kind; they add up to cost_per_parcel_cny."""
    table = cost_per_parcel_by_tier(results)
    figure = new_figure(8.0, 0.5 * len(table) + 2.2)
    axes = figure.add_subplot()
    positions = np.arange(len(table))
    left = np.zeros(len(table))
    for index, kind in enumerate(table.columns):
        values = table[kind].to_numpy(dtype=float)
        axes.barh(positions, values, left=left, color=PALETTE[index % len(PALETTE)], label=kind_label(kind, lang))
        left += values
    for position, total in zip(positions, left, strict=True):
        axes.text(float(total), float(position), f" {total:.3f}", va="center", fontsize="small")
    axes.set_yticks(positions, [tier_label(tier, lang) for tier in table.index])
    axes.invert_yaxis()
    axes.set_xlabel(text("cny_per_parcel", lang))
    axes.set_xlim(0, max(float(left.max(initial=0)) * 1.15, 1e-9))
    axes.grid(axis="x", alpha=0.3)
    axes.set_title(f"{text('cost_title', lang)}: {left.sum():.3f}")
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="lower right", fontsize="small")
    return figure
