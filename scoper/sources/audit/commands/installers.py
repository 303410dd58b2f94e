"""What Python and Node installers do with their arguments: pip, uv, pipx, poetry, pdm, npm, npx.

Each handler gets the words after the program name and returns install /
uninstall facts (the ``exec`` fact for the program itself is added by
:mod:`scoper.sources.audit.commands.parse`). Commands an installer runs in turn
(``uv run``, ``poetry run``) go back through ``ctx.facts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from scoper.sources.audit.commands.args import (
    CommandContext as Context,
)
from scoper.sources.audit.commands.args import (
    CommandFact,
    Handler,
    Options,
    environment_of,
    npm_target,
    parse_options,
    python_target,
    redact_url,
)
from scoper.sources.audit.commands.env_ends import uv_venv

Args = list[str]
Env = str | None
Facts = list[CommandFact]

_PIP_VALUES = (
    "-r --requirement -c --constraint -e --editable -i --index-url --extra-index-url -f "
    "--find-links -t --target --prefix --root --src --platform --python-version "
    "--implementation --abi --upgrade-strategy -C --config-settings --global-option "
    "--build-option --install-option --no-binary --only-binary --progress-bar --report "
    "--trusted-host --cache-dir --log --log-file --proxy --timeout --retries --cert "
    "--client-cert --exists-action --python --root-user-action --keyring-provider "
    "--use-feature --use-deprecated --group -p --index --default-index --overrides "
    "--override --build-constraint --extra --index-strategy --resolution --prerelease "
    "--link-mode --exclude-newer --python-platform --config-file --directory --project "
    "--with-requirements --with --with-editable --from -w --env-file --package --script "
    "--uploaded-prior-to"
)


def _index_urls(opts: Options, ctx: Context) -> tuple[str, ...]:
    urls = opts.values(
        "-i",
        "--index-url",
        "--extra-index-url",
        "--index",
        "--default-index",
        "--registry",
        "--source-url",
    )
    return ctx.index_urls + tuple(redact_url(_index_url(u)) for u in urls)


def _index_url(value: str) -> str:
    """uv's ``--index name=url`` -> url."""
    name, eq, url = value.partition("=")
    return url if eq and "://" not in name and "/" not in name else value


def _installs(
    kind: str,
    targets: Sequence[str],
    opts: Options,
    ctx: Context,
    program: str,
    *,
    files: Sequence[str] = (),
    ecosystem: str = "PyPI",
    env: str | None = None,
) -> list[CommandFact]:
    """Install/uninstall facts for the targets; one package-less fact for files alone."""
    if opts.has("--dry-run", "--no-sync", "--lock", "--package-lock-only"):
        return []
    files = tuple(redact_url(f) for f in files)
    base = CommandFact(
        kind,
        program=program,
        ecosystem=ecosystem,
        environment=env,
        requirement_files=files,
        index_urls=_index_urls(opts, ctx),
        exclude_newer=opts.first("--exclude-newer", "--uploaded-prior-to"),
    )
    parse = python_target if ecosystem == "PyPI" else npm_target
    facts = [
        replace(base, package=p, version=v, spec=s) for p, v, s in filter(None, map(parse, targets))
    ]
    return facts or ([base] if files else [])


def _pip_env(opts: Options, env: str | None) -> str | None:
    target = opts.first("-t", "--target", "--prefix", "--root")
    python = opts.first("--python", "-p")
    from_python = (environment_of(python) or python) if python and "/" in python else None
    return target or from_python or env


def _pip(args: Args, env: Env, ctx: Context, stdin: Env) -> Facts:
    opts = parse_options(args, _PIP_VALUES)
    sub, targets = (opts.positionals[0], opts.positionals[1:]) if opts.positionals else ("", [])
    env = _pip_env(opts, env)
    files = opts.values("-r", "--requirement", "-c", "--constraint")
    if sub == "install":
        targets += opts.values("-e", "--editable")
        return _installs("install", targets, opts, ctx, "pip", files=files, env=env)
    if sub == "uninstall":
        return _installs("uninstall", targets, opts, ctx, "pip", files=files, env=env)
    return []


def _uv(args: Args, env: Env, ctx: Context, stdin: Env) -> Facts:
    head = parse_options(
        args, "--directory --project --cache-dir --config-file", interspersed=False
    )
    sub, rest = (head.positionals[0], head.positionals[1:]) if head.positionals else ("", [])
    if sub == "pip":
        return [replace(f, program="uv") for f in _pip(rest, env, ctx, stdin)]
    if sub == "venv":
        return uv_venv(rest)
    if sub in ("tool", "x") and rest:
        sub, rest = "tool " + rest[0], rest[1:]
    opts = parse_options(rest, _PIP_VALUES, interspersed=sub not in ("run", "tool run"))
    env = _pip_env(opts, env)
    files = opts.values("-r", "--requirements", "--with-requirements")
    withs = opts.values("--with", "--with-editable")
    if sub in ("add", "tool install", "tool upgrade"):
        return _installs("install", opts.positionals + withs, opts, ctx, "uv", files=files, env=env)
    if sub in ("remove", "tool uninstall"):
        return _installs("uninstall", opts.positionals, opts, ctx, "uv", env=env)
    if sub == "sync":
        return _installs("install", [], opts, ctx, "uv", files=["uv.lock"], env=env)
    if sub == "tool run":
        return _uvx(rest, env, ctx, stdin)
    if sub == "run":
        facts = _installs("install", withs, opts, ctx, "uv", files=files, env=env)
        command = opts.positionals
        if command and command[0].endswith(".py"):
            command = ["python", *command]
        return facts + ctx.facts(command, env, stdin)
    return []


