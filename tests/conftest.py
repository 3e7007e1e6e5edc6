"""Shared test setup: route plans are cached in a per-session folder, never in the user's home."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _route_cache_in_tmp(tmp_path_factory):
    """Keep the on-disk route cache inside the test session's temporary folder."""
    folder = tmp_path_factory.mktemp("route-cache")
    patch = pytest.MonkeyPatch()
    patch.setenv("SIMNET_CACHE_DIR", str(folder))
    yield
    patch.undo()
