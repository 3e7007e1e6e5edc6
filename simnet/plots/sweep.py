"""A sweep: each key metric against a varied parameter, mean with its 95 % confidence band."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simnet.plots._common import PALETTE, new_figure
from simnet.plots.labels import Lang, metric_label, text
from simnet.results.load import SweepResults


def sweep_parameters(sweep: SweepResults) -> list[str]:
    """The varied parameters of a sweep, in the order of its spec."""
    points = sweep.spec.get("points") or [{}]
    return [key for key in points[0] if key != "point"]


def _numeric(values: pd.Series) -> pd.Series:
    converted = pd.to_numeric(values, errors="coerce")
    return converted if not converted.isna().any() else values.astype(str)


def sweep_metric(sweep: SweepResults, metric: str, parameter: str, *, lang: Lang = "en") -> Figure:
    """Mean of ``metric`` against ``parameter`` with its CI band; one line per value of the other varied parameters."""
    summary = sweep.summary[sweep.summary["metric"] == metric]
    if summary.empty:
        raise ValueError(f"metric {metric!r} is not in the sweep summary.")
    if parameter not in summary.columns:
        raise ValueError(f"parameter {parameter!r} was not varied in this sweep.")
    others = [name for name in sweep_parameters(sweep) if name != parameter]
    figure = new_figure(6.0, 3.8)
    axes = figure.add_subplot()
    groups = summary.groupby(others, sort=True) if others else [((), summary)]
    categorical = False
    for index, (key, group) in enumerate(groups):
        ordered = group.assign(_x=_numeric(group[parameter])).sort_values("_x")
        x = ordered["_x"]
        categorical = categorical or x.dtype == object
        colour = PALETTE[index % len(PALETTE)]
        values = key if isinstance(key, tuple) else (key,)
        label = ", ".join(f"{name}={value}" for name, value in zip(others, values, strict=True)) or text("mean", lang)
        low = ordered["ci_low"].to_numpy(dtype=float)
        high = ordered["ci_high"].to_numpy(dtype=float)
        mean = ordered["mean"].to_numpy(dtype=float)
        axes.plot(x, mean, marker="o", color=colour, label=label)
        axes.fill_between(x, np.where(np.isnan(low), mean, low), np.where(np.isnan(high), mean, high), color=colour,
                          alpha=0.18, linewidth=0)  # fmt: skip
    axes.set_xlabel(parameter)
    axes.set_ylabel(metric_label(metric, lang))
    axes.grid(alpha=0.3)
    axes.set_title(text("sweep_title", lang, metric=metric_label(metric, lang), parameter=parameter), fontsize="medium")
    axes.legend(fontsize="small", title=text("ci_band", lang) + " ▒", title_fontsize="x-small")
    return figure
