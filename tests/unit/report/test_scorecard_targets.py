"""The scenario's ``targets:`` decide what the scorecard marks: each threshold, its direction, null leaves it out."""

import pandas as pd
import pytest

from simnet.report.scorecard import lost_targets, peak_day_demand, scorecard, shown_goal, shown_value, target_label
from simnet.scenario import ScenarioError, scenario_from_text
from simnet.scenario.schema import scenario_json_schema

CITY = """
name: targets
horizon_days: 7
demand: {parcels_per_day: 10000, peak_days: [{day: 2, multiplier: 1.5}]}
hub: {capacity_per_day: 18000}
"""

SUMMARY = pd.DataFrame(
    {
        "mean": {
            "village_coverage": 0.95,
            "village_visits_per_week_min": 4.0,
            "park_entry_rate": 0.5,
            "co_delivery_share": 0.85,
            "on_time_48h": 0.9,
            "cost_per_parcel_cny": 1.2,
        }
    }
)
"""A run's means, invented so that each target can be put just above and just below them."""


def _marks(*overrides: str) -> dict[str, bool | None]:
    scenario = scenario_from_text(CITY, "targets.yaml", overrides)
    return {target.key: target.met for target in scorecard(SUMMARY, scenario)}


@pytest.mark.parametrize(
    ("field", "key", "missed", "met"),
    [
        ("village_coverage", "village_coverage", 0.96, 0.95),
        ("village_visits_per_week_min", "village_visits_per_week_min", 4.5, 4.0),
        ("park_entry_rate", "park_entry_rate", 0.6, 0.5),
        ("co_delivery_share", "co_delivery_share", 0.9, 0.8),
        ("on_time_48h", "on_time_48h", 0.95, 0.9),
        ("cost_per_parcel_cny", "cost_per_parcel_cny", 1.1, 1.2),  # a ceiling: 1.2 ≤ 1.2 met, 1.2 > 1.1 missed
    ],
)
def test_each_target_is_met_or_missed_by_its_threshold(field, key, missed, met):
    """A threshold past the run's mean marks the target missed; one at the mean marks it met (at least / at most)."""
    assert _marks(f"targets.{field}={missed}")[key] is False
    assert _marks(f"targets.{field}={met}")[key] is True


def test_hub_target_scales_the_peak_day():
    """Peak day 10,000 × 1.5 = 15,000; capacity 18,000 covers it ×1.2 (18,000) but not ×1.25 (18,750)."""
    scenario = scenario_from_text(CITY, "targets.yaml")
    assert peak_day_demand(scenario) == pytest.approx(15_000)
    assert _marks("targets.hub_capacity_over_peak_day=1.2")["hub_capacity"] is True
    assert _marks("targets.hub_capacity_over_peak_day=1.25")["hub_capacity"] is False


def test_hub_target_sums_the_hubs():
    """Two hubs of 10,000 and 8,000 a day hold the same 18,000 as one: ×1.2 of the peak met, ×1.25 missed."""
    hubs = ["hub=null", "hubs=[{id: a, x_km: 5, y_km: 0, capacity_per_day: 10000}, {id: b, x_km: -5, y_km: 0,"
            " capacity_per_day: 8000}]"]  # fmt: skip
    assert _marks(*hubs, "targets.hub_capacity_over_peak_day=1.2")["hub_capacity"] is True
    assert _marks(*hubs, "targets.hub_capacity_over_peak_day=1.25")["hub_capacity"] is False


def test_defaults_are_the_plan_figures_and_null_leaves_a_target_out():
    """By default the plan's five targets are scored (no on-time or cost figure in the plans); null drops one."""
    assert list(_marks()) == [
        "village_coverage", "village_visits_per_week_min", "park_entry_rate", "co_delivery_share", "hub_capacity",
    ]  # fmt: skip
    scenario = scenario_from_text(CITY, "targets.yaml")
    goals = {target.key: target.target for target in scorecard(SUMMARY, scenario)}
    assert goals == {"village_coverage": 1.0, "village_visits_per_week_min": 5.0, "park_entry_rate": 0.8,
                     "co_delivery_share": 0.9, "hub_capacity": 15_000}  # fmt: skip
    assert "park_entry_rate" not in _marks("targets.park_entry_rate=null")


def test_target_out_of_range_is_a_located_error():
    """A share target above 1 is refused with the field's place."""
    with pytest.raises(ScenarioError, match=r"targets\.co_delivery_share"):
        scenario_from_text(CITY, "targets.yaml", ["targets.co_delivery_share=1.5"])


def test_targets_are_shown_with_direction_and_unit():
    """A share shows as a percentage with ≥, the cost ceiling with ≤ and three decimals, names in both languages."""
    scenario = scenario_from_text(CITY, "targets.yaml", ["targets.cost_per_parcel_cny=1.5"])
    by_key = {target.key: target for target in scorecard(SUMMARY, scenario)}
    assert (shown_value(by_key["park_entry_rate"]), shown_goal(by_key["park_entry_rate"])) == ("50.0%", "≥ 80.0%")
    assert (shown_value(by_key["cost_per_parcel_cny"]), shown_goal(by_key["cost_per_parcel_cny"])) == (
        "1.200",
        "≤ 1.500",
    )
    assert target_label(by_key["hub_capacity"], "zh") == "分拨中心处理能力对比高峰日需求"


def test_schema_documents_every_target():
    """`simnet schema` lists each target with a description naming its unit or plan figure."""
    targets = scenario_json_schema()["$defs"]["Targets"]["properties"]
    assert set(targets) == {"village_coverage", "village_visits_per_week_min", "park_entry_rate",
                            "co_delivery_share", "hub_capacity_over_peak_day", "on_time_48h",
                            "cost_per_parcel_cny"}  # fmt: skip
    assert all(entry.get("description") for entry in targets.values())


def test_lost_targets_counts_only_targets_a_met_and_b_missed():
    """B loses co-delivery (A 0.95 ≥ 0.9 > B 0.85); park entry, missed by both, and visits, unmeasured in A, are not."""
    scenario = scenario_from_text(CITY, "targets.yaml")
    summary_a = SUMMARY.copy()
    summary_a.loc["village_visits_per_week_min", "mean"] = float("nan")
    summary_a.loc["co_delivery_share", "mean"] = 0.95
    summary_b = SUMMARY.copy()
    summary_b.loc["village_visits_per_week_min", "mean"] = 3.0
    lost = lost_targets(summary_a, scenario, summary_b, scenario)
    assert [(before.value, after.value) for before, after in lost] == [(0.95, 0.85)]
    assert [after.key for _, after in lost] == ["co_delivery_share"]


def test_lost_targets_scores_a_with_b_thresholds():
    """A's scenario asks co-delivery ≥ 0.96 (A's 0.95 misses) but B's asks ≥ 0.9: scored by B's, A met it."""
    strict = scenario_from_text(CITY, "a.yaml", ["targets.co_delivery_share=0.96"])
    relaxed = scenario_from_text(CITY, "b.yaml")
    summary_a = SUMMARY.copy()
    summary_a.loc["co_delivery_share", "mean"] = 0.95
    assert [after.key for _, after in lost_targets(summary_a, strict, SUMMARY, relaxed)] == ["co_delivery_share"]
