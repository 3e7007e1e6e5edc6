"""``simnet compare`` on real runs: a re-run with a new seed is not flagged, a planted 10 % change is."""

import json
import shutil
from pathlib import Path

import pytest

from simnet.cli import main
from simnet.metric_names import FEATURE_METRICS
from simnet.results.compare import compare_folders

pytestmark = pytest.mark.slow

REPLICATIONS = 10
"""The stated replication count: at 10 replications per run the 95 % half-width of cost per parcel is 1–2 %
of its mean, so a planted 10 % change stands far outside it, while seed-to-seed noise stays inside."""

SMALL = f"""
name: small
seed: 11
horizon_days: 3
warmup_days: 1
drain_days: 2
replications: {REPLICATIONS}
demand: {{parcels_per_day: 20000, rural_share: 0.3, pickups_per_village_per_day: 3}}
network: {{generate: {{counties: 2, towns_per_county: 3, villages_per_town: 4}}}}
hub: {{capacity_per_day: 30000}}
fleets: {{trunk: {{count: 4}}, park: {{count: 5}}, depot: {{count: 3}}}}
"""

# The generated city has its own seed (network.generate.seed, default 1), so the second run differs
# from the first only in its random numbers; stating it here keeps the test independent of the default.
SAME_CITY = ("--set", "network.generate.seed=11")

RULES = ("delivery_time_h_p95>+5%", "cost_per_parcel_cny>+0.10", "village_coverage<-1%", "on_time_24h<-0.02")

PLANTED = "cost_per_parcel_cny"


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """Seed 11 and seed 12 of the same city, and seed 11 with cost per parcel planted 10 % higher."""
    folder = tmp_path_factory.mktemp("compare")
    scenario = folder / "small.yaml"
    scenario.write_text(SMALL, encoding="utf-8")
    paths = {"base": folder / "base", "reseeded": folder / "reseeded", "planted": folder / "planted"}
    assert main(["run", str(scenario), "--out", str(paths["base"]), *SAME_CITY]) == 0
    assert main(["run", str(scenario), "--out", str(paths["reseeded"]), "--seed", "12", *SAME_CITY]) == 0
    shutil.copytree(paths["base"], paths["planted"])
    _plant(paths["planted"] / "metrics.json", PLANTED, 1.10)
    return paths


def _plant(file: Path, metric: str, factor: float) -> None:
    """Multiply one metric's per-replication values and its summary by ``factor``."""
    document = json.loads(file.read_text(encoding="utf-8"))
    for row in document["replications"]:
        row[metric] *= factor
    summary = document["summary"][metric]
    for field in ("mean", "ci_low", "ci_high"):
        summary[field] *= factor
    file.write_text(json.dumps(document), encoding="utf-8")


def _compare(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["compare", *args])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_runs_have_the_stated_replications(runs):
    """Both runs hold the stated 10 replications and differ in their seed (so Welch's t applies)."""
    for name in ("base", "reseeded"):
        manifest = json.loads((runs[name] / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["replications"] == REPLICATIONS
    assert not compare_folders(runs["base"], runs["reseeded"]).paired


def test_new_seed_flags_nothing(runs):
    """A re-run with a new seed: no metric significant after Holm's correction."""
    comparison = compare_folders(runs["base"], runs["reseeded"])
    # 10 values a side: every measured metric is tested; visits per week needs a whole week (3 days here),
    # and the scenario has no lockers, bus lines or fresh produce to measure
    unmeasured = [item.metric for item in comparison.metrics if item.n_a == 0]
    assert sorted(unmeasured) == sorted({"village_visits_per_week_min", *FEATURE_METRICS})
    assert comparison.family_size == len(comparison.metrics) - len(unmeasured)
    assert [item.metric for item in comparison.metrics if item.significant] == []


def test_new_seed_rules_hold(runs, capsys):
    """Release rules hold between two seeds of the same scenario: exit 0, each rule 'holds'."""
    args = [arg for rule in RULES for arg in ("--fail-if", rule)]
    status, output = _compare(capsys, str(runs["base"]), str(runs["reseeded"]), *args)
    assert status == 0
    assert "Welch's t" in output
    assert "Holm–Bonferroni" in output
    for rule in RULES:
        assert f"{rule}: holds" in output


def test_planted_change_is_flagged_paired(runs):
    """The planted copy shares the base run's seed: paired, +10 % found, and nothing else flagged."""
    comparison = compare_folders(runs["base"], runs["planted"])
    assert comparison.paired
    item = comparison.get(PLANTED)
    assert item.relative == pytest.approx(0.10)  # every replication's value × 1.10
    assert item.significant
    assert [other.metric for other in comparison.metrics if other.significant] == [PLANTED]


def test_planted_change_is_flagged_against_another_seed(runs):
    """Against the run with another seed (Welch's t) the planted +10 % is flagged too."""
    comparison = compare_folders(runs["reseeded"], runs["planted"])
    assert not comparison.paired
    assert comparison.get(PLANTED).significant


def test_planted_change_breaks_the_rule(runs, capsys):
    """--fail-if 'cost_per_parcel_cny>+5%' exits 1 on the planted +10 %, and says which rule broke."""
    status, output = _compare(capsys, str(runs["base"]), str(runs["planted"]), "--fail-if", "cost_per_parcel_cny>+5%")
    assert status == 1
    assert "cost_per_parcel_cny>+5%: broken" in output
    assert "paired t" in output


def test_rule_beyond_the_planted_change_holds(runs, capsys):
    """A threshold above the planted change (+15 %) is not crossed: exit 0."""
    status, output = _compare(capsys, str(runs["base"]), str(runs["planted"]), "--fail-if", "cost_per_parcel_cny>+15%")
    assert status == 0
    assert "cost_per_parcel_cny>+15%: holds" in output


def test_missing_folder_is_a_user_error(runs, tmp_path, capsys):
    """A folder that does not exist: exit 2 with a message, no traceback."""
    status, output = _compare(capsys, str(runs["base"]), str(tmp_path / "missing"))
    assert status == 2
    assert "does not exist" in output
    assert "Traceback" not in output


def test_not_a_results_folder_is_a_user_error(runs, tmp_path, capsys):
    """A folder without metrics.json: exit 2, and the message says which folder to give."""
    status, output = _compare(capsys, str(tmp_path), str(runs["base"]))
    assert status == 2
    assert "has no metrics.json" in output


def test_bad_rule_is_a_user_error_with_a_suggestion(runs, capsys):
    """A misspelt metric in a rule: exit 2, naming the rule and the nearest metric."""
    status, output = _compare(capsys, str(runs["base"]), str(runs["reseeded"]), "--fail-if", "cost_per_parcl>+5%")
    assert status == 2
    assert "did you mean 'cost_per_parcel_cny'?" in output
