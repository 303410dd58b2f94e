"""Is this program start a Python interpreter start? However it is spelled.

A ``.pth`` payload runs at every Python start, so every exec-event producer asks
:func:`python_start` and sets ``Event.interpreter = "python"`` when it says so:

- an interpreter by name or path: ``python``, ``python3.12``, ``/usr/bin/python3``,
  ``/opt/app/.venv/bin/python``, ``pypy3`` (``python -m pytest`` too);
- the program's executable is one (auditd ``exe=``, osquery ``path``): a script whose
  shebang names Python, started as ``./tool`` or ``/usr/local/bin/litellm``;
- a runner that starts Python for what it runs: ``uv run X`` (unless X is clearly not
  Python: ``uv run node app.js``), ``uv tool run``/``uvx``, ``poetry``/``pdm``/``hatch``/
  ``pipx`` (Python programs themselves), ``python -m``;
- a well-known console script (pytest, gunicorn, uvicorn, celery, flask, django-admin,
  jupyter, ipython, litellm, pip, ...);
- a console script in a virtual environment's ``bin/``: ``.venv/bin/NAME``,
  ``venv/bin``, ``env/bin``, ``/opt/*/venv/bin``, conda ``envs/x/bin``, pipx/uv tool
  venvs, poetry's virtualenvs, ``--target`` trees under ``site-packages`` (native
  binaries shipped in wheels, such as ``ruff`` and ``uv``, excepted).

Wrappers (``sudo``, ``env``, ``nohup``, ``timeout``, ``VAR=value`` ...) are peeled first;
:data:`WRAPPERS` and :func:`skip_wrapper` are shared with :mod:`.parse`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from scoper.sources.audit.commands.args import program_name

__all__ = [
    "CONSOLE_SCRIPTS",
    "WRAPPERS",
    "peel",
    "python_program",
    "python_start",
    "skip_wrapper",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# wrapper -> options that take a value; peeled off before the real program
WRAPPERS: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "-g", "-h", "-p", "-C", "-D", "-R", "-T", "-U", "--user", "--group"}),
    "doas": frozenset({"-u", "-C"}),
    "env": frozenset({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}),
    "nohup": frozenset(),
    "exec": frozenset({"-a"}),
    "command": frozenset(),
    "nice": frozenset({"-n", "--adjustment"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
    "timeout": frozenset({"-s", "--signal", "-k", "--kill-after"}),
    "time": frozenset({"-f", "--format", "-o", "--output"}),
}

# Programs that are Python programs (console scripts or Python applications).
CONSOLE_SCRIPTS = _words(
    """python pip pipx poetry pdm hatch uvx tox nox twine pytest py.test gunicorn uvicorn
    hypercorn daphne celery flask django-admin jupyter jupyter-lab jupyter-notebook ipython
    litellm black isort mypy pylint flake8 pre-commit ansible ansible-playbook airflow
    streamlit mlflow dbt sphinx-build mkdocs huggingface-cli vllm locust scrapy alembic
    waitress-serve conda pyinstaller cookiecutter datasette invoke"""
)
# Programs that are clearly not Python (``uv run node x.js``; native tools in a venv's bin/).
_NOT_PYTHON = _words(
    """sh bash zsh dash ksh fish busybox node nodejs npm npx yarn pnpm bun deno make cmake
    cargo rustc go gcc g++ cc clang ld java javac ruby gem perl php docker kubectl git ls
    cat echo env true false curl wget ruff uv activate deactivate"""
)
_UV_RUN_VALUES = _words(
    """--with --with-editable --with-requirements --python -p --project --directory --package
    --extra --group --only-group --no-group --env-file --index --default-index --index-url
    --extra-index-url --find-links -f --index-strategy --keyring-provider --resolution
    --prerelease --exclude-newer --config-setting -C --link-mode --refresh-package
    --reinstall-package --upgrade-package -P --cache-dir --config-file --python-platform
    --from"""
)
_VENV_NAMES = re.compile(r"^(?:\.?venv|\.?env|\.?virtualenv|[\w.-]*[._-]venv)$", re.IGNORECASE)
_VENV_PARTS = (
    "/.virtualenvs/",
    "/virtualenvs/",  # poetry's cache
    "/envs/",  # conda
    "/pipx/venvs/",
    "/uv/tools/",
    "/.tox/",
    "/.nox/",
    "/site-packages/",  # pip install --target trees
)
_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def skip_wrapper(name: str, args: Sequence[str]) -> list[str]:
    """The words after a wrapper's own options (and ``timeout``'s duration)."""
    takes = WRAPPERS[name]
    index = 0
    while index < len(args) and args[index].startswith("-") and args[index] != "-":
        if args[index] == "--":
            return list(args[index + 1 :])
        index += 2 if args[index] in takes else 1
    if name == "timeout" and index < len(args):
        index += 1  # the duration
    return list(args[index:])


def peel(argv: Sequence[str]) -> list[str]:
    """``argv`` without its ``VAR=value`` prefixes and wrappers (``sudo -u x``, ``env``)."""
    words = list(argv)
    while words:
        if _ASSIGN.match(words[0]):
            words = words[1:]
        elif (name := program_name(words[0])) in WRAPPERS:
            words = skip_wrapper(name, words[1:])
        else:
            break
    return words


def python_program(name: str) -> bool:
    """A program known by name only (``pytest``, ``python3.12``) that is a Python start."""
    return program_name(name) in CONSOLE_SCRIPTS


def python_start(argv: Sequence[str], executable: str | None = None) -> bool:
    """True when starting ``argv`` (executable file ``executable``, when known) starts Python."""
    if executable and program_name(executable) == "python":
        return True
    words = peel(argv)
    if not words:
        return False
    name = program_name(words[0])
    if name in CONSOLE_SCRIPTS:
        return True
    if name == "uv":
        return _uv_runs_python(words[1:])
    return _venv_script(words[0]) and name not in _NOT_PYTHON


def _uv_runs_python(args: Sequence[str]) -> bool:
    index = _options_end(args, 0)
    sub, rest = (args[index], list(args[index + 1 :])) if index < len(args) else ("", [])
    if sub == "tool" and rest[:1] == ["run"]:
        return True
    if sub != "run":
        return False
    index = _options_end(rest, 0)
    if any(word in ("-m", "--module", "--script", "-s") for word in rest[:index]):
        return True
    if index >= len(rest):
        return False
    target = rest[index]
    return target.endswith((".py", ".pyw")) or program_name(target) not in _NOT_PYTHON


def _options_end(args: Sequence[str], index: int) -> int:
    while index < len(args) and args[index].startswith("-") and args[index] != "--":
        index += 2 if args[index] in _UV_RUN_VALUES and "=" not in args[index] else 1
    return index + 1 if index < len(args) and args[index] == "--" else index


def _venv_script(path: str) -> bool:
    """``<prefix>/bin/NAME`` where the prefix looks like a virtual environment."""
    norm = path.replace("\\", "/")
    folder = posixpath.dirname(norm)
    if posixpath.basename(folder) not in ("bin", "Scripts"):
        return False
    prefix = posixpath.dirname(folder)
    if _VENV_NAMES.match(posixpath.basename(prefix)):
        return True
    in_venv = any(part in norm for part in _VENV_PARTS)
    return in_venv or re.match(r"^/opt/[^/]+/venv/", norm) is not None
