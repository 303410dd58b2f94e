"""The ``export`` command: the store's canonical tables as Parquet (docs/spark.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scoper.cli_shared import DbOption, err, fail, settings_for
from scoper.errors import ScoperError


def export(
    ctx: typer.Context,
    parquet: Annotated[
        Path, typer.Option("--parquet", help="New folder for the canonical Parquet tables.")
    ],
    db: DbOption = None,
) -> None:
    """Write the store's tables as canonical Parquet, for Spark or another store.

    Example: [bold]scoper export --parquet lake/incident/ --db incident.duckdb[/]
    Read it back with [bold]scoper ingest lake/incident/[/] or scope it with
    [bold]scoper scope --engine spark --parquet lake/incident/[/].
    """
    from scoper.api_export import export_parquet

    try:
        tables = export_parquet(parquet, settings_for(ctx, db=db))
    except ScoperError as exc:
        fail(exc)
    rows = sum(t.rows for t in tables)
    err.print(f"exported {len(tables)} tables, {rows} rows to {parquet}", highlight=False)
