"""Comparing two results folders: paired and Welch intervals, Holm's correction, constant metrics, rules."""

import json
import math
from pathlib import Path

import pytest
from scipy import stats

from simnet.experiment.replications import RunResult
from simnet.experiment.summary import summarise
from simnet.results.compare import (
    ResultsFolderError,
    RuleError,
    compare_folders,
    holm,
    load_run,
    parse_rule,
)
from simnet.results.folder import RunInfo, write_results
from simnet.scenario import scenario_from_text

T_975_2 = stats.t.ppf(0.975, 2)
"""Student t quantile for a 95 % interval with 2 degrees of freedom (three replications, paired)."""


def _folder(tmp_path: Path, name: str, seed: int, metrics: dict[str, list[float | None]]) -> Path:
    """A results folder as `simnet run` writes it, reduced to the two files compare reads."""
    folder = tmp_path / name
    folder.mkdir()
    count = len(next(iter(metrics.values())))
    rows = [{"replication": r, **{metric: values[r] for metric, values in metrics.items()}} for r in range(count)]
    plain = [{k: math.nan if v is None else float(v) for k, v in row.items() if k != "replication"} for row in rows]
    summary = {
        metric: {k: None if math.isnan(v) else v for k, v in estimate.as_dict().items()}
        for metric, estimate in summarise(plain).items()
    }
    document = {"summary": summary, "replications": rows}
    (folder / "metrics.json").write_text(json.dumps(document), encoding="utf-8")
    manifest = {"seed": seed, "replications": count, "engine": "fast"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def _compare(tmp_path: Path, a: dict[str, list[float | None]], b: dict[str, list[float | None]], same_seed: bool):
    return compare_folders(_folder(tmp_path, "a", 1, a), _folder(tmp_path, "b", 1 if same_seed else 2, b))


def test_same_seed_gives_paired_interval_by_hand(tmp_path):
    """Same seed and replications: paired t over differences [1, 2, 2] — mean 5/3, sd √(1/3), se 1/3, t = 5."""
    result = _compare(tmp_path, {"m": [1, 2, 3]}, {"m": [2, 4, 5]}, same_seed=True)
    item = result.get("m")
    assert result.paired
    assert item.difference == pytest.approx(5 / 3)
    assert item.relative == pytest.approx((5 / 3) / 2)  # A's mean is 2
    assert (item.ci_low, item.ci_high) == pytest.approx((5 / 3 - T_975_2 / 3, 5 / 3 + T_975_2 / 3))
    assert item.p_value == pytest.approx(2 * stats.t.sf(5, 2))  # 0.0377: below 5 %
    assert item.p_value == pytest.approx(stats.ttest_rel([2, 4, 5], [1, 2, 3]).pvalue)
    assert item.significant  # alone in its family, so Holm leaves p as it is
    assert (item.n_a, item.n_b) == (3, 3)


def test_other_seed_gives_welch_interval_by_hand(tmp_path):
    """Other seed: Welch — variances 1 and 7/3 over 3 each give se² = 10/9 and df = 200/58; not significant."""
    result = _compare(tmp_path, {"m": [1, 2, 3]}, {"m": [2, 4, 5]}, same_seed=False)
    item = result.get("m")
    se, df = math.sqrt(10 / 9), 200 / 58
    half = stats.t.ppf(0.975, df) * se
    assert not result.paired
    assert (item.ci_low, item.ci_high) == pytest.approx((5 / 3 - half, 5 / 3 + half))
    assert item.p_value == pytest.approx(stats.ttest_ind([2, 4, 5], [1, 2, 3], equal_var=False).pvalue)
    assert not item.significant  # the same change the paired interval finds: CRN narrow the interval


def test_same_seed_other_replication_count_is_welch(tmp_path):
    """Pairing needs the same replications in both runs, not only the same seed."""
    result = _compare(tmp_path, {"m": [1, 2, 3]}, {"m": [2, 4, 5, 3]}, same_seed=True)
    assert not result.paired


def test_holm_adjusted_p_values_by_hand():
    """Sorted 0.01, 0.03, 0.04 are multiplied by 3, 2, 1 → 0.03, 0.06, 0.04, then made non-decreasing."""
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.4, 0.9]) == pytest.approx([0.8, 0.9])  # 0.4·2 = 0.8; 0.9·1 stays above it
    assert holm([0.6, 0.7]) == pytest.approx([1.0, 1.0])  # 0.6·2 is capped at 1


