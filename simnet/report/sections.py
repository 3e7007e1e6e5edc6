"""The bodies of a run report's sections: its tables, and its figures (built here, embedded by the caller).

Figures are returned unsaved, so that a side-by-side report can put A's and B's on shared scales first.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

import pandas as pd
from matplotlib.figure import Figure

from simnet import plots
from simnet.labels import Lang, metric_format, metric_label, tier_label
from simnet.metric_names import KEY_METRICS, SHOWN_WHEN_MEASURED, TIER_ORDER
from simnet.report.breakdowns import (
    CARRIER_COLUMNS,
    COUNTY_COLUMNS,
    carrier_breakdown,
    county_breakdown,
    fleet_breakdown,
)
from simnet.report.document import note_html, table_html
from simnet.report.i18n import say
from simnet.report.scorecard import peak_day_demand, scorecard, shown_goal, shown_value, target_label
from simnet.results.load import Results
from simnet.scenario import Scenario

FIGURES = ("delivery-time", "cost", "hub", "fleet", "map", "county-maps")
"""Sections that hold one figure each, in order."""


def _scenario_rows(results: Results, scenario: Scenario, lang: Lang) -> list[tuple[str, str]]:
    sites = results.tables.get("sites", pd.DataFrame({"kind": []}))
    kinds = sites["kind"].value_counts()
    carriers = results.tables.get("carriers", pd.DataFrame())
    in_park = set()
    if not carriers.empty:
        in_park = set(carriers.loc[carriers["in_park"].astype(bool), "carrier"])
    peaks = ", ".join(f"{peak.day} × {peak.multiplier:g}" for peak in scenario.demand.peak_days) or say("none", lang)
    parked = ", ".join(carrier.name for carrier in scenario.carriers if carrier.id in in_park) or say("none", lang)
    manifest = results.manifest
    engine = str(manifest.get("engine", "?"))
    return [
        (say("name", lang), scenario.name),
        (say("description", lang), scenario.description),
        (say("seed", lang), str(scenario.seed)),
        (say("replications", lang), str(scenario.replications)),
        (say("days", lang), f"{scenario.warmup_days} + {scenario.horizon_days} + {scenario.drain_days}"),
        (say("demand", lang), f"{scenario.demand.parcels_per_day:,.0f}"),
        (say("rural_share", lang), f"{scenario.demand.rural_share:.1%}"),
        (say("peak_days", lang), peaks),
        (say("network", lang), say("network_counts", lang, counties=int(kinds.get("park", 0)),
                                   towns=int(kinds.get("town", 0)), villages=int(kinds.get("village", 0)))),
        (say("hub_capacity_day", lang), f"{scenario.hub_capacity_per_day:,.0f}"),
        (say("park_policy", lang), parked),
        (say("deliveries_per_week", lang), str(scenario.service.deliveries_per_week)),
        (say("last_mile", lang), say(f"last_mile_{scenario.service.last_mile}", lang)),
        (say("carriers", lang), ", ".join(f"{c.name} ({c.share:.0%})" for c in scenario.carriers)),
        (say("overrides", lang), " ".join(manifest.get("overrides", [])) or say("none", lang)),
        ("simnet", say("made", lang, version=manifest.get("simnet_version", "?"),
                       engine=say(f"engine_{engine}", lang) if engine in ("fast", "reference") else engine,
                       wall=manifest.get("wall_time_s", "?"))),
    ]  # fmt: skip


def scenario_html(results: Results, lang: Lang) -> str:
    """The scenario in brief as a two-column table."""
    rows = [(escape(key), escape(value)) for key, value in _scenario_rows(results, results.scenario(), lang)]
    return table_html([say("field", lang), say("value", lang)], rows, [False, False])


def _interval(metric: str, row: pd.Series) -> str:
    low, high = row.get("ci_low"), row.get("ci_high")
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "–"
    return f"{metric_format(metric, float(low))} … {metric_format(metric, float(high))}"


def metric_cell(metric: str, lang: Lang) -> str:
    """A metric's label; in English followed by its column name in the results (the Chinese report stays Chinese)."""
    label = escape(metric_label(metric, lang))
    return label if lang == "zh" else f'{label} <span class="sub">{metric}</span>'


def replications_note(n: int, lang: Lang, *, with_n: bool = True) -> str:
    """The n line under a table of estimates, with the warning when n is too small for reliable intervals."""
    from simnet.experiment.summary import unreliable_note  # noqa: PLC0415  (it loads scipy; a report need not)

    shown = note_html(f"{say('n', lang)} = {n}") if with_n else ""
    return shown + note_html(unreliable_note(n, lang), "warn")


