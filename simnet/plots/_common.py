"""Shared plot helpers: new figures (object API, no pyplot), county names, the scenario of a results folder."""

from __future__ import annotations

from matplotlib.figure import Figure

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
