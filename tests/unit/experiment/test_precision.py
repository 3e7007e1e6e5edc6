"""The sequential procedure stops at the first replication count where every metric meets the relative precision."""

import json
import math

import pandas as pd
import pytest

from simnet.cli import main
from simnet.experiment.precision import (
    MIN_REPLICATIONS,
    corrected_precision,
    run_to_precision,
    sequential,
    shortfall,
    stop_note,
)
from simnet.experiment.replications import run_scenario
from simnet.scenario import scenario_from_text

SLOW = [90.0, 110.0] * 6
"""A noisy metric: twelve values alternating 90 and 110, then 100 for ever (mean 100 from replication 12 on)."""


def _fake(replication: int) -> dict[str, float]:
    """Replication r's metrics: a constant, a quickly settled and a slowly settled metric, and one never measured."""
    return {
        "constant": 7.0,
        "quick": 99.0 + 2 * (replication % 2),
        "slow": SLOW[replication] if replication < len(SLOW) else 100.0,
        "unmeasured": math.nan,
    }


NAMES = ("constant", "quick", "slow", "unmeasured")


def _recorded(ran: list[int]):
    """A batch runner of the fake replications that notes every replication it runs."""

    def run_batch(replications: range) -> list[dict[str, float]]:
        ran.extend(replications)
        return [_fake(replication) for replication in replications]

    return run_batch


def test_stops_at_the_first_count_where_the_rule_holds():
    """With γ = 0.05, γ' = 0.05/1.05: the slow metric's δ(16) = t₁₅·√80/4 = 4.766 > 4.762 = γ'·100, δ(17) = 4.453.

    After the twelve alternating values s² = 1200 / (n − 1). So the procedure stops at 17, no sooner and no
    later, having run exactly 17 replications; the slow metric decided (the quick one met at n₀ = 10 already).
    An uncorrected γ would have stopped at 16 (4.766 ≤ 5).
    """
    ran: list[int] = []
    stop = sequential(_recorded(ran), 0.05, max_replications=50, names=NAMES)
    assert (stop.replications, stop.met, stop.decided_by) == (17, True, "slow")
    assert ran == list(range(17))
    values_16 = [_fake(r)["slow"] for r in range(16)]
    values_17 = [_fake(r)["slow"] for r in range(17)]
    assert shortfall(values_16, 0.05) > 1 >= shortfall(values_17, 0.05)
    assert corrected_precision(0.05) * 100 == pytest.approx(4.7619, abs=1e-4)


def test_batches_stop_at_the_same_count():
    """Four replications at a time (10, then 10–13, 14–17): the rule is still checked at every n, so the stop is
    17 as one at a time, though replication 17 (the 18th) was run."""
    ran: list[int] = []
    stop = sequential(_recorded(ran), 0.05, max_replications=50, names=NAMES, batch=4)
    assert (stop.replications, stop.decided_by) == (17, "slow")
    assert ran == list(range(18))


def test_deterministic_metric_stops_at_the_first_check():
    """A metric equal in every replication has δ = 0: the rule holds at n₀, and no metric varied to decide it."""
    stop = sequential(_recorded([]), 0.01, names=("constant",))
    assert (stop.replications, stop.met, stop.decided_by) == (MIN_REPLICATIONS, True, None)


def test_unreachable_precision_stops_at_the_maximum_and_names_the_metric():
    """A metric whose mean is 0 but which varies can never be within a share of its mean: stop at the maximum."""

    def around_zero(replications: range) -> list[dict[str, float]]:
        return [{"steady": 5.0, "zero_mean": (-1.0) ** replication} for replication in replications]

    stop = sequential(around_zero, 0.05, max_replications=12, names=("steady", "zero_mean"))
    assert stop.replications == 12
    assert not stop.met
    assert stop.decided_by == "zero_mean"
    assert math.isinf(stop.shortfall)


def test_maximum_below_the_first_check_is_refused():
    """The maximum must allow n₀ replications."""
    with pytest.raises(ValueError, match="at least 10"):
        sequential(_recorded([]), 0.05, max_replications=5)


SMALL = """
name: precise
horizon_days: 2
warmup_days: 1
drain_days: 1
replications: 3
demand: {parcels_per_day: 3000, rural_share: 0.4, pickups_per_village_per_day: 2}
network: {generate: {counties: 1, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 5000}
"""


@pytest.mark.parametrize("workers", [1, 3])
def test_results_equal_a_fixed_run_of_the_same_count(workers):
    """Stopped at n, the metrics and tables equal those of a run with replications = n (same streams),
    whether the replications ran one by one or three at a time in worker processes."""
    scenario = scenario_from_text(SMALL, "precise.yaml")
    precise = run_to_precision(scenario, 0.2, max_replications=14, workers=workers)
    count = precise.stop.replications
    assert MIN_REPLICATIONS <= count <= 14
    assert precise.result.scenario.replications == count
    fixed = run_scenario(scenario_from_text(SMALL, "precise.yaml", [f"replications={count}"]))
    pd.testing.assert_frame_equal(pd.DataFrame(precise.result.metrics), pd.DataFrame(fixed.metrics))
    assert precise.result.tables.keys() == fixed.tables.keys()
    for name in fixed.tables:
        pd.testing.assert_frame_equal(pd.DataFrame(precise.result.tables[name]), pd.DataFrame(fixed.tables[name]))
    assert f"{count} replications" in stop_note(precise)


def test_cli_run_with_precision_records_where_it_stopped(tmp_path, capsys):
    """`simnet run --precision` prints the stopping note and writes a run of that many replications."""
    path = tmp_path / "precise.yaml"
    path.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", str(path), "--out", str(out), "--precision", "0.5", "--max-replications", "10", "--no-report"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "precision ±50.0%" in printed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["replications"] == 10
    assert manifest["overrides"][-1] == "replications=10"


def test_cli_refuses_precision_with_replications(tmp_path, capsys):
    """--precision decides the count, so --replications beside it is a user error (exit 2) naming both."""
    path = tmp_path / "precise.yaml"
    path.write_text(SMALL, encoding="utf-8")
    assert main(["run", str(path), "--replications", "5", "--precision", "0.1"]) == 2
    assert "--replications or --precision" in capsys.readouterr().err
