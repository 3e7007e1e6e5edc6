"""Cost per rural parcel broken down by tier (bars) and kind (stacks), from the attributed cost-to-serve table.

The figure is the key metric ``cost_per_parcel_cny`` taken apart: per replication, the cost attributed to the
horizon's rural parcels (``cost_to_serve_villages``, ``unit == "parcel"``, drain days included) per (tier, kind)
÷ that replication's ``rural_parcels_in``; then the mean over replications. Means add up, so the bars' total is
the mean of ``cost_per_parcel_cny`` over the replications, as the engine and the summary define it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simnet.labels import Lang, kind_label, text, tier_label
from simnet.metric_names import TIER_ORDER
from simnet.plots._common import PALETTE, new_figure
from simnet.results.load import Results

KIND_ORDER = ("vehicle_fixed", "distance", "energy", "driver_time", "handling", "commission", "facility_fixed")
"""Cost kinds in stacking order."""

UNIT_COUNTS = {"parcel": "rural_parcels_in", "pickup": "pickups_in"}
"""Unit of the cost-to-serve tables → the per-replication metric that counts the horizon's units."""


def _ordered(table: pd.DataFrame) -> pd.DataFrame:
    """Rows in tier order, columns in kind order (names outside the orders last)."""
    tiers = [tier for tier in TIER_ORDER if tier in table.index] + [t for t in table.index if t not in TIER_ORDER]
    kinds = [kind for kind in KIND_ORDER if kind in table.columns] + [k for k in table.columns if k not in KIND_ORDER]
    return table.loc[tiers, kinds]


def cost_per_parcel_by_tier(results: Results, *, unit: str = "parcel") -> pd.DataFrame:
    """Attributed cost per unit of the horizon by tier (rows) and kind (columns), mean over replications (CNY).

    Per replication: Σ ``cost_cny`` of the ``cost_to_serve_villages`` rows of ``unit`` ("parcel" or "pickup") per
    (tier, kind) ÷ that replication's ``rural_parcels_in`` (or ``pickups_in``); then the mean over replications
    (a replication without units is left out, as its metric is undefined). For parcels the cells add up to the
    mean of ``cost_per_parcel_cny``.
    """
    if unit not in UNIT_COUNTS:
        raise ValueError(f"unit {unit!r} is not one of {sorted(UNIT_COUNTS)}.")
    served = results.tables["cost_to_serve_villages"]
    served = served[served["unit"] == unit]
    units = results.replications.set_index("replication")[UNIT_COUNTS[unit]]
    per_replication = served.groupby(["replication", "tier", "kind"])["cost_cny"].sum().unstack(["tier", "kind"])
    per_replication = per_replication.reindex(units.index).fillna(0.0)
    per_unit = per_replication.div(units.replace(0, np.nan), axis=0).mean()
    if per_unit.empty:
        return pd.DataFrame(index=pd.Index([], name="tier"), columns=pd.Index([], name="kind"), dtype=float)
    return _ordered(per_unit.unstack("kind").fillna(0.0))


def cost_breakdown(results: Results, *, lang: Lang = "en", tiers: Sequence[str] = ()) -> Figure:
    """Horizontal bars of attributed cost per rural parcel per tier, stacked by kind; they add up to the key metric.

    ``tiers`` adds rows (at 0) so that two runs compared side by side show the same rows.
    """
    table = cost_per_parcel_by_tier(results)
    extra = [tier for tier in tiers if tier not in table.index]
    if extra:
        order = [tier for tier in TIER_ORDER if tier in {*table.index, *extra}]
        table = table.reindex([*order, *(t for t in table.index if t not in order)]).fillna(0.0)
    figure = new_figure(8.0, 0.5 * len(table) + 2.6)
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
    axes.set_title(text("cost_title", lang, total=f"{left.sum():.3f}"))
    if axes.get_legend_handles_labels()[0]:
        figure.legend(*axes.get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize="small")
    return figure
