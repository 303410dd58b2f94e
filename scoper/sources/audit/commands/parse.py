"""Shell command lines -> facts: what ran, what was installed, imported or removed.

Commands are tokenised with :mod:`shlex` the way a POSIX shell would split them
(quotes, ``&&``/``||``/``;``/``|``/newlines, redirections, here-documents),
wrappers such as ``sudo``/``env``/``VAR=value`` are peeled off, and each simple
command is interpreted by what its program does (pip, uv, npm, python, ...).
Every interpreter or installer start is an ``exec`` fact: a ``.pth`` payload runs
at every Python start. Secrets never leave :func:`redact_command` unmasked.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from scoper.sources.audit.commands.args import (
    BOUND_VARS,
    CommandContext,
    CommandFact,
    Handler,
    environment_of,
    imports_from_js,
    imports_from_python,
    parse_options,
    program_name,
    redact_url,
    with_bound,
)
from scoper.sources.audit.commands.env_ends import ENV_ENDS
from scoper.sources.audit.commands.installers import INSTALLERS
from scoper.sources.audit.commands.interpreters import WRAPPERS, python_start, skip_wrapper
from scoper.sources.audit.commands.output import installed_from_output
from scoper.sources.audit.commands.redaction import redact_command

__all__ = [
    "PYTHON_PROGRAMS",
    "CommandFact",
    "env_assignments",
    "environment_of",
    "facts_from_argv",
    "facts_from_command",
    "installed_from_output",
    "program_name",
    "redact_command",
    "split_commands",
    "with_bound",
]

# Programs whose start is a Python interpreter start (console scripts, or uv's interpreter probe).
PYTHON_PROGRAMS = frozenset({"python", "pip", "pipx", "poetry", "pdm", "uv", "uvx"})


Args = list[str]
Env = str | None
Facts = list[CommandFact]


@dataclass(slots=True)
class _Simple:
    argv: list[str] = field(default_factory=list)
    stdin: str | None = None  # here-document / here-string body


_PUNCT = "();<>|&\n"
_HEREDOC = re.compile(r"(?<!<)<<(?!<)-?[ \t]*(['\"]?)([A-Za-z_][\w.-]*)\1[^\n]*\n")
_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.DOTALL)
_INDEX_VARS = frozenset(
    {
        "PIP_INDEX_URL",
        "PIP_EXTRA_INDEX_URL",
        "UV_INDEX_URL",
        "UV_EXTRA_INDEX_URL",
        "UV_INDEX",
        "UV_DEFAULT_INDEX",
        "NPM_CONFIG_REGISTRY",
    }
)
_ENV_VARS = frozenset({"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "CONDA_PREFIX"})
_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}"})
_SKIP = frozenset(
    {
        "fi",
        "done",
        "esac",
        "for",
        "case",
        "function",
        "cd",
        "set",
        "unset",
        "alias",
        "true",
        "false",
        "exit",
        "return",
        "shift",
        "local",
        "declare",
        "read",
        "pushd",
        "popd",
        "wait",
        "trap",
        "ulimit",
        "umask",
        "[",
        "[[",
        "test",
        "echo",
        "printf",
        ":",
        "eval",
        "}",
    }
)
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "busybox"})


# --------------------------------------------------------------------------- tokenising


def _lex(text: str) -> list[str]:
    for tail in ("", '"', "'", "'\"", "\"'"):
        lexer = shlex.shlex(text + tail, posix=True, punctuation_chars=_PUNCT)
        lexer.whitespace, lexer.whitespace_split, lexer.commenters = " \t\r", True, ""
        try:
            return list(lexer)
        except ValueError:  # unbalanced quote or trailing escape
            continue
    return text.split()


def _cut_heredocs(command: str) -> tuple[str, list[str]]:
    """Remove here-document bodies (line based), returning them in order."""
    bodies: list[str] = []
    pos = 0
    while (match := _HEREDOC.search(command, pos)) is not None:
        delimiter, start = match.group(2), match.end()
        end = re.search(rf"^[ \t]*{re.escape(delimiter)}[ \t]*$", command[start:], re.MULTILINE)
        stop = start + end.start() if end else len(command)
        after = start + end.end() if end else len(command)
        bodies.append(command[start:stop])
        command = command[:start] + command[after:]
        pos = start
    return command, bodies


def _simple_commands(command: str) -> list[_Simple]:
    text, bodies = _cut_heredocs(command.replace("\\\r\n", " ").replace("\\\n", " "))
    result, current = [], _Simple()
    tokens, index = _lex(text), 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token and all(ch in _PUNCT for ch in token) and not set(token) & set("<>"):
            result.append(current)
            current = _Simple()
        elif token and all(ch in _PUNCT for ch in token):  # a redirection
            if current.argv and current.argv[-1].isdigit() and len(current.argv[-1]) == 1:
                current.argv.pop()
            target = tokens[index] if index < len(tokens) else ""
            index += 1
            if token in ("<<", "<<-"):
                current.stdin = bodies.pop(0) if bodies else None
            elif token == "<<<":
                current.stdin = target
        elif token.startswith("#"):
            while index < len(tokens) and "\n" not in tokens[index]:
                index += 1
        else:
            current.argv.append(token)
    result.append(current)
    return [simple for simple in result if simple.argv]


def split_commands(command: str) -> list[list[str]]:
    """The simple commands (argv lists) of a shell command line."""
    return [simple.argv for simple in _simple_commands(command)]


def env_assignments(command: str) -> list[tuple[str, str]]:
    """``(NAME, value)`` of ``NAME=value`` prefixes and ``export NAME=value`` words.

    Callers fingerprint secret values and drop them at once.
    """
    found: list[tuple[str, str]] = []
    for argv in split_commands(command):
        words = argv[1:] if argv[0] in ("export", "env", "declare", "local") else argv
        for word in words:
            match = _ASSIGN.match(word)
            if match is None:
                if word.startswith("-"):
                    continue
                break
            found.append((match.group(1), match.group(2)))
    return found


# --------------------------------------------------------------------------- programs


def _peel(argv: list[str], ctx: CommandContext) -> list[str]:
    """Drop shell keywords, ``VAR=value`` prefixes and wrappers, noting env hints in ctx."""
    while argv:
        head, match = argv[0], _ASSIGN.match(argv[0])
        if match:
            _note_assignment(match.group(1), match.group(2), ctx)
            argv = argv[1:]
        elif head in _KEYWORDS:
            argv = argv[1:]
        elif program_name(head) in WRAPPERS:
            argv = skip_wrapper(program_name(head), argv[1:])
        else:
            return argv
    return argv


def _note_assignment(name: str, value: str, ctx: CommandContext) -> None:
    if name in BOUND_VARS.values() and value:
        ctx.bounds += ((name, value),)
    elif name in _INDEX_VARS and value:
        ctx.index_urls += tuple(redact_url(url) for url in value.split())
    elif name in _ENV_VARS and value:
        ctx.environment = value


def facts_from_argv(argv: Sequence[str]) -> list[CommandFact]:
    """Facts of one program invocation given as an argument vector (auditd, Codex, ...)."""
    return list(_argv_facts(tuple(argv)))


@lru_cache(maxsize=4096)
def _argv_facts(argv: tuple[str, ...]) -> tuple[CommandFact, ...]:
    """Fleets run the same commands over and over: each distinct argv is analysed once."""
    return tuple(_facts(list(argv), CommandContext(run=_facts), None))


def facts_from_command(command: str) -> list[CommandFact]:
    """Facts of every simple command in a shell command line, in order."""
    return _command_facts(command, CommandContext(run=_facts))


def _command_facts(command: str, ctx: CommandContext) -> list[CommandFact]:
    facts: list[CommandFact] = []
    for simple in _simple_commands(command):
        argv = simple.argv
        if argv[0] in ("source", ".") and len(argv) > 1 and argv[1].endswith("/activate"):
            ctx.environment = environment_of(argv[1]) or ctx.environment
        elif argv[0] in ("export", "declare", "local"):
            for word in argv[1:]:
                if (match := _ASSIGN.match(word)) is not None:
                    _note_assignment(match.group(1), match.group(2), ctx)
        else:
            facts += _facts(argv, ctx.nested(ctx.environment), simple.stdin)
    return facts


def _facts(argv: list[str], ctx: CommandContext, stdin: str | None) -> list[CommandFact]:
    argv = _peel(argv, ctx)
    if not argv or argv[0] in _SKIP or ctx.depth > 6:
        return []
    name = program_name(argv[0])
    env = environment_of(argv[0]) or ctx.environment
    ctx.depth += 1
    handler = _HANDLERS.get(name)
    found = handler(argv[1:], env, ctx, stdin) if handler else []
    found = [with_bound(fact, ctx.bounds) for fact in found] if ctx.bounds else found
    python = python_start(argv)
    return [CommandFact("exec", program=name, environment=env, python=python), *found]


# --------------------------------------------------------------------------- interpreters


def _python(args: Args, env: Env, ctx: CommandContext, stdin: Env) -> Facts:
    opts = parse_options(
        args, "-c -m -W -X --check-hash-based-pycs", interspersed=False, terminal=("-c", "-m")
    )
    if module := opts.first("-m"):
        facts = [CommandFact("import", program="python", module=module, environment=env)]
        tool = _HANDLERS.get(module) if module in _PYTHON_MODULES else None
        return facts + (tool(opts.positionals, env, ctx, stdin) if tool else [])
    code = opts.first("-c")
    if code is None and (not opts.positionals or opts.positionals[0] == "-"):
        code = stdin
    if code is not None:
        return [
            CommandFact("import", program="python", module=m, environment=env)
            for m in imports_from_python(code)
        ]
    if not opts.positionals:
        return []
    script = program_name(opts.positionals[0])
    tool = _HANDLERS.get(script) if script in PYTHON_PROGRAMS - {"python"} else None
    if tool is None:
        return []
    return [
        CommandFact("exec", program=script, environment=env, python=True),
        *tool(opts.positionals[1:], env, ctx, stdin),
    ]


def _node(args: Args, env: Env, ctx: CommandContext, stdin: Env) -> Facts:
    opts = parse_options(
        args,
        "-e --eval -p --print -r --require --import --loader --experimental-loader",
        interspersed=False,
    )
    modules = opts.values("-r", "--require", "--import")
    for code in opts.values("-e", "--eval", "-p", "--print"):
        modules += imports_from_js(code)
    return [
        CommandFact("import", program="node", module=m, environment=env)
        for m in dict.fromkeys(modules)
    ]


def _shell(args: Args, env: Env, ctx: CommandContext, stdin: Env) -> Facts:
    opts = parse_options(args, "-c -o -O --rcfile --init-file", interspersed=False)
    script = opts.first("-c")
    if script is None and not opts.positionals:
        script = stdin
    return _command_facts(script, ctx.nested(env)) if script else []


_PYTHON_MODULES = PYTHON_PROGRAMS - {"python"} | {"venv", "virtualenv"}
_HANDLERS: dict[str, Handler] = {
    **INSTALLERS,
    **ENV_ENDS,
    "python": _python,
    "node": _node,
    **dict.fromkeys(_SHELLS, _shell),
}
