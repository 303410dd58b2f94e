"""AWS CloudTrail logs: ``{"Records": [...]}`` files (usually ``.json.gz``), single records, JSONL.

Each record is a credential use: key id = ``userIdentity.accessKeyId`` (an
``AKIA``/``ASIA`` id is public, not secret), principal = ``userIdentity.arn``
(else the role session issuer's ARN, else ``principalId``), time = ``eventTime``,
source IP, user agent and action ``eventSource:eventName``; a ``WebIdentityUser``'s
principal is its ``userName`` (the OIDC subject). The links a record shows (key id ->
principal and account, STS exchanges) come from
:mod:`scoper.sources.audit.cloudtrail_identities`. Records are not in
time order inside a file; that does not matter here. A record with no time, or
with no caller identity at all (AWS service events), is skipped with a reason.
Envelopes (CloudTrail Lake ``eventJson`` rows, CloudWatch Logs events and
subscription payloads, SNS/SQS bodies, EventBridge events, S3 delivery notices)
are unwrapped by :mod:`scoper.sources.audit.cloudtrail_envelopes`. A
``sourceIPAddress`` object (enriched exports) gives its ``ip``/``address``; rows
where no address can be read are counted in a skip note.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import CredentialUse, Origin, Records, Skipped
from scoper.sources.audit.cloudtrail_envelopes import (
    Note,
    decode_data,
    peek_data,
    source_address,
    unwrap,
)
from scoper.sources.audit.cloudtrail_identities import add_links, web_identity_subject
from scoper.sources.audit.commands.redaction import redact_user_agent
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.identity_links import LinkSet
from scoper.sources.reading import (
    dig,
    json_head,
    read_bytes,
    read_head,
    read_json_items,
    string,
)
from scoper.times import parse_time

_MARK = re.compile(rb'eventSource\\*"')
_TIME = re.compile(rb'event(?:Time|Name)\\*"')


class CloudTrail(FileSource):
    """AWS CloudTrail management/data event records, bare or in an AWS delivery envelope."""

    name = "cloudtrail"
    kind: SourceKind = "audit"
    obtained = (
        "the trail's S3 delivery `AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/*.json.gz`; when"
        " it goes to CloudWatch Logs, `aws logs filter-log-events --log-group-name GROUP > "
        "events.json`"
    )
    summary = (
        'AWS CloudTrail log ({"Records": [...]}, .json.gz, JSON Lines, CloudWatch Logs '
        "events and subscription payloads, SNS/SQS bodies, EventBridge events)"
    )
    reads = (
        "credential uses: access key id, principal ARN, time, source IP, user agent, "
        "eventSource:eventName; identity links: whose key it is (owner), STS exchanges "
        "(AssumeRole, AssumeRoleWithWebIdentity from an OIDC subject, GetSessionToken) as "
        "derived keys"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        head = json_head(head)
        if head.startswith(b"H4sI"):  # a base64 gzip subscription payload
            head = peek_data(head)
        elif head[:1] == b"{" and (at := head.find(b'"H4sI')) > 0 and b'"data"' in head[:at]:
            end = head.find(b'"', at + 1)
            head = peek_data(head[at + 1 : end if end > 0 else None])
        if head.lstrip()[:1] not in (b"{", b"["):
            return False
        if b'"s3Bucket"' in head and b'"s3ObjectKey"' in head:
            return True
        return bool(_MARK.search(head) and _TIME.search(head))

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        records = Records()
        no_address: list[int] = []
        links = LinkSet(records)
        for line, found in _items(path, ctx.display, records):
            origin = Origin(ctx.display, line)
            for record in unwrap(found):
                if isinstance(record, Note):
                    records.skipped.append(Skipped(origin, record.reason, record.informational))
                    continue
                use = _use(record, origin)
                if (ts := parse_time(record.get("eventTime"))) is not None:
                    add_links(links, record, origin, ts)
                if isinstance(use, str):
                    records.skipped.append(Skipped(origin, use))
                    continue
                records.credential_uses.append(use)
                if source_address(record.get("sourceIPAddress"))[1]:
                    no_address.append(line)
        if no_address:
            records.skipped.append(
                Skipped(
                    Origin(ctx.display, no_address[0]),
                    f"{len(no_address)} CloudTrail record(s) without a readable sourceIPAddress",
                )
            )
        return records


def _items(path: Path, display: str, records: Records) -> list[tuple[int, dict[str, Any]]]:
    """The input objects with their lines; a base64 (gzip) payload file is decoded first."""
    if read_head(path, 4).startswith(b"H4sI"):
        raw = decode_data(read_bytes(path, display))
        if raw is None:
            raise InputError(display, "not base64 (gzipped) data", "line 1")
        try:
            value = json.loads(raw.decode("utf-8", "replace"))
        except (ValueError, RecursionError) as exc:
            raise InputError(display, "decoded payload is not JSON", "line 1") from exc
        if not isinstance(value, dict):
            raise InputError(display, "decoded payload is not a JSON object", "line 1")
        return [(1, value)]
    data = read_json_items(path, display, ("Records", "events", "records"))
    records.skipped += data.skips(display)
    return data.items


def _use(record: dict[str, Any], origin: Origin) -> CredentialUse | str:
    ts = parse_time(record.get("eventTime"))
    if ts is None:
        return "CloudTrail record without a valid eventTime"
    identity = record.get("userIdentity")
    key_id = string(dig(identity, "accessKeyId"))
    web_user = string(dig(identity, "type")) == "WebIdentityUser"
    principal = (
        string(dig(identity, "arn"))
        or (
            (string(dig(identity, "userName")) or web_identity_subject(record))
            if web_user
            else None
        )
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
        source_ip=source_address(record.get("sourceIPAddress"))[0],
        user_agent=redact_user_agent(string(record.get("userAgent"))),
        action=f"{source or '?'}:{name or '?'}",
        outcome=string(record.get("errorCode")),
        service="aws",
    )


SOURCE = CloudTrail()
