"""One self-contained HTML report of a run, a sweep or a comparison: plots as embedded PNG, inline CSS, offline."""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from simnet import plots
from simnet.metric_names import KEY_METRICS
from simnet.plots.labels import Lang, metric_format, metric_label
from simnet.report.i18n import say
from simnet.report.scorecard import Target, peak_day_demand, scorecard
from simnet.report.webfont import font_face
from simnet.results.load import Results, SweepResults, load_results
from simnet.scenario import Scenario

RUN_SECTIONS = ("scenario", "metrics", "scorecard", "delivery-time", "cost", "hub", "fleet", "map")
"""Section ids of a run report, in order (a comparison adds ``comparison``; a sweep has scenario, metrics, sweep)."""

SWEEP_METRICS = (
    "delivery_time_h_mean", "delivery_time_h_p95", "on_time_24h", "cost_per_parcel_cny", "co2_g_per_parcel",
    "parcels_backlog", "hub_utilization", "hub_queue_max", "village_coverage", "co_delivery_share",
)  # fmt: skip
"""Metrics plotted against each varied parameter of a sweep."""

DPI = 110

CSS = """
body{font-family:"simnet CJK",system-ui,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans CJK SC","PingFang SC",
"Microsoft YaHei",sans-serif;margin:0 auto;max-width:1180px;padding:24px;
color:#222;line-height:1.45}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;border-bottom:2px solid #1f77b4;padding-bottom:3px;margin-top:32px}
.sub{color:#666;font-size:.9em}
table{border-collapse:collapse;font-size:.9em;margin:8px 0}th,td{padding:3px 10px;border-bottom:1px solid #ddd;
text-align:left;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th{background:#f3f6fa}
.met{color:#fff;background:#2ca02c;border-radius:3px;padding:1px 8px}
.missed{color:#fff;background:#d62728;border-radius:3px;padding:1px 8px}
.unknown{color:#fff;background:#999;border-radius:3px;padding:1px 8px}
figure{margin:8px 0}figure img{max-width:100%;height:auto}figcaption{color:#666;font-size:.85em}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:16px}.pair>div>h3{font-size:1em;margin:4px 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:8px}
@media print{body{max-width:none;padding:0;font-size:10pt}section{break-inside:avoid-page}
figure{break-inside:avoid}h2{break-after:avoid}a{color:inherit;text-decoration:none}}
"""


def figure_html(figure: Figure, alt: str, caption: str = "") -> str:
    """A figure as an ``<img>`` with its PNG embedded in base64, and an optional caption."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    note = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img alt="{escape(alt)}" src="data:image/png;base64,{data}">{note}</figure>'


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool]) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{cell}</td>' if num else f"<td>{cell}</td>" for cell, num in
                         zip(row, numeric, strict=True)) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section(section_id: str, lang: Lang, body: str) -> str:
    return f'<section id="{section_id}"><h2>{escape(say(section_id, lang))}</h2>{body}</section>'


def _page(title: str, subtitle: str, lang: Lang, sections: Sequence[str]) -> str:
    html_lang = "zh-CN" if lang == "zh" else "en"
    body = f'<body><header><h1>{escape(title)}</h1><div class="sub">{escape(subtitle)}</div></header>'
    body += f"{''.join(sections)}</body>"
    head = '<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">'
    head += f"<title>{escape(title)}</title>"
    style = f"<style>{font_face(title + body)}{CSS}</style>"
    return f'<!DOCTYPE html><html lang="{html_lang}"><head>{head}{style}</head>{body}</html>\n'


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
        (say("hub_capacity_day", lang), f"{scenario.hub.daily_capacity:,.0f}"),
        (say("park_policy", lang), parked),
        (say("deliveries_per_week", lang), str(scenario.service.deliveries_per_week)),
        (say("last_mile", lang), scenario.service.last_mile),
        (say("carriers", lang), ", ".join(f"{c.name} ({c.share:.0%})" for c in scenario.carriers)),
        (say("overrides", lang), " ".join(manifest.get("overrides", [])) or say("none", lang)),
        ("simnet", say("made", lang, version=manifest.get("simnet_version", "?"), engine=manifest.get("engine", "?"),
                       wall=manifest.get("wall_time_s", "?"))),
    ]  # fmt: skip


def scenario_html(results: Results, lang: Lang) -> str:
    """The scenario in brief as a two-column table."""
    rows = [(escape(key), escape(value)) for key, value in _scenario_rows(results, results.scenario(), lang)]
    return _table([say("field", lang), say("value", lang)], rows, [False, False])


def _interval(metric: str, row: pd.Series) -> str:
    low, high = row.get("ci_low"), row.get("ci_high")
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "–"
    return f"{metric_format(metric, float(low))} … {metric_format(metric, float(high))}"


def metrics_html(summaries: Sequence[pd.DataFrame], lang: Lang, names: Sequence[str] = ()) -> str:
    """Key metrics with mean and 95 % CI; one pair of columns per summary (A and B for a comparison)."""
    header = [say("metric", lang)]
    for name in names or [""]:
        prefix = f"{name} " if name else ""
        header += [prefix + say("mean", lang), prefix + say("ci", lang)]
    rows = []
    for metric in KEY_METRICS:
        cells = [escape(metric_label(metric, lang)) + f' <span class="sub">{metric}</span>']
        for summary in summaries:
            if metric not in summary.index:
                cells += ["–", "–"]
                continue
            row = summary.loc[metric]
            mean = row["mean"]
            cells += [metric_format(metric, math.nan if pd.isna(mean) else float(mean)), _interval(metric, row)]
        rows.append(cells)
    n = int(max((summary["n"].max() for summary in summaries), default=0))
    return _table(header, rows, [False, *([True] * (len(header) - 1))]) + f'<p class="sub">{say("n", lang)} = {n}</p>'


def _target_value(target: Target) -> tuple[str, str]:
    if target.unit == "share":
        return metric_format("village_coverage", target.value), f"≥ {target.target:.0%}"
    if target.unit == "per_week":
        return metric_format("village_visits_per_week_min", target.value), f"≥ {target.target:g}"
    return f"{target.value:,.0f}", f"≥ {target.target:,.0f}"


def scorecard_html(results: Results, lang: Lang) -> str:
    """The plan targets with value, target and a met / missed badge."""
    scenario = results.scenario()
    rows = []
    for target in scorecard(results.summary, scenario):
        value, goal = _target_value(target)
        status = "unknown" if target.met is None else ("met" if target.met else "missed")
        label = say(target.why_unknown if target.met is None else status, lang)
        badge = f'<span class="{status}" data-status="{status}">{escape(label)}</span>'
        rows.append([escape(say(f"target_{target.key}", lang)), value, goal, badge])
    note = say("hub_note", lang, capacity=f"{scenario.hub.daily_capacity:,.0f}",
               demand=f"{peak_day_demand(scenario):,.0f}")  # fmt: skip
    header = [say("field", lang), say("value", lang), say("target", lang), say("status", lang)]
    return _table(header, rows, [False, True, True, False]) + f'<p class="sub">{escape(note)}</p>'


def _plot_sections(results: Results, lang: Lang) -> dict[str, Callable[[], str]]:
    """Each plot section's body, built on demand."""
    return {
        "delivery-time": lambda: figure_html(plots.delivery_time_cdf(results, lang=lang), say("delivery-time", lang),
                                             say("cdf_note", lang)),
        "cost": lambda: figure_html(plots.cost_breakdown(results, lang=lang), say("cost", lang)),
        "hub": lambda: figure_html(plots.hub_flow(results, lang=lang), say("hub", lang),
                                   say("hub_replication", lang, replication=0)),
        "fleet": lambda: figure_html(plots.fleet_utilization(results, lang=lang), say("fleet", lang)),
        "map": lambda: figure_html(plots.network_map(results, lang=lang), say("map", lang)),
    }  # fmt: skip


