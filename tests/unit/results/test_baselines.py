"""Baseline files and the tolerance rule (``simnet.results.baselines``), with hand-computed numbers.

Student-t quantiles used below, from printed tables (one-tailed 0.0005, i.e. two-sided 99.9 %):
df 3 → 12.924, df 4 → 8.610, df 5 → 6.869, df 6 → 5.959, df 8 → 5.041; for the paired test
(one-tailed 0.005, two-sided 99 %): df 4 → 4.604.
"""

import json
import math
import os
from pathlib import Path

import pytest

from simnet.experiment.replications import RunResult
from simnet.experiment.summary import summarise
from simnet.metric_names import KEY_METRICS
from simnet.results.baselines import (
    Baseline,
    BaselineError,
    MetricBaseline,
    Moved,
    baseline_from_result,
    baseline_path,
    baseline_text,
    changed_means,
    compare,
    load_small,
    read_baseline,
    significant,
    small_run_overrides,
    tolerance,
    write_baseline,
)
from simnet.scenario import load_scenario, scenario_from_text

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"

MINIMAL = "name: x\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"


def metric(mean: float, sd: float, n: int = 5) -> MetricBaseline:
    """A stored metric; the interval is irrelevant to the tolerance and set to the mean."""
    return MetricBaseline(mean=mean, ci_low=mean, ci_high=mean, n=n, sd=sd)


def baseline(seed: int = 1, **metrics: MetricBaseline) -> Baseline:
    """A baseline of the given metrics, other fields fixed (5 replications)."""
    return Baseline("x.yaml", ("horizon_days=3",), 5, seed, "0.1.0", dict(metrics))


def replications(*values: float) -> MetricBaseline:
    """A stored metric with each replication's value (mean and SD from them; the interval set to the mean)."""
    finite = [value for value in values if not math.isnan(value)]
    mean = sum(finite) / len(finite)
    sd = math.sqrt(sum((value - mean) ** 2 for value in finite) / (len(finite) - 1))
    return MetricBaseline(mean=mean, ci_low=mean, ci_high=mean, n=len(finite), sd=sd, values=values)


# --- the tolerance rule ---------------------------------------------------------------------------------------


def test_equal_spread_uses_welch_df_8():
    """s = 1, n = 5 on both sides: SE = sqrt(0.2 + 0.2) = 0.63246, df = 0.4² / (2 × 0.2² / 4) = 8, × 5.041 = 3.1884."""
    assert tolerance(metric(10.0, 1.0), metric(10.0, 1.0)) == pytest.approx(3.1884, abs=1e-4)


def test_one_side_without_spread_leaves_the_other_sides_df():
    """Old s = 0, new s = 2 over n = 4: SE = sqrt(4 / 4) = 1, df = n − 1 = 3, so the tolerance is t = 12.924."""
    assert tolerance(metric(10.0, 0.0), metric(10.0, 2.0, n=4)) == pytest.approx(12.924, abs=1e-3)


def test_unequal_spread_has_fractional_df_between_table_rows():
    """s = 1 and 2 over n = 5: SE = 1, df = 1 / (0.2²/4 + 0.8²/4) = 5.88, so t(6) = 5.959 < tolerance < t(5) = 6.869."""
    assert 5.959 < tolerance(metric(0.0, 1.0), metric(0.0, 2.0)) < 6.869


def test_a_single_value_adds_no_spread():
    """Old n = 1 (no spread known), new s = 1 over n = 5: SE = sqrt(0.2) = 0.44721, df = 4, × 8.610 = 3.8506."""
    assert tolerance(metric(3.0, math.nan, n=1), metric(3.0, 1.0)) == pytest.approx(3.8506, abs=1e-4)


@pytest.mark.parametrize(("mean", "floor"), [(0.0, 1e-9), (0.5, 1e-9), (-1.0, 1e-9), (4e6, 4e-3)])
def test_no_spread_leaves_the_absolute_floor(mean, floor):
    """Without spread on either side the tolerance is 1e-9 × max(1, |mean|): 1e-9 up to |mean| = 1, then relative."""
    assert tolerance(metric(mean, 0.0), metric(mean, 0.0)) == pytest.approx(floor, rel=1e-12)


