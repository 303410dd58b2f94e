"""`gh run view --log` output: job<TAB>step<TAB>timestamped line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations
from hypothesis import HealthCheck, given, settings

from scoper.errors import InputError
from scoper.inputs import claimant
from scoper.model import Records
from scoper.sources.audit.gh_run_log import SOURCE as GH
from scoper.sources.base import ParseContext, Source

DATA = Path(__file__).resolve().parents[2] / "data" / "github_actions"
GH_LOG = DATA / "gh-run-view.log"
SECRETS = [
    "Idx-Pa55w0rd-Kq81Lm02Zz",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "pypi-AgEIcHlwaS5vcmcCJGRhOWQ2YzQyLTk3ZTEtNDhiMy1hNmI3LWE2YzIzZmY2ZmYxNQ",
]


def parse(source: Source, path: Path) -> Records:
    return source.parse(path, ParseContext(path.name))


def test_detected_by_content() -> None:
    assert claimant(GH_LOG) is GH


def test_gh_run_log_sessions_events_credentials() -> None:
    records = parse(GH, GH_LOG)
    sha = hashlib.sha256(GH_LOG.read_bytes()).hexdigest()[:16]
    sessions = {s.session_id: s for s in records.sessions}
    test_id = (
        f"github:acme/llm-gateway/runs/unknown/attempts/unknown/jobs/test (3.11)/evidence/{sha}"
    )
    lint_id = f"github:unknown/unknown/runs/unknown/attempts/unknown/jobs/lint/evidence/{sha}"
    assert set(sessions) == {test_id, lint_id}  # gh prints no run id: qualified by content
    assert sessions[test_id].host == "GitHub Actions 1000000417"
    assert sessions[lint_id].origin.line == 77
    sessions = {"test (3.11)": sessions[test_id], "lint": sessions[lint_id]}
    installs = {(e.session_id, e.package): e for e in records.events if e.kind == "install"}
    litellm = installs[(sessions["test (3.11)"].session_id, "litellm")]
    assert (litellm.version, litellm.origin.line) == ("1.82.8", 44)  # BOM after the tab
    assert installs[(sessions["lint"].session_id, "telnyx")].version == "4.87.1"
    names = {c.name: c.kind for c in records.credentials}
    assert names["AWS_ACCESS_KEY_ID"] == "aws-access-key"
    assert names["UV_PUBLISH_TOKEN"] == "pypi-token"
    assert_no_secrets(records, SECRETS)


def test_gh_run_log_not_one(tmp_path: Path) -> None:
    path = tmp_path / "run.log"
    path.write_text("hello\tworld\n")
    with pytest.raises(InputError, match="line 1"):
        parse(GH, path)


@given(line_mutations(GH_LOG.read_bytes()))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzz_mutated_gh_log(data: bytes) -> None:
    assert_only_input_errors(GH, data, "run.log")


def test_log_failed_output_without_step_headers_still_gives_installs(tmp_path: Path) -> None:
    path = tmp_path / "failed.log"
    path.write_text(
        "build\tInstall\t2026-03-24T10:58:13.4407713Z Collecting litellm>=1.80\n"
        "build\tInstall\t2026-03-24T10:58:13.5102231Z   Downloading litellm-1.82.8-py3-none-any.whl"
        " (9.1 MB)\n"
        "build\tInstall\t2026-03-24T10:58:19.9902345Z Successfully installed litellm-1.82.8\n"
        "build\tInstall\t2026-03-24T10:58:20.0000000Z ##[error]Process completed with exit code 1\n"
    )
    records = parse(GH, path)
    [session] = records.sessions
    [event] = [e for e in records.events if e.kind == "install"]
    assert (event.package, event.version, event.spec, event.origin.line) == (
        "litellm",
        "1.82.8",
        ">=1.80",
        2,  # the first line that names the version
    )
    assert event.session_id == session.session_id and session.session_id.endswith(
        "/jobs/build/evidence/" + hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    )
