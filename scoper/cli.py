"""The ``scoper`` command line: parse options, call :mod:`scoper.api`, render, exit.

Reports go to stdout; progress, summaries and errors to stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress

from scoper import __version__, api
from scoper.errors import ExitCode, ScoperError
from scoper.ingest import FileResult
from scoper.progress import ProgressLines
from scoper.report import registry as reports
from scoper.report.base import Entity, RenderOptions, Subject, Threshold
from scoper.report.console import print_ingest
from scoper.settings import DEFAULT_WAIT, Settings, parse_now

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="rich",
    help="Scope supply-chain exposure: which sessions, hosts and credentials met a bad package.",
)
advisories_app = typer.Typer(no_args_is_help=True, help="List and show advisory data.")
app.add_typer(advisories_app, name="advisories")

err = Console(stderr=True, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB store (default $SCOPER_DB, else ./scoper.duckdb)."),
]
ExtraAdvisories = Annotated[
    list[Path] | None,
    typer.Option("--advisories", help="Extra OSV advisories: a file, folder or zip (repeatable)."),
]


def _settings(ctx: typer.Context, **flags: Any) -> Settings:
    """The run's Settings: these flags, the global --now, then the environment."""
    return Settings.from_env(now=ctx.obj, **flags)


def _fail(exc: ScoperError) -> NoReturn:
    err.print(f"[red]error:[/] {exc}")
    raise typer.Exit(int(exc.exit_code))


def _formats_help(subject: Subject) -> str:
    return "Report format: " + ", ".join(reports.names(subject)) + "."


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to load.")],
    db: DbOption = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="Force a format (see `scoper formats`).")
    ] = None,
    host: Annotated[
        str | None, typer.Option(help="Host name for logs that do not name one.")
    ] = None,
    strict: Annotated[bool, typer.Option(help="Treat skipped entries as errors (exit 3).")] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait", metavar="SECONDS", min=0, help="Wait this long for a busy store (exit 5)."
        ),
    ] = DEFAULT_WAIT,
) -> None:
    """Load audit logs, lockfiles and SBOMs into the store.

    Example: [bold]scoper ingest fixtures/incident/ --db incident.duckdb[/]
    """
    lines = ProgressLines(lambda text: err.print(text, highlight=False))
    try:
        with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("ingesting", total=None)

            def advance(result: FileResult) -> None:
                progress.update(task, advance=1, description=Path(result.path).name)
                if not err.is_terminal:
                    lines(result)

            settings = _settings(ctx, db=db, wait=wait)
            summary = api.ingest(
                paths,
                fmt=fmt,
                host=host,
                on_file=advance,
                settings=settings,
                on_busy=lambda text: err.print(text, highlight=False),
                on_start=lines.start,
            )
    except ScoperError as exc:
        _fail(exc)
    print_ingest(err, summary.results)
    if summary.failed or (strict and any(r.skipped for r in summary.results)):
        raise typer.Exit(int(ExitCode.INPUT))


@app.command()
def scope(
    ctx: typer.Context,
    advisory: Annotated[str, typer.Option("--advisory", "-a", help="Advisory id or alias.")],
    db: DbOption = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help=_formats_help(Subject.SCOPE))
    ] = None,
    entity: Annotated[
        Entity | None, typer.Option(help="Only this entity (csv: its table; json: its list).")
    ] = None,
    extra: ExtraAdvisories = None,
    identities: Annotated[
        Path | None,
        typer.Option(
            "--identities",
            help="CSV/YAML mapping credential names to key ids or principals (what no log "
            "shows; docs/identities.md).",
        ),
    ] = None,
) -> None:
    """List exposed environments, sessions, hosts and credentials for an advisory.

    Example: [bold]scoper scope --advisory litellm-2025 --format json | jq .summary[/]
    Exit code 1 when anything is exposed, 0 when nothing is, 4 when nothing is found
    and the store does not cover the advisory (see the coverage block).
    """
    try:
        renderer = reports.choose(fmt, Subject.SCOPE, terminal=out.is_terminal)
        settings = _settings(ctx, db=db, advisories=extra or [])
        result = api.scope(advisory, settings=settings, identities=identities)
        renderer.render(result, sys.stdout, RenderOptions(entity=entity))
    except ScoperError as exc:
        _fail(exc)
    if result.has_findings():
        raise typer.Exit(int(ExitCode.FINDINGS))
    if result.uncovered():
        err.print("[red]error:[/] nothing found, but the store does not cover this advisory")
        raise typer.Exit(int(ExitCode.ADVISORY_DATA))
    raise typer.Exit(int(ExitCode.OK))


