"""Fleet utilisation: vehicles needed (peak out at once) against vehicles owned, per tier and measured day."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from simnet.metric_names import TIER_ORDER
from simnet.plots._common import TIER_COLOURS, new_figure
from simnet.plots.labels import Lang, text, tier_label
from simnet.results.load import Results


def fleet_utilization(results: Results, *, lang: Lang = "en") -> Figure:
    """One panel per tier: owned (outline) and needed (filled) vehicles each day, mean over replications."""
    fleets = results.tables["fleets"]
    per_day = fleets.groupby(["replication", "tier", "day"])[["vehicles", "vehicles_used"]].sum()
    mean = per_day.groupby(["tier", "day"]).mean()
    tiers = [tier for tier in TIER_ORDER if tier in mean.index.get_level_values("tier")]
    figure = new_figure(max(4.0, 2.6 * len(tiers)), 3.6)
    panels = figure.subplots(1, max(len(tiers), 1), squeeze=False)[0]
    for axes, tier in zip(panels, tiers, strict=False):
        rows = mean.loc[tier]
        days = rows.index.to_numpy()
        owned = rows["vehicles"].to_numpy(dtype=float)
        needed = rows["vehicles_used"].to_numpy(dtype=float)
        axes.bar(days, owned, color="white", edgecolor="#555555", label=text("owned", lang))
        axes.bar(days, needed, width=0.6, color=TIER_COLOURS.get(tier, "#1f77b4"), label=text("needed", lang))
        for day, used, total in zip(days, needed, owned, strict=True):
            share = used / total if total else np.nan
            axes.text(day, used, f"{share:.0%}", ha="center", va="bottom", fontsize="x-small")
        axes.set_title(tier_label(tier, lang))
        axes.set_xticks(days)
        axes.set_xlabel(text("day", lang))
        axes.grid(axis="y", alpha=0.3)
    panels[0].set_ylabel(text("vehicles", lang))
    panels[0].legend(loc="upper right", fontsize="x-small")
    figure.suptitle(text("fleet_title", lang))
    return figure
