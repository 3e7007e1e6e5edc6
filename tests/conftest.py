"""Shared test setup: route plans are cached in the test run's temporary folder, never in the user's home."""

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _route_cache_in_tmp(tmp_path_factory):
    """Keep the on-disk route cache inside the test run's temporary folder, one cache for all xdist workers.

    Each xdist worker has its own temporary folder under one folder of the run; the cache sits in that
    shared folder, so a plan made by one worker serves the others. Sharing is safe: a cache file is
    written whole to a temporary name and then renamed, so a reader sees a complete plan or none.
    """
    run_folder = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_folder = run_folder.parent
    folder = run_folder / "route-cache"
    folder.mkdir(exist_ok=True)
    patch = pytest.MonkeyPatch()
    patch.setenv("SIMNET_CACHE_DIR", str(folder))
    yield
    patch.undo()


def pytest_xdist_auto_num_workers(config):
    """Workers for ``-n auto`` (set in pyproject.toml): xdist's one per CPU, or none for benchmarks and ``-s``.

    Benchmarks time what they run and print the figures, so they run alone, in this process; so does a run
    with ``-s``, whose point is to show the tests' output, which xdist workers do not pass on.
    """
    marks = config.getoption("markexpr")
    if config.getoption("capture") == "no" or ("benchmark" in marks and "not benchmark" not in marks):
        return 0
    return None
