"""Shared plot helpers: new figures (object API, no pyplot), county names, the scenario of a results folder."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from simnet.plots.fonts import cjk_family
from simnet.results.load import Results

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
"""Colours in a fixed order, so a tier or county keeps its colour across plots."""

TIER_COLOURS = {"hub": "#444444", "trunk": "#7f7f7f", "park": "#2ca02c", "depot": "#1f77b4", "town": "#ff7f0e",
                "village": "#d62728"}  # fmt: skip
"""One colour per tier (routes by dispatch point tier, bars by tier)."""


def new_figure(width: float = 8.0, height: float = 4.5) -> Figure:
    """A figure with constrained layout and the CJK font registered as a fallback."""
    cjk_family()
    return Figure(figsize=(width, height), layout="constrained")


def county_names(results: Results) -> dict[str, str]:
    """County id → its name (the id itself when the counties table lacks it)."""
    counties = results.tables.get("counties")
    if counties is None or counties.empty:
        return {}
    return dict(zip(counties["county"].astype(str), counties["name"].astype(str), strict=True))


def scaled_formatter(divisor: float) -> FuncFormatter:
    """Tick labels of a count axis in units of ``divisor`` (thousands, 万); up to two decimals (2,500 in 万: 0.25)."""

    def label(value: float, _position: object) -> str:
        scaled = value / divisor
        if abs(scaled - round(scaled)) < 1e-9:
            return f"{scaled:,.0f}"
        return f"{scaled:,.2f}".rstrip("0").rstrip(".")

    return FuncFormatter(label)


def share_limits(figures: Sequence[Figure]) -> None:
    """Put figures of the same layout on shared scales: each axes gets the union of its x and y limits across them.

    Figures whose numbers of axes differ are left as they are (nothing to pair). Axes of a fixed aspect (maps)
    keep it by adjusting their box.
    """
    if len({len(figure.axes) for figure in figures}) != 1:
        return
    for paired in zip(*(figure.axes for figure in figures), strict=True):
        for get, put in (("get_xlim", "set_xlim"), ("get_ylim", "set_ylim")):
            limits = [getattr(axes, get)() for axes in paired]
            flipped = limits[0][0] > limits[0][1]
            low = min(min(pair) for pair in limits)
            high = max(max(pair) for pair in limits)
            for axes in paired:
                if axes.get_aspect() != "auto":  # a map keeps its aspect by its box once both limits are fixed
                    axes.set_adjustable("box")
                getattr(axes, put)((high, low) if flipped else (low, high))
