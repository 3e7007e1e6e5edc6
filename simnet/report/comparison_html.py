"""The side-by-side report's own parts: key metrics of A and B with B − A, its interval and significance.

Every number of B − A comes from ``simnet.results.compare`` (the functions behind ``simnet compare``), never
recomputed here, so the report and the command agree.
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

from simnet.labels import Lang, metric_format
from simnet.metric_names import KEY_METRICS
from simnet.plots.comparison import signed
from simnet.report.document import note_html, table_html
from simnet.report.i18n import say
from simnet.report.sections import metric_cell

if TYPE_CHECKING:
    from simnet.results.compare import Comparison, MetricComparison


def _difference_cells(item: MetricComparison, lang: Lang) -> list[str]:
    """B − A, its interval, whether it is significant (with Holm's p), and each side's n."""
    metric = item.metric
    interval = "–"
    if not (math.isnan(item.ci_low) or math.isnan(item.ci_high)):
        interval = f"{signed(metric, item.ci_low, lang)} … {signed(metric, item.ci_high, lang)}"
    verdict = "–"
    if item.tested:
        flag = "yes" if item.significant else "no"
        css = ' class="sig"' if item.significant else ""
        verdict = (f'<span{css} data-significant="{flag}">{escape(say(flag, lang))}</span> '
                   f'<span class="sub">p = {item.p_holm:.3g}</span>')  # fmt: skip
    return [signed(metric, item.difference, lang), interval, verdict, f"{item.n_a} / {item.n_b}"]


def compared_metrics_html(comparison: Comparison, lang: Lang) -> str:
    """Key metrics: A's mean, B's mean, B − A with its 95 % interval, significance (Holm), n of each side."""
    names = {item.metric for item in comparison.metrics}
    rows = []
    for metric in KEY_METRICS:
        if metric not in names:
            continue
        item = comparison.get(metric)
        rows.append([metric_cell(metric, lang), metric_format(metric, item.mean_a), metric_format(metric, item.mean_b),
                     *_difference_cells(item, lang)])  # fmt: skip
    header = [say("metric", lang), f"{say('run_a', lang)} {say('mean', lang)}", f"{say('run_b', lang)} "
              f"{say('mean', lang)}", say("difference", lang), say("difference_ci", lang), say("significant", lang),
              say("n_sides", lang)]  # fmt: skip
    n_a, n_b = len(comparison.run_a.replications), len(comparison.run_b.replications)
    note = say("paired_note" if comparison.paired else "welch_note", lang, count=comparison.family_size, n_a=n_a,
               n_b=n_b)  # fmt: skip
    return table_html(header, rows, [False, True, True, True, True, False, True], "compared-metrics") + note_html(note)
