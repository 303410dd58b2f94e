"""GitHub Actions run-log archives (logs_<run_id>.zip)."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations
from hypothesis import HealthCheck, given, settings

from scoper.errors import InputError
from scoper.inputs import claimant
from scoper.model import Origin, Records
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


ZIP_SHA = hashlib.sha256(ZIP.read_bytes()).hexdigest()[:16]
TEST_ID = (
    "github:acme/llm-gateway/runs/14055512345/attempts/unknown/jobs/test (3.11)/evidence/" + ZIP_SHA
)
LINT_ID = f"github:unknown/unknown/runs/14055512345/attempts/unknown/jobs/lint/evidence/{ZIP_SHA}"


def test_archive_one_session_per_job_with_run_id_from_the_name() -> None:
    records = parse(ARCHIVE, ZIP)
    sessions = {s.session_id: s for s in records.sessions}
    assert set(sessions) == {TEST_ID, LINT_ID}  # repo from "Job defined at"; no attempt
    test = sessions[TEST_ID]
    assert test.host == "GitHub Actions 1000000417"
    assert test.kind == "ci"
    assert test.origin == Origin("logs_14055512345.zip!/0_test (3.11).txt", 1)
    assert test.started_at is not None and test.started_at.isoformat().startswith(
        "2026-03-24T10:58:01"
    )
    assert sessions[LINT_ID].host == "build-runner-07"


def test_archive_job_file_and_step_files_are_one_session_read_once() -> None:
    records = parse(ARCHIVE, ZIP)
    installs = [(e.session_id, e.package) for e in records.events if e.kind == "install"]
    assert len(installs) == len(set(installs))  # the step files' lines are not counted again
    found = {(e.session_id, e.package): e for e in records.events if e.kind == "install"}
    litellm = found[(TEST_ID, "litellm")]
    assert (litellm.version, litellm.origin) == (
        "1.82.8",
        Origin("logs_14055512345.zip!/0_test (3.11).txt", 44),  # the job file's line
    )
    assert found[(LINT_ID, "litellm")].version == "1.82.7"
    assert found[(LINT_ID, "litellm")].origin.file == "logs_14055512345.zip!/1_lint.txt"
    assert found[(TEST_ID, "requests")].version == "2.31.0"
    assert all("/test (3.11)/" not in e.origin.file for e in records.events)
    actions = {(e.package, e.version) for e in records.events if e.ecosystem == "GitHub Actions"}
    assert ("actions/checkout", "v4") in actions
    notes = [s for s in records.skipped if s.informational and "step logs" in s.reason]
    assert [n.origin.file for n in notes] == ["logs_14055512345.zip!/0_test (3.11).txt"]


def test_step_files_give_what_the_job_file_lacks(tmp_path: Path) -> None:
    path = tmp_path / "logs_9.zip"
    with zipfile.ZipFile(ZIP) as src, zipfile.ZipFile(path, "w") as out:
        whole = src.read("0_test (3.11).txt").decode("utf-8").splitlines(keepends=True)
        out.writestr("0_test (3.11).txt", "".join(whole[:40]))  # cut before the Install step
        for name in src.namelist():
            if name.startswith("test (3.11)/"):
                out.writestr(name, src.read(name))
    records = parse(ARCHIVE, path)
    [session] = records.sessions
    litellm = next(e for e in records.events if e.package == "litellm")
    assert (litellm.version, litellm.origin) == (
        "1.82.8",
        Origin("logs_9.zip!/test (3.11)/4_Install.txt", 1),  # its Run line
    )
    assert litellm.session_id == session.session_id
    checkout = [e for e in records.events if e.package == "actions/checkout"]
    assert {e.origin.file for e in checkout} == {"logs_9.zip!/0_test (3.11).txt"}


def test_archive_credentials_by_name_and_kind_never_values() -> None:
    records = parse(ARCHIVE, ZIP)
    found = {(c.session_id, c.name, c.harvest_class): c.kind for c in records.credentials}
    assert found[(TEST_ID, "AWS_ACCESS_KEY_ID", "env")] == "aws-access-key"
    assert found[(TEST_ID, "OPENAI_API_KEY", "env")] == "openai-api-key"
    assert found[(TEST_ID, "GITHUB_TOKEN", "git-credentials")] == "github-token"
    assert found[(LINT_ID, "GITHUB_TOKEN", "ci-secrets")] == "github-token"
    assert found[(LINT_ID, "UV_PUBLISH_TOKEN", "env")] == "pypi-token"
    assert_no_secrets(records, SECRETS)


def test_two_archives_never_merge(tmp_path: Path) -> None:
    renamed = tmp_path / "run-logs.zip"
    shutil.copy(ZIP, renamed)
    ids = {s.session_id for s in parse(ARCHIVE, renamed).sessions}
    assert ids == {
        "github:acme/llm-gateway/runs/unknown/attempts/unknown/jobs/test (3.11)/evidence/"
        + ZIP_SHA,
        f"github:unknown/unknown/runs/unknown/attempts/unknown/jobs/lint/evidence/{ZIP_SHA}",
    }
    other = tmp_path / "logs_14055512345.zip"
    with zipfile.ZipFile(ZIP) as src, zipfile.ZipFile(other, "w") as out:
        out.writestr("1_lint.txt", src.read("1_lint.txt") + b"\n")
    [lint] = parse(ARCHIVE, other).sessions
    assert lint.session_id.startswith("github:unknown/unknown/runs/14055512345/")
    assert lint.session_id != LINT_ID  # another archive's 1_lint.txt: another session


def test_job_file_only_layout(tmp_path: Path) -> None:
    path = tmp_path / "logs_7.zip"
    with zipfile.ZipFile(ZIP) as src, zipfile.ZipFile(path, "w") as out:
        out.writestr("0_test (3.11).txt", src.read("0_test (3.11).txt"))
        out.writestr("notes.md", "hello")
    records = parse(ARCHIVE, path)
    [session] = records.sessions
    sha = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    assert session.session_id == (
        f"github:acme/llm-gateway/runs/7/attempts/unknown/jobs/test (3.11)/evidence/{sha}"
    )
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