# --- compare ------------------------------------------------------------------------------------------------------


def test_a_difference_within_the_tolerance_has_not_moved():
    """With tolerance 3.1884 (s = 1, n = 5 twice), a mean moving 10 → 13.18 stays put and 10 → 13.19 has moved."""
    old = baseline(m=metric(10.0, 1.0))
    assert compare(old, baseline(m=metric(13.18, 1.0))) == []
    (moved,) = compare(old, baseline(m=metric(13.19, 1.0)))
    assert (moved.metric, moved.old, moved.new) == ("m", 10.0, 13.19)
    assert moved.tolerance == pytest.approx(3.1884, abs=1e-4)


def test_identical_runs_move_nothing():
    """A baseline compared with itself moves nothing, even for metrics without spread."""
    same = baseline(a=metric(0.0, 0.0), b=metric(1.0, 0.0), c=metric(2.5e6, 1e4))
    assert compare(same, same) == []


def test_a_metric_without_spread_moves_on_any_change_beyond_the_floor():
    """A backlog of exactly 0 in every replication has moved when it becomes 1 parcel (floor 1e-9)."""
    assert [m.metric for m in compare(baseline(b=metric(0.0, 0.0)), baseline(b=metric(1.0, 0.0)))] == ["b"]


def test_undefined_on_one_side_only_has_moved():
    """NaN on both sides is unchanged; NaN on one side only has moved, with no tolerance to report."""
    nan = metric(math.nan, math.nan, n=0)
    assert compare(baseline(p=nan), baseline(p=nan)) == []
    assert compare(baseline(p=nan), baseline(p=metric(2.0, 0.1))) == [Moved("p", None, 2.0, None)]
    assert compare(baseline(p=metric(2.0, 0.1)), baseline(p=nan)) == [Moved("p", 2.0, None, None)]


def test_a_metric_present_on_one_side_only_has_moved():
    """A metric added or dropped since the baseline is reported, so that the baseline is rewritten on purpose."""
    moved = compare(baseline(a=metric(1.0, 0.0)), baseline(b=metric(2.0, 0.0)))
    assert moved == [Moved("b", None, 2.0, None), Moved("a", 1.0, None, None)]


def test_changed_means_lists_every_difference_and_flags_those_beyond_tolerance():
    """Of three metrics, the unchanged one is left out, 10 → 11 (tolerance 3.19) is within, 10 → 20 beyond."""
    old = baseline(a=metric(10.0, 1.0), b=metric(10.0, 1.0), c=metric(10.0, 1.0))
    new = baseline(a=metric(10.0, 1.0), b=metric(11.0, 1.0), c=metric(20.0, 1.0))
    assert [(moved.metric, beyond) for moved, beyond in changed_means(old, new)] == [("b", False), ("c", True)]


# --- paired differences (the same seed and replications) ------------------------------------------------------

NOISY = (100.0, 110.0, 90.0, 105.0, 95.0)
"""A metric whose replications spread by SD 7.9 around 100."""


def test_identical_replications_move_nothing_however_noisy():
    """An unchanged model re-run with the same seeds gives the same values: every difference 0, nothing moved."""
    assert compare(baseline(m=replications(*NOISY)), baseline(m=replications(*NOISY))) == []


def test_one_percent_consistent_shift_is_flagged_by_pairs_not_by_welch():
    """Each replication 1 % higher: d = (1, 1.1, 0.9, 1.05, 0.95), mean 1, SD 0.0791, tolerance 4.604 × 0.0354 = 0.163.

    So a shift far inside the spread of the replications is flagged; compared as independent samples (another
    seed) the same shift is far inside Welch's tolerance 5.041 × √(2 × 62.5/5) = 25.2.
    """
    shifted = replications(*(value * 1.01 for value in NOISY))
    (moved,) = compare(baseline(m=replications(*NOISY)), baseline(m=shifted))
    assert moved.tolerance == pytest.approx(0.1628, abs=1e-4)
    assert compare(baseline(m=replications(*NOISY)), baseline(seed=2, m=shifted)) == []


