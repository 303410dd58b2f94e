"""Unwrapping CloudTrail records from the envelopes AWS delivers them in.

- ``{"Records": [...]}`` files, CloudTrail Lake rows with an ``eventJson`` string;
- CloudWatch Logs: ``aws logs filter-log-events`` / ``get-log-events`` output
  (``events`` / ``logEvents`` whose ``message`` is the record as a JSON string) and
  the subscription-filter payload (``messageType: DATA_MESSAGE``), also as the
  base64 + gzip ``data`` that Lambda (``awslogs.data``), Kinesis
  (``Records[].kinesis.data``) and Firehose (``records[].data``) receive;
- SNS (``Type: Notification`` with a ``Message`` string), SQS (``body`` /
  ``Body`` strings, ``Messages`` of ``aws sqs receive-message``);
- EventBridge events (``detail-type`` + ``detail`` holding the record);
- the S3 delivery notice ``{"s3Bucket", "s3ObjectKey": [...]}``: it holds no
  record, only the names of the objects to fetch (an informational note).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from scoper.sources.reading import dig, string
from scoper.sources.wrappers_cloudwatch import decode_data, peek_data

__all__ = ["Note", "decode_data", "peek_data", "source_address", "unwrap"]

_MAX_DEPTH = 6


@dataclass(frozen=True, slots=True)
class Note:
    """An input object that gives no record: why, and whether data was lost."""

    reason: str
    informational: bool = False


def unwrap(item: dict[str, Any], depth: int = 0) -> list[dict[str, Any] | Note]:
    """The CloudTrail records inside one input object (itself when it is one)."""
    if depth > _MAX_DEPTH:
        return [Note("CloudTrail envelopes nested too deeply")]
    if string(item.get("messageType")) == "CONTROL_MESSAGE":
        return [Note("CloudWatch Logs control message (no log events)", informational=True)]
    record = "userIdentity" in item or "eventTime" in item
    for key in ("Records", "records", "events", "logEvents", "Messages"):
        nested = item.get(key)
        if isinstance(nested, list) and not record:
            return [
                r
                for x in nested
                for r in (unwrap(x, depth + 1) if isinstance(x, dict) else [_not_object])
            ]
    if "s3Bucket" in item and "s3ObjectKey" in item:
        return [_delivery_notice(item)]
    detail = item.get("detail")
    if "detail-type" in item and isinstance(detail, dict):
        if "eventSource" not in detail:
            kind = string(item.get("detail-type")) or "?"
            return [Note(f"EventBridge event is not a CloudTrail record ({kind})", True)]
        if "eventTime" not in detail and item.get("time") is not None:
            detail = {**detail, "eventTime": item.get("time")}
        return [detail]
    data = dig(item, "awslogs", "data") or dig(item, "kinesis", "data") or item.get("data")
    if isinstance(data, str) and not record:
        return _from_data(data, depth)
    for key in ("eventJson", "eventjson", "message", "Message", "body", "Body"):
        wrapped = item.get(key)
        if isinstance(wrapped, str) and not record:
            return _from_json(wrapped, key, depth)
    sns = item.get("Sns")
    if isinstance(sns, dict):
        return unwrap(sns, depth + 1)
    return [item]


_not_object = Note("record is not an object")


def _from_json(text: str, key: str, depth: int) -> list[dict[str, Any] | Note]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return [Note(f"{key} is not JSON")]
    if not isinstance(value, dict):
        return [Note(f"{key} is not an object")]
    return unwrap(value, depth + 1)


def _from_data(text: str, depth: int) -> list[dict[str, Any] | Note]:
    raw = decode_data(text.encode("ascii", "replace"))
    if raw is None:
        return [Note("data is not base64 (gzipped) JSON")]
    return _from_json(raw.decode("utf-8", "replace"), "data", depth)


def _delivery_notice(item: dict[str, Any]) -> Note:
    bucket = string(item.get("s3Bucket")) or "?"
    keys = item.get("s3ObjectKey")
    names = [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []
    shown = ", ".join(f"s3://{bucket}/{k}" for k in names[:5])
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    return Note(
        f"CloudTrail delivery notice, no records: fetch {shown or 's3://' + bucket}{more}",
        informational=True,
    )


def source_address(value: Any) -> tuple[str | None, bool]:
    """The source address of a record, and whether a present value was unreadable."""
    if value is None:
        return None, False
    if isinstance(value, str):
        return (value or None), not value
    if isinstance(value, dict):
        for key in ("ip", "address", "addr", "ipAddress", "value", "sourceIPAddress"):
            found = string(value.get(key))
            if found:
                return found, False
    return None, True
