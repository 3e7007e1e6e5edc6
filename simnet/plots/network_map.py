"""Maps of the network: the city (sites, trunk lines, routes faint, bus lines) and one small map per county.

At city scale six carriers' routes drawn in colour hide the sites, so the city map draws every planned route as
one faint line and puts the sites and trunk lines on top; the county maps (small multiples on shared styling)
colour each route by who drives it: a carrier's depot, the county park, or a town station.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simnet.labels import Lang, text, tier_label
from simnet.plots._common import PALETTE, TIER_COLOURS, county_names, new_figure
from simnet.results.load import Results

SITE_STYLE: dict[str, tuple[str, float, str, str]] = {
    "village": (".", 12.0, "#555555", "none"),
    "town": ("^", 30.0, "#ffffff", "#222222"),
    "park": ("s", 60.0, "#2ca02c", "#222222"),
    "hub": ("*", 260.0, "#000000", "#ffffff"),
}
"""Site kind → (marker, size on the city map, fill, edge), drawn in this order (hub on top). A town station is a
hollow triangle, so it reads apart from every route colour, the orange of town-station routes included."""

FAINT_ROUTE = "#9ecae1"
"""The city map's route colour: light, so sites and trunk lines read over it."""

BUS_LINE = "#d62728"
"""Bus lines (tier ``bus`` in the routes table): drawn over the vans' routes on both maps, stop to stop."""

CARRIER_COLOURS = tuple(colour for colour in PALETTE if colour not in (TIER_COLOURS["park"], TIER_COLOURS["town"]))
"""Colours of carriers' depot routes on county maps (the park's and town stations' colours left out)."""

COUNTY_COLUMNS = 3
"""County maps per row."""

LEGEND_ENTRIES_PER_PANEL = 3
"""Legend entries a row of the county maps' legend holds per panel of width (route colours, then site markers)."""


def route_lines(results: Results) -> tuple[list[np.ndarray], pd.DataFrame]:
    """Every planned route as an (n, 2) array of km, and per route its dispatch point, tier and county."""
    table = results.tables["routes"].sort_values(["dispatch_point", "route", "stop"], kind="stable")
    if table.empty:
        return [], pd.DataFrame({"dispatch_point": [], "tier": [], "county": []})
    points = table["dispatch_point"].to_numpy()
    numbers = table["route"].to_numpy()
    starts = np.flatnonzero(np.r_[True, (points[1:] != points[:-1]) | (numbers[1:] != numbers[:-1])])
    lines = np.split(table[["x_km", "y_km"]].to_numpy(dtype=float), starts[1:])
    county_of_site = results.tables["sites"].set_index("site")["county"]
    first = table.iloc[starts]
    owners = pd.DataFrame({
        "dispatch_point": first["dispatch_point"].to_numpy(),
        "tier": first["tier"].to_numpy(),
        "county": county_of_site.reindex(first["site"]).fillna("").to_numpy(),
    })  # fmt: skip
    return lines, owners


def _sites(axes: Axes, sites: pd.DataFrame, lang: Lang, scale: float) -> list[Artist]:
    handles: list[Artist] = []
    for index, (kind, (marker, size, fill, edge)) in enumerate(SITE_STYLE.items()):
        chosen = sites[sites["kind"] == kind]
        if chosen.empty:
            continue
        handles.append(axes.scatter(
            chosen["x_km"], chosen["y_km"], marker=marker, s=size * scale, color=fill, edgecolors=edge,
            linewidths=0.6, zorder=3 + index, label=f"{tier_label(kind, lang)} ({len(chosen):,})",
        ))  # fmt: skip
    return handles