def test_holm_leaves_untested_out_of_the_family():
    """NaN p-values (untested metrics) stay NaN and do not count in m."""
    adjusted = holm([math.nan, 0.02])
    assert math.isnan(adjusted[0])
    assert adjusted[1] == pytest.approx(0.02)  # m = 1


def test_correction_spans_every_metric_compared(tmp_path):
    """p = 0.0377 is significant alone, but among three metrics Holm tests it at 0.05/2 and it is not."""
    a = {"m": [1, 2, 3], "big": [10, 11, 12], "flat": [1, 1, 1]}
    b = {"m": [2, 4, 5], "big": [20, 21, 22], "flat": [1, 1, 1]}
    result = _compare(tmp_path, a, b, same_seed=True)
    assert result.family_size == 3
    assert result.get("big").significant  # constant differences of +10: p = 0
    assert result.get("m").p_value < 0.05
    assert result.get("m").p_holm == pytest.approx(2 * result.get("m").p_value)  # second smallest of three
    assert not result.get("m").significant
    assert not result.get("flat").significant


def test_constant_metrics_significant_exactly_when_means_differ(tmp_path):
    """Zero variance in both runs: the interval is the point, significant iff the means differ."""
    a = {"same": [1.0, 1.0, 1.0], "fell": [1.0, 1.0, 1.0]}
    b = {"same": [1.0, 1.0, 1.0], "fell": [0.9, 0.9, 0.9]}
    result = _compare(tmp_path, a, b, same_seed=False)
    assert not result.get("same").significant
    assert (result.get("same").ci_low, result.get("same").ci_high) == (0.0, 0.0)
    assert result.get("fell").significant
    assert result.get("fell").ci_low == pytest.approx(-0.1)
    assert result.get("fell").ci_high == pytest.approx(-0.1)


def test_floating_point_noise_is_no_difference(tmp_path):
    """Values equal up to the last bit (4.666…6 vs 4.666…7, as 14/3 visits sums come out) are not a change."""
    a = {"visits": [4.666666666666666, 4.666666666666667, 4.666666666666666]}
    b = {"visits": [4.666666666666667, 4.666666666666667, 4.666666666666666]}
    item = _compare(tmp_path, a, b, same_seed=False).get("visits")
    assert item.difference == 0.0
    assert not item.significant


def test_null_values_are_skipped(tmp_path):
    """A null replication value is left out; when paired, the whole pair is left out."""
    a = {"m": [1, None, 3, 5]}
    b = {"m": [2, 4, 5, 6]}
    welch = _compare(tmp_path, a, b, same_seed=False).get("m")
    assert (welch.n_a, welch.n_b, welch.mean_a) == (3, 4, pytest.approx(3.0))  # (1 + 3 + 5) / 3
    paired = compare_folders(_folder(tmp_path, "c", 1, a), _folder(tmp_path, "d", 1, b)).get("m")
    assert (paired.n_a, paired.n_b, paired.mean_b) == (3, 3, pytest.approx(13 / 3))  # (2 + 5 + 6) / 3


def test_one_replication_cannot_be_tested(tmp_path):
    """With one value per run there is no spread: no interval, not significant, not in the family."""
    result = _compare(tmp_path, {"m": [1.0]}, {"m": [2.0]}, same_seed=False)
    item = result.get("m")
    assert math.isnan(item.ci_low)
    assert not item.tested
    assert not item.significant
    assert result.family_size == 0


def test_only_metrics_in_both_runs_are_compared(tmp_path):
    """A metric one run lacks (e.g. added in a later release) is left out, not an error."""
    result = _compare(tmp_path, {"m": [1, 2], "new": [3, 4]}, {"m": [1, 2]}, same_seed=True)
    assert [item.metric for item in result.metrics] == ["m"]


def test_load_run_reads_a_folder_written_by_write_results(tmp_path):
    """load_run reads what simnet run writes: values per replication, seed from the manifest, null as NaN."""
    metrics = [{"parcels_in": 10.0, "pickup_time_h_mean": math.nan}, {"parcels_in": 12.0, "pickup_time_h_mean": 2.0}]
    scenario = scenario_from_text("name: x\nseed: 5\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n")
    info = RunInfo(wall_time_s=1.0, engine="fast", sources=(), overrides=())
    folder = write_results(RunResult(scenario, metrics, {}, summarise(metrics)), tmp_path / "run", info)
    run = load_run(folder)
    assert run.seed == 5
    assert run.replications == (1, 2)
    assert run.values["parcels_in"] == (10.0, 12.0)
    assert math.isnan(run.values["pickup_time_h_mean"][0])


