"""``simnet settle``: every coalition simulated with common random numbers, shares that add up, resume, user errors."""

import json
from pathlib import Path

import pandas as pd
import pytest

from simnet.results.task_file import read_task_file, task_file_name
from tests.small_city import run_cli as run

TINY = """name: tiny
seed: 7
horizon_days: 2
warmup_days: 1
drain_days: 1
replications: 1
carriers:
  - {id: a, name: A, share: 0.5}
  - {id: b, name: B, share: 0.3}
  - {id: c, name: C, share: 0.2}
demand: {parcels_per_day: 5000, rural_share: 0.3, pickups_per_village_per_day: 2}
network: {generate: {counties: 2, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 8000}
parks: {consolidated_share: 1.0}
"""
"""Three carriers, all in the park, two counties: five runs (nobody in the park, three pairs, all three)."""


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture
def settled(scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The folder of ``simnet settle`` of the tiny scenario, all counties together."""
    folder = tmp_path / "settled"
    status, out, err = run(capsys, "settle", str(scenario), "--out", str(folder), "--workers", "1")
    assert status == 0, err
    assert "settlement written to" in out
    return folder


def tables(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(folder / "settlement.parquet"), pd.read_parquet(folder / "coalitions.parquet")


def test_shares_add_up_to_the_grand_coalition(settled):
    """Efficiency: the Shapley savings add up to the park's saving, and both rules charge the park's whole cost.

    Also each coalition's saving is its members' stand-alone cost minus its own, singletons saving nothing.
    """
    settlement, coalitions = tables(settled)
    grand = coalitions.set_index("coalition").loc["a+b+c"]
    assert list(settlement.carrier) == ["a", "b", "c"]
    assert settlement.shapley_saving_cny.sum() == pytest.approx(grand.saving_cny, rel=1e-9)
    assert settlement.shapley_cny.sum() == pytest.approx(grand.cost_cny, rel=1e-9)
    assert settlement.by_parcels_cny.sum() == pytest.approx(grand.cost_cny, rel=1e-9)
    assert (coalitions.stand_alone_cny - coalitions.cost_cny).to_numpy() == pytest.approx(coalitions.saving_cny)
    assert (coalitions[coalitions.members == 1].saving_cny == 0).all()
    assert len(coalitions) == 7
    manifest = json.loads((settled / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["players"], manifest["coalitions"], manifest["tasks_run"]) == (["a", "b", "c"], 5, 5)


def test_common_random_numbers(settled):
    """A carrier outside the park pays the same in every coalition: same seed, same parcels, own depot.

    Carrier c is outside in the run of nobody (mask 0) and of a+b (mask 3); its accounts are identical.
    """
    alone = read_task_file(settled / "tasks" / task_file_name(0, 0)).metrics
    pair = read_task_file(settled / "tasks" / task_file_name(3, 0)).metrics
    assert alone is not None
    assert pair is not None
    for county in ("c01", "c02"):
        assert pair[f"own_cny/{county}/c"] == alone[f"own_cny/{county}/c"] > 0
        assert f"own_cny/{county}/a" not in pair


def test_counties_resume_and_add_up(settled, scenario, capsys):
    """Each --county resumes the same runs (nothing re-run); the counties' coalition costs add up to the city's."""
    _, city = tables(settled)
    by_county = []
    for county in ("c01", "c02"):
        status, out, err = run(
            capsys, "settle", str(scenario), "--county", county, "--resume", "--out", str(settled), "--workers", "1"
        )
        assert status == 0, err
        assert f"county {county}" in out
        assert json.loads((settled / "manifest.json").read_text(encoding="utf-8"))["tasks_run"] == 0
        settlement, coalitions = tables(settled)
        assert set(settlement.county) == {county}
        by_county.append(coalitions.set_index("coalition").cost_cny)
    assert (by_county[0] + by_county[1]).to_numpy() == pytest.approx(city.set_index("coalition").cost_cny.to_numpy())


def test_resume_runs_only_what_is_missing(settled, scenario, capsys):
    """A lost task file is the one coalition run again; the settlement is the same as before."""
    before, _ = tables(settled)
    (settled / "tasks" / task_file_name(5, 0)).unlink()
    status, _, err = run(capsys, "settle", str(scenario), "--resume", "--out", str(settled), "--workers", "1")
    assert status == 0, err
    assert json.loads((settled / "manifest.json").read_text(encoding="utf-8"))["tasks_run"] == 1
    pd.testing.assert_frame_equal(tables(settled)[0], before)


def test_existing_folder_refused(settled, scenario, capsys):
    """Without --resume an existing folder is refused: exit 2, nothing overwritten."""
    status, _, err = run(capsys, "settle", str(scenario), "--out", str(settled))
    assert status == 2
    assert "exists already" in err


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("parks.consolidated_share=0", "needs at least 2 carriers in the park; this scenario has 0"),
        ("parks.consolidated_share=0.34", "needs at least 2 carriers in the park; this scenario has 1"),
    ],
)
def test_too_few_members_exit_2(scenario, tmp_path, capsys, setting, message):
    """A park of fewer than two carriers has nothing to settle: exit 2 with the fix, before any run."""
    status, _, err = run(capsys, "settle", str(scenario), "--set", setting, "--out", str(tmp_path / "out"))
    assert status == 2
    assert message in err
    assert "parks.consolidated_share=1" in err
    assert not (tmp_path / "out").exists()


def test_more_than_eight_members_exit_2(tmp_path, capsys):
    """Nine carriers in the park would be 512 coalitions: refused, exit 2."""
    carriers = "".join(f"  - {{id: k{k}, name: K{k}, share: {0.2 if k == 0 else 0.1}}}\n" for k in range(9))
    text = TINY.replace(TINY[TINY.index("  - {id: a") : TINY.index("demand:")], carriers)
    path = tmp_path / "nine.yaml"
    path.write_text(text, encoding="utf-8")
    status, _, err = run(capsys, "settle", str(path), "--out", str(tmp_path / "out"))
    assert status == 2
    assert "at most 8" in err


def test_unknown_county_exit_2(scenario, tmp_path, capsys):
    """--county of a county the city does not have: exit 2, the option and the valid ids named."""
    status, _, err = run(capsys, "settle", str(scenario), "--county", "c09", "--out", str(tmp_path / "out"))
    assert status == 2
    assert "--county c09" in err
    assert "c01, c02" in err
