"""``scoper check --vulns``: known vulnerabilities (PYSEC, GHSA, CVE) from pip-audit.

pip-audit (the optional extra ``scoper[audit]``) runs through its stable command line
over exactly the pinned PyPI rows the check read, written as a requirements file
(``pip-audit -r FILE --no-deps --disable-pip -f json``): lockfile and environment rows
alike, so each vulnerability points back at the file:line (or dist-info) that pins it.
What pip-audit could not audit is a coverage gap, never a pass.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
from packaging.version import InvalidVersion, Version

from scoper.scope.check import CheckFinding, CheckResult
from scoper.scope.check_vulns_report import Vulnerability, parse_report
from scoper.scope.steps import sql

COMMAND_ENV = "SCOPER_PIP_AUDIT"  # the pip-audit command to run (default: found on PATH)
INSTALL_HINT = "pip-audit is not installed: install it with `pip install 'scoper[audit]'`"
TIMEOUT = 600
ARGS = ("--no-deps", "--disable-pip", "-f", "json", "--progress-spinner", "off")
ARGS_DETAIL = ("--aliases", "on", "--desc", "off")

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


@dataclass(frozen=True, slots=True, order=True)
class Pinned:
    """One pinned PyPI row the check read: what pip-audit is asked about."""

    name: str
    version: str
    file: str
    line: int | None


@dataclass(frozen=True, slots=True)
class AuditRun:
    """What pip-audit said: vulnerabilities, how many packages it audited, and the gaps."""

    vulnerabilities: tuple[Vulnerability, ...] = ()
    audited: int = 0
    gaps: tuple[str, ...] = ()  # packages or inputs pip-audit did not audit, and why
    failed: bool = False  # nothing could be audited: the check cannot pass on vulns


def pinned_rows(con: duckdb.DuckDBPyConnection) -> tuple[list[Pinned], list[str]]:
    """The pinned PyPI rows in the store, and gaps: rows pip-audit cannot be asked about."""
    pinned: list[Pinned] = []
    unsent: dict[str, int] = {}
    for ecosystem, name, version, file, line in con.execute(sql("check_vulns_rows")).fetchall():
        if ecosystem == "PyPI" and version:
            pinned.append(Pinned(name, version, file, line))
        else:
            key = f"{ecosystem} packages" if ecosystem != "PyPI" else "unpinned PyPI requirements"
            unsent[key] = unsent.get(key, 0) + 1
    gaps = [
        f"pip-audit: {n} {what} not audited (it audits pinned PyPI packages only)"
        for what, n in sorted(unsent.items())
    ]
    return sorted(pinned), gaps


def command() -> list[str] | None:
    """``$SCOPER_PIP_AUDIT`` (split like a shell), else pip-audit beside this interpreter
    or on PATH, else None."""
    chosen = os.environ.get(COMMAND_ENV, "").strip()
    if chosen:
        return shlex.split(chosen)
    beside = Path(sys.executable).parent / "pip-audit"
    found = str(beside) if beside.is_file() else shutil.which("pip-audit")
    return [found] if found else None


def _run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=TIMEOUT, check=False)


def audit(
    pinned: Sequence[Pinned],
    folder: Path,
    cmd: Sequence[str] | None,
    runner: Runner = _run,
) -> AuditRun:
    """Run pip-audit over ``pinned`` (a requirements file in ``folder``)."""
    if cmd is None:
        return AuditRun(gaps=(INSTALL_HINT,), failed=True)
    if not pinned:
        return AuditRun(gaps=("pip-audit: no pinned PyPI package to audit",), failed=True)
    wanted = sorted({f"{p.name}=={p.version}" for p in pinned})
    requirements = folder / "pip-audit-requirements.txt"
    requirements.write_text("".join(f"{w}\n" for w in wanted), encoding="utf-8")
    argv = [*cmd, "-r", str(requirements), *ARGS, *ARGS_DETAIL]
    try:
        done = runner(argv)
    except (OSError, subprocess.SubprocessError) as exc:
        return AuditRun(gaps=(f"pip-audit could not run: {exc}",), failed=True)
    report = parse_report(done.stdout)
    if report is None:  # no JSON: pip-audit failed (network, service, bad input)
        return AuditRun(gaps=(f"pip-audit failed: {_last_words(done)}",), failed=True)
    vulns, skipped = report
    gaps = tuple(f"pip-audit did not audit {name}: {why}" for name, why in skipped)
    audited = len(wanted) - len(skipped)
    if audited <= 0:
        gaps = (f"pip-audit audited nothing: none of {len(wanted)} packages looked up", *gaps)
    return AuditRun(tuple(vulns), max(audited, 0), gaps, audited <= 0)


def _last_words(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    return f"exit {done.returncode}: {lines[-1] if lines else 'no output'}"


def _normal(version: str) -> str:
    """PEP 440 normal form (pip-audit prints ``1.0.post1`` for a pinned ``1.0-1``)."""
    try:
        return str(Version(version))
    except InvalidVersion:
        return version


def merge(result: CheckResult, run: AuditRun, pinned: Sequence[Pinned]) -> CheckResult:
    """The check result with one confirmed finding per vulnerability and pinning row."""
    rows: dict[tuple[str, str], list[Pinned]] = {}
    for p in pinned:
        rows.setdefault((p.name, _normal(p.version)), []).append(p)
    added = [
        CheckFinding(p.file, p.line, p.name, p.version, v.id, "confirmed", v.fact())
        for v in run.vulnerabilities
        for p in rows.get((v.package, _normal(v.version)), ())
    ]
    return replace(
        result,
        findings=tuple(sorted({*result.findings, *added})),
        warnings=tuple(sorted({*result.warnings, *run.gaps})),
        vulns=tuple(sorted({*result.vulns, *run.vulnerabilities})),
    )
