"""A run's tables kept as compressed parts, one per replication, until read or written.

A replication's tables are packed as in-memory Parquet (zstd, text columns dictionary-encoded) as
soon as it finishes, so what many replications keep is a few hundred kilobytes each, not their
tables in full. A table is put together only when it is read (``tables[name]``); written to Parquet, its
parts go into the file one after another, so writing never holds a whole table either.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

PACKING_ZSTD_LEVEL = 3
"""zstd level of packed parts: Parquet at level 3 keeps a per-village cost table in 58 % of the bytes of
zstd-compressed Arrow IPC (level 1 in Parquet: 65 %; higher levels gain nothing more here)."""


@dataclass(frozen=True)
class Part:
    """One replication's rows of a table: Parquet bytes, with their schema and row count."""

    data: bytes
    schema: pa.Schema
    rows: int

    def table(self) -> pa.Table:
        """The rows, unpacked, with the schema they were packed with."""
        return pq.read_table(pa.BufferReader(self.data), schema=self.schema)


def packed(frame: pd.DataFrame) -> Part:
    """One replication's table, packed: floats and integers as they are, text columns as dictionaries.

    Parquet rather than Arrow's IPC stream: its dictionary pages and run-length encoding hold the
    repeated text and small integers in a few bytes, and zstd then finds more in the floats.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    text = [
        field.name for field in table.schema if pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
    ]
    sink = pa.BufferOutputStream()
    pq.write_table(
        table,
        sink,
        compression="zstd",
        compression_level=PACKING_ZSTD_LEVEL,
        use_dictionary=text,
        store_schema=False,  # the part keeps its schema; read back with it, the table is the same
    )
    return Part(sink.getvalue().to_pybytes(), table.schema, table.num_rows)


class TableParts(Mapping[str, pd.DataFrame]):
    """Tables by name: packed parts (one per replication, in order), or whole frames (the plan's tables)."""

    def __init__(self, parts: Mapping[str, list[Part]], whole: Mapping[str, pd.DataFrame]) -> None:
        self._parts = dict(parts)
        self._whole = dict(whole)

    def __getitem__(self, name: str) -> pd.DataFrame:
        """The whole table: its parts put together (the rows of every replication, in order)."""
        if name in self._whole:
            return self._whole[name]
        return self._combined(name).to_pandas()

    def __iter__(self) -> Iterator[str]:
        return iter([*self._parts, *self._whole])

    def __len__(self) -> int:
        return len(self._parts) + len(self._whole)

    def write_parquet(self, name: str, path: Path) -> None:
        """Write table ``name`` to ``path``, one part at a time, in one schema that every part fits."""
        if name in self._whole:
            self._whole[name].to_parquet(path, index=False)
            return
        schema = self._schema(name)
        with pq.ParquetWriter(path, schema) as writer:
            for part in self._written(name):
                writer.write_table(part.table().cast(schema))

    def _written(self, name: str) -> list[Part]:
        """The parts with rows (all of them, the first at least, when none has any)."""
        parts = self._parts[name]
        return [part for part in parts if part.rows] or parts[:1]

    def _schema(self, name: str) -> pa.Schema:
        """One schema for the parts: a column that is empty (null) in one part takes its type from the others."""
        schemas = [part.schema for part in self._written(name)]
        return pa.unify_schemas(
            [_without_nulls(schema, schemas) for schema in schemas], promote_options="permissive"
        ).with_metadata(schemas[0].metadata)

    def _combined(self, name: str) -> pa.Table:
        schema = self._schema(name)
        return pa.concat_tables([part.table().cast(schema) for part in self._written(name)])


def _without_nulls(schema: pa.Schema, others: list[pa.Schema]) -> pa.Schema:
    """``schema`` with each all-null column given the type another part has for it (if any)."""
    fields = []
    for field in schema:
        known = [other.field(field.name).type for other in others if not pa.types.is_null(other.field(field.name).type)]
        fields.append(field.with_type(known[0]) if pa.types.is_null(field.type) and known else field)
    return pa.schema(fields, metadata=schema.metadata)
