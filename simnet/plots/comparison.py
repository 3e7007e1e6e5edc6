"""Two runs side by side: each metric's mean with its 95 % confidence interval, A beside B."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from simnet.plots._common import new_figure
from simnet.plots.labels import Lang, metric_label, text
from simnet.results.load import Results

COMPARED: tuple[str, ...] = (
    "delivery_time_h_mean",
    "delivery_time_h_p95",
    "on_time_24h",
    "cost_per_parcel_cny",
    "co2_g_per_parcel",
    "vehicle_km",
    "load_factor_mean",
    "hub_utilization",
    "village_coverage",
    "co_delivery_share",
)
"""Metrics compared by default."""

COLOURS = ("#1f77b4", "#ff7f0e")


def comparison(
    results_a: Results, results_b: Results, *, metrics: Sequence[str] | None = None, lang: Lang = "en"
) -> Figure:
    """One small panel per metric with two bars (A, B) and their 95 % CI whiskers."""
    chosen = [m for m in (metrics or COMPARED) if m in results_a.summary.index and m in results_b.summary.index]
    columns = min(5, max(len(chosen), 1))
    rows = max(math.ceil(len(chosen) / columns), 1)
    figure = new_figure(2.3 * columns, 2.5 * rows + 0.6)
    panels = figure.subplots(rows, columns, squeeze=False).ravel()
    names = (f"A: {results_a.path.name}", f"B: {results_b.path.name}")
    for axes, metric in zip(panels, chosen, strict=False):
        for index, results in enumerate((results_a, results_b)):
            row = results.summary.loc[metric]
            mean = float(row["mean"])
            low, high = float(row["ci_low"]), float(row["ci_high"])
            error = np.array([[mean - low], [high - mean]]) if not (math.isnan(low) or math.isnan(high)) else None
            axes.bar(index, mean, color=COLOURS[index], yerr=error, capsize=4, label=names[index])
        axes.set_xticks([0, 1], ["A", "B"])
        axes.set_title(metric_label(metric, lang), fontsize="small", wrap=True)
        axes.tick_params(axis="y", labelsize="x-small")
        axes.grid(axis="y", alpha=0.3)
    for axes in panels[len(chosen) :]:
        axes.set_visible(False)
    figure.suptitle(text("comparison_title", lang))
    figure.legend(*panels[0].get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize="small")
    return figure
