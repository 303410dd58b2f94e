"""``scoper check --env`` and ``--vulns``: gate installed environments and add pip-audit's
known vulnerabilities to the check result; :mod:`scoper.cli` calls :func:`check_more`."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scoper.api import IngestSummary
from scoper.api import check as check_files
from scoper.scope import check_env, check_vulns
from scoper.scope.check import CheckResult
from scoper.scope.check_policy import GatePolicy
from scoper.settings import Settings


@dataclass(frozen=True, slots=True)
class MoreChecked:
    """A check result with environments and vulnerabilities, and what could not be done."""

    summary: IngestSummary
    result: CheckResult
    input_errors: tuple[str, ...]  # exit 3 unless findings say more
    vulns_unavailable: str | None = None  # why --vulns audited nothing: never a pass (exit 4)


def check_more(
    paths: Sequence[Path],
    *,
    env: bool = False,
    vulns: bool = False,
    advisory: str = "all",
    fmt: str | None = None,
    settings: Settings | None = None,
    allow_empty: bool = False,
    policy: GatePolicy | None = None,
) -> MoreChecked:
    """``scoper check`` over files, or with ``env`` over the interpreters or venv folders
    ``paths`` name (none: this interpreter); with ``vulns`` pip-audit adds known CVEs."""
    with tempfile.TemporaryDirectory(prefix="scoper-check-") as tmp:
        folder = Path(tmp)
        inspected = _inspect_all(paths, folder) if env else []
        inputs = [i.report for i in inspected] if env else list(paths)
        runs: list[tuple[list[check_vulns.Pinned], check_vulns.AuditRun]] = []

        def audit(con: duckdb.DuckDBPyConnection) -> None:
            pinned, unsent = check_vulns.pinned_rows(con)
            run = check_vulns.audit(pinned, folder, check_vulns.command())
            runs.append((pinned, _with_gaps(run, unsent)))

        summary, result = check_files(
            inputs,
            advisory=advisory,
            fmt="pip-inspect" if env else fmt,
            settings=settings,
            allow_empty=allow_empty,
            policy=policy,
            on_store=audit if vulns else None,
        )
        for pinned, run in runs:
            result = check_vulns.merge(result, run, pinned)
        errors = list(summary.input_errors)
        for one in inspected:
            result = check_env.relocate(result, one)
            shown = f"{one.python} (pip inspect)"
            errors = [e.replace(str(one.report), shown) for e in errors]
        failed = [run.gaps[0] for _, run in runs if run.failed and run.gaps]
        return MoreChecked(summary, result, tuple(errors), failed[0] if failed else None)


def _inspect_all(paths: Sequence[Path], folder: Path) -> list[check_env.Inspected]:
    targets: list[str | None] = [str(p) for p in paths] or [None]
    found: list[check_env.Inspected] = []
    for n, target in enumerate(targets):
        place = folder / f"env{n}"
        place.mkdir()
        found.append(check_env.inspect(check_env.resolve_python(target), place))
    return found


def _with_gaps(run: check_vulns.AuditRun, gaps: Sequence[str]) -> check_vulns.AuditRun:
    return check_vulns.AuditRun(run.vulnerabilities, run.audited, (*run.gaps, *gaps), run.failed)
