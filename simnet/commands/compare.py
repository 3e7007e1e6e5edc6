"""``simnet compare RUN_A RUN_B``: every metric's difference with its 95 % interval, and release rules."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import click
import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from simnet.experiment.summary import metric_scale, unreliable_note
from simnet.labels import METRICS, metric_format, metric_label
from simnet.report.scorecard import Target, lost_targets, shown_goal, shown_value, target_label
from simnet.results.compare import (
    Comparison,
    MetricComparison,
    ResultsFolderError,
    Rule,
    RuleError,
    RunMetrics,
    check_rules,
    compare_runs,
    load_run,
    load_scenario,
    means,
    parse_rule,
)
from simnet.terminal_text import literal, visible

EXIT_RULE_BROKEN = 1
TABLE_WIDTH = 120

FAIL_IF_HELP = (
    "Exit 1 if B changed beyond this from A, e.g. 'delivery_time_h_p95>+5%' (rose by more than 5 %) or "
    "'on_time_24h<-0.02' (fell by more than 0.02); broken only when the difference is significant. "
    "'targets': broken when B misses a plan target (B's scenario 'targets:') that A met, judged on the means "
    "as the scorecard does. Repeatable."
)

TARGETS_RULE = "targets"
"""The --fail-if rule that checks the plan's targets instead of one metric's change."""


@click.command()
@click.argument("run_a", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("run_b", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--fail-if", "rules", multiple=True, metavar="RULE", help=FAIL_IF_HELP)
def compare(run_a: Path, run_b: Path, rules: Sequence[str]) -> None:
    """Compare the metrics of results folders RUN_A and RUN_B (difference = B − A).

    Exit 1 when a --fail-if rule is broken, 2 on a user error.
    """
    runs = []
    for path, hint in ((run_a, "RUN_A"), (run_b, "RUN_B")):
        try:
            runs.append(load_run(path))
        except ResultsFolderError as error:
            raise click.BadParameter(str(error), param_hint=hint) from None
    comparison = compare_runs(runs[0], runs[1])
    with_targets = any(text.strip() == TARGETS_RULE for text in rules)
    parsed = _parse([text for text in rules if text.strip() != TARGETS_RULE], comparison)
    lost = _lost_targets(run_a, run_b, runs[0], runs[1]) if with_targets else []
    console = Console()
    if not console.is_terminal:  # logs and pipes: wide enough for the whole table, not rich's 80 columns
        console = Console(width=TABLE_WIDTH)
    console.print(comparison_table(comparison))
    note = unreliable_note(min(len(runs[0].replications), len(runs[1].replications)))
    if note:
        click.echo(f"warning: {note}")
    outcomes = check_rules(comparison, parsed)
    for rule, broken in outcomes:
        click.echo(visible(f"{rule.text}: {'broken' if broken else 'holds'} ({_change(comparison.get(rule.metric))})"))
    if with_targets:
        click.echo(_targets_outcome(lost))
    if any(broken for _, broken in outcomes) or lost:
        raise SystemExit(EXIT_RULE_BROKEN)


def _lost_targets(path_a: Path, path_b: Path, run_a: RunMetrics, run_b: RunMetrics) -> list[tuple[Target, Target]]:
    """The targets B misses that A met, both scored with B's thresholds (A's own hub and demand)."""
    try:
        scenario_a, scenario_b = load_scenario(path_a), load_scenario(path_b)
    except ResultsFolderError as error:
        raise click.BadParameter(str(error), param_hint="--fail-if targets") from None
    return lost_targets(_summary(run_a), scenario_a, _summary(run_b), scenario_b)


def _summary(run: RunMetrics) -> pd.DataFrame:
    """The means as the scorecard reads them: a ``mean`` column indexed by metric."""
    return pd.DataFrame({"mean": pd.Series(means(run), dtype=float)})


def _targets_outcome(lost: list[tuple[Target, Target]]) -> str:
    """One line: the targets rule holds, or which targets B lost, with A's and B's values."""
    if not lost:
        return f"{TARGETS_RULE}: holds (B meets every plan target A met)"
    listing = "; ".join(
        f"{target_label(after)} {shown_goal(after)}: A {shown_value(before)}, B {shown_value(after)}"
        for before, after in lost
    )
    return f"{TARGETS_RULE}: broken (B misses what A met: {listing})"


def _parse(rules: Sequence[str], comparison: Comparison) -> list[Rule]:
    names = [item.metric for item in comparison.metrics]
    try:
        return [parse_rule(text, names) for text in rules]
    except RuleError as error:
        raise click.BadParameter(str(error), param_hint="--fail-if") from None


def _number(metric: str, value: float) -> str:
    """A mean as ``simnet run`` shows it (shares as percentages); unknown metrics to four significant digits."""
    if math.isnan(value):
        return "–"
    if metric in METRICS:
        return metric_format(metric, value)
    return format(value, ",.0f") if abs(value) >= 10_000 else format(value, ".4g")


def _points(item: MetricComparison) -> tuple[float, str]:
    """How differences of the metric are shown: shares in percentage points, the rest in the metric's unit."""
    return (100.0, " pp") if metric_scale(item.metric) == "share" else (1.0, "")


