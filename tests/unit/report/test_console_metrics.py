"""The run's terminal table: labels and formats shared with the report, and a warning under 5 replications."""

from rich.console import Console

from simnet.experiment.summary import summarise
from simnet.report.console import metrics_table


def _printed(replications: int) -> str:
    """The table of ``replications`` replications of two metrics, as a 120-column terminal shows it."""
    rows = [{"on_time_48h": 0.9 + 0.01 * r, "cost_per_parcel_cny": 1.0 + 0.1 * r} for r in range(replications)]
    console = Console(width=120, record=True)
    console.print(metrics_table("run", summarise(rows)))
    return console.export_text()


def test_three_replications_warn_and_name_what_would_help():
    """Three replications: the intervals are called unreliable and 5 replications (or --precision) suggested."""
    text = _printed(3)
    assert "warning: only 3 replication(s)" in text
    assert "--replications 5" in text


def test_five_replications_do_not_warn_and_show_labels_and_percentages():
    """Five replications: no warning; the share as a percentage (mean 92.0 %), the cost to three decimals (1.200)."""
    text = _printed(5)
    assert "warning" not in text
    assert "on time within 48 h" in text
    assert "92.0%" in text
    assert "cost per rural parcel (CNY)" in text
    assert "1.200" in text


def test_figures_of_what_the_scenario_has_appear_only_when_measured():
    """Fresh produce measured: its row is shown; lockers not in the scenario (NaN): no row for them."""
    rows = [{"fresh_over_limit_share": 0.25, "locker_utilization": float("nan")} for _ in range(5)]
    console = Console(width=120, record=True)
    console.print(metrics_table("run", summarise(rows)))
    text = console.export_text()
    assert "fresh produce over its time limit" in text
    assert "25.0%" in text
    assert "locker utilisation" not in text
