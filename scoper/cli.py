"""The ``scoper`` command line: parse options, call :mod:`scoper.api`, render, exit.

Reports go to stdout; progress, summaries and errors to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scoper import __version__, api
from scoper.cli_advisories import advisories_app
from scoper.cli_check import AllowOption, CheckOfflineOption, MinAgeOption, policy, step_summary
from scoper.cli_check_env import ENV_HELP, VULNS_HELP, check_more, vulns_code, wanted_paths
from scoper.cli_export import EngineOption, ParquetOption, RemoteOption, export, scope_on_spark
from scoper.cli_record import register as register_record
from scoper.cli_shared import DbOption, ExtraAdvisories, OutputOption, err, out
from scoper.cli_shared import fail as _fail
from scoper.cli_shared import settings_for as _settings
from scoper.cli_shared import write as _write
from scoper.engines.base import EngineName
from scoper.errors import ExitCode, ScoperError
from scoper.progress import file_progress, phases
from scoper.report import registry as reports
from scoper.report.base import Entity, Renderer, RenderOptions, Result, Subject, Threshold
from scoper.report.console import print_ingest
from scoper.report.output import emit, emit_with
from scoper.scope.result import ScopeResult
from scoper.scope.sweep import SweepResult
from scoper.settings import DEFAULT_WAIT, parse_now

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="rich",
    help="Scope supply-chain exposure: which sessions, hosts and credentials met a bad package.",
)
app.add_typer(advisories_app, name="advisories")
register_record(app)
app.command()(export)


def _formats_help(subject: Subject) -> str:
    return "Report format: " + ", ".join(reports.names(subject)) + "."


def _emit(renderer: Renderer, result: Result, output: Path | None, opts: RenderOptions) -> None:
    emit(renderer, result, output, opts)
    _wrote(renderer, output)


def _wrote(renderer: Renderer, output: Path | None) -> None:
    if output is not None:
        err.print(f"wrote {renderer.name} report to {output}", highlight=False, markup=False)


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
    try:
        with file_progress(err) as (advance, start):
            settings = _settings(ctx, db=db, wait=wait)
            summary = api.ingest(
                paths,
                fmt=fmt,
                host=host,
                on_file=advance,
                settings=settings,
                on_busy=lambda text: err.print(text, highlight=False),
                on_start=start,
            )
    except ScoperError as exc:
        _fail(exc)
    print_ingest(err, summary.results)
    if summary.failed or (strict and any(r.skipped for r in summary.results)):
        raise typer.Exit(int(ExitCode.INPUT))


@app.command()
def scope(
    ctx: typer.Context,
    advisory: Annotated[
        str, typer.Option("--advisory", "-a", help="Advisory id or alias, or 'all' (a sweep).")
    ],
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
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="RFC 3339: only what was known by then.")
    ] = None,
    output: OutputOption = None,
    cleared: Annotated[bool, typer.Option("--cleared", help=_CLEARED_HELP)] = False,
    engine: EngineOption = EngineName.DUCKDB,
    parquet: ParquetOption = None,
    spark_remote: RemoteOption = None,
) -> None:
    """List exposed environments, sessions, hosts and credentials for an advisory.

    Example: [bold]scoper scope --advisory litellm-2025 --format json | jq .summary[/]
    Exit code 1 when anything is exposed, 0 when nothing is, 4 when nothing is found and
    the store does not cover it. [bold]--advisory all[/]: one row per advisory, then details.
    """
    from scoper.report.sweep import render_sweep

    try:
        renderer = reports.choose(fmt, Subject.SCOPE, terminal=out.is_terminal, output=output)
        settings = _settings(ctx, db=db, advisories=extra or [])
        moment = parse_now(as_of, "--as-of") if as_of is not None else None
        options = RenderOptions(entity=entity, cleared=cleared)
        found: ScopeResult | SweepResult
        with phases(err, "scope") as on_phase:
            if engine is EngineName.SPARK:
                args = (advisory, parquet, spark_remote, settings, identities, on_phase)
                found = scope_on_spark(*args, as_of=moment is not None)
            elif advisory == "all":
                found = api.sweep(settings, identities, moment)
            else:
                found = api.scope(
                    advisory,
                    settings=settings,
                    identities=identities,
                    as_of=moment,
                    on_phase=on_phase,
                )
        if isinstance(found, SweepResult):
            swept = found
            emit_with(lambda stream: render_sweep(swept, renderer, stream, options), output)
            _wrote(renderer, output)
        else:
            _emit(renderer, found, output, options)
    except ScoperError as exc:
        _fail(exc)
    if found.uncovered():
        err.print(f"[red]error:[/] {_UNCOVERED[isinstance(found, SweepResult)]}")
    code = ExitCode.ADVISORY_DATA if found.uncovered() else ExitCode.OK
    raise typer.Exit(int(ExitCode.FINDINGS if found.has_findings() else code))


_CLEARED_HELP = "List negative evidence row by row (default: counts per reason; html always lists)."
_UNCOVERED = {
    False: "nothing found, but the store does not cover this advisory",
    True: "some advisories lack the data they need (see their rows)",
}


@app.command()
def check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Lockfiles, SBOMs, folders (with --env: interpreters, venvs)."),
    ] = None,
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
    output: OutputOption = None,
    ignore_file: Annotated[
        Path | None,
        typer.Option(help="Ignore entries (default: .scoper-ignore.toml or [tool.scoper])."),
    ] = None,
    allow: AllowOption = None,
    min_age: MinAgeOption = None,
    offline: CheckOfflineOption = False,
    env: Annotated[bool, typer.Option("--env", help=ENV_HELP)] = False,
    vulns: Annotated[bool, typer.Option("--vulns", help=VULNS_HELP)] = False,
) -> None:
    """CI gate: fail (exit 1) when a file pins a known-bad version.

    Example: [bold]scoper check requirements.txt uv.lock --format sarif > scoper.sarif[/]
    Exit 0 clean, 1 bad versions or policy, 3 unreadable, empty or missing input, 4 no data
    (or, with --vulns, nothing pip-audit could audit).
    """
    try:
        renderer = reports.choose(fmt, Subject.CHECK, terminal=out.is_terminal, output=output)
        settings = _settings(ctx, advisories=extra or [], offline=offline)
        paths = wanted_paths(paths, env)
        more = check_more(
            paths, env=env, vulns=vulns, advisory=advisory, fmt=input_format,
            settings=settings, allow_empty=allow_empty, policy=policy(allow, min_age),
        )  # fmt: skip
        result = more.result
        allowed = {g.detail for g in result.gaps if g.allowed}  # --allow unreadable
        for message in more.input_errors:
            err.print(f"{'note: allowed:' if message in allowed else '[red]error:[/]'} {message}")
        decided = api.check_gate(result, paths, settings=settings, ignore_file=ignore_file)
        for message in decided.messages:
            err.print(f"{'[red]error:[/]' if message.startswith('expired') else 'note:'} {message}")
        result = decided.result
        _emit(renderer, result, output, RenderOptions(fail_on=fail_on))
        step_summary(result, fail_on)
    except ScoperError as exc:
        _fail(exc)
    code = api.check_exit_code(result, fail_on, more.input_errors)
    raise typer.Exit(int(code) if code is not ExitCode.OK else vulns_code(more, err))


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
