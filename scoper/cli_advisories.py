"""``scoper advisories ...``: list, show, import, validate, release history and sync."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from scoper import api, api_advisories
from scoper.cli_shared import DbOption, ExtraAdvisories, err, out
from scoper.cli_shared import fail as _fail
from scoper.cli_shared import settings_for as _settings
from scoper.cli_shared import write as _write
from scoper.errors import ExitCode, ScoperError

advisories_app = typer.Typer(no_args_is_help=True, help="List and show advisory data.")


@advisories_app.command("list")
def advisories_list(ctx: typer.Context, extra: ExtraAdvisories = None, db: DbOption = None) -> None:
    """List bundled, --advisories and imported advisories, then the count per source.

    Example: [bold]scoper advisories list --db incident.duckdb[/]
    """
    try:
        found = api_advisories.listing(_settings(ctx, advisories=extra or [], db=db))
    except ScoperError as exc:
        _fail(exc)
    for adv in sorted(found.advisories, key=lambda a: a.id):
        names = ", ".join(sorted({a.name for a in adv.affected}))
        gone = "\twithdrawn" if adv.withdrawn is not None else ""
        out.print(f"{adv.id}\t{', '.join(adv.aliases)}\t{names}\t{adv.summary}{gone}")
    for count in found.counts:
        gone = f" ({count.withdrawn} withdrawn)" if count.withdrawn else ""
        err.print(f"{count.source}: {count.records} advisories{gone}")


@advisories_app.command("show")
def advisories_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Advisory id or alias.")],
    extra: ExtraAdvisories = None,
    db: DbOption = None,
) -> None:
    """Show one advisory: versions, windows, triggers, harvested credentials, IOCs.

    Example: [bold]scoper advisories show PYSEC-2026-2[/]
    """
    from scoper.report.advisory import advisory_dict

    try:
        adv = api_advisories.find_stored(name, _settings(ctx, advisories=extra or [], db=db))
    except ScoperError as exc:
        _fail(exc)
    _write(json.dumps(advisory_dict(adv), indent=2) + "\n")


PathsArgument = Annotated[
    list[Path], typer.Argument(help="OSV JSON or PYSEC YAML files, folder trees or zips.")
]


@advisories_app.command("import")
def advisories_import(ctx: typer.Context, paths: PathsArgument, db: DbOption = None) -> None:
    """Store OSV advisories (files, trees, osv.dev all.zip, ossf/malicious-packages, PYSEC).

    A bad record is not stored and is named (exit 3); the valid rest is stored.
    Example: [bold]scoper advisories import PyPI-all.zip --db incident.duckdb[/]
    """
    try:
        outcome = api_advisories.import_advisories(paths, _settings(ctx, db=db))
    except ScoperError as exc:
        _fail(exc)
    for line in import_lines(outcome):
        err.print(line)
    if outcome.failed:
        raise typer.Exit(int(ExitCode.INPUT))


@advisories_app.command("validate")
def advisories_validate(paths: PathsArgument) -> None:
    """Validate OSV records against the OSV schema, scoper's extension and its loader.

    Each problem names the file, the JSON path and what is wrong (exit 3 when any).
    Example: [bold]scoper advisories validate advisories/[/]
    """
    found = api_advisories.validate_advisories(paths)
    for note in found.notes:
        err.print(f"note: {note}")
    for problem in found.problems:
        err.print(f"[red]invalid:[/] {problem}")
    verdict = "invalid" if found.problems else "valid"
    err.print(f"{found.records} records checked: {len(found.problems)} problems ({verdict})")
    if found.problems:
        raise typer.Exit(int(ExitCode.INPUT))


def import_lines(outcome: api_advisories.ImportOutcome) -> list[str]:
    """What an import stored, passed over and refused, as lines for stderr."""
    report = outcome.report
    lines = [f"[red]error:[/] {problem}" for problem in report.problems]
    lines += [f"skipped {file}: {reason}" for file, reason in report.skipped]
    lines += [f"refused {path}: nothing from it was stored" for path in report.refused]
    if report.tainted:
        dropped = ", ".join(sorted(report.tainted))
        lines.append(f"not stored (a copy of the id is bad): {dropped}")
    for count in outcome.stored:
        gone = f" ({count.withdrawn} withdrawn: kept; their matches never count as known-bad)"
        lines.append(
            f"imported {count.records} advisories from {count.source}"
            + (gone if count.withdrawn else "")
        )
    if not outcome.stored:
        lines.append("imported no advisories")
    elif report.problems:
        lines.append("the valid records above were stored; the bad ones were not")
    return lines


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
