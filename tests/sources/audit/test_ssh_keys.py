"""SSH identity files given to ssh/scp/sftp in exec events are ssh-key credentials (by path)."""

from __future__ import annotations

from datetime import UTC, datetime

from scoper.model import Origin
from scoper.sources.audit.commands.exec_events import argv_credentials
from scoper.sources.audit.commands.place import Place
from scoper.sources.base import ParseContext

WHEN = datetime(2026, 3, 24, 10, 41, tzinfo=UTC)
WHERE = Place(ts=WHEN, origin=Origin("audit.log", 7), session_id="auditd:h:ses:3", host="h")


def keys(*argv: str) -> list[tuple[str, str, str, str | None]]:
    found = argv_credentials(list(argv), WHERE, ParseContext("audit.log"))
    return [(c.name, c.kind, c.harvest_class, c.path) for c in found if c.kind == "ssh-key"]


def test_scp_and_ssh_identity_files() -> None:
    assert keys("/usr/bin/scp", "-i", "/home/alice/.ssh/id_rsa", "a.tgz", "h:/tmp") == [
        ("/home/alice/.ssh/id_rsa", "ssh-key", "ssh", "/home/alice/.ssh/id_rsa")
    ]
    assert keys("ssh", "-i", "deploy.pem", "-p", "22", "ec2-user@10.0.0.5") == [
        ("deploy.pem", "ssh-key", "ssh", "deploy.pem")
    ]
    assert [k[0] for k in keys("ssh", "-i~/.ssh/ci_ed25519", "-o", "IdentityFile=/k2", "h")] == [
        "~/.ssh/ci_ed25519",
        "/k2",
    ]
    assert [k[0] for k in keys("sftp", "-oIdentityFile=/root/.ssh/backup", "h")] == [
        "/root/.ssh/backup"
    ]


def test_no_key_no_value_and_not_other_programs() -> None:
    assert keys("ssh", "alice@h") == []
    assert keys("ssh", "-i") == []
    assert keys("grep", "-i", "secret", "notes.txt") == []  # -i of another program
    found = argv_credentials(["ssh", "-i", "/k", "h"], WHERE, ParseContext("audit.log"))
    assert [(c.fingerprint, c.first_seen, c.session_id) for c in found] == [
        (None, WHEN, "auditd:h:ses:3")
    ]


def test_keys_behind_wrappers_and_inside_other_commands_words() -> None:
    assert [k[0] for k in keys("sudo", "-u", "deploy", "scp", "-i", "/srv/k.pem", "a", "h:")] == [
        "/srv/k.pem"
    ]
    assert [
        k[0] for k in keys("rsync", "-az", "-e", "ssh -i /srv/deploy/key.pem -p 2222", "d/")
    ] == ["/srv/deploy/key.pem"]
    assert [
        k[0] for k in keys("git", "-c", "core.sshCommand=ssh -i keys/ci -F /dev/null", "pull")
    ] == ["keys/ci"]
    assert [k[0] for k in keys("bash", "-c", "scp -i ./id_deploy f h:/tmp && echo ok")] == [
        "./id_deploy"
    ]
    assert [k[0] for k in keys("env", "GIT_SSH_COMMAND=ssh -i /opt/keys/bot", "git", "fetch")] == [
        "/opt/keys/bot"
    ]


def test_transcript_commands_keys_at_any_path() -> None:
    from scoper.sources.audit.commands.session_events import (
        command_credentials,
        unique_credentials,
    )

    where = Place(ts=WHEN, origin=Origin("t.jsonl", 4), session_id="s", host="h", cwd="/home/a/p")
    found = command_credentials(
        "GIT_SSH_COMMAND='ssh -i deploy/key' git push && ssh -i ~/.ssh/id_ed25519 h uptime",
        where,
        lambda value: "fp",
    )
    assert [(c.name, c.kind, c.origin.line) for c in unique_credentials(found)] == [
        ("~/.ssh/id_ed25519", "ssh-key", 4),  # under ~/.ssh: a credential path as well
        ("/home/a/p/deploy/key", "ssh-key", 4),  # anywhere else: a key because ssh -i uses it
    ]
