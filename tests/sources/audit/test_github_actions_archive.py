"""GitHub Actions run-log archives (logs_<run_id>.zip)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations
from hypothesis import HealthCheck, given, settings

from scoper.errors import InputError
from scoper.inputs import claimant
from scoper.model import Records
from scoper.sources.audit import github_actions_archive
from scoper.sources.audit.github_actions_archive import SOURCE as ARCHIVE
from scoper.sources.base import ParseContext, Source

DATA = Path(__file__).resolve().parents[2] / "data" / "github_actions"
ZIP = DATA / "logs_14055512345.zip"
SECRETS = [
    "Idx-Pa55w0rd-Kq81Lm02Zz",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "pypi-AgEIcHlwaS5vcmcCJGRhOWQ2YzQyLTk3ZTEtNDhiMy1hNmI3LWE2YzIzZmY2ZmYxNQ",
]


def parse(source: Source, path: Path) -> Records:
    return source.parse(path, ParseContext(path.name))


def test_detected_by_content() -> None:
    assert claimant(ZIP) is ARCHIVE


def test_archive_one_session_per_job_with_run_id_from_the_name() -> None:
    records = parse(ARCHIVE, ZIP)
    sessions = {s.session_id: s for s in records.sessions}
    assert set(sessions) == {"gha:14055512345:test (3.11)", "gha:14055512345:lint"}
    test = sessions["gha:14055512345:test (3.11)"]
    assert test.host == "GitHub Actions 1000000417"
    assert test.kind == "ci"
    assert test.started_at is not None and test.started_at.isoformat().startswith(
        "2026-03-24T10:58:01"
    )
    assert sessions["gha:14055512345:lint"].host == "build-runner-07"


def test_archive_installs_with_evidence_inside_the_archive() -> None:
    records = parse(ARCHIVE, ZIP)
    installs = {(e.session_id, e.package): e for e in records.events if e.kind == "install"}
    litellm = installs[("gha:14055512345:test (3.11)", "litellm")]
    assert litellm.version == "1.82.8"
    assert litellm.origin.file == "logs_14055512345.zip!/test (3.11)/4_Install.txt"
    assert installs[("gha:14055512345:lint", "litellm")].version == "1.82.7"
    assert (
        installs[("gha:14055512345:lint", "litellm")].origin.file
        == "logs_14055512345.zip!/1_lint.txt"
    )
    assert installs[("gha:14055512345:test (3.11)", "requests")].version == "2.31.0"
    actions = {(e.package, e.version) for e in records.events if e.ecosystem == "GitHub Actions"}
    assert ("actions/checkout", "v4") in actions
    # the whole-job file duplicates its step files: read once, said so
    [note] = [s for s in records.skipped if s.informational]
    assert note.origin.file == "logs_14055512345.zip!/0_test (3.11).txt"


def test_archive_credentials_by_name_and_kind_never_values() -> None:
    records = parse(ARCHIVE, ZIP)
    found = {(c.session_id, c.name): c.kind for c in records.credentials}
    assert found[("gha:14055512345:test (3.11)", "AWS_ACCESS_KEY_ID")] == "aws-access-key"
    assert found[("gha:14055512345:test (3.11)", "OPENAI_API_KEY")] == "openai-api-key"
    assert found[("gha:14055512345:lint", "UV_PUBLISH_TOKEN")] == "pypi-token"
    assert_no_secrets(records, SECRETS)


def test_two_archives_never_merge(tmp_path: Path) -> None:
    renamed = tmp_path / "run-logs.zip"
    shutil.copy(ZIP, renamed)
    ids = {s.session_id for s in parse(ARCHIVE, renamed).sessions}
    assert all(i.startswith("gha:zip-") for i in ids)
    assert ids.isdisjoint(s.session_id for s in parse(ARCHIVE, ZIP).sessions)


def test_job_file_only_layout(tmp_path: Path) -> None:
    path = tmp_path / "logs_7.zip"
    with zipfile.ZipFile(ZIP) as src, zipfile.ZipFile(path, "w") as out:
        out.writestr("0_test (3.11).txt", src.read("0_test (3.11).txt"))
        out.writestr("notes.md", "hello")
    records = parse(ARCHIVE, path)
    [session] = records.sessions
    assert session.session_id == "gha:7:test (3.11)"
    assert any(e.origin.file == "logs_7.zip!/0_test (3.11).txt" for e in records.events)
    assert any(s.origin.file == "logs_7.zip!/notes.md" for s in records.skipped)


def test_broken_and_oversized_archives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "logs_1.zip"
    broken.write_bytes(ZIP.read_bytes()[:200])
    with pytest.raises(InputError):
        parse(ARCHIVE, broken)
    monkeypatch.setattr(github_actions_archive, "MAX_MEMBERS", 3)
    with pytest.raises(InputError, match="members"):
        parse(ARCHIVE, ZIP)


@given(line_mutations(ZIP.read_bytes()))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzz_mutated_archive(data: bytes) -> None:
    assert_only_input_errors(ARCHIVE, data, "logs_1.zip")
