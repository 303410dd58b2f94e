"""The ``check`` command's gate options (``--allow``, ``--min-age``, ``--offline``) and its
GitHub step summary; :mod:`scoper.cli` registers the command itself."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from scoper.report.check_markdown import append_step_summary
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
    """Append the markdown summary to ``$GITHUB_STEP_SUMMARY`` when GitHub sets it."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        append_step_summary(result, fail_on, target)