def _decimals(item: MetricComparison) -> int:
    """Decimals that show the interval's half-width to two significant digits (none for whole units)."""
    scale, _ = _points(item)
    half = scale * (item.ci_high - item.ci_low) / 2
    if half > 0:
        return max(0, 1 - math.floor(math.log10(half)))
    if item.difference and math.isfinite(item.difference):  # no spread: four significant digits of the change
        return max(0, 3 - math.floor(math.log10(abs(scale * item.difference))))
    return 0


def _signed(value: float, decimals: int) -> str:
    if math.isnan(value):
        return "–"
    return "0" if value == 0 else format(value, f"+,.{decimals}f")


def _shown_difference(item: MetricComparison, value: float) -> str:
    """A difference of B − A in the metric's unit, shares in percentage points (``+2.0 pp``)."""
    scale, unit = _points(item)
    shown = _signed(scale * value, _decimals(item))
    return shown if shown in ("–", "0") else shown + unit


def _shown_interval(item: MetricComparison) -> str:
    """The 95 % interval of B − A, its unit once at the end (``+1.2 … +2.8 pp``)."""
    if math.isnan(item.ci_low):
        return "–"
    scale, unit = _points(item)
    decimals = _decimals(item)
    low, high = _signed(scale * item.ci_low, decimals), _signed(scale * item.ci_high, decimals)
    return f"{low} … {high}" + ("" if low == high == "0" else unit)


def _relative(value: float) -> str:
    if math.isnan(value):
        return "–"
    return "0%" if value == 0 else f"{value:+.1%}"


def _change(item: MetricComparison) -> str:
    relative = "" if math.isnan(item.relative) else f", {_relative(item.relative)}"
    verdict = "significant" if item.significant else "not significant"
    return f"B − A = {_shown_difference(item, item.difference)}{relative}, {verdict}"


def comparison_table(comparison: Comparison) -> Table:
    """Metric, A, B, difference, its 95 % interval and significance, with the method in the caption."""
    table = Table(
        title=literal(f"{comparison.run_a.path} (A) vs {comparison.run_b.path} (B)"),
        title_justify="left",
        box=box.SIMPLE,
    )
    table.add_column("metric (id for --fail-if)")
    table.add_column("A", justify="right")
    table.add_column("B", justify="right")
    table.add_column("B − A", justify="right", no_wrap=True)
    table.add_column("change", justify="right", no_wrap=True)
    table.add_column("95% CI of B − A", justify="center", no_wrap=True)
    table.add_column("significant", justify="center", no_wrap=True)
    for item in comparison.metrics:
        table.add_row(
            Text.assemble(metric_label(item.metric), "\n", (item.metric, "dim")),
            _number(item.metric, item.mean_a),
            _number(item.metric, item.mean_b),
            _shown_difference(item, item.difference),
            _relative(item.relative),
            _shown_interval(item),
            ("yes" if item.significant else "no") if item.tested else "–",
        )
    table.caption = _caption(comparison)
    return table


def _caption(comparison: Comparison) -> str:
    a, b = comparison.run_a, comparison.run_b
    if comparison.paired:
        method = "paired t over replication-wise differences"
        runs = f"same seed {a.seed} and {len(a.replications)} replications: common random numbers"
    else:
        method = "Welch's t"
        runs = f"seeds {a.seed} and {b.seed}, {len(a.replications)} and {len(b.replications)} replications"
    return (
        f"{method} ({runs}); significant = Holm–Bonferroni corrected across {comparison.family_size} metrics "
        f"(family-wise {comparison.alpha:.0%}), so a 95% CI that excludes 0 may still be 'no'; "
        "pp = percentage points; change = (B − A) / A"
    )
