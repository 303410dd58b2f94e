"""check --vulns: pip-audit's known vulnerabilities join the check report; its failures are
coverage gaps (exit 4 when nothing was audited), never passes. pip-audit is replayed from
recorded runs through a fake executable (no network); its real CLI is checked when installed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scoper.cli import app
from scoper.errors import ExitCode
from scoper.scope import check_vulns
from scoper.scope.check import CheckResult
from scoper.scope.check_vulns_report import Vulnerability, parse_report

DATA = Path(__file__).resolve().parent / "data"
RUNS = DATA / "pip_audit_runs"
REPORT = DATA / "pip_audit" / "pip-audit.json"
REQUIREMENTS = "requests==2.19.0\nidna==3.7\nacme-tool==0.3.0\n"


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point scoper at the fake pip-audit; returns the log file it writes."""
    log = tmp_path / "fake-log.json"
    monkeypatch.setenv(check_vulns.COMMAND_ENV, f"{sys.executable} {RUNS / 'fake_pip_audit.py'}")
    monkeypatch.setenv("FAKE_LOG", str(log))
    return log


def _check(tmp_path: Path, *args: str, text: str = REQUIREMENTS) -> tuple[int, str, str]:
    req = tmp_path / "requirements.txt"
    req.write_text(text)
    result = CliRunner().invoke(app, ["check", str(req), "--vulns", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_report_gives_ids_aliases_fixes_and_skips() -> None:
    parsed = parse_report(REPORT.read_text())
    assert parsed is not None
    vulns, skipped = parsed
    aliases = ("CVE-2018-18074", "GHSA-x84v-xcm2-53pg")
    assert Vulnerability("PYSEC-2018-28", "requests", "2.19.0", aliases, ("2.20.0",)) in vulns
    assert [v.id for v in vulns] == ["PYSEC-2018-28", "PYSEC-2026-2"]
    assert skipped == [
        ("acme-tool", "Dependency not found on PyPI and could not be audited: acme-tool (0.3.0)")
    ]


def test_the_legacy_bare_list_is_read_and_non_json_is_none() -> None:
    parsed = parse_report((DATA / "pip_audit" / "pip-audit-legacy.json").read_text())
    assert parsed is not None
    assert [(v.package, v.id, v.fix_versions) for v in parsed[0]] == [
        ("flask", "PYSEC-2018-66", ("0.12.3",)),
        ("flask", "PYSEC-2019-179", ("1.0",)),
    ]
    assert parse_report("") is None and parse_report("No known vulnerabilities") is None


def test_vulns_are_findings_at_their_lines_in_json(
    tmp_path: Path, fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_STDOUT", str(REPORT))
    monkeypatch.setenv("FAKE_RC", "1")  # pip-audit exits 1 when it found vulnerabilities
    code, out, _ = _check(tmp_path, "-f", "json")
    assert code == ExitCode.FINDINGS
    doc = json.loads(out)
    [row] = [f for f in doc["findings"] if f["advisory"] == "PYSEC-2018-28"]
    assert (row["file"].endswith("requirements.txt"), row["line"], row["package"]) == (
        True,
        1,
        "requests",
    )
    assert row["fails"] and row["confidence"] == "confirmed"
    assert "CVE-2018-18074" in row["fact"] and "fixed in: 2.20.0" in row["fact"]
    assert doc["vulnerabilities"][0] == {
        "id": "PYSEC-2018-28",
        "package": "requests",
        "version": "2.19.0",
        "aliases": ["CVE-2018-18074", "GHSA-x84v-xcm2-53pg"],
        "fix_versions": ["2.20.0"],
    }
    assert any("did not audit acme-tool" in w for w in doc["warnings"])
    log = json.loads(fake.read_text())
    assert log["requirements"] == "acme-tool==0.3.0\nidna==3.7\nrequests==2.19.0\n"
    assert {"--no-deps", "--disable-pip", "json", "--aliases"} <= set(log["argv"])


def test_vulns_have_their_own_sarif_rules(
    tmp_path: Path, fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_STDOUT", str(REPORT))
    code, out, _ = _check(tmp_path, "-f", "sarif")
    assert code == ExitCode.FINDINGS
    run = json.loads(out)["runs"][0]
    rules = {r["id"]: r["shortDescription"]["text"] for r in run["tool"]["driver"]["rules"]}
    assert rules["PYSEC-2018-28"] == "known vulnerability (PYSEC-2018-28, reported by pip-audit)"
    [hit] = [r for r in run["results"] if r["ruleId"] == "PYSEC-2018-28"]
    assert hit["level"] == "error"
    assert hit["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_a_failed_run_is_a_gap_and_exit_4(
    tmp_path: Path, fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_STDERR", str(RUNS / "osv-offline.stderr"))
    monkeypatch.setenv("FAKE_RC", "1")
    code, out, err = _check(tmp_path, "-f", "json")
    assert code == ExitCode.ADVISORY_DATA
    assert "error: --vulns: pip-audit failed: exit 1: requests.exceptions.ConnectionError" in err
    assert any(w.startswith("pip-audit failed: exit 1:") for w in json.loads(out)["warnings"])


def test_all_skipped_is_not_a_pass(
    tmp_path: Path, fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recorded offline run exits 0 saying "No known vulnerabilities found"."""
    monkeypatch.setenv("FAKE_STDOUT", str(RUNS / "pypi-offline.json"))
    code, out, err = _check(tmp_path, "-f", "json", text="requests==2.19.0\n")
    assert code == ExitCode.ADVISORY_DATA
    assert "pip-audit audited nothing" in err
    assert json.loads(out)["passed"] is True  # no failing finding, but the exit says why not


def test_a_bad_version_still_fails_when_pip_audit_failed(
    tmp_path: Path, fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_RC", "1")
    code, _, _ = _check(tmp_path, text="litellm==1.82.8\n")
    assert code == ExitCode.FINDINGS


def test_absent_pip_audit_says_how_to_install_and_exits_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check_vulns, "command", lambda: None)
    code, _, err = _check(tmp_path)
    assert code == ExitCode.ADVISORY_DATA
    assert "pip-audit is not installed" in err and "scoper[audit]" in err


def test_a_command_that_cannot_start_is_a_gap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(check_vulns.COMMAND_ENV, str(tmp_path / "no-such-pip-audit"))
    code, _, err = _check(tmp_path)
    assert code == ExitCode.ADVISORY_DATA
    assert "pip-audit could not run" in err


def test_unpinned_and_other_ecosystems_are_named_gaps(
    tmp_path: Path, fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_STDOUT", str(REPORT))
    code, out, _ = _check(tmp_path, "-f", "json", text="requests==2.19.0\nflask>=2\n")
    assert code == ExitCode.FINDINGS
    warnings = json.loads(out)["warnings"]
    assert (
        "pip-audit: 1 unpinned PyPI requirements not audited (it audits pinned PyPI packages only)"
        in warnings
    )
    assert json.loads(fake.read_text())["requirements"] == "requests==2.19.0\n"


def test_without_vulns_pip_audit_is_not_run(
    tmp_path: Path, fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text(REQUIREMENTS)
    result = CliRunner().invoke(app, ["check", str(req), "-f", "json"])
    assert result.exit_code == ExitCode.OK
    assert not fake.exists() and "vulnerabilities" not in json.loads(result.stdout)


def test_the_real_pip_audit_cli_has_the_flags_scoper_passes() -> None:
    """Guards against CLI drift: the installed pip-audit (the `audit` extra, in `dev`)."""
    pytest.importorskip("pip_audit")
    cmd = check_vulns.command()
    assert cmd is not None
    version = subprocess.run([*cmd, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("pip-audit 2.")
    shown = subprocess.run([*cmd, "--help"], capture_output=True, text=True, check=True).stdout
    for flag in (*check_vulns.ARGS, *check_vulns.ARGS_DETAIL, "-r"):
        if flag.startswith("-"):
            assert flag in shown


def test_versions_match_in_pep440_normal_form() -> None:
    """pip-audit prints normalised versions; the finding keeps the row's own text and line."""
    run = check_vulns.AuditRun((Vulnerability("PYSEC-1", "foo", "1.0.post1"),), audited=1)
    pinned = [check_vulns.Pinned("foo", "1.0-1", "requirements.txt", 3)]
    merged = check_vulns.merge(CheckResult((), ()), run, pinned)
    [found] = merged.findings
    assert (found.file, found.line, found.version, found.advisory) == (
        "requirements.txt",
        3,
        "1.0-1",
        "PYSEC-1",
    )
    assert merged.failing("confirmed") == (found,)
