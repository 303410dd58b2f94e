"""A credential file seen on a host is a host-level credential (no session), besides the
session's own row: auditd watch hits and watch rules, osquery file/hash/yara/FIM rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from scoper.model import Credential
from scoper.sources.audit import auditd, osquery
from scoper.sources.base import ParseContext
from scoper.sources.reading import read_head

DATA = Path(__file__).resolve().parents[2] / "data"
TREE = "auditd:build-3:tree:3100"


def rows(credentials: list[Credential]) -> list[tuple[object, ...]]:
    return [
        (c.name, c.kind, c.harvest_class, c.session_id, c.host, c.origin.line, c.first_seen)
        for c in credentials
    ]


def test_auditd_watch_rules_and_hits_are_host_credentials() -> None:
    records = auditd.SOURCE.parse(DATA / "auditd" / "watches.log", ParseContext("w.log"))
    assert rows(records.credentials) == [
        # CONFIG_CHANGE `op="add rule" path=...`: the watch names the file (the key-only
        # add_rule of line 1 names none; a removed rule says nothing is watched any more)
        (
            "/home/ci/.aws/credentials",
            "aws-credentials-file",
            "cloud-files",
            None,
            "build-3",
            2,
            datetime(2026, 3, 24, 10, 0, 0, 101000, tzinfo=UTC),
        ),
        (
            "/home/ci/.docker/config.json",
            "docker-config",
            "docker-config",
            None,
            "build-3",
            3,
            datetime(2026, 3, 24, 10, 0, 0, 102000, tzinfo=UTC),
        ),
        # the daemon's read: its own row stays; the host row keeps the earlier sighting
        (
            "/home/ci/.aws/credentials",
            "aws-credentials-file",
            "cloud-files",
            TREE,
            "build-3",
            13,
            datetime(2026, 3, 24, 10, 1, 1, 250000, tzinfo=UTC),
        ),
        # rsync -e 'ssh -i KEY': a key in use, wherever it lives, and on the host
        (
            "/srv/deploy/key.pem",
            "ssh-key",
            "ssh",
            TREE,
            "build-3",
            15,
            datetime(2026, 3, 24, 10, 1, 10, tzinfo=UTC),
        ),
        (
            "/srv/deploy/key.pem",
            "ssh-key",
            "ssh",
            None,
            "build-3",
            15,
            datetime(2026, 3, 24, 10, 1, 10, tzinfo=UTC),
        ),
    ]


def test_auditd_script_with_python_exe_is_a_python_start() -> None:
    records = auditd.SOURCE.parse(DATA / "auditd" / "watches.log", ParseContext("w.log"))
    assert [
        (e.program, e.interpreter, e.origin.line) for e in records.events if e.kind == "exec"
    ] == [
        ("sync-tool", "python", 5),
        ("rsync", None, 15),
    ]


def test_osquery_file_hash_yara_and_fim_rows() -> None:
    path = DATA / "osquery" / "credential-files.log"
    assert osquery.SOURCE.sniff(path, read_head(path))
    records = osquery.SOURCE.parse(path, ParseContext("c.log"))
    assert rows(records.credentials) == [
        (
            "/home/ci/.aws/credentials",
            "aws-credentials-file",
            "cloud-files",
            None,
            "build-3",
            1,
            datetime(2026, 3, 24, 10, 0, tzinfo=UTC),
        ),
        (
            "/home/ci/.kube/config",
            "kubeconfig",
            "cloud-files",
            None,
            "build-3",
            3,
            datetime(2026, 3, 24, 11, 0, tzinfo=UTC),
        ),
        (
            "/srv/app/.env",
            "dotenv",
            "dotenv",
            None,
            "build-3",
            4,
            datetime(2026, 3, 24, 11, 1, 40, tzinfo=UTC),
        ),
        # file_events: the event's own time, not the batch's
        (
            "/root/.ssh/id_ed25519",
            "ssh-key",
            "ssh",
            None,
            "build-3",
            5,
            datetime(2026, 3, 24, 11, 3, 10, tzinfo=UTC),
        ),
    ]
    assert records.sessions == [] and records.events == []
    assert [(s.origin.line, s.reason) for s in records.skipped] == [
        (2, "1 pack_credentials_file row(s) not used")  # /etc/hosts holds no credential
    ]
