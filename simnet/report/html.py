"""One self-contained HTML report of a run, a sweep or a comparison: plots as embedded PNG, inline CSS, offline.

Every figure is built once and saved once. In a side-by-side report A's and B's figures of a section share
their scales (the union of their axis limits), so bars and curves read against each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from simnet import plots
from simnet.labels import Lang, metric_format, metric_label
from simnet.plots.sweep import sweep_trade_off
from simnet.report.comparison_html import compared_metrics_html
from simnet.report.document import (
    figure_html,
    page_html,
    pair_html,
    png_bytes,
    png_html,
    section_html,
    stack_html,
    table_html,
)
from simnet.report.i18n import say
from simnet.report.parallel_figures import draw_split
from simnet.report.sections import (
    FIGURES,
    captions,
    carrier_html,
    county_html,
    fleet_table_html,
    hub_table_html,
    metrics_html,
    replications_note,
    run_figure_builders,
    run_figures,
    scenario_html,
    scorecard_html,
)
from simnet.results.load import Results, SweepResults, load_results

RUN_SECTIONS = ("scenario", "metrics", "scorecard", "per-county", "per-carrier", *FIGURES)
"""Section ids of a run report, in order (a comparison adds ``comparison``; a sweep has scenario, metrics, sweep
and, when it has both metrics of ``TRADE_OFF``, trade-off)."""

WIDE = frozenset({"county-maps"})
"""Figure sections a side-by-side report shows A above B rather than beside it (too small at half width)."""

SWEEP_METRICS = (
    "delivery_time_h_mean", "delivery_time_h_p95", "on_time_24h", "cost_per_parcel_cny", "co2_g_per_parcel",
    "parcels_backlog", "hub_utilization", "hub_queue_max", "village_coverage", "co_delivery_share",
)  # fmt: skip
"""Metrics plotted against each varied parameter of a sweep."""

TRADE_OFF = ("delivery_time_h_mean", "cost_per_parcel_cny")
"""The sweep's trade-off panel: (x, y) metrics, each point of the sweep at its means with 95 % error bars."""


def _figure_body(key: str, figure: Figure | bytes, caption: str, results: Results, lang: Lang) -> str:
    """A figure section's body: the figure (or its PNG, drawn already), its caption, the fleet's or hubs' table."""
    png = figure if isinstance(figure, bytes) else png_bytes(figure)
    body = png_html(png, say(key, lang), caption)
    tables = {"fleet": fleet_table_html, "hub": hub_table_html}
    return body + tables[key](results, lang) if key in tables else body


WORKER_FIGURES = ("county-maps", "fleet", "cost")
"""Figures of a run report drawn in a second process while this one draws the others (about half the time)."""


def run_report_html(results: Results, *, lang: Lang = "en", drawn: Mapping[str, bytes] | None = None) -> str:
    """The report of one run; ``drawn`` holds the PNGs of figures drawn already from the same inputs."""
    builders = run_figure_builders(results, lang)
    notes = captions(results, lang)
    ready = drawn or {}
    bodies = draw_split(
        lambda key: _figure_body(key, ready.get(key) or builders[key](), notes[key], results, lang),
        FIGURES,
        [key for key in WORKER_FIGURES if key not in ready],
    )
    sections = [
        section_html("scenario", lang, scenario_html(results, lang)),
        section_html("metrics", lang, metrics_html(results.summary, lang)),
        section_html("scorecard", lang, scorecard_html(results, lang)),
        section_html("per-county", lang, county_html(results, lang)),
        section_html("per-carrier", lang, carrier_html(results, lang)),
        *(section_html(key, lang, bodies[key]) for key in FIGURES),
    ]
    return page_html(
        say("title", lang), f"{results.manifest.get('scenario', '')} — {results.path.name}", lang, sections
    )


