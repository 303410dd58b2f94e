"""The ``--env`` and ``--vulns`` options of ``scoper check`` (see :mod:`scoper.api_check_env`)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from scoper.api_check_env import MoreChecked, check_more
from scoper.errors import ExitCode, UsageError

__all__ = ["ENV_HELP", "VULNS_HELP", "check_more", "vulns_code", "wanted_paths"]

ENV_HELP = (
    "Check installed environments (pip inspect): the PATHS are interpreters or venv folders; "
    "none: this interpreter."
)
VULNS_HELP = (
    "Add known vulnerabilities (PYSEC, GHSA) from pip-audit (pip install 'scoper\\[audit]')."
)


def wanted_paths(paths: list[Path] | None, env: bool) -> list[Path]:
    """The paths to check; without ``--env`` at least one is needed (exit 2)."""
    if not paths and not env:
        raise UsageError("nothing to check: give lockfiles, SBOMs or folders, or --env")
    return list(paths or [])


def vulns_code(more: MoreChecked, err: Console) -> int:
    """Exit 4 (said on stderr) when ``--vulns`` audited nothing; else 0."""
    if more.vulns_unavailable is None:
        return int(ExitCode.OK)
    err.print(f"[red]error:[/] --vulns: {escape(more.vulns_unavailable)}")
    return int(ExitCode.ADVISORY_DATA)
