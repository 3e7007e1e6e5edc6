"""The report drawn by the worker forked before the run is the report the run's own process draws, byte for byte."""

import shutil

import pytest

from simnet.experiment.replications import run_scenario
from simnet.planning import default_planner, plan_for
from simnet.report import ahead as ahead_module
from simnet.report.ahead import PLAN_FIGURES, ReportWhenPlanned
from simnet.results.folder import REPORT_FILE, write_report_file, write_results
from simnet.results.load import Results, load_results
from simnet.scenario import scenario_from_text
from tests.unit.report.test_html import CONSOLIDATED, INFO, SMALL


@pytest.fixture(scope="module")
def plan_and_folder(tmp_path_factory):
    """The small city's plan and its results folder, without a report."""
    scenario = scenario_from_text(SMALL)
    plan = plan_for(scenario, default_planner())
    folder = tmp_path_factory.mktemp("ahead") / "run"
    write_results(run_scenario(scenario, plan=plan), folder, INFO)
    return plan, folder


def _copy(folder, tmp_path, name):
    copy = tmp_path / name
    shutil.copytree(folder, copy)
    return copy


def test_the_worker_writes_the_report_the_run_would(plan_and_folder, tmp_path):
    """Maps drawn from the plan before the run ended, the rest after: the same bytes as all drawn after.

    In Chinese, whose labels and embedded font cover the English report's paths and more (one language keeps
    the test short: each report draws every figure).
    """
    plan, folder = plan_and_folder
    lang = "zh"
    here, there = _copy(folder, tmp_path, "here"), _copy(folder, tmp_path, "there")
    write_report_file(here, folder, lang)
    with ReportWhenPlanned(lang) as ahead:
        ahead.start(plan)
        assert ahead.worker is not None
        assert ahead.worker.write(there, folder)
    assert (there / REPORT_FILE).read_bytes() == (here / REPORT_FILE).read_bytes()


def test_maps_drawn_from_another_plan_are_not_used(plan_and_folder, tmp_path):
    """The maps of another city's plan do not fit these results: the report draws its own."""
    plan, folder = plan_and_folder
    other_plan = plan_for(scenario_from_text(CONSOLIDATED), default_planner())
    results = load_results(folder)
    assert isinstance(results, Results)
    assert set(ahead_module._drawn_from_plan(plan, "en").fitting(results)) == set(PLAN_FIGURES)
    assert ahead_module._drawn_from_plan(other_plan, "en").fitting(results) == {}


def test_a_worker_that_dies_leaves_the_report_to_the_run(plan_and_folder, tmp_path):
    """A worker killed before it is sent the run answers no: the run's process writes the report itself."""
    plan, folder = plan_and_folder
    with ReportWhenPlanned("en") as ahead:
        ahead.start(plan)
        assert ahead.worker is not None
        ahead.worker.process.kill()
        ahead.worker.process.join()
        assert not ahead.worker.write(_copy(folder, tmp_path, "run"), folder)


def test_no_worker_without_a_report_or_without_fork(plan_and_folder, monkeypatch):
    """No report asked (None), or no process can be forked: no worker, and the run writes its report itself."""
    plan, _ = plan_and_folder
    with ReportWhenPlanned(None) as ahead:
        ahead.start(plan)
        assert ahead.worker is None
    monkeypatch.setattr(ahead_module, "fork_workers", lambda: 0)
    with ReportWhenPlanned("en") as ahead:
        ahead.start(plan)
        assert ahead.worker is None