def comparison_report_html(results_a: Results, results_b: Results, *, lang: Lang = "en") -> str:
    """Two runs side by side (A left, B right) on shared scales, with B − A as ``simnet compare`` computes it."""
    names = [f"{say('run_a', lang)}: {results_a.path.name}", f"{say('run_b', lang)}: {results_b.path.name}"]
    from simnet.results.compare import compare_folders  # noqa: PLC0415  (scipy loads only for a comparison)

    comparison = compare_folders(results_a.path, results_b.path)
    figures = [run_figures(results_a, lang, results_b), run_figures(results_b, lang, results_a)]
    for key in FIGURES:
        plots.share_limits([figures[0][key], figures[1][key]])
    notes = [captions(results, lang) for results in (results_a, results_b)]
    both = (results_a, results_b)
    n_fewest = min(len(comparison.run_a.replications), len(comparison.run_b.replications))

    def pair(build: Callable[[Results, Lang], str], join: Callable[[str, str, Lang], str] = pair_html) -> str:
        return join(build(results_a, lang), build(results_b, lang), lang)

    def figures_of(key: str) -> str:
        bodies = [_figure_body(key, figures[i][key], notes[i][key], both[i], lang) for i in (0, 1)]
        join = stack_html if key in WIDE else pair_html
        return join(bodies[0], bodies[1], lang)

    sections = [
        section_html("scenario", lang, pair(scenario_html)),
        section_html("metrics", lang, compared_metrics_html(comparison, lang)
                     + replications_note(n_fewest, lang, with_n=False)),
        section_html("scorecard", lang, pair(scorecard_html)),
        section_html("per-county", lang, pair(county_html, stack_html)),
        section_html("per-carrier", lang, pair(carrier_html, stack_html)),
        *(section_html(key, lang, figures_of(key)) for key in FIGURES),
        section_html("comparison", lang, figure_html(plots.comparison(results_a, results_b, lang=lang,
                                                                      compared=comparison), say("comparison", lang))),
    ]  # fmt: skip
    return page_html(say("title_comparison", lang), f" {say('vs', lang)} ".join(names), lang, sections)


def _value(value: object) -> str:
    """A parameter value: whole floats with thousands separators (3,000,000), others as given."""
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return str(value)


def sweep_report_html(sweep: SweepResults, *, lang: Lang = "en") -> str:
    """The report of a sweep: its base scenario and points, the summary per point, metrics against each parameter."""
    parameters = plots.sweep_parameters(sweep)
    spec = sweep.spec
    rows = [
        (say("name", lang), str(sweep.manifest.get("scenario", ""))),
        (say("base_file", lang), str(spec.get("base_file", ""))),
        (say("overrides", lang), " ".join(spec.get("overrides", [])) or say("none", lang)),
        (say("replications", lang), str(spec.get("replications", ""))),
        (say("varied", lang), ", ".join(parameters)),
        (say("points", lang), str(len(spec.get("points", [])))),
    ]
    summary = sweep.summary
    header = [say("point", lang), *parameters, *(metric_label(m, lang) for m in SWEEP_METRICS)]
    table_rows = []
    for point, group in summary.groupby("point", sort=True):
        by_metric = group.set_index("metric")
        cells = [str(point), *(escape(_value(group[name].iloc[0])) for name in parameters)]
        for metric in SWEEP_METRICS:
            mean = by_metric["mean"].get(metric, math.nan)
            cells.append(metric_format(metric, math.nan if pd.isna(mean) else float(mean)))
        table_rows.append(cells)
    figures = [
        figure_html(plots.sweep_metric(sweep, metric, parameter, lang=lang), metric_label(metric, lang))
        for parameter in parameters
        for metric in SWEEP_METRICS
        if metric in set(summary["metric"])
    ]
    sections = [
        section_html("scenario", lang, table_html([say("field", lang), say("value", lang)],
                                                  [(escape(k), escape(v)) for k, v in rows], [False, False])),
        section_html("metrics", lang, table_html(header, table_rows, [True] * len(header))
                     + replications_note(int(summary["n"].max()) if len(summary) else 0, lang)),
        section_html("sweep", lang, f'<div class="grid">{"".join(figures)}</div>'),
    ]  # fmt: skip
    if set(TRADE_OFF) <= set(summary["metric"]):
        x_metric, y_metric = TRADE_OFF
        figure = sweep_trade_off(sweep, x_metric=x_metric, y_metric=y_metric, lang=lang)
        sections.append(section_html("trade-off", lang, figure_html(figure, say("trade-off", lang),
                                                                    say("trade_off_note", lang))))  # fmt: skip
    return page_html(say("title_sweep", lang), sweep.path.name, lang, sections)


def report_html(paths: Sequence[str | Path], *, lang: Lang = "en") -> str:
    """The report of one results folder (a run or a sweep) or of two runs compared."""
    loaded = [load_results(path) for path in paths]
    if len(loaded) == 1:
        (only,) = loaded
        return (
            sweep_report_html(only, lang=lang) if isinstance(only, SweepResults) else run_report_html(only, lang=lang)
        )
    if len(loaded) == 2 and all(isinstance(item, Results) for item in loaded):
        a, b = loaded
        assert isinstance(a, Results)
        assert isinstance(b, Results)
        return comparison_report_html(a, b, lang=lang)
    raise ValueError("a report covers one results folder, or two run folders to compare.")


def write_report(paths: Sequence[str | Path], out: str | Path, *, lang: Lang = "en") -> Path:
    """Write the report of ``paths`` to ``out`` (written beside it first, then renamed) and return its path."""
    target = Path(out)
    staging = target.with_name(f".{target.name}.partial")
    staging.write_text(report_html(paths, lang=lang), encoding="utf-8")
    staging.replace(target)
    return target
