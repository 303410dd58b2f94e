"""``scoper check --env [PYTHON]``: gate an installed environment, not a lockfile.

The interpreter's ``python -m pip inspect`` report is read by the ``pip-inspect`` source
(the same package rows a lockfile gives); findings then point at the installed
``.dist-info`` folder and say how the package got there (installer, requested, PEP 610
URL and commit for VCS and local installs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from scoper.errors import InputError
from scoper.names import canonical
from scoper.scope.check import CheckFinding, CheckResult
from scoper.sources.base import ParseContext
from scoper.sources.environments.pip_inspect import SOURCE as PIP_INSPECT

REPORT_NAME = "pip-inspect.json"
TIMEOUT = 300  # seconds: pip inspect of a large environment reads every dist-info

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


@dataclass(frozen=True, slots=True)
class Installed:
    """Where and how one distribution is installed."""

    location: str | None
    installer: str | None = None
    requested: bool | None = None
    source_url: str | None = None
    commit: str | None = None

    def describe(self) -> str:
        """``installed by pip, requested, from git+https://...@<commit>``."""
        parts = [f"installed by {self.installer}" if self.installer else "installer unknown"]
        if self.requested is not None:
            parts.append("requested" if self.requested else "a dependency")
        if self.source_url:
            parts.append(f"from {self.source_url}" + (f"@{self.commit}" if self.commit else ""))
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Inspected:
    """One environment's pip inspect report, written to ``report`` for ingest."""

    python: str
    report: Path
    installed: Mapping[tuple[str, str], Installed]  # (canonical name, version)


def resolve_python(target: str | None) -> Path:
    """The interpreter to inspect: ``target`` (an interpreter or a venv folder), else ours."""
    if not target:
        return Path(sys.executable)
    path = Path(target).expanduser()
    if path.is_dir():
        for candidate in (path / "bin" / "python", path / "Scripts" / "python.exe"):
            if candidate.is_file():
                return candidate
        raise InputError(target, "not a virtual environment: no bin/python or Scripts/python.exe")
    if not path.is_file():
        raise InputError(target, "no such interpreter or environment folder")
    return path


def _run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    return subprocess.run(
        list(argv), capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False
    )


def inspect(python: Path, folder: Path, runner: Runner = _run) -> Inspected:
    """Run ``python -m pip inspect`` and keep its report in ``folder``.

    An interpreter that cannot run, has no pip, or a pip without ``inspect`` (< 22.2) is
    an input error (exit 3) naming the interpreter and pip's last words.
    """
    shown = str(python)
    try:
        done = runner([shown, "-m", "pip", "inspect"])
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(shown, f"cannot run pip inspect: {exc}") from exc
    if done.returncode != 0:
        last = [line for line in done.stderr.splitlines() if line.strip()][-1:] or ["no output"]
        raise InputError(shown, f"pip inspect failed (exit {done.returncode}): {last[0].strip()}")
    report = folder / REPORT_NAME
    report.write_text(done.stdout, encoding="utf-8")
    return Inspected(shown, report, installed(report, shown))


def installed(report: Path, python: str) -> dict[tuple[str, str], Installed]:
    """Location and origin of each distribution, from the pip-inspect source's own rows
    (plus ``installer``, which the package rows do not carry)."""
    records = PIP_INSPECT.parse(report, ParseContext(display=python))
    installers = _installers(report)
    found: dict[tuple[str, str], Installed] = {}
    for p in records.packages:
        if p.version is None:
            continue
        key = (p.name, p.version)
        found[key] = Installed(p.location, installers.get(key), p.direct, p.source_url, p.commit)
    return found


def _installers(report: Path) -> dict[tuple[str, str], str]:
    doc = json.loads(report.read_text(encoding="utf-8"))
    found: dict[tuple[str, str], str] = {}
    for entry in doc.get("installed") or []:
        meta = entry.get("metadata") if isinstance(entry, dict) else None
        if not isinstance(meta, dict):
            continue
        name, version, by = meta.get("name"), meta.get("version"), entry.get("installer")
        if isinstance(name, str) and isinstance(version, str) and isinstance(by, str) and by:
            found[(canonical("PyPI", name), version.strip())] = by.strip()
    return found


def relocate(result: CheckResult, inspected: Inspected) -> CheckResult:
    """Findings of the temporary report point at the installed dist-info instead."""
    temp = str(inspected.report)
    findings = tuple(
        sorted(_relocated(f, inspected) if f.file == temp else f for f in result.findings)
    )
    shown = f"{inspected.python} (pip inspect)"
    warnings = tuple(w.replace(temp, shown) for w in result.warnings)
    return replace(result, findings=findings, warnings=warnings)


def _relocated(f: CheckFinding, inspected: Inspected) -> CheckFinding:
    where = inspected.installed.get((canonical("PyPI", f.package), f.version))
    shown = f"{inspected.python} (pip inspect)"
    if where is None:
        return replace(f, file=shown, line=None)
    fact = f"{f.fact}; {where.describe()}; pip inspect of {inspected.python}"
    return replace(f, file=where.location or shown, line=None, fact=fact)
