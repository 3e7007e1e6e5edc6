"""Tables packed per replication: read back whole, and written to Parquet part by part, as the frames they came from."""

import pandas as pd

from simnet.results.table_parts import TableParts, packed


def _parts():
    first = pd.DataFrame({"replication": [1, 1], "county": ["c1", None], "cost_cny": [1.5, 2.0]})
    empty = pd.DataFrame({"replication": pd.Series([], dtype="int64"), "county": [], "cost_cny": []})
    second = pd.DataFrame({"replication": [3], "county": [None], "cost_cny": [4.0]})
    return TableParts({"costs": [packed(frame) for frame in (first, empty, second)]}, {})


def test_a_table_reads_back_as_its_parts_one_under_the_other():
    """The rows of every replication in order; a part without rows adds none and does not change a column's type."""
    tables = _parts()
    whole = tables["costs"]
    assert whole["replication"].tolist() == [1, 1, 3]
    assert whole["cost_cny"].tolist() == [1.5, 2.0, 4.0]
    assert whole["county"].iloc[0] == "c1"
    assert whole["county"].iloc[1:].isna().all()
    assert list(tables) == ["costs"]


def test_parquet_written_part_by_part_holds_the_same_rows(tmp_path):
    """The file holds what reading the table gives, including a part whose text column is all missing."""
    tables = _parts()
    tables.write_parquet("costs", tmp_path / "costs.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "costs.parquet"), tables["costs"])
