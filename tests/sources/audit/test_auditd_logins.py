"""auditd logs with logins only: each login session (``ses``) is a session."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from scoper.sources.audit.auditd import SOURCE
from scoper.sources.base import ParseContext

LOGINS = Path(__file__).resolve().parents[2] / "data" / "auditd" / "logins-only.log"


def test_each_login_session_is_a_session() -> None:
    assert SOURCE.sniff(LOGINS, LOGINS.read_bytes()[:4096])
    records = SOURCE.parse(LOGINS, ParseContext("logins-only.log", host="bastion-1"))
    sessions = {s.session_id: s for s in records.sessions}
    assert set(sessions) == {"auditd:bastion-1:ses:17", "auditd:bastion-1:ses:18"}
    ssh = sessions["auditd:bastion-1:ses:17"]
    assert (ssh.host, ssh.actor, ssh.kind, ssh.origin.line) == ("bastion-1", "alice", "shell", 4)
    assert ssh.started_at == datetime(2026, 3, 24, 10, 40, 0, 110000, tzinfo=UTC)
    assert ssh.ended_at == datetime(2026, 3, 24, 11, 40, 0, 512000, tzinfo=UTC)
    cron = sessions["auditd:bastion-1:ses:18"]
    # the raw auid 0 has no ENRICHED name: the login's acct="root" names it
    assert (cron.actor, cron.ended_at) == (
        "root",
        datetime(2026, 3, 24, 11, 0, 0, 950000, tzinfo=UTC),
    )


def test_login_events_carry_the_source_address_and_terminal() -> None:
    records = SOURCE.parse(LOGINS, ParseContext("logins-only.log", host="bastion-1"))
    logins = [
        (e.origin.line, e.detail["type"], e.detail.get("addr"), e.detail.get("terminal"))
        for e in records.events
        if e.session_id == "auditd:bastion-1:ses:17"
    ]
    assert (7, "USER_LOGIN", "203.0.113.7", "/dev/pts/0") in logins
    assert (5, "USER_START", "203.0.113.7", "ssh") in logins
    assert all(e.kind == "login" for e in records.events)
    cron = [e for e in records.events if e.session_id == "auditd:bastion-1:ses:18"]
    assert all("addr" not in e.detail for e in cron)  # addr=? is no address
    # pre-auth records (ses unset) are no login session
    assert not [e for e in records.events if e.origin.line in (1, 2, 3)]
