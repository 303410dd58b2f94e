"""``scoper record``, ``scoper trail verify`` and ``scoper hooks``: start and check a trail."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scoper.cli_shared import err, out
from scoper.errors import ExitCode

trail_app = typer.Typer(no_args_is_help=True, help="Check recorded trails.")

TrailOption = Annotated[
    str | None,
    typer.Option(
        "--trail",
        help="A file, a folder (rotated files) or - for stdout (default $SCOPER_TRAIL, else "
        "~/.local/state/scoper/trail/).",
    ),
]
SignKeyOption = Annotated[
    str | None,
    typer.Option("--sign-key", help="HMAC key file of this host (default $SCOPER_TRAIL_KEY)."),
]


def register(app: typer.Typer) -> None:
    """Add the record, trail and hooks commands to the main app."""
    from scoper.cli_hooks import hooks_app

    settings = {"ignore_unknown_options": True, "allow_interspersed_args": False}
    app.command("record", context_settings=settings)(record)
    app.add_typer(trail_app, name="trail")
    app.add_typer(hooks_app, name="hooks")


def record(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            help="-- CMD ...: a command to run; 'hook AGENT': a hook's JSON on stdin; "
            "'ci start|end': a CI job's session."
        ),
    ] = None,
    trail: TrailOption = None,
    session: Annotated[
        str | None, typer.Option(help="Session id (default $SCOPER_SESSION, else a new one).")
    ] = None,
    sign_key: SignKeyOption = None,
    max_bytes: Annotated[
        int, typer.Option(help="Rotate a folder trail's file at this size.", min=1024)
    ] = 16 * 1024 * 1024,
) -> None:
    """Record a trail: run a command, take an agent hook's JSON, or events from stdin.

    Example: [bold]scoper record --trail ci-trail/ -- pip install -r requirements.txt[/]
    The command's exit code is passed through; a trail that cannot be written is said
    on stderr and never fails the command.
    """
    from scoper.record import api as record_api

    argv = list(args or [])
    recorder = record_api.recorder(trail, session, sign_key, max_bytes)
    if argv[:1] == ["hook"] and len(argv) == 2:
        record_api.hook(argv[1], sys.stdin, recorder)
        raise typer.Exit(0)  # a hook never blocks the agent
    if argv[:1] == ["ci"] and len(argv) == 2:
        if not record_api.ci(argv[1], recorder):
            err.print("error: scoper record ci start|end")
            raise typer.Exit(int(ExitCode.USAGE))
        raise typer.Exit(0)
    if argv:
        raise typer.Exit(record_api.command(argv, recorder))
    if sys.stdin.isatty():
        err.print("error: give a command after --, 'hook AGENT', or events on stdin")
        raise typer.Exit(int(ExitCode.USAGE))
    count = recorder.emit_lines(sys.stdin)
    err.print(f"recorded {count} events to {recorder.trail.spec}", highlight=False)


@trail_app.command("verify")
def trail_verify(
    paths: Annotated[list[Path], typer.Argument(help="Trail files or folders.")],
    key: Annotated[
        Path | None, typer.Option("--key", help="The recording host's HMAC key file.")
    ] = None,
) -> None:
    """Check the hash chain (and signatures) of trail files.

    Example: [bold]scoper trail verify ~/.local/state/scoper/trail/[/]
    Exit 0 when every chain holds, 3 naming the first line where one breaks.
    """
    from scoper.record.verify import verify_paths

    broken = False
    for verdict in verify_paths(paths, key.read_bytes().strip() if key else None):
        if verdict.intact:
            note = _signature_note(verdict.signed, verdict.macs_checked)
            out.print(f"{verdict.path}: ok, {verdict.lines} lines{note}", highlight=False)
        else:
            broken = True
            out.print(f"{verdict.path}:{verdict.broken_at}: {verdict.reason}", highlight=False)
    raise typer.Exit(int(ExitCode.INPUT if broken else ExitCode.OK))


def _signature_note(signed: bool, checked: bool) -> str:
    if not signed:
        return " (unsigned)"
    return ", signatures checked" if checked else " (signed; pass --key to check signatures)"
