"""The ``check`` command's gate options (``--allow``, ``--min-age``, ``--offline``) and its
GitHub step summary; :mod:`scoper.cli` registers the command itself."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from scoper.cli_shared import err
from scoper.report.check_markdown import append_step_summary
from scoper.report.check_rows import refused_ages
from scoper.scope.check import CheckResult
from scoper.scope.check_age import parse_min_age
from scoper.scope.check_policy import Allow, GatePolicy, parse_allow

AllowOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow",
        metavar="GAPS",
        help="Coverage gaps that pass (comma separated, repeatable): "
        + ", ".join(a.value for a in Allow)
        + ". Each fails otherwise.",
    ),
]
MinAgeOption = Annotated[
    str | None,
    typer.Option(
        "--min-age",
        metavar="AGE",
        help="Cool-down: refuse versions uploaded less than AGE (12h, 7d, 2w) before --now.",
    ),
]
CheckOfflineOption = Annotated[
    bool, typer.Option("--offline", help="Release history from the cache only (--min-age).")
]


def policy(allow: list[str] | None, min_age: str | None) -> GatePolicy:
    """The gate policy from the options (a bad value is a usage error, exit 2)."""
    age = parse_min_age(min_age) if min_age is not None else None
    return GatePolicy(parse_allow(allow or []), age)


def step_summary(result: CheckResult, fail_on: str) -> None:
    """Say each failing gap and refused version on stderr (whatever the report format), and
    append the markdown summary to ``$GITHUB_STEP_SUMMARY`` when GitHub sets it."""
    for g in result.gaps:
        if g.fails and g.kind is not Allow.UNREADABLE:  # unreadable inputs are said already
            where = f"{g.file}:{g.line}" if g.line else g.file
            text = f"{where}: {g.kind.value} gap: {g.detail} (--allow {g.kind.value} lets it pass)"
            err.print(f"[red]error:[/] {text}", highlight=False)
    for a in refused_ages(result):
        where = f"{a.file}:{a.line}" if a.line else a.file
        text = f"{where}: {a.package} {a.version}: --min-age {result.min_age}: {a.detail}"
        err.print(f"[red]error:[/] {text}", highlight=False)
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        append_step_summary(result, fail_on, target)