def test_paired_t_by_hand():
    """d = (1, 2, 3, 4, 5): mean 3, SD 1.5811, tolerance 4.604 × 1.5811 / √5 = 3.2555, not moved; d + 1: moved."""
    old = baseline(m=replications(10.0, 10.0, 10.0, 10.0, 10.0))
    assert compare(old, baseline(m=replications(11.0, 12.0, 13.0, 14.0, 15.0))) == []
    (moved,) = compare(old, baseline(m=replications(12.0, 13.0, 14.0, 15.0, 16.0)))
    assert moved.tolerance == pytest.approx(3.2555, abs=2e-4)


def test_a_shift_without_spread_is_flagged_beyond_the_floor():
    """Every replication 0.1 higher (SD of d 0): moved, tolerance the floor 1e-4 × 12; a shift of 1e-5 × 12 is not."""
    old = replications(10.0, 11.0, 12.0, 13.0, 14.0)
    (moved,) = compare(baseline(m=old), baseline(m=replications(10.1, 11.1, 12.1, 13.1, 14.1)))
    assert moved.tolerance == pytest.approx(1.2e-3)
    tiny = replications(*(value + 1.2e-4 for value in old.values))
    assert compare(baseline(m=old), baseline(m=tiny)) == []


def test_undefined_in_one_replication_on_one_side_has_moved():
    """A replication's value NaN on one side only has moved (no tolerance); NaN on both sides is left out."""
    old = replications(1.0, 2.0, math.nan, 4.0, 5.0)
    assert compare(baseline(m=old), baseline(m=replications(1.0, 2.0, math.nan, 4.0, 5.0))) == []
    moved = compare(baseline(m=old), baseline(m=replications(1.0, 2.0, 3.0, 4.0, 5.0)))
    assert [(m.metric, m.tolerance) for m in moved] == [("m", None)]


# --- rounding, shrinking, the file -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(12076319.8, 12076300.0), (0.62094397036, 0.620944), (4.2512785482, 4.25128), (0.0, 0.0), (-1.23456789, -1.23457)],
)
def test_six_significant_digits(value, rounded):
    """Values are kept to six significant digits, rounded at the seventh; zero stays zero."""
    assert significant(value) == rounded


def test_nan_is_not_rounded():
    """An undefined metric stays NaN through rounding."""
    assert math.isnan(significant(math.nan))


def test_shipped_baseline_shrinks_to_two_counties_and_three_days():
    """baseline.yaml (10 counties, 8 % rural, 7 + 3 drain days) → 2 counties, 8 % × 2/10 = 1.6 %, 3 + 2 drain days."""
    assert small_run_overrides(load_scenario(SCENARIOS / "baseline.yaml")) == (
        "network.generate.counties=2",
        "demand.rural_share=0.016",
        "horizon_days=3",
        "drain_days=2",
    )


def test_a_late_peak_day_keeps_the_horizon_up_to_it():
    """peak-day.yaml lists peak days up to day 6, so its small run measures 6 days instead of 3."""
    assert "horizon_days=6" in small_run_overrides(load_scenario(SCENARIOS / "peak-day.yaml"))


def test_a_small_scenario_is_left_as_it_is():
    """One county, 2 measured days and 1 drain day are already small: no overrides."""
    text = MINIMAL + "horizon_days: 2\ndrain_days: 1\nnetwork: {generate: {counties: 1}}\n"
    assert small_run_overrides(scenario_from_text(text)) == ()


def test_one_replication_is_refused(tmp_path):
    """A baseline needs a spread, so fewer than 2 replications is an error with the reason."""
    path = tmp_path / "x.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(BaselineError, match="at least 2 replications"):
        load_small(path, replications=1)