def network_map(results: Results, *, lang: Lang = "en", routes: bool = True) -> Figure:
    """The city: sites, a trunk line from the hub to each park, county names, and (``routes``) routes faint."""
    sites = results.tables["sites"]
    width_km = float(np.ptp(sites["x_km"].to_numpy(dtype=float))) if len(sites) else 1.0
    height_km = float(np.ptp(sites["y_km"].to_numpy(dtype=float))) if len(sites) else 1.0
    figure = new_figure(8.0, float(np.clip(6.6 * height_km / max(width_km, 1e-9) + 2.0, 4.0, 10.0)))
    axes = figure.add_subplot()
    handles: list[Artist] = []
    if routes and "routes" in results.tables:
        lines, owners = route_lines(results)
        bus = (owners["tier"] == "bus").to_numpy()
        vans = [line for line, by_bus in zip(lines, bus, strict=True) if not by_bus]
        axes.add_collection(LineCollection(vans, colors=FAINT_ROUTE, linewidths=0.3, alpha=0.5, zorder=1))
        handles.append(Line2D([], [], color=FAINT_ROUTE, linewidth=1.2, label=text("map_routes", lang)))
        if bus.any():
            buses = [line for line, by_bus in zip(lines, bus, strict=True) if by_bus]
            axes.add_collection(LineCollection(buses, colors=BUS_LINE, linewidths=0.8, alpha=0.8, zorder=2))
            handles.append(Line2D([], [], color=BUS_LINE, linewidth=1.2, label=text("map_bus_lines", lang)))
    hubs = sites[sites["kind"] == "hub"][["x_km", "y_km"]].to_numpy(dtype=float)
    parks = sites[sites["kind"] == "park"]
    if len(hubs) and len(parks):  # trunk links: every park from the (first) city hub
        trunk = [[hubs[0], park] for park in parks[["x_km", "y_km"]].to_numpy(dtype=float)]
        axes.add_collection(LineCollection(trunk, colors="#333333", linewidths=1.6, zorder=2))
        handles.append(Line2D([], [], color="#333333", linewidth=1.6, label=tier_label("trunk", lang)))
    handles += _sites(axes, sites, lang, 1.0)
    names = county_names(results)
    label_box = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
    for county, x_km, y_km in zip(parks["county"].astype(str), parks["x_km"], parks["y_km"], strict=True):
        axes.annotate(names.get(county, county), (x_km, y_km), xytext=(0, 7), textcoords="offset points",
                      ha="center", fontsize="small", zorder=8, bbox=label_box)  # fmt: skip
    axes.set_aspect("equal", adjustable="datalim")
    axes.autoscale_view()
    axes.set_xlabel(text("x_km", lang))
    axes.set_ylabel(text("y_km", lang))
    axes.grid(alpha=0.2)
    axes.set_title(text("map_title", lang))
    figure.legend(handles=handles[::-1], loc="outside lower center", ncols=3, fontsize="small")
    return figure


def _scale_bar(axes: Axes, lang: Lang) -> None:
    """A bar of a round length (1, 2, 5 × 10ⁿ km, about a quarter of the map's width) in the lower left corner."""
    left, right = axes.get_xlim()
    bottom, top = axes.get_ylim()
    quarter = (right - left) / 4
    power = 10 ** math.floor(math.log10(quarter)) if quarter > 0 else 1.0
    length = max((step * power for step in (1, 2, 5) if step * power <= quarter), default=power)
    x, y = left + 0.05 * (right - left), bottom + 0.06 * (top - bottom)
    axes.plot([x, x + length], [y, y], color="#222222", linewidth=2, solid_capstyle="butt", zorder=9)
    label = text("scale_km", lang, km=f"{length:g}")
    axes.text(x + length / 2, y + 0.02 * (top - bottom), label, ha="center", va="bottom", fontsize="x-small",
              zorder=9, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})  # fmt: skip


def _owner(dispatch_point: str, tier: str) -> str:
    """Who drives a route: the carrier id for a depot (``depot c01 zto``), else the tier (``park``, ``town``)."""
    return dispatch_point.rsplit(" ", maxsplit=1)[-1] if tier == "depot" else tier


