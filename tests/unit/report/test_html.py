"""The HTML report: sections in order, per-county and per-carrier tables, B − A as ``simnet compare`` has it,
language (the Chinese report wholly Chinese), offline (no URLs), images and font embedded."""

import re
from dataclasses import replace
from html import escape, unescape
from pathlib import Path

import pandas as pd
import pytest

from simnet import plots
from simnet.experiment.replications import run_scenario
from simnet.experiment.summary import unreliable_note
from simnet.labels import metric_format, text
from simnet.metric_names import KEY_METRICS
from simnet.plots.comparison import signed
from simnet.report.breakdowns import COUNTY_COLUMNS, carrier_breakdown, county_breakdown
from simnet.report.html import RUN_SECTIONS, report_html, sweep_report_html
from simnet.report.i18n import say
from simnet.report.scorecard import peak_day_demand, scorecard
from simnet.report.sections import FIGURES
from simnet.results.compare import compare_folders
from simnet.results.folder import REPORT_FILE, RunInfo, write_results
from simnet.results.load import Results, SweepResults, load_results
from simnet.scenario import scenario_from_text

SMALL = """name: 小城 small
horizon_days: 2
warmup_days: 1
drain_days: 1
replications: 2
demand:
  {parcels_per_day: 5000, rural_share: 0.3, pickups_per_village_per_day: 2, peak_days: [{day: 2, multiplier: 1.5}]}
network: {generate: {counties: 2, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 8000}
"""

CONSOLIDATED = SMALL + "parks: {consolidated_share: 1.0}\n"
"""The same city with every carrier in the park: the B of the side-by-side tests."""

INFO = RunInfo(wall_time_s=1.0, engine="fast", sources=(), overrides=())

ENUM_WORDS = {"direct", "two_leg", "fast", "reference", "hub", "trunk", "park", "depot", "town", "village", "met",
              "missed", "yes", "no", "mean", "county", "carrier", "replication", "none"}  # fmt: skip
"""English enum values and words of the report's own text that must not show in the Chinese report."""


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    """A tiny two-county run's folder, written with its report (module-scoped: it takes a few seconds)."""
    folder = tmp_path_factory.mktemp("report") / "run"
    write_results(run_scenario(scenario_from_text(SMALL)), folder, INFO, report="en")
    return folder


@pytest.fixture(scope="module")
def other_folder(tmp_path_factory):
    """The same city consolidated, same seed and replications (so compared by paired t)."""
    folder = tmp_path_factory.mktemp("report") / "consolidated"
    write_results(run_scenario(scenario_from_text(CONSOLIDATED)), folder, INFO)
    return folder


@pytest.fixture(scope="module")
def zh_html(run_folder):
    """The Chinese report of the run, built once."""
    return report_html([run_folder], lang="zh")


@pytest.fixture(scope="module")
def side_by_side(run_folder, other_folder):
    """The side-by-side report of the run (A) and its consolidated variant (B), built once."""
    return report_html([run_folder, other_folder])


def _ids(html: str) -> list[str]:
    return re.findall(r'<section id="([^"]+)"', html)