def _stored() -> Baseline:
    """A baseline made from two hand-written replications of every key metric (pickup time NaN in one)."""
    first = dict.fromkeys(KEY_METRICS, 10.0) | {"pickup_time_h_mean": math.nan}
    second = dict.fromkeys(KEY_METRICS, 12.0)
    result = RunResult(
        scenario_from_text(MINIMAL + "replications: 2\n"), [first, second], {}, summarise([first, second])
    )
    return baseline_from_result(result, "scenarios/x.yaml", ("horizon_days=3",))


def test_baseline_from_result_keeps_mean_ci_n_and_sd():
    """Replications 10 and 12: mean 11, SD sqrt(2) = 1.41421, 95 % CI 11 ± 12.706 × 1 clipped at 0, both values.

    parcels_in cannot be negative, so the summary clips the interval's low end −1.7062 at 0 (``experiment.summary``).
    """
    stored = _stored()
    assert stored.scenario == "x.yaml"
    assert set(stored.metrics) == set(KEY_METRICS)
    assert stored.metrics["parcels_in"] == MetricBaseline(11.0, 0.0, 23.7062, 2, 1.41421, (10.0, 12.0))
    assert stored.metrics["pickup_time_h_mean"].n == 1
    assert math.isnan(stored.metrics["pickup_time_h_mean"].sd)


def test_file_is_sorted_indented_and_reads_back(tmp_path):
    """The file has sorted keys, indent 2, NaN as null and a final newline, and reads back to the same baseline."""
    stored = _stored()
    path = write_baseline(stored, baseline_path(tmp_path / "baselines", "scenarios/x.yaml"))
    assert path == tmp_path / "baselines" / "x.json"
    text = path.read_text(encoding="utf-8")
    assert text == baseline_text(stored)
    assert text.endswith("}\n")
    document = json.loads(text)
    assert list(document) == sorted(document)
    assert list(document["metrics"]) == sorted(KEY_METRICS)
    assert '\n  "metrics": {\n    "co2_g_per_parcel": {\n      "ci_high": 23.7062,' in text
    assert document["metrics"]["pickup_time_h_mean"]["sd"] is None
    again = read_baseline(path)
    assert again.overrides == stored.overrides
    assert again.metrics["parcels_in"] == stored.metrics["parcels_in"]
    assert compare(stored, again) == []


def test_failed_write_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    """If the rename fails, the old baseline is untouched and no temporary file is left beside it."""
    path = tmp_path / "x.json"
    path.write_text("old", encoding="utf-8")

    def broken(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_baseline(_stored(), path)
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]
    assert path.read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "no baseline; write one with 'simnet baseline update'"),
        ("{", "x.json:1:2: not valid JSON"),
        ('{"format": 99}', "format 99 is not 2"),
        ('{"format": 1}', "format 1 keeps no value per replication.*re-make it with 'simnet baseline update'"),
        ('{"format": 2, "scenario": "x.yaml"}', "missing metrics, overrides, replications, seed, simnet_version"),
    ],
)
def test_unreadable_files_say_what_is_wrong(tmp_path, text, message):
    """A missing, broken or foreign file raises BaselineError with the file and the problem."""
    path = tmp_path / "x.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(BaselineError, match=message):
        read_baseline(path)


def test_a_malformed_metric_is_named(tmp_path):
    """A metric whose mean is text is reported with its place in the file."""
    document = json.loads(baseline_text(_stored()))
    document["metrics"]["trips"]["mean"] = "many"
    path = tmp_path / "x.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(BaselineError, match=r"metrics\.trips\.mean: expected a number or null, found 'many'"):
        read_baseline(path)


def test_values_must_match_the_replications(tmp_path):
    """A metric with fewer values than replications cannot be paired: the metric and both counts are named."""
    document = json.loads(baseline_text(_stored()))
    document["metrics"]["trips"]["values"] = [10.0]
    path = tmp_path / "x.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(BaselineError, match=r"metrics\.trips\.values: 1 values for 2 replications"):
        read_baseline(path)


def test_rerun_repeats_the_stored_seed():
    """The re-run's overrides end with the replication count and the stored seed, whatever the scenario says now."""
    assert baseline(seed=42).run_overrides() == ("horizon_days=3", "replications=5", "seed=42")
