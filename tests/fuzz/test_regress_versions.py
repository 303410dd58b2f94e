"""Version strings with a release number too long for int(): not a version, no ValueError."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from scoper.cli import app
from scoper.sources.audit.commands.output import installed_from_output

HUGE = "1." + "9" * 5000


def test_installer_output_with_a_huge_version_is_passed_over() -> None:
    """commands/output.py:_version caught InvalidVersion only (github-actions-log fuzz)."""
    line = f"Successfully installed litellm-{HUGE} six-1.16.0"
    assert installed_from_output(line) == [("six", "1.16.0")]


def test_check_of_a_huge_pinned_version_does_not_crash(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text(f"litellm=={HUGE}\n")
    result = CliRunner().invoke(app, ["check", str(path)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1), result.output
