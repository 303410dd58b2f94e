"""``scoper hooks install|uninstall AGENT``: start a trail from an agent's own hooks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scoper.cli_shared import err
from scoper.cli_shared import fail as _fail
from scoper.errors import ExitCode, ScoperError
from scoper.record.claude_settings import Scope, hook_command, install, settings_path, uninstall
from scoper.record.hooks import Agent

hooks_app = typer.Typer(no_args_is_help=True, help="Install agent hooks that record a trail.")

ScopeOption = Annotated[
    Scope, typer.Option("--scope", help="Which settings file: user, project or managed.")
]
SettingsOption = Annotated[
    Path | None, typer.Option("--settings", help="This settings file instead of the scope's.")
]


def _path(agent: Agent, scope: Scope, settings: Path | None) -> Path:
    if agent is not Agent.CLAUDE_CODE:  # pragma: no cover - one agent so far
        err.print(f"error: no hooks for {agent.value}")
        raise typer.Exit(int(ExitCode.USAGE))
    return settings or settings_path(scope)


@hooks_app.command("install")
def hooks_install(
    agent: Annotated[Agent, typer.Argument(help="The agent: claude-code.")],
    scope: ScopeOption = Scope.USER,
    settings: SettingsOption = None,
    trail: Annotated[
        str | None, typer.Option("--trail", help="Trail the hooks write (default: the default).")
    ] = None,
) -> None:
    """Add hooks (session start/end, every Bash tool use) that record a trail.

    Example: [bold]scoper hooks install claude-code --scope project --trail .scoper-trail/[/]
    """
    path = _path(agent, scope, settings)
    try:
        done = install(path, hook_command(trail))
    except (ScoperError, OSError) as exc:
        _fail(exc if isinstance(exc, ScoperError) else ScoperError(f"{path}: {exc}"))
    err.print(f"{done.path}: {done.message}", highlight=False)


@hooks_app.command("uninstall")
def hooks_uninstall(
    agent: Annotated[Agent, typer.Argument(help="The agent: claude-code.")],
    scope: ScopeOption = Scope.USER,
    settings: SettingsOption = None,
) -> None:
    """Remove scoper's hooks, restoring the settings file exactly when nothing else changed.

    Example: [bold]scoper hooks uninstall claude-code --scope project[/]
    """
    path = _path(agent, scope, settings)
    try:
        done = uninstall(path)
    except (ScoperError, OSError) as exc:
        _fail(exc if isinstance(exc, ScoperError) else ScoperError(f"{path}: {exc}"))
    err.print(f"{done.path}: {done.message}", highlight=False)
