"""Claude Code transcripts: sessions, Bash commands, versions from tool results, odd lines."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations
from hypothesis import HealthCheck, given, settings

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.audit.claude_code import SOURCE
from scoper.sources.base import ParseContext
from scoper.sources.reading import read_head

DATA = Path(__file__).resolve().parents[2] / "data" / "claude_code"
SID = "3f6c2a8e-41d7-4b9a-9c55-7e2d1f0a8b64"
SAMPLE = DATA / f"{SID}.jsonl"
SECRETS = [
    "sk-proj-Qw3rTy7uIoP9aSdF2gHjK4lZxC6vBnM1",
    "ghp_R4nd0mT0k3nV4lu3F0rT35t1ngXyZ12345678",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
]


def parse(path: Path, host: str | None = None) -> Records:
    return SOURCE.parse(path, ParseContext(path.name, host=host))


def corpus_file(corpus: Path, name: str) -> Path:
    return corpus / "logs" / "agent-sessions" / "claude-code" / name


def test_sniff() -> None:
    assert SOURCE.sniff(SAMPLE, read_head(SAMPLE))
    assert not SOURCE.sniff(Path("x.json"), read_head(SAMPLE))
    assert not SOURCE.sniff(Path("rollout-1.jsonl"), b'{"type":"session_meta","payload":{}}')


def test_session_from_transcript() -> None:
    [session] = parse(SAMPLE, host="dev-laptop").sessions
    assert session.session_id == SID
    assert session.kind == "agent" and session.host == "dev-laptop"
    assert session.environment == "/home/ana/proj"
    assert session.started_at == datetime(2026, 3, 24, 10, 50, tzinfo=UTC)
    assert session.ended_at == datetime(2026, 3, 24, 10, 52, 10, tzinfo=UTC)
    assert parse(SAMPLE).sessions[0].host is None


def test_unpinned_install_gets_the_version_from_the_tool_result() -> None:
    records = parse(SAMPLE)
    [litellm] = [e for e in records.events if e.package == "litellm"]
    assert (litellm.kind, litellm.version, litellm.spec) == ("install", "1.82.8", ">=1.80")
    assert litellm.detail == {"resolved_from": "output", "output_line": 3}
    assert litellm.origin.line == 2
    assert litellm.ts == datetime(2026, 3, 24, 10, 50, 4, 120000, tzinfo=UTC)
    assert litellm.environment == "/home/ana/proj/.venv"  # activated, relative to cwd
    deps = {
        e.package: (e.version, e.origin.line)
        for e in records.events
        if e.detail.get("resolved_from") == "output" and e.package != "litellm"
    }
    assert deps == {
        "httpx": ("0.28.1", 3),
        "openai": ("2.1.0", 3),
        "tiktoken": ("0.9.0", 3),
        "telnyx": ("4.87.1", 12),
        "pytest": ("8.3.5", 12),
    }


def test_exec_and_import_events() -> None:
    events = parse(SAMPLE).events
    python = [(e.kind, e.module, e.environment) for e in events if e.program == "python"]
    assert python == [
        ("exec", None, "/home/ana/proj/.venv"),
        ("import", "litellm", "/home/ana/proj/.venv"),
    ]
    assert [e.program for e in events if e.kind == "exec"] == [
        "pip",
        "python",
        "curl",
        "head",
        "uv",
        "uv",
        "pytest",
        "npx",
    ]
    [npx] = [e for e in events if e.ecosystem == "npm"]
    assert (npx.package, npx.version) == ("@modelcontextprotocol/inspector", "0.14.0")
    assert all(e.session_id == SID for e in events)


def test_credentials_by_name_and_file() -> None:
    creds = {c.name: c for c in parse(SAMPLE).credentials}
    assert set(creds) == {"OPENAI_API_KEY", "/home/ana/.aws/credentials"}
    key = creds["OPENAI_API_KEY"]
    assert (key.kind, key.harvest_class, key.origin.line) == ("openai-api-key", "env", 5)
    assert key.fingerprint and key.fingerprint.startswith("fp:")
    aws = creds["/home/ana/.aws/credentials"]
    assert (aws.kind, aws.harvest_class, aws.fingerprint) == (
        "aws-credentials-file",
        "cloud-files",
        None,
    )


def test_no_secret_value_is_kept() -> None:
    records = parse(SAMPLE)
    assert_no_secrets(records, SECRETS)
    assert any("Bearer ***" in (e.command or "") for e in records.events)


def test_broken_line_is_skipped_and_the_rest_kept() -> None:
    records = parse(SAMPLE)
    assert [(s.origin.line, s.reason[:12]) for s in records.skipped] == [(10, "invalid JSON")]
    assert any(e.origin.line == 11 for e in records.events)


def test_not_a_transcript(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('"just a string"\n[1, 2]\n')
    with pytest.raises(InputError, match="line 1"):
        parse(path)
    path.write_text("")
    assert parse(path).count() == 0


@pytest.mark.corpus
def test_corpus_representative_messages(corpus: Path) -> None:
    records = parse(corpus_file(corpus, "representative_messages.jsonl"))
    [session] = records.sessions
    assert (session.session_id, session.environment) == ("test_session", "/tmp")
    assert session.started_at == datetime(2025, 6, 14, 10, 0, tzinfo=UTC)
    assert session.ended_at == datetime(2025, 6, 14, 10, 4, tzinfo=UTC)
    [event] = records.events  # the one Bash call; the Edit call runs nothing
    assert (event.kind, event.program, event.command) == (
        "exec",
        "python",
        "python /tmp/decorator_example.py",
    )
    assert (event.ts, event.origin.line) == (datetime(2025, 6, 14, 10, 3, tzinfo=UTC), 8)
    assert records.skipped == [] and records.credentials == []


@pytest.mark.corpus
def test_corpus_edge_cases_do_not_crash(corpus: Path) -> None:
    records = parse(corpus_file(corpus, "edge_cases.jsonl"))
    sessions = {s.session_id: s for s in records.sessions}
    assert set(sessions) == {"edge_cases", "todowrite_session"}  # line 17 is another session
    assert sessions["edge_cases"].ended_at == datetime(2025, 6, 14, 11, 3, 30, tzinfo=UTC)
    assert sorted(s.origin.line or 0 for s in records.skipped) == [10, 11, 13, 14, 15, 16, 18]
    assert records.events == []  # FailingTool, MultiEdit and TodoWrite run no command


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["session_b.jsonl", "todowrite_examples.jsonl"])
def test_corpus_sessions_without_commands(corpus: Path, name: str) -> None:
    records = parse(corpus_file(corpus, name))
    assert [s.session_id for s in records.sessions] == [
        name.split(".")[0].replace("_examples", "_session")
    ]
    assert records.events == [] and records.skipped == []


@given(line_mutations(SAMPLE.read_bytes()))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzz_mutated_transcript(data: bytes) -> None:
    assert_only_input_errors(SOURCE, data, "mutated.jsonl")


WEB = DATA / "web-session-loglines.json"


def test_web_session_loglines_export() -> None:
    assert SOURCE.sniff(WEB, WEB.read_bytes()[:4096])
    assert not SOURCE.sniff(WEB, b'{"loglines": [{"level": "info"}]}')
    records = SOURCE.parse(WEB, ParseContext(WEB.name, host="claude-web"))
    [session] = records.sessions
    assert (session.session_id, session.host, session.environment) == (
        "session_01HqK3mZ8vJ2wX9cT4rN6bYp",
        "claude-web",
        "/home/user/acme-api",
    )
    assert session.started_at == datetime(2026, 3, 24, 10, 12, tzinfo=UTC)
    [install] = [e for e in records.events if e.kind == "install"]
    assert (install.package, install.version, install.origin.line) == ("litellm", "1.82.7", 21)
    creds = [(c.name, c.kind, c.origin.line) for c in records.credentials]
    assert [(kind, line) for _, kind, line in creds] == [("aws-credentials-file", 72)]
    assert records.skipped == []


def test_loglines_that_are_not_a_transcript(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"loglines": [1, 2]}')
    with pytest.raises(InputError):
        SOURCE.parse(path, ParseContext("export.json"))
