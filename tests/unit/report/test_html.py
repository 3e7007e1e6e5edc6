"""The HTML report: sections in order, language switch, offline (no URLs), images and font embedded."""

import re
from html import escape

import pytest

from simnet.experiment.replications import run_scenario
from simnet.report.html import RUN_SECTIONS, report_html, write_report
from simnet.report.i18n import say
from simnet.report.scorecard import peak_day_demand, scorecard
from simnet.results.folder import REPORT_FILE, RunInfo, write_results
from simnet.results.load import Results, load_results
from simnet.scenario import scenario_from_text

SMALL = """name: 小城 small
horizon_days: 2
warmup_days: 1
drain_days: 1
replications: 2
demand:
  {parcels_per_day: 5000, rural_share: 0.3, pickups_per_village_per_day: 2, peak_days: [{day: 2, multiplier: 1.5}]}
network: {generate: {counties: 1, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 8000}
"""

INFO = RunInfo(wall_time_s=1.0, engine="fast", sources=(), overrides=())


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    """A tiny run's folder, written with its report (module-scoped: it takes a few seconds)."""
    folder = tmp_path_factory.mktemp("report") / "run"
    write_results(run_scenario(scenario_from_text(SMALL)), folder, INFO, report="en")
    return folder


def _ids(html: str) -> list[str]:
    return re.findall(r'<section id="([^"]+)"', html)


def test_run_report_has_every_section_in_order(run_folder):
    """The run report's sections carry the stable ids, in the documented order."""
    assert _ids(report_html([run_folder])) == list(RUN_SECTIONS)


def test_write_results_puts_the_report_in_the_folder(run_folder):
    """``write_results(..., report=...)`` leaves report.html inside the (atomically renamed) folder."""
    html = (run_folder / REPORT_FILE).read_text(encoding="utf-8")
    assert _ids(html) == list(RUN_SECTIONS)
    assert not list(run_folder.parent.glob(".*partial*")), "no staging folder is left behind"


def test_comparison_report_adds_a_comparison_section(run_folder):
    """Two runs give the run sections, side by side, then ``comparison``."""
    html = report_html([run_folder, run_folder])
    assert _ids(html) == [*RUN_SECTIONS, "comparison"]
    assert html.count('class="pair"') == len(RUN_SECTIONS) - 1  # every section but the metrics table


def test_lang_switches_the_text(run_folder):
    """zh and en reports use their own labels and declare their language."""
    zh, en = report_html([run_folder], lang="zh"), report_html([run_folder], lang="en")
    assert escape(say("scorecard", "zh")) in zh
    assert escape(say("scorecard", "en")) not in zh
    assert escape(say("scorecard", "en")) in en
    assert '<html lang="zh-CN">' in zh
    assert '<html lang="en">' in en


def test_report_is_self_contained(run_folder, tmp_path):
    """No http(s) URL anywhere (it opens offline); figures and the CJK font are embedded as data URLs."""
    out = write_report([run_folder], tmp_path / "r.html", lang="zh")
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"https?://", html)
    assert not re.search(r'src="(?!data:)', html)
    assert html.count('src="data:image/png;base64,') == len(RUN_SECTIONS) - 3
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
    html = report_html([run_folder])
    assert 'data-status="met"' in html
    assert 'data-status="missed"' in html
