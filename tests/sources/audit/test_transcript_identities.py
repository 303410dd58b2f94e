"""Agent transcripts: printed identities, host-resident .env files, ssh keys at any path."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from scoper.model import Records
from scoper.sources.audit import claude_code, codex, otel
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[2] / "data"
CLAUDE = DATA / "claude_code" / "printed-identities.jsonl"
CLAUDE_SID = "9b2d7e41-3c5a-4f68-8d1e-6a0f2c4b8e17"
CODEX_SID = "0199d3e2-6f8b-7c41-a052-4d9f3b7e5a21"
CODEX = DATA / "codex" / f"rollout-2026-03-25T14-00-00-{CODEX_SID}.jsonl"


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def links(records: Records) -> list[tuple[str, str, str, str, int | None, datetime | None]]:
    return [
        (k.rule, k.source.value, k.target.kind, k.target.value, k.origin.line, k.ts)
        for k in records.identity_links
    ]


def test_claude_code_tool_results_print_identities() -> None:
    records = claude_code.SOURCE.parse(CLAUDE, ParseContext("t.jsonl", host="dev-ana"))
    assert {(k.source.kind, k.session_id, k.host) for k in records.identity_links} == {
        ("held", CLAUDE_SID, None)
    }
    arn = "arn:aws:sts::123456789012:assumed-role/ci-deployer/ci-deploy"
    k8s = _at(2026, 3, 24, 11, 0, 11)
    assert links(records) == [
        (
            "printed-identity",
            "aws",
            "account",
            "aws:123456789012",
            3,
            _at(2026, 3, 24, 11, 0, 4, 500000),
        ),
        ("printed-identity", "aws", "principal", arn, 3, _at(2026, 3, 24, 11, 0, 4, 500000)),
        ("printed-identity", "k8s", "principal", "system:serviceaccount:ci:runner", 5, k8s),
        ("printed-identity", "k8s", "k8s-sa", "ci/runner", 5, k8s),
        ("printed-identity", "k8s", "token-id", "JTI=1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718", 5, k8s),
        ("minted-for", "k8s", "pod", "ci/runner-7d9f8-abcde", 5, k8s),
        (
            "printed-identity",
            "github",
            "principal",
            "github:ana-dev",
            7,
            _at(2026, 3, 24, 11, 0, 21),
        ),
        (
            "printed-identity",
            "git",
            "principal",
            "git:ana@example.com",
            7,
            _at(2026, 3, 24, 11, 0, 21),
        ),
    ]
    assert all(k.confidence == "confirmed" and not k.derived for k in records.identity_links)


def test_claude_code_env_files_are_host_credentials_and_keys_at_any_path() -> None:
    records = claude_code.SOURCE.parse(CLAUDE, ParseContext("t.jsonl", host="dev-ana"))
    rows = [
        (c.name, c.kind, c.harvest_class, c.session_id, c.host, c.origin.line, c.first_seen)
        for c in records.credentials
    ]
    assert rows == [
        # scp -i deploy/ci_key.pem: a key outside ~/.ssh is a key all the same
        (
            "/home/ana/svc/deploy/ci_key.pem",
            "ssh-key",
            "ssh",
            CLAUDE_SID,
            "dev-ana",
            12,
            _at(2026, 3, 24, 11, 0, 50),
        ),
        (
            "/home/ana/svc/config/.env",
            "dotenv",
            "dotenv",
            CLAUDE_SID,
            "dev-ana",
            14,
            _at(2026, 3, 24, 11, 1),
        ),
        # the Read .env and the `ls -la` listing (.env.example is a sample, not a secret)
        (
            "/home/ana/svc/config/.env",
            "dotenv",
            "dotenv",
            None,
            "dev-ana",
            14,
            _at(2026, 3, 24, 11, 1),
        ),
        (
            "/home/ana/svc/.env",
            "dotenv",
            "dotenv",
            None,
            "dev-ana",
            9,
            _at(2026, 3, 24, 11, 0, 30, 400000),
        ),
    ]


def test_without_a_host_no_host_level_row() -> None:
    records = claude_code.SOURCE.parse(CLAUDE, ParseContext("t.jsonl"))
    assert [c.name for c in records.credentials if c.session_id is None] == []


def test_codex_outputs_print_identities_and_list_env_files() -> None:
    records = codex.SOURCE.parse(CODEX, ParseContext("r.jsonl", host="dev-box"))
    assert {k.session_id for k in records.identity_links} == {CODEX_SID}
    assert links(records) == [
        (
            "printed-identity",
            "gcp",
            "principal",
            "gcp:deployer@infra-prod.iam.gserviceaccount.com",
            4,
            _at(2026, 3, 25, 14, 0, 6, 500000),
        ),
        (
            "printed-identity",
            "azure",
            "principal",
            "azure:3f2a9c1e-7b4d-4e8a-9f06-1c2d3e4f5a6b",
            6,
            _at(2026, 3, 25, 14, 0, 12),
        ),
        (
            "printed-identity",
            "azure",
            "account",
            "azure:0b1f6471-1bf0-4dda-aec3-cb9272f09590",
            6,
            _at(2026, 3, 25, 14, 0, 12),
        ),
        ("printed-identity", "aws", "account", "aws:210987654321", 12, _at(2026, 3, 25, 14, 0, 41)),
        (
            "printed-identity",
            "aws",
            "principal",
            "arn:aws:iam::210987654321:user/terraform",
            12,
            _at(2026, 3, 25, 14, 0, 41),
        ),
    ]
    assert [(c.name, c.kind, c.session_id, c.origin.line) for c in records.credentials] == [
        ("/home/dev/infra/keys/deploy_rsa", "ssh-key", CODEX_SID, 9),  # GIT_SSH_COMMAND='ssh -i'
        ("/home/dev/infra/services/api/.env", "dotenv", None, 8),  # find . -name '.env*'
        ("/home/dev/infra/services/web/.env.production", "dotenv", None, 8),
    ]


def test_otlp_tool_call_result_prints_identity_and_resource_user_id_is_actor(
    tmp_path: Path,
) -> None:
    def attr(key: str, value: str) -> dict[str, object]:
        return {"key": key, "value": {"stringValue": value}}

    call = json.dumps({"command": "gh auth status"})
    result = json.dumps(
        {"output": "github.com\n  \u2713 Logged in to github.com account ana-dev (keyring)\n"}
    )
    record = {
        "timeUnixNano": "1774349983000000000",
        "attributes": [
            attr("session.id", "s-1"),
            attr("gen_ai.tool.call.arguments", call),
            attr("gen_ai.tool.call.result", result),
        ],
    }
    resource = {"attributes": [attr("host.name", "dev-mbp"), attr("user.id", "4f6e0d")]}
    export = {"resourceLogs": [{"resource": resource, "scopeLogs": [{"logRecords": [record]}]}]}
    path = tmp_path / "logs.json"
    path.write_text(json.dumps(export))
    records = otel.SOURCE.parse(path, ParseContext("logs.json"))
    [session] = records.sessions
    assert (session.session_id, session.actor, session.host) == ("s-1", "4f6e0d", "dev-mbp")
    assert [
        (k.source.value, k.target.value, k.session_id, k.origin.line)
        for k in records.identity_links
    ] == [("github", "github:ana-dev", "s-1", 1)]


def test_otlp_empty_user_id_falls_through_to_the_next_actor_key(tmp_path: Path) -> None:
    attrs = [
        {"key": "session.id", "value": {"stringValue": "s-2"}},
        {"key": "user.id", "value": {"stringValue": ""}},
        {"key": "user.email", "value": {"stringValue": "ana@example.com"}},
    ]
    record = {"timeUnixNano": "1774349983000000000", "attributes": attrs}
    export = {"resourceLogs": [{"scopeLogs": [{"logRecords": [record]}]}]}
    path = tmp_path / "logs.json"
    path.write_text(json.dumps(export))
    [session] = otel.SOURCE.parse(path, ParseContext("logs.json")).sessions
    assert session.actor == "ana@example.com"
