"""auditd login records (LOGIN, USER_LOGIN, USER_START, CRED_ACQ, USER_END...) as login events.

A log holding only logins still has sessions: ``ses`` is the login session the
kernel numbered, so each record of one of these types with ``ses`` set becomes a
``login`` event of ``auditd:<host>:ses:<ses>`` (which makes that session appear)
with the account, the source address/hostname, the terminal and the result.
"""

from __future__ import annotations

from typing import Any

from scoper.model import Event, Origin
from scoper.sources.audit.auditd_records import AuditEvent, AuditRecord, field_value, text
from scoper.sources.audit.commands.redaction import redact_detail

LOGIN_TYPES = frozenset(
    {
        "LOGIN",
        "USER_LOGIN",
        "USER_START",
        "USER_END",
        "USER_LOGOUT",
        "CRED_ACQ",
        "CRED_REFR",
        "CRED_DISP",
        "USER_AUTH",
        "USER_ACCT",
    }
)
_FIELDS = ("acct", "addr", "hostname", "terminal", "res", "exe", "op", "id", "auid", "old-auid")


def login_record(event: AuditEvent) -> AuditRecord | None:
    """The event's login record, if it is one."""
    return next((r for r in event.records if r.type in LOGIN_TYPES), None)


def account(record: AuditRecord) -> str | None:
    """The login name a record names (``acct=``), when it is a name."""
    acct = field_value(record, "acct")
    return acct if acct and acct not in ("?", "(unknown)") else None


def login_event(
    event: AuditEvent, record: AuditRecord, session_id: str, host: str | None, display: str
) -> Event:
    detail: dict[str, Any] = {"audit_id": event.stamp, "type": record.type}
    for name in _FIELDS:
        value = field_value(record, name) or text(record.fields.get(name))
        if value and value != "?":
            detail[name] = value
    return Event(
        ts=event.ts,
        kind="login",
        origin=Origin(display, record.line),
        session_id=session_id,
        host=host,
        program=None,
        detail=redact_detail(detail),
    )
