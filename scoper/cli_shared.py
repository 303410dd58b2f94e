"""What the command modules share: the consoles, common options, settings and failing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from scoper.errors import ScoperError
from scoper.settings import Settings

err = Console(stderr=True, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB store (default $SCOPER_DB, else ./scoper.duckdb)."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to this file (format from its suffix)."),
]
ExtraAdvisories = Annotated[
    list[Path] | None,
    typer.Option("--advisories", help="Extra OSV advisories: a file, folder or zip (repeatable)."),
]


def settings_for(ctx: typer.Context, **flags: Any) -> Settings:
    """The run's Settings: these flags, the global --now, then the environment."""
    return Settings.from_env(now=ctx.obj, **flags)


def fail(exc: ScoperError) -> NoReturn:
    err.print(f"[red]error:[/] {exc}")
    raise typer.Exit(int(exc.exit_code))


def write(text: str) -> None:
    """Write ``text`` to stdout at once (reports and JSON)."""
    sys.stdout.write(text)
    sys.stdout.flush()
