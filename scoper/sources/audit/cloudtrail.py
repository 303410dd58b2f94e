"""AWS CloudTrail logs: ``{"Records": [...]}`` files (usually ``.json.gz``), single records, JSONL.

Each record is a credential use: key id = ``userIdentity.accessKeyId`` (an
``AKIA``/``ASIA`` id is public, not secret), principal = ``userIdentity.arn``
(else the role session issuer's ARN, else ``principalId``), time = ``eventTime``,
source IP, user agent and action ``eventSource:eventName``. Records are not in
time order inside a file; that does not matter here. A record with no time, or
with no caller identity at all (AWS service events), is skipped with a reason.
CloudTrail Lake rows that carry the record as an ``eventJson`` string are unwrapped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scoper.model import CredentialUse, Origin, Records, Skipped
from scoper.sources.audit.commands.redaction import redact_user_agent
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import dig, read_json_items, string
from scoper.times import parse_time


class CloudTrail(FileSource):
    """AWS CloudTrail management/data event records."""

    name = "cloudtrail"
    kind: SourceKind = "audit"
    summary = 'AWS CloudTrail log ({"Records": [...]}, .json.gz, or JSON Lines)'
    reads = (
        "credential uses: access key id, principal ARN, time, source IP, user agent, "
        "eventSource:eventName"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if head.lstrip()[:1] not in (b"{", b"["):
            return False
        return b'"eventSource"' in head and (b'"eventTime"' in head or b'"eventName"' in head)

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        data = read_json_items(path, ctx.display, ("Records",))
        records = Records()
        records.skipped += [Skipped(Origin(ctx.display, n), why) for n, why in data.bad]
        for line, item in data.items:
            origin = Origin(ctx.display, line)
            for record in _records(item):
                if isinstance(record, str):
                    records.skipped.append(Skipped(origin, record))
                    continue
                use = _use(record, origin)
                if isinstance(use, str):
                    records.skipped.append(Skipped(origin, use))
                else:
                    records.credential_uses.append(use)
        return records


def _records(item: dict[str, Any]) -> list[dict[str, Any] | str]:
    """The CloudTrail records in one input object, or a reason string for a broken one."""
    nested = item.get("Records")
    if isinstance(nested, list):
        return [r if isinstance(r, dict) else "record is not an object" for r in nested]
    wrapped = item.get("eventJson") or item.get("eventjson")
    if isinstance(wrapped, str):
        try:
            value = json.loads(wrapped)
        except (ValueError, RecursionError):
            return ["eventJson is not JSON"]
        return [value] if isinstance(value, dict) else ["eventJson is not an object"]
    return [item]


def _use(record: dict[str, Any], origin: Origin) -> CredentialUse | str:
    ts = parse_time(record.get("eventTime"))
    if ts is None:
        return "CloudTrail record without a valid eventTime"
    identity = record.get("userIdentity")
    key_id = string(dig(identity, "accessKeyId"))
    principal = (
        string(dig(identity, "arn"))
        or string(dig(identity, "sessionContext", "sessionIssuer", "arn"))
        or string(dig(identity, "principalId"))
    )
    if key_id is None and principal is None:
        kind = string(dig(identity, "type")) or "no userIdentity"
        return f"CloudTrail record without caller credentials ({kind})"
    source, name = string(record.get("eventSource")), string(record.get("eventName"))
    return CredentialUse(
        ts=ts,
        origin=origin,
        key_id=key_id,
        principal=principal,
        source_ip=string(record.get("sourceIPAddress")),
        user_agent=redact_user_agent(string(record.get("userAgent"))),
        action=f"{source or '?'}:{name or '?'}",
        outcome=string(record.get("errorCode")),
    )


SOURCE = CloudTrail()
