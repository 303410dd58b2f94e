"""The identity members of scoper-events JSONL: the bulk loader stores what the model says.

The same facts are written once as model records (``IdentityLink``, ``CredentialUse``,
``Session`` with an address, an exec ``Event`` with an interpreter), loaded through the
Python path, and once as scoper-events lines through the DuckDB loader; both land in one
store (one fingerprint key) and their rows must be identical. Identity lines that break the
format are skipped with their line numbers, and secrets in them never reach the store file.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from scoper.ingest import FileResult, Ingester
from scoper.model import (
    Alias,
    AliasKind,
    CredentialUse,
    Event,
    IdentityLink,
    LinkRule,
    Origin,
    Records,
    Session,
)
from scoper.sources.audit.events_values import secret_shaped
from scoper.sources.base import FileSource, ParseContext, SourceKind, fingerprint
from scoper.store.db import connect, fingerprint_key

TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6IlBMQU5URUQifQ.eyJqdGkiOiJQTEFOVEVEIn0.UExBTlRFRFNJR05BVFVSRQ"
GITHUB = "ghp_PLANTEDidentitySECRETvalue0123456789"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTED01"
JTI = "JTI=1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718"
ASIA = "ASIAPLANTEDEXCHANGE1"
ROLE = "arn:aws:sts::123456789012:assumed-role/deploy/gha-8812345"
SUBJECT = "repo:acme/api:ref:refs/heads/main"
SA_USER = "system:serviceaccount:prod:api"


def _at(minute: int) -> datetime:
    return datetime(2026, 3, 24, 11, minute, 7, 250000, tzinfo=UTC)


def _ts(minute: int) -> str:
    return _at(minute).isoformat().replace("+00:00", "Z")


def _side(prefix: str, alias: Alias | None) -> dict[str, str]:
    return {} if alias is None else {f"{prefix}_kind": alias.kind, f"{prefix}_value": alias.value}


def _identity(line: int, rule: str, source: Alias | None, target: Alias | None, **more: Any) -> str:
    """An identity line; a side given as None is left out (``value`` stands for it)."""
    members = {"ts": _ts(line), "event": "identity", "rule": rule}
    return json.dumps(members | _side("from", source) | _side("to", target) | more)


def _line(line: int, event: str, **members: Any) -> str:
    return json.dumps({"ts": _ts(line), "event": event, **members})


def _link(line: int, rule: LinkRule, source: Alias, target: Alias, **more: Any) -> IdentityLink:
    return IdentityLink(rule.value, source, target, Origin("python", line), ts=_at(line), **more)


def _facts(ctx: ParseContext) -> tuple[list[str], Records]:
    """The JSONL lines (line n at index n - 1) and the model records of the same facts."""
    fp = Alias(AliasKind.FINGERPRINT, ctx.fingerprint(TOKEN))
    jti, sa = Alias(AliasKind.TOKEN_ID, JTI), Alias(AliasKind.K8S_SA, "prod/api")
    held_k8s, pod = Alias(AliasKind.HELD, "k8s"), Alias(AliasKind.POD, "prod/api-7d9f")
    subject, asia = Alias(AliasKind.OIDC_SUBJECT, SUBJECT), Alias(AliasKind.KEY_ID, ASIA)
    held_aws, role = Alias(AliasKind.HELD, "aws"), Alias(AliasKind.PRINCIPAL, ROLE)
    env = Alias(AliasKind.ENV_NAME, "DEPLOY_KEY")
    use = {"service": "k8s", "token_id": JTI, "bound_to": "pod:prod/api-7d9f"}
    lines = [
        _line(1, "session_start", session="pod-1", host="node-3", kind="pod", address="10.42.3.17"),
        _line(2, "exec", session="pod-1", program="api-server", interpreter="python"),
        _line(3, "exec", session="pod-1", program="git"),
        _identity(4, "same-fingerprint", jti, None, value=TOKEN),
        _identity(5, "owner", None, sa, value=TOKEN),
        _identity(6, "minted-for", held_k8s, pod, session="pod-1", host="node-3"),
        _identity(7, "exchange", subject, asia, derived=True, fact="AssumeRoleWithWebIdentity"),
        _identity(8, "printed-identity", held_aws, role, session="gha-1", confidence="likely"),
        _identity(9, "mapping", env, fp, derived=False, confidence="confirmed"),
        _identity(10, "printed-identity", held_aws, role, session="gha-1", confidence="likely"),
        _line(
            11,
            "credential_use",
            **use,
            principal=SA_USER,
            source_ip="203.0.113.50",
            user_agent="kubectl/v1.30.2",
            action="list",
        ),
        _line(
            12,
            "credential_use",
            service="aws",
            key_id=ASIA,
            value=AWS_SECRET,
            action="GetCallerIdentity",
            outcome="AccessDenied",
        ),
    ]
    records = Records(
        sessions=[
            Session(
                "pod-1",
                Origin("python", 1),
                "node-3",
                "pod",
                started_at=_at(1),
                address="10.42.3.17",
            )
        ],
        events=[
            Event(
                _at(2),
                "exec",
                Origin("python", 2),
                "pod-1",
                program="api-server",
                interpreter="python",
            ),
            Event(_at(3), "exec", Origin("python", 3), "pod-1", program="git"),
        ],
        identity_links=[  # line 10 repeats line 8: one link, at its first line
            _link(4, LinkRule.SAME_FINGERPRINT, jti, fp),
            _link(5, LinkRule.OWNER, fp, sa),
            _link(6, LinkRule.MINTED_FOR, held_k8s, pod, session_id="pod-1", host="node-3"),
            _link(
                7, LinkRule.EXCHANGE, subject, asia, derived=True, fact="AssumeRoleWithWebIdentity"
            ),
            _link(8, LinkRule.PRINTED, held_aws, role, confidence="likely", session_id="gha-1"),
            _link(9, LinkRule.MAPPING, env, fp),
        ],
        credential_uses=[
            CredentialUse(
                _at(11),
                Origin("python", 11),
                principal=SA_USER,
                source_ip="203.0.113.50",
                user_agent="kubectl/v1.30.2",
                action="list",
                service="k8s",
                token_id=JTI,
                bound_to="pod:prod/api-7d9f",
            ),
            CredentialUse(
                _at(12),
                Origin("python", 12),
                key_id=ASIA,
                fingerprint=ctx.fingerprint(AWS_SECRET),
                action="GetCallerIdentity",
                outcome="AccessDenied",
                service="aws",
            ),
        ],
    )
    return lines, records


class _Built(FileSource):
    """A Python-parsed source whose records are the model's (with the store's key)."""

    name = "model"
    kind: SourceKind = "audit"
    summary = reads = "test records"

    def sniff(self, path: Path, head: bytes) -> bool:
        return False

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        return _facts(ctx)[1]


COLUMNS = {
    "identity_links": "rule, source_kind, source_value, target_kind, target_value, confidence, "
    "derived, session_id, host, ts, fact, source_line",
    "credential_uses": "ts, key_id, fingerprint, principal, source_ip, user_agent, action, "
    "outcome, service, token_id, bound_to, source_line",
    "sessions": "session_id, host, kind, started_at, ended_at, address, source_line",
    "events": "ts, session_id, kind, program, interpreter, source_line",
}


def _rows(con: duckdb.DuckDBPyConnection, table: str, fmt: str) -> list[Any]:
    return con.execute(
        f"SELECT {COLUMNS[table]} FROM {table} WHERE ingest_id IN "
        "(SELECT ingest_id FROM ingests WHERE format = ?) ORDER BY source_line",
        [fmt],
    ).fetchall()


def _store(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    db = tmp_path / "store.duckdb"
    con = connect(str(db))
    con.execute("PRAGMA force_compression = 'uncompressed'")  # text stays greppable
    return con, db


def _ingest(con: duckdb.DuckDBPyConnection, path: Path, lines: list[str]) -> FileResult:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return Ingester(con).ingest(path)


def _both(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    con, db = _store(tmp_path)
    stand_in = tmp_path / "built.txt"
    stand_in.write_text("records built in Python\n")
    assert Ingester(con).ingest(stand_in, _Built()).status == "ok"
    # the lines hold values, and line 9 a fingerprint made with the store's key
    lines, _ = _facts(ParseContext("events.jsonl", fingerprint_key=fingerprint_key(con)))
    result = _ingest(con, tmp_path / "events.jsonl", lines)
    assert (result.format, result.status, result.skipped) == ("scoper-events", "ok", 0), result
    return con, db


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_bulk_and_python_paths_store_identical_rows(tmp_path: Path, table: str) -> None:
    con, _ = _both(tmp_path)
    python = _rows(con, table, "model")
    assert python, table
    assert _rows(con, table, "scoper-events") == python


def test_values_stand_for_the_left_out_side_as_fingerprints(tmp_path: Path) -> None:
    con, _ = _both(tmp_path)
    rows = con.execute(
        "SELECT source_line, source_kind, source_value, target_kind, target_value "
        "FROM identity_links WHERE ingest_id = (SELECT max(ingest_id) FROM ingests) "
        "AND source_line IN (4, 5) ORDER BY 1"
    ).fetchall()
    fp = rows[0][4]
    assert fp.startswith("fp:") and len(fp) == 35
    assert rows == [
        (4, "token-id", JTI, "fingerprint", fp),
        (5, "fingerprint", fp, "k8s-sa", "prod/api"),
    ]
    assert fp == fingerprint(fingerprint_key(con), TOKEN)  # as a credential's value


def test_interpreter_is_null_when_absent_and_read_on_exec_only(tmp_path: Path) -> None:
    con, _ = _store(tmp_path)
    lines = [
        _line(1, "exec", session="s", program="python3.12"),
        _line(2, "exec", session="s", program="app", interpreter="python"),
        _line(3, "import", session="s", module="litellm", interpreter="python"),
    ]
    assert _ingest(con, tmp_path / "e.jsonl", lines).status == "ok"
    rows = con.execute("SELECT kind, interpreter FROM events ORDER BY source_line").fetchall()
    assert rows == [("exec", None), ("exec", "python"), ("import", None)]


FP = "fp:" + "0123456789abcdef" * 2
NAME = Alias(AliasKind.ENV_NAME, "DEPLOY_KEY")
BAD = [  # (line, reason); the line numbers are those of the file below
    (2, 'missing "rule"'),
    (3, "unknown link rule seen-with"),
    (4, "unknown alias kind password"),
    (5, "unknown alias kind secret"),
    (6, 'missing "to_value"'),
    (7, 'missing "from_value"'),
    (8, '"value" stands for the side left out, but both are given'),
    (9, 'missing "from_kind"'),
    (10, '"value" stands for a fingerprint, not a key-id'),
    (11, '"to_value" is not a fingerprint (send a secret as "value")'),
    (12, '"from_value" looks like a secret (send a secret as "value")'),
    (13, '"to_value" looks like a secret (send a secret as "value")'),
    (14, '"derived" is not true or false'),
    (15, "unknown confidence certain"),
    (17, 'missing "ts"'),
]


def _bad_file() -> list[str]:
    key = Alias(AliasKind.KEY_ID, ASIA)
    return [
        _identity(1, "owner", key, Alias(AliasKind.PRINCIPAL, ROLE)),
        _identity(2, "", NAME, key).replace('"rule": "", ', ""),
        _identity(3, "seen-with", NAME, key),
        _identity(4, "mapping", Alias("password", "x"), key),
        _identity(5, "mapping", NAME, Alias("secret", "y")),
        _identity(6, "mapping", NAME, None),
        _identity(7, "mapping", None, None, value=GITHUB),
        _identity(8, "mapping", NAME, key, value=GITHUB),
        _identity(9, "mapping", None, key, from_value="DEPLOY_KEY"),
        _identity(10, "mapping", NAME, None, to_kind="key-id", value=GITHUB),
        _identity(11, "mapping", NAME, Alias(AliasKind.FINGERPRINT, GITHUB)),
        _identity(12, "mapping", Alias(AliasKind.TOKEN_NAME, GITHUB), key),
        _identity(13, "mapping", NAME, Alias(AliasKind.TOKEN_ID, AWS_SECRET)),
        _identity(
            14, "exchange", key, Alias(AliasKind.KEY_ID, "AKIAPLANTEDDERIVED01"), derived="yes"
        ),
        _identity(15, "mapping", NAME, key, confidence="certain"),
        _identity(16, "mapping", NAME, Alias(AliasKind.FINGERPRINT, FP), value=None),
        json.dumps({"event": "identity", "rule": "owner", "from_kind": "key-id"}),
        _identity(18, "mapping", NAME, None, to_kind="fingerprint", value=GITHUB),
    ]


def test_bad_identity_lines_are_skipped_with_line_numbers_and_the_rest_kept(
    tmp_path: Path,
) -> None:
    con, _ = _store(tmp_path)
    result = _ingest(con, tmp_path / "bad.jsonl", _bad_file())
    assert (result.status, result.records, result.skipped) == ("partial", 3, len(BAD))
    skipped = con.execute("SELECT source_line, reason FROM skipped ORDER BY 1").fetchall()
    assert skipped == BAD
    kept = con.execute(
        "SELECT source_line, rule, source_kind, target_kind, target_value FROM identity_links "
        "ORDER BY 1"
    ).fetchall()
    fp = fingerprint(fingerprint_key(con), GITHUB)
    assert kept == [
        (1, "owner", "key-id", "principal", ROLE),
        (16, "mapping", "env-name", "fingerprint", FP),
        (18, "mapping", "env-name", "fingerprint", fp),
    ]


def test_planted_identity_secrets_never_reach_the_store_file(tmp_path: Path) -> None:
    con, _ = _store(tmp_path)
    lines, _ = _facts(ParseContext("unused"))
    assert _ingest(con, tmp_path / "good.jsonl", lines).status == "ok"
    assert _ingest(con, tmp_path / "bad.jsonl", _bad_file()).status == "partial"
    con.execute("CHECKPOINT")
    con.close()
    data = b"".join(path.read_bytes() for path in tmp_path.glob("store.duckdb*"))
    for secret in (TOKEN, GITHUB, AWS_SECRET):
        assert data.count(secret.encode()) == 0, secret
    for stored in (JTI, ROLE, SUBJECT, "AssumeRoleWithWebIdentity"):  # the grep sees text
        assert data.count(stored.encode()) > 0, stored


NAMES = [JTI, ROLE, SUBJECT, ASIA, "AKIAIOSFODNN7EXAMPLE", SA_USER, "pypi:acme-release"]
NAMES += ["/home/ci/.aws/credentials", "aws:123456789012", "prod/api-7d9f", "DEPLOY_KEY"]


def test_secret_shaped_alias_values() -> None:
    assert [name for name in NAMES if secret_shaped(name)] == []
    secrets = [GITHUB, TOKEN, AWS_SECRET, "sk-proj-PLANTEDSECRETPLANTEDSECRET01"]
    assert all(secret_shaped(secret) for secret in secrets)
