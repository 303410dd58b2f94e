"""Commands that end an environment: ``rm -r DIR``, ``uv venv --clear``, ``python -m venv
--clear``, ``virtualenv --clear``.

Each yields an ``env_end`` fact naming the folder (relative paths are made absolute by the
event builders, from the working directory) and how it ended (:class:`EnvEnd`). The scope
chain ends every exposure interval of an environment at or under that folder
(``scope/sql/env.sql``). A plain ``python -m venv DIR`` or ``uv venv DIR`` is not an end:
without ``--clear`` an existing environment's packages are kept (uv 0.8 and later refuse
to replace one without ``--clear``).
"""

from __future__ import annotations

from enum import StrEnum

from scoper.sources.audit.commands.args import CommandContext, CommandFact, Handler, parse_options

Args = list[str]
Facts = list[CommandFact]


class EnvEnd(StrEnum):
    """How an environment (or a whole host) ended; ``detail.action`` of an env_end event."""

    REMOVED = "removed"  # its folder deleted
    RECREATED = "recreated"  # emptied and made anew (--clear)
    REBUILT = "rebuilt"  # a rebuilt environment or image (scoper-events)
    REIMAGED = "reimaged"  # the whole host (scoper-events, no environment)


def _end(program: str, path: str, how: EnvEnd) -> CommandFact:
    return CommandFact(
        "env_end", program=program, environment=path.rstrip("/") or "/", ends=how.value
    )


def _rm(args: Args, env: str | None, ctx: CommandContext, stdin: str | None) -> Facts:
    opts = parse_options(args, "")
    flags = "".join(name.lstrip("-") for name, _ in opts.found if not name.startswith("--"))
    if not ("r" in flags or "R" in flags or opts.has("--recursive")):
        return []
    return [_end("rm", p, EnvEnd.REMOVED) for p in opts.positionals if p not in ("", "/")]


def _venv_clear(program: str) -> Handler:
    def handler(args: Args, env: str | None, ctx: CommandContext, stdin: str | None) -> Facts:
        opts = parse_options(args, "--prompt -p --python --seed --upgrade-deps")
        if not opts.has("--clear"):
            return []
        return [_end(program, p, EnvEnd.RECREATED) for p in opts.positionals[:1]]

    return handler


def uv_venv(args: Args) -> Facts:
    """``uv venv [--clear] [PATH]`` (PATH defaults to ``.venv``)."""
    opts = parse_options(args, "--python -p --prompt --index-url --cache-dir --directory")
    if not opts.has("--clear"):
        return []
    return [_end("uv", (opts.positionals or [".venv"])[0], EnvEnd.RECREATED)]


ENV_ENDS: dict[str, Handler] = {
    "rm": _rm,
    "venv": _venv_clear("python"),
    "virtualenv": _venv_clear("virtualenv"),
}
