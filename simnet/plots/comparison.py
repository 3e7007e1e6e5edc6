"""Two runs compared: each metric's difference B − A as a share of A's mean, with its 95 % interval.

The numbers are those of ``simnet compare`` (``simnet.results.compare``: paired t over common random numbers
when both runs share seed and replications, else Welch's t; significance after Holm–Bonferroni), scaled by
|mean of A| so that metrics of different units share one axis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from simnet.labels import Lang, is_share, metric_format, metric_label, text
from simnet.plots._common import new_figure
from simnet.results.load import Results

if TYPE_CHECKING:
    from simnet.results.compare import Comparison

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

SIGNIFICANT, NOT_SIGNIFICANT = "#d62728", "#7f7f7f"


def signed(metric: str, value: float, lang: Lang = "en") -> str:
    """A difference in the metric's unit with its sign (+0.120); of a share, in percentage points (−3.1 pp)."""
    if math.isnan(value):
        return "–"
    shown = f"{abs(value) * 100:.1f} {text('points', lang)}" if is_share(metric) else metric_format(metric, abs(value))
    return shown if value == 0 else f"{'+' if value > 0 else '−'}{shown}"


def twin_labels(found: Comparison, chosen: Sequence[str], lang: Lang = "en") -> list[str]:
    """Each chosen metric's B − A in its own unit, for the right-hand axis."""
    return [signed(metric, found.get(metric).difference, lang) for metric in chosen]


def comparison(
    results_a: Results,
    results_b: Results,
    *,
    metrics: Sequence[str] | None = None,
    lang: Lang = "en",
    compared: Comparison | None = None,
) -> Figure:
    """One row per metric: (B − A) / |A| as a dot with its 95 % interval, red when significant.

    ``compared`` is the comparison of the two folders when the caller already has it.
    """
    if compared is None:
        from simnet.results.compare import compare_folders  # noqa: PLC0415  (scipy loads only for a comparison)

        compared = compare_folders(results_a.path, results_b.path)
    found = compared
    names = {item.metric for item in found.metrics}
    chosen = [metric for metric in (metrics or COMPARED) if metric in names]
    figure = new_figure(8.0, 0.42 * len(chosen) + 1.6)
    axes = figure.add_subplot()
    for row, metric in enumerate(chosen):
        item = found.get(metric)
        scale = abs(item.mean_a)
        if not scale or math.isnan(scale):
            continue
        colour = SIGNIFICANT if item.significant else NOT_SIGNIFICANT
        centre = item.difference / scale
        if not (math.isnan(item.ci_low) or math.isnan(item.ci_high)):
            axes.plot([item.ci_low / scale, item.ci_high / scale], [row, row], color=colour, linewidth=2)
        axes.plot([centre], [row], marker="o", color=colour)
    differences = twin_labels(found, chosen, lang)
    axes.axvline(0.0, color="#333333", linewidth=0.8)
    axes.set_yticks(np.arange(len(chosen)), [metric_label(metric, lang) for metric in chosen])
    axes.set_ylim(len(chosen) - 0.5, -0.5)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_xlabel(text("comparison_axis", lang))
    axes.grid(axis="x", alpha=0.3)
    axes.set_title(text("comparison_title", lang))
    right = axes.twinx()
    right.set_ylim(axes.get_ylim())
    right.set_yticks(np.arange(len(chosen)), differences)
    for label, metric in zip(right.get_yticklabels(), chosen, strict=True):  # a metric with A = 0 has no dot
        label.set_color(SIGNIFICANT if found.get(metric).significant else "black")
    right.set_ylabel(text("comparison_right", lang))
    handles = [Line2D([], [], color=SIGNIFICANT, marker="o", label=text("significant", lang)),
               Line2D([], [], color=NOT_SIGNIFICANT, marker="o", label=text("not_significant", lang))]  # fmt: skip
    figure.legend(handles=handles, loc="outside lower center", ncols=2, fontsize="small")
    return figure