def metrics_html(summary: pd.DataFrame, lang: Lang) -> str:
    """Key metrics, then those of the flows the scenario has, with mean and 95 % CI over the replications, and n."""
    rows = []
    for metric in (*KEY_METRICS, *SHOWN_WHEN_MEASURED):
        if metric not in summary.index:
            continue
        row = summary.loc[metric]
        mean = math.nan if pd.isna(row["mean"]) else float(row["mean"])
        if metric in SHOWN_WHEN_MEASURED and math.isnan(mean):
            continue
        rows.append([metric_cell(metric, lang), metric_format(metric, mean), _interval(metric, row)])
    header = [say("metric", lang), say("mean", lang), say("ci", lang)]
    n = int(summary["n"].max()) if len(summary) else 0
    return table_html(header, rows, [False, True, True], "key-metrics") + replications_note(n, lang)


def scorecard_html(results: Results, lang: Lang) -> str:
    """The plan targets with value, target and a met / missed badge."""
    scenario = results.scenario()
    rows = []
    for target in scorecard(results.summary, scenario):
        status = "unknown" if target.met is None else ("met" if target.met else "missed")
        label = say(target.why_unknown if target.met is None else status, lang)
        badge = f'<span class="{status}" data-status="{status}">{escape(label)}</span>'
        rows.append([escape(target_label(target, lang)), shown_value(target), escape(shown_goal(target)), badge])
    note = say("hub_note", lang, capacity=f"{scenario.hub_capacity_per_day:,.0f}",
               demand=f"{peak_day_demand(scenario):,.0f}")  # fmt: skip
    header = [say("field", lang), say("value", lang), say("target", lang), say("status", lang)]
    return table_html(header, rows, [False, True, True, False]) + note_html(note)


def _breakdown_rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[list[str]]:
    return [[metric_format(column, float(row[column])) for column in columns] for _, row in frame.iterrows()]


def county_html(results: Results, lang: Lang) -> str:
    """The per-county table: rural parcels, delivery time, on time, cost per parcel, km and CO₂."""
    frame = county_breakdown(results)
    names = [escape(str(name)) for name in frame["name"]]
    rows = [[name, *cells] for name, cells in zip(names, _breakdown_rows(frame, COUNTY_COLUMNS), strict=True)]
    header = [say("county", lang), *(metric_label(column, lang) for column in COUNTY_COLUMNS)]
    return (table_html(header, rows, [False, *([True] * len(COUNTY_COLUMNS))], "county-table")
            + note_html(say("county_note", lang)))  # fmt: skip


HUB_COLUMNS = (
    "parcels_in", "hub_utilization", "hub_queue_max", "hub_wait_h_mean", "delivery_time_h_mean", "pickup_time_h_mean",
)  # fmt: skip
"""The per-hub table's figures, mean over replications (the ``hubs`` table's columns)."""


def hub_table_html(results: Results, lang: Lang) -> str:
    """Per city hub, for a city of several: its capacity and counties, parcels in, utilisation, queue and times."""
    hubs = results.tables.get("hubs")
    if hubs is None or hubs["hub"].nunique() < 2:
        return ""
    frame = hubs.groupby("hub", sort=False)[["capacity_per_day", "counties", *HUB_COLUMNS]].mean()
    rows = [
        [escape(str(hub)), f"{row['capacity_per_day']:,.0f}", f"{row['counties']:.0f}",
         *(metric_format(column, float(row[column])) for column in HUB_COLUMNS)]
        for hub, row in frame.iterrows()
    ]  # fmt: skip
    header = [say("hub_id", lang), say("hub_capacity_day", lang), say("counties", lang),
              *(metric_label(column, lang) for column in HUB_COLUMNS)]  # fmt: skip
    return table_html(header, rows, [False, *([True] * (len(header) - 1))], "hub-table")


def carrier_html(results: Results, lang: Lang) -> str:
    """The per-carrier table: in the park or not, rural parcels, delivery time, on time, cost, km and CO₂."""
    frame = carrier_breakdown(results)
    rows = [
        [escape(str(name)), say("yes" if in_park else "no", lang), *cells]
        for name, in_park, cells in zip(frame["name"], frame["in_park"], _breakdown_rows(frame, CARRIER_COLUMNS),
                                        strict=True)
    ]  # fmt: skip
    header = [say("carrier", lang), say("in_park", lang), *(metric_label(column, lang) for column in CARRIER_COLUMNS)]
    return (table_html(header, rows, [False, False, *([True] * len(CARRIER_COLUMNS))], "carrier-table")
            + note_html(say("carrier_note", lang)))  # fmt: skip


