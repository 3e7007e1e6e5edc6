"""A map of the network: hub, parks, town stations, village points and the planned routes."""

from __future__ import annotations

from matplotlib.artist import Artist
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simnet.plots._common import TIER_COLOURS, new_figure
from simnet.plots.labels import Lang, text, tier_label
from simnet.results.load import Results

SITE_STYLE: dict[str, tuple[str, float, str]] = {
    "village": (".", 12.0, "#888888"),
    "town": ("^", 28.0, "#ff7f0e"),
    "park": ("s", 70.0, "#2ca02c"),
    "hub": ("*", 260.0, "#000000"),
}
"""Site kind → (marker, size, colour), drawn in this order (hub on top)."""


def network_map(results: Results, *, lang: Lang = "en", routes: bool = True) -> Figure:
    """Sites by kind and, if ``routes``, every planned route as a closed line coloured by its dispatch point's tier."""
    sites = results.tables["sites"]
    figure = new_figure(8.0, 8.0)
    axes = figure.add_subplot()
    handles: list[Artist] = []
    hubs = sites[sites["kind"] == "hub"][["x_km", "y_km"]].to_numpy(dtype=float)
    parks = sites[sites["kind"] == "park"][["x_km", "y_km"]].to_numpy(dtype=float)
    if len(hubs) and len(parks):  # trunk links: every park from the (first) city hub
        trunk = [[hubs[0], park] for park in parks]
        axes.add_collection(LineCollection(trunk, colors=TIER_COLOURS["trunk"], linewidths=1.4, linestyles="--"))
        handles.append(Line2D([], [], color=TIER_COLOURS["trunk"], linestyle="--", label=tier_label("trunk", lang)))
    if routes and "routes" in results.tables:
        table = results.tables["routes"].sort_values(["dispatch_point", "route", "stop"])
        for tier, by_tier in table.groupby("tier", sort=False):
            lines = [
                group[["x_km", "y_km"]].to_numpy(dtype=float)
                for _, group in by_tier.groupby(["dispatch_point", "route"])
            ]
            colour = TIER_COLOURS.get(str(tier), "#1f77b4")
            axes.add_collection(LineCollection(lines, colors=colour, linewidths=0.6, alpha=0.5, zorder=1))
            label = f"{text('map_routes', lang)}: {tier_label(str(tier), lang)}"
            handles.append(Line2D([], [], color=colour, linewidth=1.2, label=label))
    for index, (kind, (marker, size, colour)) in enumerate(SITE_STYLE.items()):
        chosen = sites[sites["kind"] == kind]
        if chosen.empty:
            continue
        handles.append(axes.scatter(
            chosen["x_km"], chosen["y_km"], marker=marker, s=size, color=colour, zorder=2 + index,
            label=f"{tier_label(kind, lang)} ({len(chosen):,})", edgecolors="white" if kind != "village" else "none",
            linewidths=0.5,
        ))  # fmt: skip
    axes.set_aspect("equal", adjustable="datalim")
    axes.autoscale_view()
    axes.set_xlabel(text("x_km", lang))
    axes.set_ylabel(text("y_km", lang))
    axes.grid(alpha=0.2)
    axes.set_title(text("map_title", lang))
    axes.legend(handles=handles[::-1], loc="upper left", fontsize="small", framealpha=0.9)
    return figure
