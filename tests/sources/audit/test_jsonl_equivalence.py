"""The bulk JSONL loader stores what the Python-parsed sources store, for the same facts.

The same commands, package names, credential names and secret values go through the
Python event builders (``audit/commands/exec_events.py``, as auditd and Tetragon use
them) and, written as scoper-events JSONL, through the DuckDB loader; both land in one
store (one fingerprint key) and their rows must be identical.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from scoper.ingest import Ingester
from scoper.model import Credential, Event, Origin, Records
from scoper.sources.audit.commands.exec_events import (
    env_credentials,
    exec_events,
    split_command,
)
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.redaction import redact_command
from scoper.sources.audit.events_values import SUSPECT, redact_json
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.store.db import connect

WHEN = datetime(2026, 3, 24, 10, 52, 19, 123456, tzinfo=UTC)
BEARER = "tok_4f9a8b7c6d5e4f3a2b1c0d9e"
HF = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
GHP = "ghp_ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210"
AKIA = "AKIAQWERTYUIOPASDFGH"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8x1pLm"
PASSWORD = "Hunter2Secret"
URL_PASSWORD = "S3cretPw0rd"
OPENAI = "sk-proj-PLANTEDSECRETPLANTEDSECRET01"
ANTHROPIC = "sk-ant-api03-PLANTEDSECRETPLANTED0002"
SECRETS = [BEARER, HF, GHP, AWS_SECRET, PASSWORD, URL_PASSWORD, OPENAI, ANTHROPIC]
CWD = {"cwd": "/work/app"}
INDEX = f"https://ci:{URL_PASSWORD}@pypi.internal/simple"
COMMANDS = [
    f"curl -sS -H 'Authorization: Bearer {BEARER}' https://api.example.com/v1",
    f"huggingface-cli login --token {HF}",
    f"git clone https://x-access-token:{GHP}@github.com/acme/app.git",
    f"env AWS_ACCESS_KEY_ID={AKIA} AWS_SECRET_ACCESS_KEY={AWS_SECRET} aws s3 ls",
    f"mysql -u root --password {PASSWORD} app",
    f"pip install --index-url {INDEX} Foo_Bar.Baz==1.0 PyYAML 'typing_extensions>=4'",
    ".venv/bin/python -m pip install Ruamel.YAML==0.18.6 zope_interface",
    "npm install @Acme/Widget@2.1.0 Left-Pad",
    "python -c 'import litellm'",
    "python3 -m pytest -q",
]
# how the installer spelled the names the builders canonicalised (the JSONL carries these)
WRITTEN = {
    "foo-bar-baz": "Foo_Bar.Baz",
    "pyyaml": "PyYAML",
    "typing-extensions": "typing_extensions",
    "ruamel-yaml": "Ruamel.YAML",
    "zope-interface": "zope_interface",
    "Left-Pad": " Left-Pad",
}
ECOSYSTEM_WRITTEN = {"PyPI": "pypi", "npm": "NPM"}
CREDENTIALS = [
    ("GITHUB_TOKEN", GHP),
    ("HF_TOKEN", HF),
    ("AWS_ACCESS_KEY_ID", AKIA),
    ("AWS_SECRET_ACCESS_KEY", AWS_SECRET),
    ("DEPLOY_PASSWORD", PASSWORD),
    ("LLM_KEY_FROM_VAULT", OPENAI),  # kind from the value's shape
    ("ANTHROPIC_API_KEY", ANTHROPIC),
]


def _where(line: int) -> Place:
    return Place(ts=WHEN, origin=Origin("python", line), session_id="sess-1", host="host-1")


def _python_records(
    ctx: ParseContext,
) -> tuple[list[Event], list[str], list[Credential]]:
    """Events from the builders (one origin line each), their raw command lines, credentials."""
    events: list[Event] = []
    raw: list[str] = []
    for command in COMMANDS:
        argv = split_command(command)
        for event in exec_events(argv, _where(0), dict(CWD)):
            events.append(replace(event, origin=Origin("python", len(events) + 1)))
            raw.append(" ".join(argv))
    found = env_credentials(CREDENTIALS, _where(0), ctx)
    credentials = [
        replace(c, origin=Origin("python", len(events) + i)) for i, c in enumerate(found, 1)
    ]
    return events, raw, credentials


def _written_detail(detail: dict[str, Any]) -> dict[str, Any]:
    if "index_urls" in detail:
        return {**detail, "index_urls": [INDEX]}
    return detail


def _event_line(event: Event, command: str) -> dict[str, Any]:
    line: dict[str, Any] = {
        "ts": "2026-03-24T12:52:19.123456+02:00",
        "event": event.kind,
        "session": event.session_id,
        "host": event.host,
        "program": event.program,
        "command": command,
        "interpreter": event.interpreter,
        "environment": event.environment,
        "module": event.module,
        "version": event.version,
        "spec": event.spec,
        "detail": _written_detail(event.detail),
    }
    if event.package is not None:
        line["package"] = WRITTEN.get(event.package, event.package)
        line["ecosystem"] = ECOSYSTEM_WRITTEN[event.ecosystem or ""]
    return {k: v for k, v in line.items() if v is not None}


def _jsonl(events: list[Event], raw: list[str]) -> str:
    lines = [_event_line(e, c) for e, c in zip(events, raw, strict=True)]
    for name, value in CREDENTIALS:
        lines.append(
            {"ts": "2026-03-24T10:52:19.123456Z", "event": "credential", "session": "sess-1"}
            | {"host": "host-1", "name": name, "value": value}
        )
    return "".join(json.dumps(line) + "\n" for line in lines)


class _Built(FileSource):
    """A Python-parsed source whose records are the builders' output (with the store's key)."""

    name = "builders"
    kind: SourceKind = "audit"
    summary = reads = "test records"

    def sniff(self, path: Path, head: bytes) -> bool:
        return False

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        events, _, credentials = _python_records(ctx)
        return Records(events=events, credentials=credentials)


EVENT_COLUMNS = (
    "ts, session_id, host, kind, ecosystem, package, version, spec, environment, module, "
    "program, command, interpreter, detail, source_line"
)
CREDENTIAL_COLUMNS = (
    "session_id, host, name, kind, harvest_class, fingerprint, key_id, path, first_seen, "
    "source_line"
)


def _rows(con: duckdb.DuckDBPyConnection, table: str, columns: str, fmt: str) -> list[Any]:
    rows = con.execute(
        f"SELECT {columns} FROM {table} WHERE ingest_id IN "
        "(SELECT ingest_id FROM ingests WHERE format = ?) ORDER BY source_line",
        [fmt],
    ).fetchall()
    if "detail" not in columns:
        return rows
    detail = columns.split(", ").index("detail")
    return [(*r[:detail], r[detail] and json.loads(r[detail]), *r[detail + 1 :]) for r in rows]


def _both(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    events, raw, _ = _python_records(ParseContext("python"))
    jsonl = tmp_path / "events.jsonl"
    jsonl.write_text(_jsonl(events, raw))
    stand_in = tmp_path / "built.txt"
    stand_in.write_text("records built in Python\n")
    db = tmp_path / "store.duckdb"
    con = connect(str(db))
    con.execute("PRAGMA force_compression = 'uncompressed'")  # text stays greppable
    ingester = Ingester(con)
    assert ingester.ingest(stand_in, _Built()).status == "ok"
    assert ingester.ingest(jsonl).status == "ok"
    return con, db


def test_bulk_and_python_paths_store_identical_rows(tmp_path: Path) -> None:
    con, _ = _both(tmp_path)
    python_events = _rows(con, "events", EVENT_COLUMNS, "builders")
    assert len(python_events) == 20
    assert _rows(con, "events", EVENT_COLUMNS, "scoper-events") == python_events
    python_credentials = _rows(con, "credentials", CREDENTIAL_COLUMNS, "builders")
    assert len(python_credentials) == len(CREDENTIALS)
    assert _rows(con, "credentials", CREDENTIAL_COLUMNS, "scoper-events") == python_credentials


def test_names_and_commands_are_the_canonical_ones(tmp_path: Path) -> None:
    con, _ = _both(tmp_path)
    packages = {
        r[:2] for r in _rows(con, "events", "ecosystem, package, source_line", "scoper-events")
    }
    assert packages >= {
        ("PyPI", "foo-bar-baz"),
        ("PyPI", "pyyaml"),
        ("PyPI", "typing-extensions"),
        ("PyPI", "ruamel-yaml"),
        ("npm", "@Acme/Widget"),
        ("npm", "Left-Pad"),
    }
    commands = {r[0] for r in _rows(con, "events", "command, source_line", "scoper-events")}
    assert "curl -sS -H Authorization: Bearer *** https://api.example.com/v1" in commands
    assert (
        "pip install --index-url https://***@pypi.internal/simple Foo_Bar.Baz==1.0 PyYAML "
        "typing_extensions>=4" in commands
    )
    kinds = {
        r[0]: r[1:3]
        for r in _rows(con, "credentials", "name, kind, key_id, source_line", "scoper-events")
    }
    assert kinds["LLM_KEY_FROM_VAULT"] == ("openai-api-key", None)
    assert kinds["AWS_ACCESS_KEY_ID"] == ("aws-access-key", AKIA)


def test_no_planted_secret_reaches_the_store_file(tmp_path: Path) -> None:
    con, db = _both(tmp_path)
    con.execute("CHECKPOINT")
    con.close()
    data = db.read_bytes() + b"".join(p.read_bytes() for p in db.parent.glob("store.duckdb*"))
    for secret in SECRETS:
        assert data.count(secret.encode()) == 0, secret
    for stored in ("huggingface-cli login --token ***", "Foo_Bar.Baz", AKIA):  # the grep sees text
        assert data.count(stored.encode()) > 0, stored


def test_detail_strings_are_redacted_and_kept_as_json() -> None:
    text = json.dumps({"url": INDEX, "args": ["--token", HF], "n": 1.5, "ok": True})
    shown = json.loads(redact_json(text))
    assert shown["url"] == "https://***@pypi.internal/simple" and HF not in json.dumps(shown)
    assert shown["n"] == 1.5 and shown["ok"] is True
    untouched = '{"cwd":"/work/app","n":1.50}'
    assert redact_json(untouched) == untouched


_FRAGMENTS = st.sampled_from(
    [
        " ",
        "-",
        "--",
        "=",
        ":",
        "@",
        "/",
        "'",
        '"',
        "pass",
        "PASS",
        "tOkEn",
        "auth",
        "api_key",
        "Bearer ",
        "-p",
        "mysql ",
        "-u ",
        "ghp_",
        "sk-",
        "AKIA",
        "xoxb-",
        "hf_",
        "eyJ",
        ".",
        "\u212a",
        "\u017f",
        "\u0130",
        "é",
        "a",
        "Z",
        "9",
        "_",
        "+",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_FRAGMENTS, st.text(min_size=1, max_size=12)), max_size=24))
def test_texts_the_prefilter_passes_over_are_never_changed_by_redaction(
    parts: list[str],
) -> None:
    import re

    text = "".join(parts)
    if re.search(SUSPECT, text) is None:
        assert redact_command(text) == text


def test_prefilter_agrees_between_duckdb_and_python() -> None:
    import re

    samples = [
        "python3 -m pytest --task 17762",
        "git fetch origin main",
        "--to\u212aen x",  # KELVIN SIGN folds to k: non-ASCII text always goes to Python
        "curl https://api.example.com/v1",
        "x" * 10,
        "x" * 11,
        "a/b+c" * 8,
    ]
    con = duckdb.connect()
    for text in samples:
        sql = con.execute("SELECT regexp_matches($t, $p)", {"t": text, "p": SUSPECT}).fetchone()
        assert sql == (re.search(SUSPECT, text) is not None,), text
