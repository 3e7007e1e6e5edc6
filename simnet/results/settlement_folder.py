"""A settlement's folder: a sweep folder over coalitions, with the settlement's own tables at the end.

``sweep.json`` and ``tasks/`` are those of a sweep (``sweep_folder.py``: one checksummed file per
finished coalition and replication, so ``--resume`` runs only what is missing); at the end
``settlement.parquet`` (a row per member carrier), ``coalitions.parquet`` (a row per coalition)
and ``manifest.json`` are written, each under a temporary name and renamed into place.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from simnet.results.staging import staging_path
from simnet.results.sweep_folder import write_atomically

SETTLEMENT_TABLES = ("settlement", "coalitions")
"""The tables of a settlement's folder, each ``NAME.parquet``."""


def write_settlement(
    folder: Path,
    settlement: Sequence[dict[str, Any]],
    coalitions: Sequence[dict[str, Any]],
    manifest: dict[str, Any],
) -> None:
    """Write the settlement and coalitions tables and the manifest into a settlement's folder."""
    for name, rows in zip(SETTLEMENT_TABLES, (settlement, coalitions), strict=True):
        temporary = staging_path(folder / f"{name}.parquet")
        pd.DataFrame.from_records(rows).to_parquet(temporary, index=False)
        os.replace(temporary, folder / f"{name}.parquet")
    write_atomically(folder / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
