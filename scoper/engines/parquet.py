"""The store's canonical tables as Parquet: export, and ingest back without loss.

A canonical folder holds one sub-folder per table and ``scoper-parquet.json``, the manifest
(format, schema version, each table's columns, DuckDB types, row count and partitioning).
``events`` and ``credential_uses`` are partitioned by UTC day (a hive ``day=`` folder
whose column is not part of the table); the fingerprint key is never exported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from scoper.errors import InputError
from scoper.store.db import transaction

MANIFEST = "scoper-parquet.json"
FORMAT = "scoper-canonical-parquet"
PARTITION_DAY = "day"
# tables large fleets grow (one row per timed observation): split by UTC day
BY_DAY = {"events": "ts", "credential_uses": "ts"}
# not evidence: bookkeeping of the schema and the secret fingerprint key
NOT_EXPORTED = {"meta", "schema_migrations"}


@dataclass(frozen=True, slots=True)
class Table:
    """One exported table as the manifest describes it."""

    name: str
    columns: tuple[tuple[str, str], ...]  # (name, DuckDB type)
    rows: int
    partition_by: tuple[str, ...]

    def glob(self, root: Path) -> str:
        return str(root / self.name / ("**/*.parquet" if self.partition_by else "*.parquet"))


def is_canonical(path: Path) -> bool:
    """Whether ``path`` is a canonical Parquet folder (it holds the manifest)."""
    return path.is_dir() and (path / MANIFEST).is_file()


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def export(con: duckdb.DuckDBPyConnection, root: Path) -> list[Table]:
    """Write every canonical table of the store under ``root`` (created; must be empty)."""
    if root.exists() and any(root.iterdir()):
        raise InputError(str(root), "not empty: export into a new folder")
    root.mkdir(parents=True, exist_ok=True)
    tables = [_export_table(con, root, name) for name in _table_names(con)]
    manifest = {
        "format": FORMAT,
        "schema_version": schema_version(con),
        "tables": {t.name: _describe(t) for t in tables},
    }
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
    return tables


def _table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    found = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [name for (name,) in found if name not in NOT_EXPORTED]


def _export_table(con: duckdb.DuckDBPyConnection, root: Path, name: str) -> Table:
    columns = tuple(
        (str(c), str(t))
        for c, t in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
            [name],
        ).fetchall()
    )
    count = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
    rows = int(count[0]) if count else 0
    target = root / name
    target.mkdir()
    time_column = BY_DAY.get(name)
    if time_column and rows:  # an empty table is one file, so readers still see its schema
        con.execute(
            f"COPY (SELECT *, strftime(\"{time_column}\", '%Y-%m-%d') AS {PARTITION_DAY} "
            f"FROM \"{name}\") TO '{_quoted(target)}' "
            f"(FORMAT parquet, PARTITION_BY ({PARTITION_DAY}), OVERWRITE_OR_IGNORE)"
        )
        return Table(name, columns, rows, (PARTITION_DAY,))
    con.execute(f"COPY \"{name}\" TO '{_quoted(target / 'part-0.parquet')}' (FORMAT parquet)")
    return Table(name, columns, rows, ())


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _describe(table: Table) -> dict[str, Any]:
    return {
        "columns": [list(c) for c in table.columns],
        "rows": table.rows,
        "partition_by": list(table.partition_by),
    }


def read_manifest(root: Path) -> tuple[int, list[Table]]:
    """The schema version and tables of a canonical folder (a bad manifest: exit 3)."""
    try:
        data = json.loads((root / MANIFEST).read_text("utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"format is {data.get('format')!r}, not {FORMAT!r}")
        tables = [
            Table(
                name,
                tuple((str(c), str(t)) for c, t in spec["columns"]),
                int(spec["rows"]),
                tuple(spec["partition_by"]),
            )
            for name, spec in sorted(data["tables"].items())
        ]
        return int(data["schema_version"]), tables
    except (OSError, ValueError, KeyError, TypeError) as exc:
        bad = f"not a scoper canonical Parquet manifest: {exc}"
        raise InputError(str(root / MANIFEST), bad) from None


def ingest(con: duckdb.DuckDBPyConnection, root: Path) -> int:
    """Load a canonical folder into the store in one transaction; returns the rows loaded.

    Ingest ids are shifted past the store's own, so the folder adds to what is there; the
    same evidence twice (an ingest's sha256, path and host) is refused, and nothing loads."""
    version, tables = read_manifest(root)
    mine = schema_version(con)
    if version > mine:
        raise InputError(str(root), f"schema version {version} is newer than this store's {mine}")
    known = set(_table_names(con))
    unknown = sorted(t.name for t in tables if t.name not in known)
    if unknown:
        raise InputError(str(root), f"tables this store does not have: {', '.join(unknown)}")
    for table in tables:
        _check_columns(con, root, table)
    row = con.execute("SELECT coalesce(max(ingest_id), 0) FROM ingests").fetchone()
    shift = int(row[0]) if row else 0
    total = 0
    try:
        with transaction(con):
            for table in tables:
                total += _load_table(con, root, table, shift)
    except duckdb.Error as exc:
        raise InputError(str(root), f"cannot load canonical Parquet: {exc}") from None
    return total


def _check_columns(con: duckdb.DuckDBPyConnection, root: Path, table: Table) -> None:
    """Only columns the store's table has (names from a file never reach SQL unchecked)."""
    found = con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = ?",
        [table.name],
    ).fetchall()
    unknown = sorted({n for n, _ in table.columns} - {str(c) for (c,) in found})
    if unknown:
        raise InputError(
            str(root), f"{table.name} has columns this store lacks: {', '.join(unknown)}"
        )


def _load_table(con: duckdb.DuckDBPyConnection, root: Path, table: Table, shift: int) -> int:
    if not table.rows:
        return 0
    names = [name for name, _ in table.columns]
    chosen = ", ".join(f'"{n}" + {shift} AS "{n}"' if n == "ingest_id" else f'"{n}"' for n in names)
    hive = "true" if table.partition_by else "false"
    source = f"read_parquet('{_quoted(Path(table.glob(root)))}', hive_partitioning = {hive})"
    listed = ", ".join(f'"{n}"' for n in names)
    con.execute(f'INSERT INTO "{table.name}" ({listed}) SELECT {chosen} FROM {source}')
    return table.rows
