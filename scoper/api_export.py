"""The library's canonical Parquet functions: export the store, ingest a canonical folder;
:mod:`scoper.api` uses them, the ``export`` command calls them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from scoper.api_advisories import chosen as _settings
from scoper.engines import parquet
from scoper.errors import AdvisoryUnavailableError, ScoperError
from scoper.outcomes import FileResult
from scoper.settings import MEMORY, Settings
from scoper.store.db import connect

CANONICAL = "canonical-parquet"


def export_parquet(target: Path, settings: Settings | None = None) -> list[parquet.Table]:
    """Write the store's canonical tables as Parquet under ``target`` (a new folder)."""
    chosen = _settings(settings)
    if chosen.db != MEMORY and not Path(chosen.db).exists():
        raise AdvisoryUnavailableError(f"{chosen.db}: no scoper store here: nothing to export")
    con = connect(chosen.db, read_only=True, wait=chosen.wait)
    try:
        return parquet.export(con, target)
    finally:
        con.close()


def split_canonical(paths: Sequence[Path], fmt: str | None) -> tuple[list[Path], list[Path]]:
    """(canonical Parquet folders, everything else); ``--format canonical-parquet`` forces."""
    if fmt == CANONICAL:
        return list(paths), []
    canonical = [p for p in paths if parquet.is_canonical(p)]
    return canonical, [p for p in paths if p not in canonical]


def ingest_canonical(con: duckdb.DuckDBPyConnection, root: Path) -> FileResult:
    """One canonical folder as one ingest outcome (all or nothing)."""
    try:
        rows = parquet.ingest(con, root)
    except ScoperError as exc:
        return FileResult(str(root), CANONICAL, "error", error=str(exc))
    return FileResult(str(root), CANONICAL, "ok" if rows else "empty", records=rows)
