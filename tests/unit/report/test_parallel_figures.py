"""A report's figures drawn in two processes give what one process would."""

import os

import pytest

from simnet.report import parallel_figures
from simnet.report.parallel_figures import draw_split

KEYS = ("a", "b", "c", "d")


def _drawn_by(key: str) -> str:
    return f"{key}:{os.getpid()}"


@pytest.mark.skipif(parallel_figures.fork_workers() == 0, reason="no worker can be forked here")
def test_the_worker_draws_its_keys_in_another_process_and_the_order_is_kept():
    drawn = draw_split(_drawn_by, KEYS, ("b", "d"))
    assert list(drawn) == list(KEYS)
    here = str(os.getpid())
    assert [value.split(":")[1] == here for value in drawn.values()] == [True, False, True, False]
    assert parallel_figures._JOB is None  # nothing is left for later forks to inherit


def test_without_workers_everything_is_drawn_here(monkeypatch):
    monkeypatch.setattr(parallel_figures, "fork_workers", lambda: 0)
    assert draw_split(_drawn_by, KEYS, ("b",)) == {key: f"{key}:{os.getpid()}" for key in KEYS}


def test_a_failure_in_the_worker_reaches_the_caller():
    def draw(key: str) -> str:
        if key == "c" and os.getpid() != parent:
            raise ValueError("no data for c")
        return key

    parent = os.getpid()
    if parallel_figures.fork_workers() == 0:
        pytest.skip("no worker can be forked here")
    with pytest.raises(ValueError, match="no data for c"):
        draw_split(draw, KEYS, ("c",))
