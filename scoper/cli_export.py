"""The ``export`` command: the store's canonical tables as Parquet (docs/spark.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from scoper.cli_shared import DbOption, err, fail, settings_for
from scoper.engines.base import EngineName
from scoper.errors import ScoperError, UsageError
from scoper.scope.result import ScopeResult
from scoper.settings import Settings


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


EngineOption = Annotated[
    EngineName,
    typer.Option("--engine", help="Where the scoping SQL runs: the DuckDB store, or Spark."),
]
ParquetOption = Annotated[
    str | None,
    typer.Option("--parquet", help="--engine spark: canonical Parquet (a folder or URL)."),
]
RemoteOption = Annotated[
    str | None,
    typer.Option("--spark-remote", help="--engine spark: a Spark Connect server (sc://...)."),
]


def scope_on_spark(
    advisory: str,
    parquet: str | None,
    remote: str | None,
    settings: Settings,
    identities: Path | None,
    on_phase: Callable[[str], None],
    *,
    as_of: bool,
) -> ScopeResult:
    """``scope --engine spark``: one advisory over canonical Parquet (docs/spark.md)."""
    from scoper.api_spark import scope_spark

    if parquet is None:
        raise UsageError("--engine spark needs --parquet PATH (write it with `scoper export`)")
    if advisory == "all" or as_of:
        raise UsageError("--engine spark scopes one advisory, without --as-of")
    return scope_spark(
        advisory,
        parquet,
        settings=settings,
        identities=identities,
        remote=remote,
        on_phase=on_phase,
    )
