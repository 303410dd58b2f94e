"""The gate's policy stage over the checked inputs (coverage gaps, the cool-down) and its
exit code; :func:`scoper.api.check` runs the stage while the in-memory store is open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from scoper.errors import ExitCode
from scoper.feeds.model import Advisory
from scoper.outcomes import FileResult
from scoper.scope import check_gate
from scoper.scope.check import CheckResult
from scoper.scope.check_age import check_ages, describe, history_lookup
from scoper.scope.check_gaps import find_gaps
from scoper.scope.check_policy import GatePolicy

if TYPE_CHECKING:
    from scoper.api import Store


def apply_policy(
    store: Store,
    result: CheckResult,
    results: Sequence[FileResult],
    checked: Sequence[Advisory],
    policy: GatePolicy,
) -> CheckResult:
    """``result`` with its gaps (allowed ones marked) and, with ``policy.min_age``, the age
    of every pinned version (upload times from the lockfile, else the release history)."""
    gaps = find_gaps(store.con, checked, store.select(), results, policy.allow)
    if policy.min_age is None:
        return replace(result, gaps=gaps)
    import requests  # only for the cool-down: `scoper --help` stays light

    from scoper.feeds.httpcache import JsonFetcher

    s = store.settings
    fetcher = JsonFetcher(requests.Session(), s.cache_dir, offline=s.offline, clock=s.clock)
    ages = check_ages(store.con, policy.min_age, s.clock(), history_lookup(fetcher))
    return replace(result, gaps=gaps, ages=ages, min_age=describe(policy.min_age))


def check_exit_code(
    result: CheckResult, fail_on: str, input_errors: Sequence[str] = ()
) -> ExitCode:
    """The check's exit code after the ignore file (docs/exit-codes.md)."""
    return check_gate.exit_code(result, fail_on, input_errors)