@app.command()
def check(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Lockfiles, SBOMs, folders.")],
    advisory: Annotated[
        str, typer.Option("--advisory", "-a", help="Advisory id/alias, or 'all'.")
    ] = "all",
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help=_formats_help(Subject.CHECK))
    ] = None,
    fail_on: Annotated[Threshold, typer.Option(help="Lowest confidence that fails.")] = (
        Threshold.LIKELY
    ),
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="Force an input format.")
    ] = None,
    extra: ExtraAdvisories = None,
    allow_empty: Annotated[
        bool, typer.Option(help="Pass empty files and folders with nothing to read.")
    ] = False,
    ignore_file: Annotated[
        Path | None,
        typer.Option(help="Ignore entries (default: .scoper-ignore.toml or [tool.scoper])."),
    ] = None,
) -> None:
    """CI gate: fail (exit 1) when a file pins a known-bad version.

    Example: [bold]scoper check requirements.txt uv.lock --format sarif > scoper.sarif[/]
    Exit 0 clean, 1 bad versions, 3 unreadable, empty or missing input, 4 no advisory data.
    """
    try:
        renderer = reports.choose(fmt, Subject.CHECK, terminal=out.is_terminal)
        settings = _settings(ctx, advisories=extra or [])
        summary, result = api.check(
            paths, advisory=advisory, fmt=input_format, settings=settings, allow_empty=allow_empty
        )
        for message in summary.input_errors:
            err.print(f"[red]error:[/] {message}")
        decided = api.check_gate(result, paths, settings=settings, ignore_file=ignore_file)
        for message in decided.messages:
            err.print(f"{'[red]error:[/]' if message.startswith('expired') else 'note:'} {message}")
        result = decided.result
        renderer.render(result, sys.stdout, RenderOptions(fail_on=fail_on))
    except ScoperError as exc:
        _fail(exc)
    if summary.input_errors:
        raise typer.Exit(int(ExitCode.INPUT))
    failed = result.failing(fail_on) or decided.ignore_fails
    raise typer.Exit(int(ExitCode.FINDINGS if failed else ExitCode.OK))


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


@advisories_app.command("history")
def advisories_history(
    ctx: typer.Context,
    project: Annotated[str, typer.Argument(help="PyPI project name.")],
    db: DbOption = None,
    offline: Annotated[
        bool, typer.Option(help="Use only the on-disk cache ($SCOPER_CACHE).")
    ] = False,
) -> None:
    """Fetch a PyPI project's release history into the store (for unpinned-install inference).

    Example: [bold]scoper advisories history litellm --db incident.duckdb[/]
    """
    try:
        count = api.fetch_history(project, settings=_settings(ctx, db=db, offline=offline))
    except ScoperError as exc:
        _fail(exc)
    err.print(f"stored {count} releases of {project}")


@app.command()
def formats(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print docs/formats.md.")] = False,
    reports: Annotated[
        bool, typer.Option("--reports", help="List the report (--format) formats instead.")
    ] = False,
) -> None:
    """List the input formats scoper reads, in detection order.

    Example: [bold]scoper formats --markdown > docs/formats.md[/]
    """
    if markdown:
        from scoper.report.formats_doc import formats_markdown

        _write(formats_markdown())
    elif reports:
        for renderer in api.report_formats():
            subjects = ",".join(sorted(renderer.subjects))
            out.print(f"{renderer.name}\t{subjects}\t{renderer.media_type}\t{renderer.summary}")
    else:
        for source in api.formats():
            out.print(f"{source.name}\t{source.kind}\t{source.summary}")


@app.command()
def sql(
    ctx: typer.Context,
    statement: Annotated[str, typer.Argument(help="A read-only SQL query over the store.")],
    db: DbOption = None,
) -> None:
    """Run a SQL query over the store and print CSV.

    Example: [bold]scoper sql "SELECT kind, count(*) FROM events GROUP BY kind"[/]
    """
    from scoper.report.rows import write_rows

    try:
        result = api.sql(statement, settings=_settings(ctx, db=db))
    except ScoperError as exc:
        _fail(exc)
    write_rows(result.columns, result.rows, sys.stdout)


def _version(value: bool) -> None:
    if value:
        out.print(f"scoper {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            metavar="TIME",
            help="Pin the clock (RFC 3339, e.g. 2026-03-25T00:00:00Z; default $SCOPER_NOW) "
            "for deterministic ingest stamps and cache times.",
        ),
    ] = None,
) -> None:
    """scoper: supply-chain exposure scoping."""
    if now is not None:
        try:
            parse_now(now)
        except ScoperError as exc:
            _fail(exc)
    ctx.obj = now


def main() -> None:
    """Console-script entry point."""
    app()
