"""The README's performance table is the one the benchmarks' figures make (no hand-copied numbers)."""

import json

from tests.benchmarks.readme_table import END, FIGURES_FILE, README, START, table


def test_readme_quotes_the_benchmark_figures():
    """Between its markers, README.md holds exactly the table made from tests/benchmarks/figures.json."""
    document = json.loads(FIGURES_FILE.read_text(encoding="utf-8"))
    text = README.read_text(encoding="utf-8")
    assert START in text
    assert END in text
    quoted = START + text.split(START, 1)[1].split(END, 1)[0] + END
    assert quoted == table(document)
