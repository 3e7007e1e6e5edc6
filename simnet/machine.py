"""What this machine can give a run: the memory available now, within any container limit."""

from __future__ import annotations

import os
from pathlib import Path

MEMINFO = Path("/proc/meminfo")
CGROUP_V2 = Path("/sys/fs/cgroup")
CGROUP_V1 = Path("/sys/fs/cgroup/memory")


def available_memory_bytes() -> int | None:
    """Bytes a new allocation may take now: the kernel's MemAvailable, lowered to a cgroup's room.

    ``None`` where the system says nothing (then no size check can be made).
    """
    candidates = [value for value in (_meminfo_available(), _cgroup_room()) if value is not None]
    if not candidates:
        candidates = [value for value in (_sysconf_available(),) if value is not None]
    return min(candidates) if candidates else None


def _meminfo_available() -> int | None:
    """``MemAvailable`` of ``/proc/meminfo`` (free memory plus what the kernel can reclaim)."""
    try:
        lines = MEMINFO.read_text(encoding="ascii").splitlines()
    except OSError:
        return None
    for line in lines:
        name, _, value = line.partition(":")
        if name == "MemAvailable":
            kilobytes = value.split()[0]
            return int(kilobytes) * 1024 if kilobytes.isdigit() else None
    return None


def _cgroup_room() -> int | None:
    """A container's memory limit minus its use (cgroup v2, else v1); ``None`` without a limit."""
    for limit_file, usage_file in (
        (CGROUP_V2 / "memory.max", CGROUP_V2 / "memory.current"),
        (CGROUP_V1 / "memory.limit_in_bytes", CGROUP_V1 / "memory.usage_in_bytes"),
    ):
        limit, usage = _read_number(limit_file), _read_number(usage_file)
        if limit is not None and usage is not None and limit < 2**60:  # v1 says "no limit" with a huge number
            return max(limit - usage, 0)
    return None


def _read_number(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _sysconf_available() -> int | None:
    """Free physical pages × page size, where ``/proc`` is missing (less generous: no reclaimable cache)."""
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return None
