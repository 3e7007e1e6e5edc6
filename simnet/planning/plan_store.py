"""Whole static plans kept on disk, so a command whose plan was built before starts at once.

A plan is stored under a key that hashes everything it is built from: the scenario's plan
inputs (``plan_cache.plan_key``), the route planner's settings, and the Python and numpy versions
and source code of the layers that build it (network, planning, scenario), so a plan made by
other code is never read.
The file is a pickle behind a header holding the SHA-256 of the pickle: a truncated or altered
file fails that check and is rebuilt, with a warning, like a missing one. Files are written whole
to a temporary name and renamed, so concurrent readers see a complete plan or none.

The pickle is read only from the user's own cache directory, which simnet alone writes. Its road graph is
pickled as arrays (``stored_graph``): a run simulating a stored plan never needs networkx's dicts.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

import simnet
from simnet.planning.plan import StaticPlan
from simnet.planning.stored_graph import StoredRoadGraph, road_arrays

_LOG = logging.getLogger(__name__)

FORMAT = b"simnet-plan-2\n"
"""First line of every plan file; a new format never reads an old file."""

CODE_LAYERS = ("network", "planning", "scenario")
"""Packages whose source decides what a plan holds."""


@cache
def code_fingerprint() -> str:
    """SHA-256 of Python's and numpy's versions and the source of the layers that build a plan (once per process)."""
    digest = hashlib.sha256(f"{sys.version}|{np.__version__}".encode())
    package = Path(simnet.__file__).parent
    for layer in CODE_LAYERS:
        for source in sorted((package / layer).rglob("*.py")):
            digest.update(source.relative_to(package).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def store_key(plan_inputs: str, planner_settings: str) -> str:
    """The file key of a plan: a hash of its inputs, the planner's settings and the code's fingerprint."""
    digest = hashlib.sha256(FORMAT)
    for part in (plan_inputs, planner_settings, code_fingerprint()):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


class PlanStore:
    """Plans in ``directory/<key>.plan``; a missing, unreadable or damaged file counts as missing."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def get(self, key: str) -> StaticPlan | None:
        """The plan stored under ``key``, or None (with a warning when a file is there but damaged)."""
        path = self.directory / f"{key}.plan"
        try:
            content = path.read_bytes()
        except OSError:
            return None
        header, _, payload = content.partition(b"\n\n")
        if header != FORMAT + hashlib.sha256(payload).hexdigest().encode():
            _LOG.warning("rebuilding the plan: the stored plan %s is damaged", path)
            return None
        try:
            plan = pickle.loads(payload)  # written by simnet into the user's own cache; checksum checked above
        except Exception as error:  # any failure to read a stored plan means: build it again
            _LOG.warning("rebuilding the plan: the stored plan %s cannot be read (%s)", path, error)
            return None
        return plan if isinstance(plan, StaticPlan) else None

    def put(self, key: str, plan: StaticPlan) -> None:
        """Store ``plan`` under ``key``; a store that cannot be written is logged and the run goes on."""
        buffer = io.BytesIO()
        _PlanPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(plan)
        payload = buffer.getvalue()
        content = FORMAT + hashlib.sha256(payload).hexdigest().encode() + b"\n\n" + payload
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(content)
                os.replace(temporary, self.directory / f"{key}.plan")
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            _LOG.warning("could not store the plan in %s: %s", self.directory, error)


class _PlanPickler(pickle.Pickler):
    """Pickles a plain road graph as its arrays (``stored_graph``), everything else as pickle does."""

    def reducer_override(self, obj: Any) -> Any:
        """A road graph's arrays, read back as a ``StoredRoadGraph``; ``NotImplemented`` for anything else."""
        if type(obj) is not nx.Graph:
            return NotImplemented
        arrays = road_arrays(obj)
        return NotImplemented if arrays is None else (StoredRoadGraph, (arrays,))
