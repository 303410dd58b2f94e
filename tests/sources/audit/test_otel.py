"""OTLP JSON traces and logs: GenAI sessions, tool-call commands, process spans, CI runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations
from hypothesis import HealthCheck, given, settings

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.audit.otel import SOURCE, attributes, nanos_time
from scoper.sources.base import ParseContext
from scoper.sources.reading import read_head

DATA = Path(__file__).resolve().parents[2] / "data" / "otel"
TRACES = DATA / "genai-agent-traces.json"
CLAUDE_LOGS = DATA / "claude-code-logs.jsonl"
CI = DATA / "ci-process-traces.jsonl"
T0 = datetime(2026, 3, 24, 10, 58, tzinfo=UTC)
SECRETS = [
    "Idx-Pa55w0rd-Agent-77Qx",
    "sk-proj-Zq8tN4vR2mK7pL9xW3yB6cD1fG5hJ0aS",
    "sk-ant-api03-Hx9Kq2Lm7Np4Rs8Tv1Wy5Za3Bc6De0Fg",
]


def parse(path: Path, host: str | None = None) -> Records:
    return SOURCE.parse(path, ParseContext(path.name, host=host))


def test_sniff() -> None:
    for path in (TRACES, CLAUDE_LOGS, CI):
        assert SOURCE.sniff(path, read_head(path))
    assert SOURCE.sniff(Path("x.json"), b'{"resourceMetrics": []}')  # noted, not failed
    assert not SOURCE.sniff(Path("x.json"), b'{"resourceProfiles": []}')
    assert not SOURCE.sniff(Path("x.txt"), b'{"resourceSpans": []}')


def test_any_values_and_times() -> None:
    attrs = attributes(
        [
            {"key": "a", "value": {"intValue": "42"}},
            {"key": "b", "value": {"arrayValue": {"values": [{"stringValue": "x"}]}}},
            {
                "key": "c",
                "value": {"kvlistValue": {"values": [{"key": "d", "value": {"boolValue": True}}]}},
            },
            {"key": 7, "value": {}},
            "junk",
        ]
    )
    assert attrs == {"a": 42, "b": ["x"], "c": {"d": True}}
    assert nanos_time("1774349880000000000") == T0
    assert nanos_time(0) is None and nanos_time("soon") is None


def test_genai_conversation_session() -> None:
    [session] = parse(TRACES).sessions
    assert (session.session_id, session.host, session.kind, session.environment) == (
        "conv_7f3a9c1e2b",
        "agent-worker-3",
        "agent",
        "/srv/agents/support",
    )
    assert session.started_at == T0
    assert session.ended_at == datetime(2026, 3, 24, 10, 59, 35, tzinfo=UTC)
    assert session.origin.line == 41


def test_tool_call_command_with_result_and_process_span() -> None:
    records = parse(TRACES)
    [litellm] = [e for e in records.events if e.package == "litellm"]
    assert (litellm.version, litellm.spec, litellm.origin.line) == ("1.82.8", ">=1.80", 118)
    assert litellm.ts == datetime(2026, 3, 24, 10, 58, 5, tzinfo=UTC)
    assert litellm.detail["index_urls"] == ["https://***@pypi.acme.internal/simple"]
    [tokenizers] = [e for e in records.events if e.package == "tokenizers"]
    assert tokenizers.version == "0.21.1"
    imports = [
        (e.module, e.environment, e.origin.line) for e in records.events if e.kind == "import"
    ]
    assert imports == [("litellm", "/srv/agents/support/.venv", 165)]
    assert all(
        e.session_id == "conv_7f3a9c1e2b" and e.host == "agent-worker-3" for e in records.events
    )
    # the non-shell tool call makes no event; the span without a time is reported
    assert [(s.origin.line, s.reason) for s in records.skipped] == [
        (253, "span or log record without a time")
    ]


def test_environment_variable_credentials() -> None:
    [cred] = parse(TRACES).credentials
    assert (cred.name, cred.kind, cred.harvest_class, cred.origin.line) == (
        "OPENAI_API_KEY",
        "openai-api-key",
        "env",
        165,
    )
    assert cred.fingerprint and cred.session_id == "conv_7f3a9c1e2b"


def test_claude_code_log_events() -> None:
    records = parse(CLAUDE_LOGS)
    [session] = records.sessions
    assert (session.session_id, session.host) == (
        "0c5d9b2e-6a41-4f0e-9a37-2f1d8c7b6e55",
        "dev-mbp-ana",
    )
    summary = [(e.origin.line, e.kind, e.program, e.package or e.module) for e in records.events]
    assert summary == [
        (1, "exec", "uv", None),
        (1, "install", "uv", "telnyx"),
        (1, "exec", "uv", None),
        (1, "exec", "python", None),
        (1, "import", "python", "telnyx"),
        (2, "exec", "npx", None),
        (2, "install", "npx", "@anthropic-ai/mcp-inspector"),
    ]
    [cred] = records.credentials
    assert (cred.name, cred.kind) == ("ANTHROPIC_API_KEY", "anthropic-api-key")
    assert [s.origin.line for s in records.skipped] == [3]  # truncated export line


def test_ci_run_session_and_process_command() -> None:
    records = parse(CI)
    [session] = records.sessions
    assert (session.session_id, session.kind, session.host) == (
        "cicd:88213:552019",
        "ci",
        "gl-runner-12",
    )
    [install] = [e for e in records.events if e.kind == "install"]
    assert (install.package, install.version, install.origin.line) == ("ultralytics", "8.3.41", 1)
    assert [s.reason for s in records.skipped] == ["resourceSpans item is not an object"]


def test_no_secret_value_is_kept() -> None:
    for path in (TRACES, CLAUDE_LOGS, CI):
        assert_no_secrets(parse(path), SECRETS)


def test_user_id_is_the_sessions_actor() -> None:
    [session] = parse(CLAUDE_LOGS).sessions
    assert session.actor == "4f6e0d"


def test_metrics_only_export_is_noted_not_lost() -> None:
    path = DATA / "claude-code-metrics.json"
    assert SOURCE.sniff(path, read_head(path))
    records = parse(path)
    assert (records.sessions, records.events, records.credentials) == ([], [], [])
    [note] = records.skipped
    assert note.informational and "metrics" in note.reason


def test_not_otlp(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"resourceProfiles": []}))
    with pytest.raises(InputError, match="resourceSpans"):
        parse(path)
    path.write_text('{"resourceSpans": [')
    with pytest.raises(InputError):
        parse(path)


@given(line_mutations(CLAUDE_LOGS.read_bytes()))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzz_mutated_jsonl(data: bytes) -> None:
    assert_only_input_errors(SOURCE, data, "logs.jsonl")


@given(line_mutations(json.dumps(json.loads(TRACES.read_text())).encode()))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzz_mutated_document(data: bytes) -> None:
    assert_only_input_errors(SOURCE, data, "traces.json")
