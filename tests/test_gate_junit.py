"""``scoper check --format junit``: a failure per failing finding."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from typer.testing import CliRunner

from scoper.cli import app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "check"


def test_junit_has_a_failure_for_the_bad_pin() -> None:
    run = CliRunner().invoke(app, ["check", str(FIXTURES / "bad-requirements.txt"), "-f", "junit"])
    assert run.exit_code == 1
    suite = ET.fromstring(run.stdout.split("?>", 1)[1])
    assert suite.get("failures") == "1" and suite.get("tests") == "1"
    (failure,) = suite.iter("failure")
    assert failure.get("message") == "litellm 1.82.8: litellm-2025"


def test_junit_clean_file_passes_every_advisory() -> None:
    run = CliRunner().invoke(app, ["check", str(FIXTURES / "good-requirements.txt"), "-f", "junit"])
    assert run.exit_code == 0, run.stderr
    suite = ET.fromstring(run.stdout.split("?>", 1)[1])
    assert suite.get("failures") == "0"
    assert "litellm-2025" in {c.get("name") for c in suite.iter("testcase")}
