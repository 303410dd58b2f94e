"""osquery results log: package inventories, installs/uninstalls, process execs, env credentials."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations
from hypothesis import HealthCheck, given, settings

from scoper.model import Records
from scoper.sources.audit.osquery import SOURCE
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[2] / "data" / "osquery"
NAME = "osqueryd.results.log"
SAMPLE = (DATA / NAME).read_bytes()
VENV_KEY = "osquery:ci-runner-7:PyPI:/opt/app/.venv"
TREE = "osquery:ci-runner-7:tree:4242"


def parse() -> Records:
    return SOURCE.parse(DATA / NAME, ParseContext(NAME))


def test_sniff() -> None:
    assert SOURCE.sniff(DATA / NAME, SAMPLE[:4096])
    assert not SOURCE.sniff(Path("x.json"), b'{"Records": [{"eventSource": "s3"}]}')
    assert not SOURCE.sniff(Path("x.json"), b'{"hostIdentifier": "h"}')


def test_inventory_artifacts_named_by_environment() -> None:
    artifacts = {a.key: a for a in parse().artifacts}
    venv = artifacts[VENV_KEY]
    assert (venv.kind, venv.host) == ("inventory", "ci-runner-7")
    assert venv.environment == "/opt/app/.venv"
    assert venv.created_at == datetime(2026, 3, 20, 9, 46, 40, tzinfo=UTC)
    assert artifacts["osquery:ci-runner-7:PyPI:/usr"].environment == "/usr"  # dist-packages
    assert artifacts["osquery:dev-laptop:npm:/home/alice/web"].host == "dev-laptop"


def test_packages_first_seen() -> None:
    packages = [(p.origin.line, p.ecosystem, p.name, p.version) for p in parse().packages]
    assert packages == [
        (1, "PyPI", "requests", "2.32.3"),
        (2, "PyPI", "litellm", "1.82.6"),
        (4, "PyPI", "litellm", "1.82.7"),
        (5, "npm", "@acme/cli", "2.4.0"),
        (5, "npm", "nx", "21.5.0"),
        (6, "PyPI", "urllib3", "2.2.2"),
    ]
    litellm = next(p for p in parse().packages if p.version == "1.82.7")
    assert litellm.artifact_key == VENV_KEY
    assert litellm.location == (
        "/opt/app/.venv/lib/python3.12/site-packages/litellm-1.82.7.dist-info/"
    )


def test_added_and_removed_rows_are_install_and_uninstall_events() -> None:
    events = [
        (e.origin.line, e.kind, e.package, e.version, e.environment)
        for e in parse().events
        if e.session_id is None
    ]
    assert events == [
        (1, "install", "requests", "2.32.3", "/opt/app/.venv"),
        (2, "install", "litellm", "1.82.6", "/opt/app/.venv"),
        (3, "uninstall", "litellm", "1.82.6", "/opt/app/.venv"),
        (4, "install", "litellm", "1.82.7", "/opt/app/.venv"),
        (6, "install", "urllib3", "2.2.2", "/usr"),
    ]
    first, _, _, upgrade, batched = (e for e in parse().events if e.session_id is None)
    assert first.detail == {"observed": "osquery added", "initial_inventory": True}
    assert upgrade.ts == datetime(2026, 3, 24, 10, 41, 1, tzinfo=UTC)
    assert batched.ts == datetime(2026, 3, 24, 10, 43, 20, tzinfo=UTC)  # numeric unixTime


def test_process_events_exec_and_install_facts() -> None:
    events = [e for e in parse().events if e.session_id]
    pip = events[0]
    assert (pip.kind, pip.program, pip.session_id, pip.origin.line) == ("exec", "python", TREE, 8)
    assert pip.ts == datetime(2026, 3, 24, 10, 41, tzinfo=UTC)  # the event's own time column
    assert pip.command == "/opt/app/.venv/bin/python3 -m pip install litellm==1.82.7"
    installs = [(e.package, e.version, e.spec, e.session_id) for e in events if e.kind == "install"]
    assert installs == [
        ("litellm", "1.82.7", "==1.82.7", TREE),
        ("litellm", None, ">=1.80", "osquery:build-2:tree:900"),
    ]
    child = next(e for e in events if e.kind == "import" and e.module == "litellm")
    assert child.session_id == TREE  # pid 4250's parent is 4242


def test_env_credentials_names_and_fingerprints_only() -> None:
    creds = [(c.origin.line, c.name, c.kind, c.session_id, c.key_id) for c in parse().credentials]
    assert creds == [
        (8, "AWS_ACCESS_KEY_ID", "aws-access-key", TREE, "AKIAIOSFODNN7EXAMPLE"),
        (8, "AWS_SECRET_ACCESS_KEY", "aws-access-key", TREE, None),
        (8, "GITHUB_TOKEN", "github-token", TREE, None),
        (11, "OPENAI_API_KEY", "openai-api-key", TREE, None),
    ]
    assert all(c.fingerprint and c.fingerprint.startswith("fp:") for c in parse().credentials)
    assert_no_secrets(
        parse(),
        [
            "PLANTEDosqueryAWSsecret0123456789abcdefgh",
            "ghp_PLANTEDosqueryGITHUBtoken0123456789ab",
            "sk-proj-PLANTEDosqueryOPENAIkey0123456789abcd",
        ],
    )


def test_sessions_per_process_tree() -> None:
    sessions = {s.session_id: s for s in parse().sessions}
    assert set(sessions) == {TREE, "osquery:build-2:tree:900"}
    assert sessions[TREE].started_at == datetime(2026, 3, 24, 10, 41, tzinfo=UTC)


def test_skipped_and_counted() -> None:
    assert [(s.origin.line, s.reason) for s in parse().skipped] == [
        (7, "invalid JSON: Expecting value"),
        (15, "PyPI package row without a name"),
        (12, "2 deb_packages row(s) not used"),
        (14, "1 pack_osquery-monitoring_schedule row(s) not used"),
    ]


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=line_mutations(SAMPLE))
def test_fuzz_mutated_sample(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, NAME)


LEGACY = DATA / "legacy-hostname.log"


def test_legacy_hostname_envelope_keeps_hosts_apart() -> None:
    assert SOURCE.sniff(LEGACY, LEGACY.read_bytes()[:4096])
    records = SOURCE.parse(LEGACY, ParseContext("legacy-hostname.log"))
    sessions = {s.session_id: s.host for s in records.sessions}
    assert sessions["osquery:build-a.local:tree:97830"] == "build-a.local"
    assert sessions["osquery:build-b.local:tree:97830"] == "build-b.local"  # same pid, other host
    installs = {(e.host, e.package, e.version) for e in records.events if e.kind == "install"}
    assert installs == {
        ("build-a.local", "litellm", "1.82.7"),
        ("build-b.local", "requests", "2.32.3"),
    }


def test_process_rows_recognised_by_columns_in_snapshot_and_batch() -> None:
    records = SOURCE.parse(LEGACY, ParseContext("legacy-hostname.log"))
    execs = [
        (e.origin.line, e.host, e.detail.get("path"), e.ts)
        for e in records.events
        if e.kind == "exec" and e.host == "mac-c.local"
    ]
    assert (
        3,
        "mac-c.local",
        "/usr/local/bin/npm",
        datetime(2026, 3, 24, 10, 42, 30, tzinfo=UTC),
    ) in execs
    assert any(line == 4 for line, *_ in execs)  # the batched diffResults line
    assert not [s for s in records.skipped if "not used" in s.reason]
