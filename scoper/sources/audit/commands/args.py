"""The pieces command interpretation is made of: facts, option vectors, targets, imports.

Used by :mod:`.parse` and :mod:`.installers` of this package.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import (
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

from scoper.sources.audit.commands import redaction

Target = tuple[str, str | None, str | None]  # (canonical name, exact version, spec)

_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][\w.-]*)")
_NPM_NAME = re.compile(r"^(?:@[a-z0-9][\w.~-]*/)?[a-z0-9_][\w.~-]*$", re.IGNORECASE)
_SEMVER = re.compile(r"^v?(\d+\.\d+\.\d+(?:-[\w.-]+)?(?:\+[\w.-]+)?)$")
_JS_IMPORT = re.compile(
    r"""(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)|\bfrom\s+['"]([^'"]+)['"]"""
    r"""|\bimport\s+['"]([^'"]+)['"]"""
)
_PY_IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class CommandFact:
    """One thing a command did: ran a program, installed/removed a package, imported a module."""

    kind: str  # "install" | "uninstall" | "exec" | "import" | "env_end"
    program: str | None = None  # normalised basename: "python", "pip", "uv", "node", "npm", ...
    ecosystem: str | None = None  # "PyPI" | "npm" for install/uninstall
    package: str | None = None  # canonical name
    version: str | None = None  # only for exact pins
    spec: str | None = None  # e.g. ">=1.80"; "" when no constraint at all
    module: str | None = None  # "python -m mod" / "python -c 'import x'" -> kind "import"
    environment: str | None = None  # venv/prefix when the path tells it
    requirement_files: tuple[str, ...] = ()
    index_urls: tuple[str, ...] = ()  # credentials in URLs redacted
    exclude_newer: str | None = None  # uv --exclude-newer / pip --uploaded-prior-to, as given
    python: bool = False  # an exec that starts a Python interpreter (interpreters.python_start)
    ends: str | None = None  # env_end: how the environment ended (env_ends.EnvEnd)


Runner = Callable[[list[str], "CommandContext", "str | None"], list[CommandFact]]


@dataclass(slots=True)
class CommandContext:
    """What earlier words or commands set (an activated venv, index URLs), and the way back in."""

    environment: str | None = None
    index_urls: tuple[str, ...] = ()
    depth: int = 0
    run: Runner | None = None
    bounds: tuple[tuple[str, str], ...] = ()  # UV_EXCLUDE_NEWER=... / PIP_UPLOADED_PRIOR_TO=...

    def nested(self, environment: str | None) -> CommandContext:
        return CommandContext(environment, self.index_urls, self.depth, self.run, self.bounds)

    def facts(
        self, argv: list[str], environment: str | None, stdin: str | None
    ) -> list[CommandFact]:
        """Facts of a command another program runs (``uv run``, ``bash -c``)."""
        return self.run(argv, self.nested(environment), stdin) if self.run and argv else []


# The environment variables that bound what an installer sees, per program (install_options)
BOUND_VARS = {"uv": "UV_EXCLUDE_NEWER", "uvx": "UV_EXCLUDE_NEWER", "pip": "PIP_UPLOADED_PRIOR_TO"}


def with_bound(fact: CommandFact, variables: Sequence[tuple[str, str | None]]) -> CommandFact:
    """An install fact without a ``--exclude-newer`` / ``--uploaded-prior-to`` of its own
    takes its program's environment variable (the last one set), if any."""
    name = BOUND_VARS.get(fact.program or "")
    if fact.kind != "install" or fact.exclude_newer or name is None:
        return fact
    value = next((v for n, v in reversed(variables) if n == name and v), None)
    return fact if value is None else replace(fact, exclude_newer=value.strip())


Handler = Callable[[list[str], "str | None", CommandContext, "str | None"], list[CommandFact]]


def program_name(path: str) -> str:
    """Normalised basename: python3.11 -> python, pip3 -> pip, nodejs -> node."""
    base = path.replace("\\", "/").rsplit("/", 1)[-1]
    base = base[:-4] if base.lower().endswith(".exe") else base
    if re.fullmatch(r"(?:python|pypy)[\d.]*[dmut]?", base, re.IGNORECASE):
        return "python"
    if re.fullmatch(r"pip[\d.]*", base):
        return "pip"
    return "node" if base == "nodejs" else base


def environment_of(path: str) -> str | None:
    """The venv or prefix a program path names: /srv/app/.venv/bin/pip -> /srv/app/.venv."""
    norm = path.replace("\\", "/")
    if "/" not in norm:
        return None
    parent = posixpath.dirname(norm)
    if posixpath.basename(parent) not in ("bin", "Scripts"):
        return None
    prefix = posixpath.dirname(parent)
    return posixpath.normpath(prefix) if prefix not in ("", "/") else None


@dataclass(slots=True)
class Options:
    """Options of one argument vector, in order, and the positional words."""

    positionals: list[str] = field(default_factory=list)
    found: list[tuple[str, str]] = field(default_factory=list)  # (name, value or "")

    def values(self, *names: str) -> list[str]:
        return [value for name, value in self.found if name in names]

    def first(self, *names: str) -> str | None:
        values = self.values(*names)
        return values[0] if values else None

    def has(self, *names: str) -> bool:
        return any(name in names for name, _ in self.found)