def test_not_a_results_folder_is_refused(tmp_path):
    """A folder without metrics.json, or a missing folder, raises a ValueError that says what to give."""
    with pytest.raises(ResultsFolderError, match=r"has no metrics\.json"):
        load_run(tmp_path)
    with pytest.raises(ValueError, match="is not a folder"):
        load_run(tmp_path / "missing")


@pytest.mark.parametrize(
    ("text", "metric", "direction", "amount", "relative"),
    [
        ("delivery_time_h_p95>+5%", "delivery_time_h_p95", ">", 0.05, True),
        ("cost_per_parcel_cny>+0.10", "cost_per_parcel_cny", ">", 0.10, False),
        ("village_coverage<-1%", "village_coverage", "<", 0.01, True),
        ("on_time_24h<-0.02", "on_time_24h", "<", 0.02, False),
        (" on_time_24h < 2 % ", "on_time_24h", "<", 0.02, True),
    ],
)
def test_rules_parse(text, metric, direction, amount, relative):
    """Rules name a metric, '>' (rose by more than) or '<' (fell by more than), an amount, % if relative."""
    rule = parse_rule(text, ["delivery_time_h_p95", "cost_per_parcel_cny", "village_coverage", "on_time_24h"])
    assert (rule.metric, rule.direction, rule.amount, rule.relative) == (
        metric,
        direction,
        pytest.approx(amount),
        relative,
    )


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("cost_per_parcel_cny>>5", "is malformed; write METRIC>+AMOUNT or METRIC<-AMOUNT, with % for a relative"),
        ("cost_per_parcel_cny=5%", "is malformed; write METRIC>+AMOUNT"),
        (">+5%", "is malformed; write METRIC>+AMOUNT"),
        ("cost_per_parcel_cny>-5%", "mixes a direction and a sign; write >+"),
        ("on_time_24h<+0.02", "mixes a direction and a sign; write <-"),
        (
            "cost_per_parcl_cny>+5%",
            "names no metric 'cost_per_parcl_cny' of the runs compared; did you mean 'cost_per_parcel_cny'?",
        ),
    ],
)
def test_bad_rules_raise_with_the_fix(text, fix):
    """A malformed rule or an unknown metric raises a ValueError naming the rule and how to fix it."""
    with pytest.raises(RuleError) as caught:
        parse_rule(text, ["cost_per_parcel_cny", "on_time_24h"])
    assert isinstance(caught.value, ValueError)
    assert str(caught.value).startswith(f"rule {text!r} ")
    assert fix in str(caught.value)


def test_rule_broken_only_when_crossed_and_significant(tmp_path):
    """Constant +10 % (significant): '>+5%' and '>+0.05' broken; '>+15%' and '<-5%' hold; noisy +10 % holds."""
    a = {"steady": [1.0, 1.0, 1.0], "noisy": [0.5, 1.0, 1.5]}
    b = {
        "steady": [1.1, 1.1, 1.1],
        "noisy": [1.6, 0.5, 1.2],
    }  # mean 1.1 too, but differences 1.1, −0.5, −0.3 spread wide
    result = _compare(tmp_path, a, b, same_seed=True)
    names = ["steady", "noisy"]

    def broken(text: str) -> bool:
        rule = parse_rule(text, names)
        return rule.broken_by(result.get(rule.metric))

    assert broken("steady>+5%")
    assert broken("steady>+0.05")
    assert not broken("steady>+15%")
    assert not broken("steady<-5%")
    assert not result.get("noisy").significant
    assert not broken("noisy>+5%")


def test_relative_rule_from_zero(tmp_path):
    """From a mean of 0 any significant rise exceeds any percentage; the relative change itself is undefined."""
    result = _compare(tmp_path, {"backlog": [0.0, 0.0, 0.0]}, {"backlog": [5.0, 5.0, 5.0]}, same_seed=True)
    assert math.isnan(result.get("backlog").relative)
    assert parse_rule("backlog>+50%", ["backlog"]).broken_by(result.get("backlog"))
