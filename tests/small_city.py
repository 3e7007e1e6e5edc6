"""What many command tests share: a small city that runs in about a second, and simnet run in-process."""

from __future__ import annotations

import pytest

from simnet.cli import main

SMALL_CITY = """name: small
horizon_days: 2
warmup_days: 1
drain_days: 1
replications: 2
demand: {parcels_per_day: 5000, rural_share: 0.3, pickups_per_village_per_day: 2}
network: {generate: {counties: 1, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 8000}
"""
"""One county of two towns and six villages, 2 measured days: 1 warm-up + 2 + 1 drain = 4 simulated."""


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``simnet ARGS`` in-process; return the exit status, stdout and stderr."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err
