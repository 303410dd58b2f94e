"""GitHub Actions job logs: job session, Run steps, installer output, actions, secrets."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations
from hypothesis import HealthCheck, given, settings

from scoper.errors import InputError
from scoper.model import Alias, Event, IdentityLink, Origin, Records
from scoper.sources.audit.github_actions import SOURCE
from scoper.sources.base import ParseContext
from scoper.sources.reading import read_head

DATA = Path(__file__).resolve().parents[2] / "data" / "github_actions"
JOB = DATA / "job-test.log"
SELF_HOSTED = DATA / "self-hosted-build.txt"
SESSION = "github:acme/llm-gateway/runs/14055512345/attempts/2/jobs/41234567890"
PY = "/opt/hostedtoolcache/Python/3.11.9/x64"
SECRETS = [
    "Idx-Pa55w0rd-Kq81Lm02Zz",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "pypi-AgEIcHlwaS5vcmcCJGRhOWQ2YzQyLTk3ZTEtNDhiMy1hNmI3LWE2YzIzZmY2ZmYxNQ",
]


def parse(path: Path, host: str | None = None) -> Records:
    return SOURCE.parse(path, ParseContext(path.name, host=host))


def installs(records: Records) -> dict[str, Event]:
    return {e.package: e for e in records.events if e.kind == "install" and e.package}


def test_sniff() -> None:
    assert SOURCE.sniff(JOB, read_head(JOB))  # with a UTF-8 BOM
    assert SOURCE.sniff(SELF_HOSTED, read_head(SELF_HOSTED))
    assert SOURCE.sniff(DATA / "jobs-of-run.json", read_head(DATA / "jobs-of-run.json"))
    assert not SOURCE.sniff(Path("x.log"), b"2026-03-24T10:58:01Z no seven digits\n")
    assert not SOURCE.sniff(Path("x.json"), b'{"bomFormat": "CycloneDX"}')


def test_job_session_from_the_json_beside_the_log() -> None:
    [session] = parse(JOB).sessions
    assert (session.session_id, session.host, session.kind) == (
        SESSION,
        "GitHub Actions 1000000417",
        "ci",
    )
    assert session.started_at == datetime(2026, 3, 24, 10, 58, 2, tzinfo=UTC)
    assert session.ended_at == datetime(2026, 3, 24, 10, 58, 33, tzinfo=UTC)


def test_session_from_file_name_and_runner_line_qualified_by_content() -> None:
    records = parse(SELF_HOSTED)
    [session] = records.sessions
    sha = hashlib.sha256(SELF_HOSTED.read_bytes()).hexdigest()[:16]
    assert sha == "56e02ce9e907c4b2"
    assert (session.session_id, session.host) == (
        f"github:unknown/unknown/runs/unknown/attempts/unknown/jobs/self-hosted-build/evidence/{sha}",
        "build-runner-07",
    )
    [note] = [s for s in records.skipped if s.informational]
    assert note.reason.startswith("no repository, run id, attempt in this input")
    assert session.started_at == datetime(2026, 3, 24, 11, 20, tzinfo=UTC)
    assert session.ended_at == datetime(2026, 3, 24, 11, 20, 10, tzinfo=UTC)


def test_run_step_commands_and_resolved_versions() -> None:
    records = parse(JOB)
    found = installs(records)
    litellm = found["litellm"]
    assert (litellm.version, litellm.spec, litellm.origin.line) == ("1.82.8", ">=1.80", 44)
    assert litellm.detail["output_line"] == 65 and litellm.environment == PY
    assert litellm.detail["index_urls"] == ["https://***@pypi.acme.internal/simple"]
    assert found["pip"].version == "26.0.1"  # upgraded: the last output line wins
    assert {
        n: (e.version, e.origin.line)
        for n, e in found.items()
        if n in ("requests", "certifi", "openai")
    } == {"requests": ("2.31.0", 61), "certifi": ("2026.1.4", 62), "openai": ("2.1.0", 65)}
    [from_file] = [e for e in records.events if e.detail.get("requirement_files")]
    assert from_file.package is None and from_file.detail["requirement_files"] == [
        "requirements.txt"
    ]
    assert [e.program for e in records.events if e.kind == "exec" and e.program] == [
        "python",
        "pip",
        "pip",
        "pytest",
    ]
    assert all(e.session_id == SESSION for e in records.events)


def test_actions_used() -> None:
    actions = [
        (e.package, e.version, e.detail.get("sha"), e.origin.line)
        for e in parse(JOB).events
        if e.ecosystem == "GitHub Actions"
    ]
    checkout = "34e114876b0b11c390a56381ad16ebd13914f8d5"
    setup = "a26af69be951a213d495a4c3e4e4022e16d87065"
    assert actions == [
        ("actions/checkout", "v4", checkout, 26),
        ("actions/setup-python", "v5", setup, 27),
        ("actions/checkout", "v4", checkout, 29),
        ("actions/setup-python", "v5", setup, 37),
    ]
    [uv] = {
        (e.package, e.detail.get("sha"))
        for e in parse(SELF_HOSTED).events
        if e.ecosystem == "GitHub Actions"
    }
    assert uv == ("astral-sh/setup-uv", "bd01e18f51369d5a26f1651c3cb451d3417e3bba")


def test_secrets_by_name() -> None:
    creds = {(c.name, c.harvest_class): c for c in parse(JOB).credentials}
    assert set(creds) == {
        ("GITHUB_TOKEN", "git-credentials"),
        ("token", "process-memory"),
        ("OPENAI_API_KEY", "env"),
        ("DEPLOY_HOOK", "env"),
        ("AWS_ACCESS_KEY_ID", "env"),
        ("AWS_SECRET_ACCESS_KEY", "env"),
        ("GITHUB_TOKEN", "env"),
    }
    assert creds[("OPENAI_API_KEY", "env")].fingerprint is None  # masked: no value seen
    assert creds[("DEPLOY_HOOK", "env")].kind == "generic-secret"
    secret = creds[("AWS_SECRET_ACCESS_KEY", "env")]
    assert secret.fingerprint and secret.origin.line == 55
    assert creds[("AWS_ACCESS_KEY_ID", "env")].key_id == "AKIAIOSFODNN7EXAMPLE"
    assert all(c.session_id == SESSION for c in creds.values())


def test_self_hosted_uv_poetry_and_python_shell() -> None:
    records = parse(SELF_HOSTED)
    found = installs(records)
    assert (found["litellm"].version, found["litellm"].environment) == ("1.82.7", "/srv/ci/.venv")
    assert found["httpx"].origin.line == 19
    assert {n: found[n].version for n in ("telnyx", "attrs")} == {
        "telnyx": "4.87.1",
        "attrs": "25.1.0",
    }
    imports = [(e.module, e.environment) for e in records.events if e.kind == "import"]
    assert imports == [("yaml", "/srv/ci/.venv"), ("sys", "/srv/ci/.venv")]
    assert [(s.origin.line, s.reason) for s in records.skipped if not s.informational] == [
        (33, "line without a valid timestamp")
    ]
    assert [(c.name, c.kind, c.harvest_class) for c in records.credentials] == [
        ("GITHUB_TOKEN", "github-token", "ci-secrets"),  # every job holds one
        ("UV_PUBLISH_TOKEN", "pypi-token", "env"),
    ]


def test_no_secret_value_is_kept() -> None:
    for path in (JOB, SELF_HOSTED):
        records = parse(path)
        assert_no_secrets(records, SECRETS)
        assert all("Pa55w0rd" not in (e.command or "") for e in records.events)


def test_job_json_alone_and_beside_its_log(tmp_path: Path) -> None:
    [session] = parse(DATA / "jobs-of-run.json").sessions
    assert (session.session_id, session.host) == (
        "github:acme/llm-gateway/runs/14055512345/attempts/2/jobs/41234567999",
        "GitHub Actions 1000000420",
    )
    [token] = parse(DATA / "jobs-of-run.json").credentials  # every job holds one
    assert (token.name, token.harvest_class, token.session_id) == (
        "GITHUB_TOKEN",
        "ci-secrets",
        session.session_id,
    )
    assert parse(DATA / "job-test.log.json").count() == 0  # read with job-test.log
    bad = tmp_path / "job.log.json"
    bad.write_text('{"jobs": 3}')
    with pytest.raises(InputError):
        parse(bad)


def test_not_a_job_log(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\nworld\n")
    with pytest.raises(InputError, match="line 1"):
        parse(path)


@given(line_mutations(SELF_HOSTED.read_bytes()))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzz_mutated_log(data: bytes) -> None:
    assert_only_input_errors(SOURCE, data, "job.txt")


@given(line_mutations(JOB.read_bytes()))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzz_mutated_log_with_bom(data: bytes) -> None:
    assert_only_input_errors(SOURCE, data, "job.log")


def test_forced_format_reads_the_other_shapes() -> None:
    for name in ("logs_14055512345.zip", "gh-run-view.log"):
        records = parse(DATA / name)
        jobs = {s.session_id.split("/jobs/")[1].split("/evidence/")[0] for s in records.sessions}
        assert jobs == {"test (3.11)", "lint"}


RELEASE = DATA / "release-oidc.txt"
RELEASE_ID = (
    "github:acme/llm-gateway/runs/unknown/attempts/unknown/jobs/release / publish/evidence/"
    + hashlib.sha256(RELEASE.read_bytes()).hexdigest()[:16]
)


def test_github_token_with_its_permissions() -> None:
    records = parse(JOB)
    [token] = [c for c in records.credentials if c.harvest_class == "git-credentials"]
    assert (token.name, token.kind, token.session_id, token.origin.line) == (
        "GITHUB_TOKEN",
        "github-token",
        SESSION,
        18,
    )
    [held] = [e for e in records.events if e.kind == "credential"]
    assert held.detail == {
        "credential": "GITHUB_TOKEN",
        "permissions": {"Contents": "read", "Metadata": "read"},
    }
    assert (held.session_id, held.origin.line) == (SESSION, 18)
    assert records.identity_links == []  # no IdToken: write, no OIDC token


def test_oidc_token_of_a_reusable_workflow_job_has_the_callers_subject() -> None:
    records = parse(RELEASE)
    [session] = records.sessions
    assert (session.session_id, session.host) == (RELEASE_ID, "GitHub Actions 1000000512")
    creds = {c.name: (c.kind, c.harvest_class, c.origin.line) for c in records.credentials}
    assert creds["GITHUB_TOKEN"] == ("github-token", "git-credentials", 21)
    assert creds["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] == ("github-oidc", "env", 23)
    [link] = records.identity_links
    assert link == IdentityLink(
        rule="minted-for",
        source=Alias("held", "github-oidc"),
        target=Alias("oidc-subject", "repo:acme/llm-gateway:ref:refs/tags/v1.4.0"),
        origin=Origin("release-oidc.txt", 23),
        confidence="confirmed",
        session_id=RELEASE_ID,
        host="GitHub Actions 1000000512",
        ts=datetime(2026, 3, 24, 12, 5, 0, 914000, tzinfo=UTC),
        fact=f"job {RELEASE_ID} can mint OIDC tokens with subject "
        "repo:acme/llm-gateway:ref:refs/tags/v1.4.0",
    )


def test_oidc_subject_needs_repo_and_ref(tmp_path: Path) -> None:
    text = RELEASE.read_text(encoding="utf-8-sig").splitlines()
    lines = [line for line in text if "workflows/" not in line and "fetch --no-tags" not in line]
    path = tmp_path / "1_release.txt"
    path.write_text("\n".join(lines) + "\n")
    records = parse(path)
    assert "ACTIONS_ID_TOKEN_REQUEST_TOKEN" in {c.name for c in records.credentials}
    assert records.identity_links == []  # neither repo nor ref read: no subject guessed


def test_oidc_ref_from_the_default_checkout(tmp_path: Path) -> None:
    text = RELEASE.read_text(encoding="utf-8-sig").splitlines()
    kept = [line for line in text if "workflows/" not in line]
    kept.insert(1, kept[0][:29] + "Job defined at: acme/api/.github/workflows/ci.yml@main")
    path = tmp_path / "1_release.txt"
    path.write_text("\n".join(kept) + "\n")
    [link] = parse(path).identity_links
    assert link.target == Alias("oidc-subject", "repo:acme/api:ref:refs/tags/v1.4.0")


def test_installs_from_output_lines_alone() -> None:
    records = parse(RELEASE)
    found = [
        (e.kind, e.package, e.version, e.spec, e.origin.line, e.detail.get("installer"))
        for e in records.events
        if e.kind in ("install", "uninstall") and e.package
    ]
    assert found == [
        ("install", "build", "1.2.2", "==1.2.2", 47, "pip"),  # `make` ran pip: no command
        ("install", "twine", "6.1.0", ">=5", 51, "pip"),  # .whl.metadata is not an install
        ("install", "packaging", "24.2", None, 52, "pip"),
        ("uninstall", "attrs", "23.2.0", None, 65, "uv"),
        ("install", "attrs", "25.1.0", None, 66, "uv"),
        ("install", "litellm", "1.82.8", None, 67, "uv"),
    ]
    twine = next(e for e in records.events if e.package == "twine")
    assert twine.ts == datetime(2026, 3, 24, 12, 5, 1, 950000, tzinfo=UTC)
    assert (twine.session_id, twine.command) == (RELEASE_ID, "make release-deps")  # the step


def test_output_confirms_the_command_and_gives_its_version(tmp_path: Path) -> None:
    records = parse(JOB)
    litellm = [e for e in records.events if e.package == "litellm"]
    assert [(e.version, e.spec, e.origin.line) for e in litellm] == [("1.82.8", ">=1.80", 44)]
    pins = [e for e in records.events if e.package == "requests"]
    assert [(e.version, e.origin.line) for e in pins] == [("2.31.0", 61)]  # one event


def _build_log(repo: str, version: str) -> str:
    return (
        f"2026-03-24T10:00:00.0000000Z Job defined at: {repo}/.github/workflows/ci.yml"
        "@refs/heads/main\n"
        "2026-03-24T10:00:01.0000000Z Complete job name: build\n"
        "2026-03-24T10:00:02.0000000Z ##[group]Run make\n"
        "2026-03-24T10:00:02.0000001Z shell: /usr/bin/bash -e {0}\n"
        "2026-03-24T10:00:02.0000002Z ##[endgroup]\n"
        f"2026-03-24T10:00:03.0000000Z Successfully installed litellm-{version}\n"
    )


def test_two_downloaded_1_build_txt_never_merge(tmp_path: Path) -> None:
    sessions = {}
    for repo, version in (("acme/api", "1.82.7"), ("other/tool", "1.82.8")):
        path = tmp_path / repo.replace("/", "-") / "1_build.txt"
        path.parent.mkdir()
        path.write_text(_build_log(repo, version))
        [session] = parse(path).sessions
        sha = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        assert session.session_id == (
            f"github:{repo}/runs/unknown/attempts/unknown/jobs/build/evidence/{sha}"
        )
        sessions[session.session_id] = repo
    assert len(sessions) == 2
    # the same job log copied to another place is the same evidence: the same session
    copy = tmp_path / "copy" / "1_build.txt"
    copy.parent.mkdir()
    copy.write_bytes((tmp_path / "acme-api" / "1_build.txt").read_bytes())
    assert parse(copy).sessions[0].session_id in sessions