def county_maps(results: Results, *, lang: Lang = "en") -> Figure:
    """One small map per county: its sites and planned routes, coloured by carrier depot, park or town station."""
    sites = results.tables["sites"]
    lines, owners = route_lines(results)
    owner = [_owner(point, tier) for point, tier in zip(owners["dispatch_point"], owners["tier"], strict=True)]
    scenario = results.scenario()
    carrier_names = {carrier.id: carrier.name for carrier in scenario.carriers}
    colours = {carrier.id: CARRIER_COLOURS[index % len(CARRIER_COLOURS)] for index, carrier in
               enumerate(scenario.carriers)}  # fmt: skip
    colours.update({"park": TIER_COLOURS["park"], "town": TIER_COLOURS["town"], "bus": BUS_LINE})
    counties = sorted(set(sites.loc[sites["kind"] == "park", "county"].astype(str)))
    names = county_names(results)
    columns = min(COUNTY_COLUMNS, max(len(counties), 1))
    rows = max(math.ceil(len(counties) / columns), 1)
    figure = new_figure(3.7 * columns, 3.5 * rows + 0.7)
    panels = figure.subplots(rows, columns, squeeze=False).ravel()
    by_county = owners["county"].to_numpy()
    for axes, county in zip(panels, counties, strict=False):
        chosen = np.flatnonzero(by_county == county)
        if len(chosen):
            axes.add_collection(LineCollection([lines[i] for i in chosen], colors=[colours.get(owner[i], "#1f77b4")
                                               for i in chosen], linewidths=0.4, alpha=0.7, zorder=1))  # fmt: skip
        _sites(axes, sites[sites["county"].astype(str) == county], lang, 1.0)
        axes.set_aspect("equal", adjustable="datalim")
        axes.autoscale_view()
        axes.set_title(names.get(county, county), fontsize="small")
        axes.set_xticks([])  # a scale bar instead of ticks: cheap to lay out, and the map reads the same
        axes.set_yticks([])
        _scale_bar(axes, lang)
    for axes in panels[len(counties) :]:
        axes.set_visible(False)
    handles, legend_columns = _county_legend(colours, carrier_names, set(owner), sites,
                                             LEGEND_ENTRIES_PER_PANEL * columns, lang)  # fmt: skip
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncols=legend_columns, fontsize="small")
    figure.suptitle(text("county_maps_title", lang))
    return figure


def _county_legend(
    colours: dict[str, str],
    carrier_names: dict[str, str],
    owners: set[str],
    sites: pd.DataFrame,
    widest: int,
    lang: Lang,
) -> tuple[list[Artist], int]:
    """The county maps' one legend and its number of columns: route colours in use, then site markers.

    Route colours: carriers' depots, the park, town stations; site kinds: park, town station, village (no hub).
    The entries fill the fewest rows in which both groups fit ``widest`` entries a row, the routes in columns of
    their own and the sites in the columns after them (blank entries fill out the routes' last column).
    """
    routes: list[Artist] = [
        Line2D([], [], color=colours[key], linewidth=1.5, label=carrier_names.get(key) or tier_label(key, lang))
        for key in colours
        if key in owners
    ]
    kinds = set(sites.loc[sites["county"].astype(str) != "", "kind"])
    markers: list[Artist] = []
    for kind in [kind for kind in ("park", "town", "village") if kind in kinds]:
        marker, size, fill, edge = SITE_STYLE[kind]
        markers.append(Line2D([], [], linestyle="none", marker=marker, markersize=max(math.sqrt(size), 5.0),
                              markerfacecolor=fill, markeredgecolor=edge, markeredgewidth=0.8,
                              label=tier_label(kind, lang)))  # fmt: skip
    rows = 1
    while math.ceil(len(routes) / rows) + math.ceil(len(markers) / rows) > widest and rows < len(routes):
        rows += 1
    blanks = [Line2D([], [], linestyle="none", label=" ") for _ in range(-len(routes) % rows)]
    return [*routes, *blanks, *markers], math.ceil(len(routes) / rows) + math.ceil(len(markers) / rows)
