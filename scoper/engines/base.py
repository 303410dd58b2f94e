"""The engine seam: what the exposure chain needs from whatever runs its SQL.

The chain speaks DuckDB SQL (``scope/sql/*.sql``, the single source) through a
:class:`Connection`: a DuckDB connection is one as it is; the Spark engine
(``engines/spark.py``) is another, transpiling each statement with sqlglot. Small
Python-evaluated tables are handed over with :func:`stage_rows`.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import duckdb

from scoper.store.load import Row, insert_rows


class EngineName(enum.StrEnum):
    """The engines ``scope --engine`` can run the chain on."""

    DUCKDB = "duckdb"
    SPARK = "spark"


class Cursor(Protocol):
    """A statement's result: rows as tuples and DB-API style column descriptions."""

    @property
    def description(self) -> Sequence[tuple[Any, ...]] | None: ...

    def fetchall(self) -> list[tuple[Any, ...]]: ...

    def fetchone(self) -> tuple[Any, ...] | None: ...


class Connection(Protocol):
    """Runs one DuckDB-dialect statement (``$name`` or ``?`` parameters)."""

    def execute(self, query: str, parameters: object = None) -> Cursor: ...


@runtime_checkable
class Stager(Protocol):
    """An engine that takes small Python-made tables itself (Spark: a DataFrame)."""

    def stage_rows(self, table: str, rows: Sequence[Row]) -> None: ...


def stage_rows(con: Connection, table: str, rows: Sequence[Row]) -> None:
    """Append ``rows`` (dicts by column name) to the TEMP table ``table``."""
    if isinstance(con, duckdb.DuckDBPyConnection):
        insert_rows(con, table, None, rows)
    elif isinstance(con, Stager):
        con.stage_rows(table, rows)
    else:  # pragma: no cover - a new engine must be a Stager
        raise TypeError(f"{type(con).__name__} cannot stage rows")
