"""``simnet compare RUN_A RUN_B``: every metric's difference with its 95 % interval, and release rules."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.table import Table

from simnet.results.compare import (
    Comparison,
    MetricComparison,
    ResultsFolderError,
    Rule,
    RuleError,
    check_rules,
    compare_runs,
    load_run,
    parse_rule,
)
from simnet.terminal_text import literal, visible

EXIT_RULE_BROKEN = 1
TABLE_WIDTH = 120

FAIL_IF_HELP = (
    "Exit 1 if B changed beyond this from A, e.g. 'delivery_time_h_p95>+5%' (rose by more than 5 %) or "
    "'on_time_24h<-0.02' (fell by more than 0.02); broken only when the difference is significant. Repeatable."
)


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
    parsed = _parse(rules, comparison)
    console = Console()
    if not console.is_terminal:  # logs and pipes: wide enough for the whole table, not rich's 80 columns
        console = Console(width=TABLE_WIDTH)
    console.print(comparison_table(comparison))
    outcomes = check_rules(comparison, parsed)
    for rule, broken in outcomes:
        click.echo(visible(f"{rule.text}: {'broken' if broken else 'holds'} ({_change(comparison.get(rule.metric))})"))
    if any(broken for _, broken in outcomes):
        raise SystemExit(EXIT_RULE_BROKEN)


def _parse(rules: Sequence[str], comparison: Comparison) -> list[Rule]:
    names = [item.metric for item in comparison.metrics]
    try:
        return [parse_rule(text, names) for text in rules]
    except RuleError as error:
        raise click.BadParameter(str(error), param_hint="--fail-if") from None


def _number(value: float) -> str:
    """A mean: four significant digits, whole numbers with thousands separators from 10,000 up."""
    if math.isnan(value):
        return "–"
    return format(value, ",.0f") if abs(value) >= 10_000 else format(value, ".4g")


def _decimals(item: MetricComparison) -> int:
    """Decimals that show the interval's half-width to two significant digits (none for whole units)."""
    half = (item.ci_high - item.ci_low) / 2
    if half > 0:
        return max(0, 1 - math.floor(math.log10(half)))
    if item.difference and math.isfinite(item.difference):  # no spread: four significant digits of the change
        return max(0, 3 - math.floor(math.log10(abs(item.difference))))
    return 0


def _signed(value: float, decimals: int) -> str:
    if math.isnan(value):
        return "–"
    return "0" if value == 0 else format(value, f"+,.{decimals}f")


def _relative(value: float) -> str:
    if math.isnan(value):
        return "–"
    return "0%" if value == 0 else f"{value:+.1%}"


def _change(item: MetricComparison) -> str:
    relative = "" if math.isnan(item.relative) else f", {_relative(item.relative)}"
    verdict = "significant" if item.significant else "not significant"
    return f"B − A = {_signed(item.difference, _decimals(item))}{relative}, {verdict}"


def comparison_table(comparison: Comparison) -> Table:
    """Metric, A, B, difference, its 95 % interval and significance, with the method in the caption."""
    table = Table(
        title=literal(f"{comparison.run_a.path} (A) vs {comparison.run_b.path} (B)"),
        title_justify="left",
        box=box.SIMPLE,
    )
    table.add_column("metric", no_wrap=True)
    table.add_column("A", justify="right")
    table.add_column("B", justify="right")
    table.add_column("B − A", justify="right", no_wrap=True)
    table.add_column("change", justify="right", no_wrap=True)
    table.add_column("95% CI of B − A", justify="center")
    table.add_column("significant", justify="center", no_wrap=True)
    for item in comparison.metrics:
        decimals = _decimals(item)
        interval = (
            "–" if math.isnan(item.ci_low) else f"{_signed(item.ci_low, decimals)} … {_signed(item.ci_high, decimals)}"
        )
        table.add_row(
            item.metric,
            _number(item.mean_a),
            _number(item.mean_b),
            _signed(item.difference, decimals),
            _relative(item.relative),
            interval,
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
        f"(family-wise {comparison.alpha:.0%}), so a 95% CI that excludes 0 may still be 'no'"
    )
