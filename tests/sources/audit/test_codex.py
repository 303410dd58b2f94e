"""Codex CLI rollouts: session_meta, shell/exec_command/local_shell calls, outputs, odd records."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations
from hypothesis import HealthCheck, given, settings

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.audit.codex import SOURCE
from scoper.sources.base import ParseContext
from scoper.sources.reading import read_head

DATA = Path(__file__).resolve().parents[2] / "data" / "codex"
SID = "0199c2d1-5e7a-7b30-9f41-3c8e2a6d4f10"
SAMPLE = DATA / f"rollout-2026-03-24T09-00-00-{SID}.jsonl"
CORPUS_ID = "11111111-1111-4111-8111-111111111111"
SECRETS = ["sk-1234-Vq8Wz2Lr5Tn9Xc3Bm7Kd", "hf_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr"]


def parse(path: Path, host: str | None = None) -> Records:
    return SOURCE.parse(path, ParseContext(path.name, host=host))


def corpus_rollout(corpus: Path) -> Path:
    folder = corpus / "logs" / "agent-sessions" / "codex" / "sessions" / "2026" / "01" / "02"
    return folder / f"rollout-2026-01-02T03-04-05-{CORPUS_ID}.jsonl"


def test_sniff() -> None:
    assert SOURCE.sniff(SAMPLE, read_head(SAMPLE))
    assert SOURCE.sniff(Path("a.jsonl"), b'{"timestamp":"x","type":"session_meta","payload":{}}')
    assert not SOURCE.sniff(Path("a.jsonl"), b'{"type":"user","sessionId":"s"}')
    assert not SOURCE.sniff(Path("rollout-1.json"), b"{}")


def test_session() -> None:
    [session] = parse(SAMPLE, host="dev-laptop").sessions
    assert (session.session_id, session.kind, session.host, session.environment) == (
        SID,
        "agent",
        "dev-laptop",
        "/home/dev/svc",
    )
    assert session.started_at == datetime(2026, 3, 24, 9, 0, tzinfo=UTC)
    assert session.ended_at == datetime(2026, 3, 24, 9, 0, 50, tzinfo=UTC)


def test_shell_argv_with_version_from_the_output() -> None:
    events = parse(SAMPLE).events
    [litellm] = [e for e in events if e.package == "litellm"]
    assert (litellm.version, litellm.spec, litellm.origin.line) == ("1.82.7", ">=1.80", 4)
    assert litellm.detail == {"resolved_from": "output", "output_line": 5}
    assert litellm.ts == datetime(2026, 3, 24, 9, 0, 5, tzinfo=UTC)
    [fastapi] = [e for e in events if e.package == "fastapi"]
    assert (fastapi.version, fastapi.origin.line) == ("0.115.6", 5)
    assert [e.program for e in events if e.origin.line == 4 and e.kind == "exec"] == [
        "bash",
        "uv",
        "uv",
    ]


def test_exec_command_and_local_shell_call() -> None:
    events = parse(SAMPLE).events
    [proxy] = [e for e in events if e.origin.line == 6]
    assert (proxy.kind, proxy.program, proxy.environment) == (
        "exec",
        "litellm",
        "/home/dev/svc/.venv",
    )
    assert proxy.command == "LITELLM_MASTER_KEY=*** .venv/bin/litellm --port 4000 &"
    local = [
        (e.kind, e.program, e.package, e.version, e.module) for e in events if e.origin.line == 8
    ]
    assert local == [
        ("exec", "python", None, None, None),
        ("import", "python", None, None, "pip"),
        ("install", "pip", "ultralytics", "8.3.41", None),
    ]


def test_credentials_from_command_and_call_env() -> None:
    creds = {c.name: c for c in parse(SAMPLE).credentials}
    assert set(creds) == {"LITELLM_MASTER_KEY", "HF_TOKEN"}
    assert creds["HF_TOKEN"].kind == "huggingface-token"
    assert all(c.session_id == SID and c.fingerprint for c in creds.values())
    assert_no_secrets(parse(SAMPLE), SECRETS)


def test_malformed_records_are_skipped_unknown_ones_ignored() -> None:
    records = parse(SAMPLE)
    assert [(s.origin.line, s.reason) for s in records.skipped] == [
        (9, "shell call without a usable command"),
        (12, "response_item record without a payload object"),
        (14, "invalid JSON: Unterminated string starting at"),
    ]  # 'compacted' (line 11) and apply_patch (line 10) are not malformed


def test_not_a_rollout(tmp_path: Path) -> None:
    path = tmp_path / "rollout-x.jsonl"
    path.write_text('{"no": "type"}\n')
    with pytest.raises(InputError):
        parse(path)


@pytest.mark.corpus
def test_corpus_rollout(corpus: Path) -> None:
    records = parse(corpus_rollout(corpus))
    [session] = records.sessions
    assert (session.session_id, session.environment) == (CORPUS_ID, "/workspace/synthetic-project")
    assert session.started_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    [event] = records.events  # exec_command only: apply_patch and the MCP call run no shell
    assert (event.kind, event.program, event.command, event.origin.line) == (
        "exec",
        "find",
        "find . -maxdepth 1 -type f",
        6,
    )
    assert event.ts == datetime(2026, 1, 2, 3, 4, 9, tzinfo=UTC)
    assert records.skipped == []  # the future record type (line 14) is ignored, not malformed
    assert "SYNTHETIC_ENCRYPTED_CONTENT" not in repr(records)


@given(line_mutations(SAMPLE.read_bytes()))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzz_mutated_rollout(data: bytes) -> None:
    assert_only_input_errors(SOURCE, data, SAMPLE.name)


MID_2025 = DATA / "session-mid-2025.jsonl"


def test_mid_2025_rollout_bare_header_items_and_state_markers() -> None:
    head = MID_2025.read_bytes()[:4096]
    assert SOURCE.sniff(MID_2025, head)  # by content: the name is not rollout-*
    records = SOURCE.parse(MID_2025, ParseContext(MID_2025.name, host="dev-laptop"))
    [session] = records.sessions
    start = datetime(2025, 7, 12, 14, 3, 27, 118000, tzinfo=UTC)
    assert (session.session_id, session.host, session.kind) == (
        "5973b6c0-94b8-487b-a530-2aeb6098ae0e",
        "dev-laptop",
        "agent",
    )
    assert session.started_at == start
    [install] = [e for e in records.events if e.kind == "install"]
    assert (install.package, install.version, install.origin.line, install.ts) == (
        "nx",
        "21.5.0",
        6,
        start,  # untimed items sit at the session start
    )
    assert records.skipped == []  # state markers and reasoning lose nothing
    assert [e.origin.line for e in records.events if e.program == "scp"] == [9]
