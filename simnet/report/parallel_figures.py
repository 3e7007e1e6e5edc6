"""A report's figures drawn in two processes at once: matplotlib draws on one core, and a run report has six."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from simnet.forking import fork_workers, ignore_interrupts

_JOB: Callable[[str], str] | None = None
"""The drawing job a forked worker inherits (a closure over the results cannot be pickled, nor needs to be)."""


def _draw_inherited(keys: tuple[str, ...]) -> dict[str, str]:
    """In the worker: draw ``keys`` with the job inherited from the parent."""
    assert _JOB is not None
    return {key: _JOB(key) for key in keys}


def draw_split(draw: Callable[[str], str], keys: Sequence[str], worker_keys: Sequence[str]) -> dict[str, str]:
    """``draw(key)`` for every key: ``worker_keys`` in a forked process while this one draws the others.

    Where no worker can be forked (``simnet.forking``) or if the worker dies, this process draws
    them all. The output is the same either way.
    """
    global _JOB  # noqa: PLW0603 - handed to the forked worker, which inherits module state
    given = tuple(key for key in keys if key in worker_keys)
    if not given or len(given) == len(keys) or fork_workers() == 0:
        return {key: draw(key) for key in keys}
    _JOB = draw
    try:
        with ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("fork"), initializer=ignore_interrupts
        ) as pool:
            future = pool.submit(_draw_inherited, given)
            drawn = {key: draw(key) for key in keys if key not in given}
            try:
                drawn.update(future.result())
            except BrokenProcessPool:
                drawn.update({key: draw(key) for key in given})
    finally:
        _JOB = None
    return {key: drawn[key] for key in keys}
