"""A sweep: each key metric against a varied parameter (mean with its 95 % band), and one metric against another."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from simnet.labels import Lang, is_share, metric_title, text
from simnet.plots._common import PALETTE, new_figure
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
    axes.set_ylabel(metric_title(metric, lang))
    if is_share(metric):
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.grid(alpha=0.3)
    axes.set_title(text("sweep_title", lang, metric=metric_title(metric, lang), parameter=parameter), fontsize="medium")
    axes.legend(fontsize="small", title=text("ci_band", lang) + " ▒", title_fontsize="x-small")
    return figure


def _shown(value: object) -> str:
    """A parameter value on a point's label: whole numbers with thousands separators (400,000), others as given."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    if pd.isna(number) or isinstance(value, bool):
        return str(value)
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.4g}"


def _errors(frame: pd.DataFrame, metric: str) -> np.ndarray:
    """Asymmetric error bars (below, above the mean) from a metric's CI; 0 where the interval is unknown (n = 1)."""
    mean = frame[(metric, "mean")].to_numpy(dtype=float)
    below = np.nan_to_num(mean - frame[(metric, "ci_low")].to_numpy(dtype=float))
    above = np.nan_to_num(frame[(metric, "ci_high")].to_numpy(dtype=float) - mean)
    return np.vstack([below, above])


def sweep_trade_off(
    sweep: SweepResults,
    *,
    x_metric: str = "delivery_time_h_mean",
    y_metric: str = "cost_per_parcel_cny",
    lang: Lang = "en",
) -> Figure:
    """Each point of a sweep at its mean ``x_metric`` and ``y_metric``, 95 % intervals as error bars both ways.

    Each point is labelled by its parameter values; with one numeric varied parameter a thin line joins the points
    in its order. The default reads a capacity sweep's trade-off: cost per rural parcel against delivery time.
    """
    summary = sweep.summary
    for metric in (x_metric, y_metric):
        if metric not in set(summary["metric"]):
            raise ValueError(f"metric {metric!r} is not in the sweep summary.")
    parameters = sweep_parameters(sweep)
    chosen = summary[summary["metric"].isin([x_metric, y_metric])]
    table = chosen.pivot_table(index="point", columns="metric", values=["mean", "ci_low", "ci_high"], dropna=False)
    table = table.swaplevel(axis=1)
    values = summary.drop_duplicates("point").set_index("point")[parameters].reindex(table.index)
    if len(parameters) == 1 and pd.to_numeric(values[parameters[0]], errors="coerce").notna().all():
        order = pd.to_numeric(values[parameters[0]]).sort_values().index
        table, values = table.loc[order], values.loc[order]
    x = table[(x_metric, "mean")].to_numpy(dtype=float)
    y = table[(y_metric, "mean")].to_numpy(dtype=float)
    figure = new_figure(6.4, 4.4)
    axes = figure.add_subplot()
    if len(parameters) == 1:
        axes.plot(x, y, color=PALETTE[0], linewidth=0.8, alpha=0.5)
    axes.errorbar(x, y, xerr=_errors(table, x_metric), yerr=_errors(table, y_metric), fmt="o", color=PALETTE[0],
                  ecolor=PALETTE[0], elinewidth=1.0, capsize=3, label=text("ci_band", lang))  # fmt: skip
    for x_value, y_value, (_, row) in zip(x, y, values.iterrows(), strict=True):
        label = "\n".join(f"{name}={_shown(row[name])}" for name in parameters)
        axes.annotate(label, (x_value, y_value), xytext=(6, 6), textcoords="offset points", fontsize="x-small")
    axes.set_xlabel(metric_title(x_metric, lang))
    axes.set_ylabel(metric_title(y_metric, lang))
    for metric, axis in ((x_metric, axes.xaxis), (y_metric, axes.yaxis)):
        if is_share(metric):
            axis.set_major_formatter(PercentFormatter(1.0))
    axes.margins(x=0.2, y=0.2)
    axes.grid(alpha=0.3)
    title = text("sweep_title", lang, metric=metric_title(y_metric, lang), parameter=metric_title(x_metric, lang))
    axes.set_title(title, fontsize="medium")
    axes.legend(fontsize="small")
    return figure