def _uvx(args: Args, env: Env, ctx: Context, stdin: Env) -> Facts:
    opts = parse_options(args, _PIP_VALUES, interspersed=False)
    tool = opts.first("--from") or (opts.positionals[0] if opts.positionals else None)
    targets = ([tool] if tool else []) + opts.values("--with", "--with-editable")
    return _installs("install", targets, opts, ctx, "uvx", env=_pip_env(opts, None))


def _pipx(args: Args, env: Env, ctx: Context, stdin: Env) -> Facts:
    opts = parse_options(
        args, _PIP_VALUES + " --spec --suffix --pip-args --python", interspersed=False
    )
    sub, rest = (opts.positionals[0], opts.positionals[1:]) if opts.positionals else ("", [])
    inner = parse_options(
        rest, _PIP_VALUES + " --spec --suffix --pip-args --python", interspersed=sub != "run"
    )
    spec = inner.values("--spec")
    if sub in ("install", "upgrade", "inject", "run"):
        targets = inner.positionals[1:] if sub == "inject" else inner.positionals
        targets = spec or (targets[:1] if sub == "run" else targets)
        return _installs("install", targets, inner, ctx, "pipx", env=None)
    if sub == "uninstall":
        return _installs("uninstall", inner.positionals, inner, ctx, "pipx", env=None)
    return []


def _project_tool(program: str, lock: str) -> Handler:
    def handle(args: Args, env: Env, ctx: Context, stdin: Env) -> Facts:
        values = _PIP_VALUES + " -G -E --extras --source -P --optional --only --without -L"
        head = parse_options(args, values, interspersed=False)
        sub, rest = (head.positionals[0], head.positionals[1:]) if head.positionals else ("", [])
        opts = parse_options(rest, values, interspersed=sub != "run")
        if sub == "add":
            return _installs("install", opts.positionals, opts, ctx, program, env=env)
        if sub == "remove":
            return _installs("uninstall", opts.positionals, opts, ctx, program, env=env)
        if sub in ("install", "sync"):
            return _installs("install", [], opts, ctx, program, files=[lock], env=env)
        if sub == "run" and opts.positionals:
            return ctx.facts(opts.positionals, env, stdin)
        return []

    return handle


# --------------------------------------------------------------------------- node installers

_NPM_INSTALL = frozenset(
    {
        "install",
        "i",
        "in",
        "ins",
        "inst",
        "insta",
        "instal",
        "isnt",
        "isnta",
        "isntal",
        "isntall",
        "add",
        "update",
        "up",
        "upgrade",
    }
)
_NPM_REMOVE = frozenset({"uninstall", "un", "unlink", "remove", "rm", "r"})
_NPM_VALUES = "--registry --prefix -w --workspace --tag --omit --include --cache --userconfig"


def _node_manager(program: str) -> Handler:
    def handle(args: Args, env: Env, ctx: Context, stdin: Env) -> Facts:
        opts = parse_options(args, _NPM_VALUES + " -C --dir --filter")
        sub, targets = (opts.positionals[0], opts.positionals[1:]) if opts.positionals else ("", [])
        env = opts.first("--prefix", "-C", "--dir") or env
        if sub in ("exec", "x", "dlx"):
            return _npx(args[args.index(sub) + 1 :], env, ctx, stdin)
        kind = "install" if sub in _NPM_INSTALL or sub == "ci" else "uninstall"
        if kind == "uninstall" and sub not in _NPM_REMOVE:
            return []
        files = ["package-lock.json" if sub == "ci" else "package.json"]
        files = files if kind == "install" and not targets else []
        return _installs(kind, targets, opts, ctx, program, files=files, ecosystem="npm", env=env)

    return handle


def _npx(args: Args, env: Env, ctx: Context, stdin: Env) -> Facts:
    opts = parse_options(args, _NPM_VALUES + " -p --package -c --call", interspersed=False)
    targets = opts.values("-p", "--package") or opts.positionals[:1]
    return _installs("install", targets, opts, ctx, "npx", ecosystem="npm", env=env)


INSTALLERS: dict[str, Handler] = {
    "pip": _pip,
    "uv": _uv,
    "uvx": _uvx,
    "pipx": _pipx,
    "poetry": _project_tool("poetry", "poetry.lock"),
    "pdm": _project_tool("pdm", "pdm.lock"),
    "npm": _node_manager("npm"),
    "pnpm": _node_manager("pnpm"),
    "yarn": _node_manager("yarn"),
    "npx": _npx,
}