def fleet_table_html(results: Results, lang: Lang) -> str:
    """Per tier: vehicles owned and needed, fleet-days with every vehicle out, parcels that waited and how long."""
    frame = fleet_breakdown(results, plots.vehicle_waits(results))
    rows = []
    for tier in [tier for tier in TIER_ORDER if tier in frame.index]:
        row = frame.loc[tier]
        waited = "–" if pd.isna(row["waited_share"]) else f"{row['waited_share']:.1%}"
        wait_h = "–" if pd.isna(row["wait_h_mean"]) else f"{row['wait_h_mean']:.2f}"
        rows.append([escape(tier_label(tier, lang)), f"{row['vehicles']:,.0f}", f"{row['vehicles_used']:,.1f}",
                     f"{row['full_days']:.0%}", waited, wait_h])  # fmt: skip
    header = [say(key, lang) for key in ("fleet_table_tier", "fleet_owned", "fleet_needed", "fleet_full_days",
                                         "fleet_waited", "fleet_wait_h")]  # fmt: skip
    return table_html(header, rows, [False, True, True, True, True, True], "fleet-table") + note_html(
        say("fleet_note", lang)
    )


def _tiers(table: str, *runs: Results) -> list[str]:
    return sorted({str(tier) for results in runs for tier in results.tables[table]["tier"]})


def _parcel_cost_tiers(*runs: Results) -> list[str]:
    """Tiers that cost the runs' rural parcels something (the rows of their cost panels)."""
    return sorted({str(tier) for results in runs for tier in plots.cost_per_parcel_by_tier(results).index})


def _pickup_cost(results: Results) -> str:
    """Attributed cost per pickup of the horizon, mean over replications, for the cost caption ("–" without any)."""
    if not results.replications["pickups_in"].gt(0).any():
        return metric_format("cost_per_parcel_cny", math.nan)
    total = float(plots.cost_per_parcel_by_tier(results, unit="pickup").to_numpy().sum())
    return metric_format("cost_per_parcel_cny", total)


def run_figure_builders(
    results: Results, lang: Lang, partner: Results | None = None
) -> dict[str, Callable[[], Figure]]:
    """How to build each figure section's figure; with a ``partner`` run, cost and fleet panels get its rows too."""
    runs = (results,) if partner is None else (results, partner)
    return {
        "delivery-time": lambda: plots.delivery_time_cdf(results, lang=lang),
        "cost": lambda: plots.cost_breakdown(results, lang=lang, tiers=_parcel_cost_tiers(*runs)),
        "hub": lambda: plots.hub_flow(results, lang=lang),
        "fleet": lambda: plots.fleet_utilization(results, lang=lang, tiers=_tiers("fleets", *runs)),
        "map": lambda: plots.network_map(results, lang=lang),
        "county-maps": lambda: plots.county_maps(results, lang=lang),
    }


def run_figures(results: Results, lang: Lang, partner: Results | None = None) -> dict[str, Figure]:
    """Each figure section's figure, built once (see ``run_figure_builders``)."""
    return {key: build() for key, build in run_figure_builders(results, lang, partner).items()}


def _locker_note(results: Results, lang: Lang) -> str:
    """A sentence on the smart lockers' use, after the delivery-time caption, when points had closed hours."""
    summary = results.summary
    names = ("locker_utilization", "locker_no_cell_share", "collection_time_h_mean")
    if "locker_no_cell_share" not in summary.index or pd.isna(summary.loc["locker_no_cell_share", "mean"]):
        return ""
    values = {name: metric_format(name, float(summary.loc[name, "mean"])) for name in names}
    return say("locker_note", lang, **values)


def captions(results: Results, lang: Lang) -> dict[str, str]:
    """The caption under each figure section's figure."""
    return {
        "delivery-time": say("cdf_note", lang) + _locker_note(results, lang),
        "cost": say("cost_note", lang, pickup=_pickup_cost(results)),
        "hub": say("hub_replication", lang, replication=plots.first_replication(results)),
        "fleet": "",
        "map": say("map_note", lang),
        "county-maps": say("county_maps_note", lang),
    }
