"""What --force may replace: only a folder simnet wrote and holding only what simnet writes."""

import json

import pytest

from simnet.results.output_location import WRITTEN_BY, OutputLocationError, check_replaceable, foreign_entries


def _simnet_folder(path):
    (path / "tables").mkdir(parents=True)
    (path / "manifest.json").write_text(json.dumps({"written_by": WRITTEN_BY}))
    (path / "tables" / "costs.parquet").write_text("")
    return path


def test_a_simnet_folder_may_be_replaced(tmp_path):
    """A folder with simnet's manifest and only simnet's files passes."""
    check_replaceable(_simnet_folder(tmp_path / "run"))


def test_foreign_entries_are_listed_with_their_folder(tmp_path):
    """Files simnet does not write, at the top or inside tables/, are named relative to the folder."""
    folder = _simnet_folder(tmp_path / "run")
    (folder / "notes.md").write_text("")
    (folder / "tables" / "mine.csv").write_text("")
    assert foreign_entries(folder) == ["notes.md", "tables/mine.csv"]
    with pytest.raises(OutputLocationError, match=r"notes\.md, tables/mine\.csv"):
        check_replaceable(folder)


def test_a_damaged_manifest_is_not_simnet_s_mark(tmp_path):
    """A manifest that is not JSON does not carry the mark, so the folder is left alone."""
    folder = _simnet_folder(tmp_path / "run")
    (folder / "manifest.json").write_text("{not json")
    with pytest.raises(OutputLocationError, match="not written by simnet"):
        check_replaceable(folder)
