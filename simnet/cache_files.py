"""Where simnet keeps what it can compute again (routes, plans, report fonts), and how it writes there.

Everything in the cache is derived: a missing, unreadable or damaged file is computed again, and a
cache that cannot be written costs time, never a result.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

CACHE_DIR_VARIABLE = "SIMNET_CACHE_DIR"
"""Environment variable naming the cache directory; ``~/.cache/simnet/routes`` when unset."""


def cache_directory() -> Path:
    """The cache directory named by ``SIMNET_CACHE_DIR`` (read at each call), else ``~/.cache/simnet/routes``."""
    return Path(os.environ.get(CACHE_DIR_VARIABLE) or Path.home() / ".cache" / "simnet" / "routes")


def write_atomically(target: Path, content: bytes) -> None:
    """Write ``content`` to ``target`` whole or not at all: a temporary file beside it, then a rename."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