def run_report_html(results: Results, *, lang: Lang = "en") -> str:
    """The report of one run."""
    bodies = _plot_sections(results, lang)
    sections = [
        _section("scenario", lang, scenario_html(results, lang)),
        _section("metrics", lang, metrics_html([results.summary], lang)),
        _section("scorecard", lang, scorecard_html(results, lang)),
        *(_section(key, lang, bodies[key]()) for key in RUN_SECTIONS[3:]),
    ]
    return _page(say("title", lang), f"{results.manifest.get('scenario', '')} — {results.path.name}", lang, sections)


def _pair(a: str, b: str, lang: Lang) -> str:
    return (f'<div class="pair"><div><h3>{escape(say("run_a", lang))}</h3>{a}</div>'
            f'<div><h3>{escape(say("run_b", lang))}</h3>{b}</div></div>')  # fmt: skip


def comparison_report_html(results_a: Results, results_b: Results, *, lang: Lang = "en") -> str:
    """The report of two runs side by side, A on the left, B on the right, and a comparison plot."""
    names = [f"{say('run_a', lang)}: {results_a.path.name}", f"{say('run_b', lang)}: {results_b.path.name}"]
    bodies = [_plot_sections(results, lang) for results in (results_a, results_b)]
    sections = [
        _section("scenario", lang, _pair(scenario_html(results_a, lang), scenario_html(results_b, lang), lang)),
        _section("metrics", lang, metrics_html([results_a.summary, results_b.summary], lang, names)),
        _section("scorecard", lang, _pair(scorecard_html(results_a, lang), scorecard_html(results_b, lang), lang)),
        *(_section(key, lang, _pair(bodies[0][key](), bodies[1][key](), lang)) for key in RUN_SECTIONS[3:]),
        _section("comparison", lang, figure_html(plots.comparison(results_a, results_b, lang=lang),
                                                 say("comparison", lang))),
    ]  # fmt: skip
    return _page(say("title_comparison", lang), " vs ".join(names), lang, sections)


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
        ("scenario", str(spec.get("base_file", ""))),
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
        _section("scenario", lang, _table([say("field", lang), say("value", lang)],
                                          [(escape(k), escape(v)) for k, v in rows], [False, False])),
        _section("metrics", lang, _table(header, table_rows, [True] * len(header))),
        _section("sweep", lang, f'<div class="grid">{"".join(figures)}</div>'),
    ]  # fmt: skip
    return _page(say("title_sweep", lang), sweep.path.name, lang, sections)


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