def parse_options(
    args: Sequence[str],
    takes_value: str,
    *,
    interspersed: bool = True,
    terminal: tuple[str, ...] = (),
) -> Options:
    """Split ``args`` into options and positionals, getopt style.

    ``takes_value`` names (space separated) the options that take a value
    (``--opt value``, ``--opt=value``, ``-xVALUE``, ``-x VALUE``). With
    ``interspersed=False`` everything from the first positional on is
    positional; after an option in ``terminal`` everything left is positional.
    """
    valued = frozenset(takes_value.split())
    opts, index = Options(), 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":
            opts.positionals += args[index:]
            break
        if not arg.startswith("-") or arg == "-":
            opts.positionals.append(arg)
            if not interspersed:
                opts.positionals += args[index:]
                break
            continue
        index = _read_option(arg, args, index, valued, opts)
        if opts.found and opts.found[-1][0] in terminal:
            opts.positionals += args[index:]
            break
    return opts


def _read_option(
    arg: str, args: Sequence[str], index: int, valued: frozenset[str], opts: Options
) -> int:
    if arg.startswith("--"):
        name, eq, value = arg.partition("=")
        if not eq and name in valued and index < len(args):
            value, index = args[index], index + 1
        opts.found.append((name, value))
        return index
    for offset, char in enumerate(arg[1:], start=2):
        name = "-" + char
        if name in valued:
            value = arg[offset:]
            if not value and index < len(args):
                value, index = args[index], index + 1
            opts.found.append((name, value))
            return index
        opts.found.append((name, ""))
    return index


def redact_url(url: str) -> str:
    """The URL with user-info, secret query parameters and token shapes masked."""
    return redaction.redact_url(url)


# --------------------------------------------------------------------------- targets


def python_target(text: str) -> Target | None:
    """A PyPI install target: ``pkg==1.0``, ``pkg[x]>=1``, ``pkg@1.2``, a wheel, a VCS URL.

    Local paths give None (no package name to tell). Direct references keep no
    spec: they do not resolve against the index.
    """
    text = text.strip()
    base = text.rstrip("/").rsplit("/", 1)[-1].split("#", 1)[0]
    if base.endswith(".whl"):
        try:
            name, version, _, _ = parse_wheel_filename(base)
        except ValueError:  # an invalid name, or a version number too long for int()
            return None
        return str(name), str(version), f"=={version}"
    if base.endswith((".tar.gz", ".zip", ".tar.bz2")) and "@" not in text:
        try:
            name, version = parse_sdist_filename(base)
        except ValueError:  # an invalid name, or a version number too long for int()
            return None
        return str(name), str(version), f"=={version}"
    if (egg := _EGG.search(text)) is not None:
        return str(canonicalize_name(egg.group(1))), None, None
    return _requirement(_at_syntax(text))


def _requirement(text: str) -> Target | None:
    try:
        req = Requirement(text)
    except InvalidRequirement:
        return None
    name = str(canonicalize_name(req.name))
    if req.url:
        return name, None, None
    exact = [
        s.version for s in req.specifier if s.operator in ("==", "===") and "*" not in s.version
    ]
    return name, (exact[0] if len(exact) == 1 else None), str(req.specifier)


def _at_syntax(text: str) -> str:
    """Poetry/uvx/pipx ``name@constraint`` -> PEP 508 (``^``/``~`` become ranges)."""
    name, at, constraint = text.partition("@")
    if not at or "://" in text or not name or " " in name:
        return text
    constraint = constraint.strip()
    if constraint in ("", "latest", "*"):
        return name
    if constraint[0] in "^~" and not constraint.startswith("~="):
        return name + _caret_tilde(constraint[0], constraint[1:])
    return name + constraint if constraint[0] in "<>=!~" else f"{name}=={constraint}"


def _caret_tilde(op: str, version: str) -> str:
    parts = version.split(".")
    if not all(part.isdigit() for part in parts):
        return f">={version}"
    if op == "^":
        nonzero = [i for i, part in enumerate(parts) if int(part)]
        bump = nonzero[0] if nonzero else len(parts) - 1
    else:
        bump = 0 if len(parts) == 1 else 1
    upper = [*parts[:bump], str(int(parts[bump]) + 1)]
    return f">={version},<{'.'.join(upper)}"


def npm_target(text: str) -> Target | None:
    """An npm install target: ``name``, ``name@1.2.3``, ``@scope/name@^1``, ``a@npm:b@1``."""
    text = text.strip()
    at = text.find("@", 1)
    name, wanted = (text[:at], text[at + 1 :]) if at > 0 else (text, "")
    if wanted.startswith("npm:"):
        return npm_target(wanted[4:])
    if not _NPM_NAME.match(name):
        return None
    if wanted in ("", "latest", "*", "x"):
        return name, None, ""
    if (exact := _SEMVER.match(wanted)) is not None:
        return name, exact.group(1), exact.group(1)
    if not any(ch.isdigit() for ch in wanted):
        return name, None, None  # a dist-tag such as "next": no version to tell
    return name, None, wanted


# --------------------------------------------------------------------------- imports


def imports_from_python(code: str) -> list[str]:
    """Modules a piece of Python imports (absolute imports, ``__import__('x')``)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        found = [m.group(1) or m.group(2) for m in _PY_IMPORT.finditer(code)]
        return list(dict.fromkeys(found))
    modules: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.append(node.module)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            modules.append(node.args[0].value)  # type: ignore[attr-defined]
    return list(dict.fromkeys(modules))


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return (
        called in ("__import__", "import_module")
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def imports_from_js(code: str) -> list[str]:
    """Modules a piece of JavaScript requires or imports."""
    return [next(g for g in m.groups() if g) for m in _JS_IMPORT.finditer(code)]
