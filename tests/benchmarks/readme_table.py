"""The README's performance table, made from ``figures.json`` so the two never disagree.

``python tests/benchmarks/readme_table.py`` rewrites the part of README.md between the markers
below (``nox -s benchmarks`` runs it after the benchmarks); ``tests/test_readme_performance.py``
checks that the README holds exactly what this makes of the committed figures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIGURES_FILE = Path(__file__).with_name("figures.json")
README = ROOT / "README.md"
START = "<!-- performance table: made by tests/benchmarks/readme_table.py from tests/benchmarks/figures.json -->"
END = "<!-- end of performance table -->"


def _number(value: float, unit: str) -> str:
    """A figure as the table shows it: seconds to 2 decimals (1 past 10 s), ratios to 2, speed-ups whole."""
    if unit == "×" and value >= 10:
        return f"{value:,.0f}×"
    if unit in ("×", ""):
        return f"{value:.2f}{unit}"
    return f"{value:.1f} {unit}" if value >= 10 else f"{value:.2f} {unit}"


def table(document: dict[str, Any]) -> str:
    """The markdown block: one row per figure (what, measured, target, met), then machine and command."""
    rows = ["| figure | what | measured | target | met |", "|---|---|---:|---:|:---:|"]
    for name, figure in sorted(document["figures"].items()):
        bound = "≤" if figure["better"] == "lower" else "≥"
        target = f"{bound} {_number(figure['target'], figure['unit'])}"
        met = "yes" if figure["met"] else "**no**"
        measured = _number(figure["value"], figure["unit"])
        rows.append(f"| `{name}` | {figure['detail']} | {measured} | {target} | {met} |")
    machine = document["machine"]
    rows += [
        "",
        f"Measured {document['measured_at']} on {machine['cpus']} CPUs ({machine['processor']}, "
        f"{machine['platform']}, Python {machine['python']}) with `{document['command']}`.",
    ]
    return "\n".join([START, *rows, END])


def main() -> None:
    """Replace the README's table with the one made from the current figures."""
    text = README.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, found, after = rest.partition(END)
    if not found:
        sys.exit(f"{README} has no performance table markers; add the two marker lines where it goes")
    document = json.loads(FIGURES_FILE.read_text(encoding="utf-8"))
    README.write_text(before + table(document) + after, encoding="utf-8")


if __name__ == "__main__":
    main()