def _table(html: str, table_id: str) -> list[list[str]]:
    """The cells of a table's body rows, tags stripped and entities read."""
    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, f"no table {table_id}"
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    return [[unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows]  # fmt: skip


def _visible_text(html: str) -> str:
    body = html[html.index("<body>") :]
    return unescape(re.sub(r"<[^>]+>", " ", body))


def test_run_report_has_every_section_in_order(run_folder):
    """The run report's sections carry the stable ids, in the documented order; the folder's report too."""
    html = (run_folder / REPORT_FILE).read_text(encoding="utf-8")
    assert _ids(html) == list(RUN_SECTIONS)
    assert not list(run_folder.parent.glob(".*partial*")), "no staging folder is left behind"


def test_per_county_and_per_carrier_tables_hold_the_breakdowns(run_folder):
    """A row per county and per carrier, each cell the breakdown's mean formatted like the metric it is."""
    html = (run_folder / REPORT_FILE).read_text(encoding="utf-8")
    results = load_results(run_folder)
    assert isinstance(results, Results)
    counties = county_breakdown(results)
    rows = _table(html, "county-table")
    assert [row[0] for row in rows] == list(counties["name"])
    assert rows[0][1:] == [metric_format(column, float(counties.iloc[0][column])) for column in COUNTY_COLUMNS]
    carriers = carrier_breakdown(results)
    assert [row[0] for row in _table(html, "carrier-table")] == list(carriers["name"])


def _one_replication(results: Results, replication: int) -> Results:
    """The results of one replication alone (every table and the per-replication metrics filtered to it)."""
    tables = {name: table[table["replication"] == replication] if "replication" in table else table
              for name, table in results.tables.items()}  # fmt: skip
    replications = results.replications[results.replications["replication"] == replication]
    return replace(results, tables=tables, replications=replications)


def test_breakdown_costs_per_parcel_add_up_to_the_key_metric(run_folder):
    """In each replication, the counties' and the carriers' attributed cost per parcel weighted by their rural
    parcels give the run's cost_per_parcel_cny (their parcels and attributed costs are a partition of the
    horizon's rural parcels and of what the attribution gave them: docs/results.md, cost_to_serve_*). Over
    replications the costs are means, so the rows' cost_cny add up to the mean of cost_per_parcel × parcels."""
    results = load_results(run_folder)
    assert isinstance(results, Results)
    for replication, metrics in results.replications.set_index("replication").iterrows():
        one = _one_replication(results, int(replication))
        for frame in (county_breakdown(one), carrier_breakdown(one)):
            weighted = (frame["cost_per_parcel_cny"] * frame["rural_parcels_in"]).sum() / frame[
                "rural_parcels_in"
            ].sum()
            assert weighted == pytest.approx(metrics["cost_per_parcel_cny"], rel=1e-9)
    spent = (results.replications["cost_per_parcel_cny"] * results.replications["rural_parcels_in"]).mean()
    assert county_breakdown(results)["cost_cny"].sum() == pytest.approx(spent, rel=1e-9)
    assert carrier_breakdown(results)["cost_cny"].sum() == pytest.approx(spent, rel=1e-9)


def test_cost_panel_total_is_the_key_metric(run_folder):
    """The report's cost panel states as its total the run's cost_per_parcel_cny (mean over replications), and its
    caption the attributed cost per pickup (pickups are not in the bars)."""
    html = (run_folder / REPORT_FILE).read_text(encoding="utf-8")
    results = load_results(run_folder)
    assert isinstance(results, Results)
    total = f"{results.summary.loc['cost_per_parcel_cny', 'mean']:.3f}"
    assert plots.cost_breakdown(results).axes[0].get_title() == text("cost_title", "en", total=total)
    served = results.tables["cost_to_serve_villages"]
    pickups = served[served["unit"] == "pickup"].groupby("replication")["cost_cny"].sum()
    per_pickup = (pickups / results.replications.set_index("replication")["pickups_in"]).mean()
    assert escape(say("cost_note", "en", pickup=f"{per_pickup:.3f}")) in html


def test_breakdowns_add_up_to_the_run(run_folder):
    """Counties' and carriers' vehicle-km and CO₂ add up to the run's (every trip has a county; shared amounts are
    split by parcel shares that sum to 1); parcels to rural_parcels_in."""
    results = load_results(run_folder)
    assert isinstance(results, Results)
    summary = results.summary["mean"]
    counties, carriers = county_breakdown(results), carrier_breakdown(results)
    for frame in (counties, carriers):
        assert frame["vehicle_km"].sum() == pytest.approx(summary["vehicle_km"], rel=1e-9)
        assert frame["co2_kg"].sum() == pytest.approx(summary["co2_kg"], rel=1e-9)
        assert frame["rural_parcels_in"].sum() == pytest.approx(summary["rural_parcels_in"], rel=1e-9)


def test_report_shows_replications_as_the_tables_number_them(run_folder):
    """The hub figure's caption names the first replication of the hub_hours table, never a re-indexed one."""
    html = (run_folder / REPORT_FILE).read_text(encoding="utf-8")
    results = load_results(run_folder)
    assert isinstance(results, Results)
    first = int(results.tables["hub_hours"]["replication"].min())
    assert escape(say("hub_replication", "en", replication=first)) in html


def test_few_replications_carry_the_warning(run_folder):
    """Two replications: the n line and the warning that the intervals are unreliable."""
    html = (run_folder / REPORT_FILE).read_text(encoding="utf-8")
    assert f"{say('n', 'en')} = 2" in html
    assert escape(unreliable_note(2, "en")) in html


def test_comparison_report_shows_b_minus_a_from_compare(run_folder, other_folder, side_by_side):
    """Run sections then ``comparison``; each key metric's B − A, interval and n are those of compare_folders, and
    the note gives each side's n."""
    assert _ids(side_by_side) == [*RUN_SECTIONS, "comparison"]
    found = compare_folders(run_folder, other_folder)
    rows = {row[0].split(" ")[-1]: row for row in _table(side_by_side, "compared-metrics")}
    shown = [metric for metric in KEY_METRICS if metric in rows]
    assert "cost_total_cny" in shown
    for metric in shown:
        item = found.get(metric)
        assert rows[metric][3] == signed(metric, item.difference)
        assert rows[metric][6] == f"{item.n_a} / {item.n_b}"
        if item.tested:
            assert rows[metric][5].startswith(say("yes" if item.significant else "no", "en"))
    assert say("paired_note", "en", count=found.family_size, n_a=2, n_b=2) in unescape(side_by_side)


def test_comparison_pairs_every_section_but_the_metrics(side_by_side):
    """Scenario, scorecard and the figures side by side; the wide tables and county maps one above the other."""
    stacked = {"per-county", "per-carrier", "county-maps"}
    paired = [key for key in RUN_SECTIONS if key != "metrics" and key not in stacked]
    assert side_by_side.count('class="pair"') == len(paired)
    assert side_by_side.count('class="stack"') == len(stacked)


def test_lang_switches_the_text(run_folder, zh_html):
    """zh and en reports use their own labels and declare their language."""
    en = (run_folder / REPORT_FILE).read_text(encoding="utf-8")
    assert escape(say("scorecard", "zh")) in zh_html
    assert escape(say("scorecard", "en")) not in zh_html
    assert escape(say("scorecard", "en")) in en
    assert '<html lang="zh-CN">' in zh_html
    assert '<html lang="en">' in en


def test_chinese_report_has_no_english_enum_values(zh_html):
    """No English word of the report's own (last mile, engine, tiers, statuses) shows in the Chinese report's text;
    Latin words left are the user's names, metric and file names the note cites, and units."""
    words = set(re.findall(r"[A-Za-z_]+", _visible_text(zh_html)))
    assert not words & ENUM_WORDS
    assert say("last_mile_direct", "zh") in zh_html


def test_report_is_self_contained(zh_html):
    """No http(s) URL anywhere (it opens offline); figures and the CJK font are embedded as data URLs."""
    html = zh_html
    assert not re.search(r"https?://", html)
    assert not re.search(r'(src|href)="(?!data:)', html)
    assert html.count('src="data:image/png;base64,') == len(FIGURES)
    assert "@font-face" in html
    assert "@media print" in html


def test_scorecard_marks_targets_met_or_missed(run_folder):
    """Hub capacity 8,000 < 5,000 × 1.5 peak? No: 8,000 ≥ 7,500 is met; no carrier in the park is missed."""
    results = load_results(run_folder)
    assert isinstance(results, Results)
    scenario = scenario_from_text(results.scenario_yaml)
    assert peak_day_demand(scenario) == pytest.approx(7500)
    by_key = {target.key: target for target in scorecard(results.summary, scenario)}
    assert by_key["hub_capacity"].met is True
    assert by_key["park_entry_rate"].met is False
    assert set(by_key) == {"village_coverage", "village_visits_per_week_min", "park_entry_rate",
                           "co_delivery_share", "hub_capacity"}  # fmt: skip
    html = (run_folder / REPORT_FILE).read_text(encoding="utf-8")
    assert 'data-status="met"' in html
    assert 'data-status="missed"' in html


def _sweep(metrics: tuple[str, ...]) -> SweepResults:
    """A two-point hub-capacity sweep summary with the given metrics (1.0 ± 0.1 each, n = 2)."""
    rows = [{"point": point, "hub.capacity_per_day": capacity, "metric": metric, "mean": 1.0, "ci_low": 0.9,
             "ci_high": 1.1, "n": 2} for point, capacity in enumerate([3e6, 4e6]) for metric in metrics]  # fmt: skip
    points = [{"point": point, "hub.capacity_per_day": capacity} for point, capacity in enumerate([3e6, 4e6])]
    spec = {"base_file": "baseline.yaml", "overrides": [], "replications": 2, "points": points}
    return SweepResults(Path("sweep"), pd.DataFrame(), pd.DataFrame(rows), spec, {"scenario": "baseline"})


def test_sweep_report_has_the_trade_off_panel_when_it_has_both_metrics():
    """Cost per parcel and delivery time in the sweep: a trade-off section after the sweep's figures, with its
    caption; without delivery time, no such section."""
    both = sweep_report_html(_sweep(("delivery_time_h_mean", "cost_per_parcel_cny")))
    assert _ids(both) == ["scenario", "metrics", "sweep", "trade-off"]
    assert escape(say("trade_off_note", "en")) in both
    cost_only = sweep_report_html(_sweep(("cost_per_parcel_cny",)))
    assert _ids(cost_only) == ["scenario", "metrics", "sweep"]
