"""``scoper advisories ...``: list, show, release history and sync."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from scoper import api
from scoper.cli_shared import DbOption, ExtraAdvisories, err, out
from scoper.cli_shared import fail as _fail
from scoper.cli_shared import settings_for as _settings
from scoper.cli_shared import write as _write
from scoper.errors import ScoperError

advisories_app = typer.Typer(no_args_is_help=True, help="List and show advisory data.")


@advisories_app.command("list")
def advisories_list(ctx: typer.Context, extra: ExtraAdvisories = None) -> None:
    """List bundled (and --advisories) advisories.

    Example: [bold]scoper advisories list[/]
    """
    try:
        found = api.advisories(settings=_settings(ctx, advisories=extra or []))
    except ScoperError as exc:
        _fail(exc)
    for adv in sorted(found, key=lambda a: a.id):
        names = ", ".join(sorted({a.name for a in adv.affected}))
        out.print(f"{adv.id}\t{', '.join(adv.aliases)}\t{names}\t{adv.summary}")


@advisories_app.command("show")
def advisories_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Advisory id or alias.")],
    extra: ExtraAdvisories = None,
) -> None:
    """Show one advisory: versions, windows, triggers, harvested credentials, IOCs.

    Example: [bold]scoper advisories show PYSEC-2026-2[/]
    """
    from scoper.report.advisory import advisory_dict

    try:
        adv = api.find_advisory(name, settings=_settings(ctx, advisories=extra or []))
    except ScoperError as exc:
        _fail(exc)
    _write(json.dumps(advisory_dict(adv), indent=2) + "\n")


OfflineOption = Annotated[bool, typer.Option(help="Use only the on-disk cache ($SCOPER_CACHE).")]


@advisories_app.command("history")
def advisories_history(
    ctx: typer.Context,
    project: Annotated[str, typer.Argument(help="PyPI project name.")],
    db: DbOption = None,
    offline: OfflineOption = False,
) -> None:
    """Fetch a PyPI project's release history into the store (for unpinned-install inference).

    Example: [bold]scoper advisories history litellm --db incident.duckdb[/]
    """
    try:
        count = api.fetch_history(project, settings=_settings(ctx, db=db, offline=offline))
    except ScoperError as exc:
        _fail(exc)
    err.print(f"stored {count} releases of {project}")


@advisories_app.command("sync")
def advisories_sync(
    ctx: typer.Context,
    advisory: Annotated[str, typer.Option(help="An advisory id or alias, or 'all'.")] = "all",
    db: DbOption = None,
    offline: OfflineOption = False,
) -> None:
    """Refresh release history (PyPI, npm) for every package the advisories name.

    Example: [bold]scoper advisories sync --advisory all --db incident.duckdb[/]"""
    try:
        rows = api.sync_history(advisory, settings=_settings(ctx, db=db, offline=offline))
    except ScoperError as exc:
        _fail(exc)
    for row in rows:
        err.print(row.line())
