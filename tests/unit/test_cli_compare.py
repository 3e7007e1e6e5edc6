"""``simnet compare`` shows labels, units and percentages like ``run``, warns under 5 replications, checks targets."""

import json
from pathlib import Path

from simnet.cli import main

SCENARIO = """name: compared
horizon_days: 7
demand: {parcels_per_day: 1000}
hub: {capacity_per_day: 2000}
"""

A = {
    "on_time_48h": [0.94, 0.95, 0.96],
    "co_delivery_share": [0.92, 0.92, 0.92],
    "park_entry_rate": [0.5, 0.5, 0.5],
    "cost_per_parcel_cny": [1.0, 1.1, 1.2],
}
"""Run A's replications: co-delivery 92 % meets the plan's 90 %, park entry 50 % misses its 80 %."""

B = {**A, "on_time_48h": [0.96, 0.97, 0.98], "co_delivery_share": [0.85, 0.85, 0.85]}
"""Run B: on time 2 points higher in every replication, co-delivery down to 85 % (below 90 %)."""


def _folder(root: Path, name: str, metrics: dict[str, list[float]], scenario: str | None = SCENARIO) -> Path:
    """A results folder reduced to what compare reads: metrics.json, manifest.json and scenario.yaml."""
    folder = root / name
    folder.mkdir()
    count = len(next(iter(metrics.values())))
    rows = [{"replication": r, **{metric: values[r] for metric, values in metrics.items()}} for r in range(count)]
    (folder / "metrics.json").write_text(json.dumps({"summary": {}, "replications": rows}), encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"seed": 1, "replications": count}), encoding="utf-8")
    if scenario is not None:
        (folder / "scenario.yaml").write_text(scenario, encoding="utf-8")
    return folder


def _compare(capsys, *args: str) -> tuple[int, str]:
    status = main(["compare", *args])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_compare_shows_labels_percentages_and_points(tmp_path, capsys):
    """Shares as percentages (95.0% → 97.0%), their difference in points (+2.000 pp, no spread), labels and ids."""
    status, output = _compare(capsys, str(_folder(tmp_path, "a", A)), str(_folder(tmp_path, "b", B)))
    assert status == 0
    assert "on time within 48 h" in output
    assert "on_time_48h" in output  # the id, for --fail-if rules
    assert "95.0%" in output
    assert "97.0%" in output
    assert "+2.000 pp" in output
    assert "cost per rural parcel (CNY)" in output
    assert "1.100" in output  # cost per parcel to three decimals, as run shows it


def test_compare_warns_under_five_replications(tmp_path, capsys):
    """Three replications a side: the intervals are called unreliable and 5 replications suggested."""
    _, output = _compare(capsys, str(_folder(tmp_path, "a", A)), str(_folder(tmp_path, "b", B)))
    assert "warning: only 3 replication(s)" in output
    assert "--replications 5" in output


def test_targets_rule_breaks_when_b_misses_a_target_a_met(tmp_path, capsys):
    """Co-delivery 92 % → 85 % against the plan's 90 %: broken (exit 1); park entry, missed by both, is not named."""
    args = (str(_folder(tmp_path, "a", A)), str(_folder(tmp_path, "b", B)), "--fail-if", "targets")
    status, output = _compare(capsys, *args)
    assert status == 1
    assert "targets: broken (B misses what A met: co-delivery coverage ≥ 90.0%: A 92.0%, B 85.0%)" in output
    assert "carriers in the park" not in output.split("targets: broken")[1]


def test_targets_rule_uses_b_thresholds(tmp_path, capsys):
    """With B's scenario asking co-delivery ≥ 80 % only, B's 85 % meets it: the rule holds (exit 0)."""
    relaxed = SCENARIO + "targets: {co_delivery_share: 0.8}\n"
    args = (str(_folder(tmp_path, "a", A)), str(_folder(tmp_path, "b", B, relaxed)), "--fail-if", "targets")
    status, output = _compare(capsys, *args)
    assert status == 0
    assert "targets: holds" in output


def test_targets_rule_without_scenario_is_a_user_error(tmp_path, capsys):
    """A folder without scenario.yaml cannot be scored: exit 2 naming the file, no traceback."""
    args = (str(_folder(tmp_path, "a", A, None)), str(_folder(tmp_path, "b", B)), "--fail-if", "targets")
    status, output = _compare(capsys, *args)
    assert status == 2
    assert "scenario.yaml" in output
    assert "Traceback" not in output
