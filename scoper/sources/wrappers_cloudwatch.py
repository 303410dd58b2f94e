"""CloudWatch Logs envelopes, unwrapped for every JSON / JSON-lines reader.

AWS ships any log through CloudWatch Logs in a few envelopes; the log events are in
``message`` strings:

- ``aws logs filter-log-events`` / ``get-log-events`` output: ``{"events": [...]}``
  whose events carry ``message``, ``timestamp``, ``ingestionTime`` (``logStreamName``);
- the subscription-filter payload ``{"messageType": "DATA_MESSAGE", "logEvents": [...]}``,
  plain, or base64 + gzip as Lambda (``awslogs.data``), Kinesis
  (``Records[].kinesis.data``) and Firehose (``records[].data``) receive it, or one
  base64 (gzip) blob per line; ``CONTROL_MESSAGE`` payloads hold no events (a note).

An event found inside an envelope keeps the line of the outer file where it stands
(its ``logEvents[i]`` element, or the envelope's line when the payload is encoded);
skips name the index. Decoded data is bounded by :mod:`scoper.limits`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scoper.limits import current

_MAX_DEPTH = 4
_EVENT_KEYS = ("logEvents", "events")
_SIGNATURE = re.compile(
    rb'"(?:logEvents|messageType|awslogs|ingestionTime|logStreamName|kinesis|recordId)"'
)
_MESSAGE = re.compile(rb'"message"\s*:\s*"((?:[^"\\]|\\.)*)"')
_DATA = re.compile(rb'"data"\s*:\s*"([A-Za-z0-9+/=\s]{16,})"?')
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
Lines = Callable[[int], int]  # element index -> line in the outer file


@dataclass(slots=True)
class Unwrapped:
    """Objects found in envelopes with their lines; losses and notes as ``(line, text)``."""

    items: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)


def decode_data(text: bytes) -> bytes | None:
    """Base64 (optionally gzipped) bytes decoded within the size limit, or None."""
    try:
        raw = base64.b64decode(b"".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    if raw[:2] != b"\x1f\x8b":
        return raw
    cap = current().max_bytes
    try:
        inflater = zlib.decompressobj(wbits=31)
        out = inflater.decompress(raw, cap + 1)
    except zlib.error:
        return None
    if len(out) > cap or not inflater.eof:
        return None  # past the limit, or truncated
    return out


def peek_data(head: bytes, size: int = 65536) -> bytes:
    """The start of a base64 (gzip) text, decoded as far as the head goes (sniffing)."""
    text = b"".join(head.split())
    text = text[: len(text) // 4 * 4]
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return b""
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return zlib.decompressobj(wbits=31).decompress(raw, size)
    except zlib.error:
        return b""


def is_envelope(item: dict[str, Any]) -> bool:
    """Whether an object is a CloudWatch Logs / Kinesis / Firehose envelope."""
    if item.get("messageType") in ("DATA_MESSAGE", "CONTROL_MESSAGE"):
        return True
    if isinstance(item.get("awslogs"), dict) and isinstance(item["awslogs"].get("data"), str):
        return True
    for key in _EVENT_KEYS:
        first = _first(item.get(key))
        if first is not None and isinstance(first.get("message"), str):
            return key == "logEvents" or "ingestionTime" in first or "logStreamName" in first
    first = _first(item.get("Records"))
    if first is not None and isinstance(first.get("kinesis"), dict):
        return isinstance(first["kinesis"].get("data"), str)
    first = _first(item.get("records"))
    return first is not None and "recordId" in first and isinstance(first.get("data"), str)


def _first(value: Any) -> dict[str, Any] | None:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return None


def unwrap_into(item: dict[str, Any], line: int, out: Unwrapped, lines: Lines | None) -> None:
    """Add the log events inside envelope ``item`` (standing on ``line``) to ``out``."""
    _expand(item, line, "", 0, out, lines)


def _expand(
    item: dict[str, Any], line: int, label: str, depth: int, out: Unwrapped, lines: Lines | None
) -> None:
    if depth > _MAX_DEPTH:
        out.bad.append((line, f"{label or 'envelope'}: envelopes nested too deeply, skipped"))
        return
    if item.get("messageType") == "CONTROL_MESSAGE":
        out.notes.append((line, "CloudWatch Logs control message (no log events)"))
        return
    if isinstance(data := (item.get("awslogs") or {}).get("data"), str):
        _decoded(data, line, f"{label}awslogs.data", depth, out)
        return
    for key in _EVENT_KEYS:
        if isinstance(events := item.get(key), list):
            for index, event in enumerate(events):
                at = lines(index) if lines and depth == 0 else line
                _message(event, at, f"{label}{key}[{index}]", depth, out)
            return
    for key, path in (("Records", ("kinesis", "data")), ("records", ("data",))):
        if isinstance(records := item.get(key), list):
            for index, record in enumerate(records):
                value: Any = record
                for step in path:
                    value = value.get(step) if isinstance(value, dict) else None
                at = lines(index) if lines and depth == 0 else line
                place = f"{label}{key}[{index}].{'.'.join(path)}"
                if isinstance(value, str):
                    _decoded(value, at, place, depth, out)
                else:
                    out.bad.append((at, f"{place}: no data, skipped"))
            return
    out.items.append((line, item))


def _message(event: Any, line: int, place: str, depth: int, out: Unwrapped) -> None:
    message = event.get("message") if isinstance(event, dict) else None
    if not isinstance(message, str):
        out.bad.append((line, f"{place}: log event without a message string, skipped"))
        return
    _parsed(message, line, place, depth, out)


def _decoded(data: str, line: int, place: str, depth: int, out: Unwrapped) -> None:
    raw = decode_data(data.encode("ascii", "replace"))
    if raw is None:
        out.bad.append((line, f"{place}: not base64 (gzip) data within the limits, skipped"))
        return
    _parsed(raw.decode("utf-8", "replace"), line, place, depth, out)


def _parsed(text: str, line: int, place: str, depth: int, out: Unwrapped) -> None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        out.bad.append((line, f"{place}: not a JSON object, skipped"))
        return
    if not isinstance(value, dict):
        out.bad.append((line, f"{place}: not a JSON object, skipped"))
    elif is_envelope(value):
        _expand(value, line, f"{place}/", depth + 1, out, None)
    else:
        out.items.append((line, value))


def base64_line(line: str, number: int, out: Unwrapped) -> bool:
    """Unwrap a line that is one base64 (gzip) payload; False when it is not one."""
    if len(line) < 16 or _BASE64.fullmatch(line) is None:
        return False
    raw = decode_data(line.encode("ascii"))
    if raw is None or raw[:1] not in (b"{", b"["):
        return False
    _parsed(raw.decode("utf-8", "replace"), number, "base64 payload", 0, out)
    return True


def looks_enveloped(head: bytes) -> bool:
    """Whether a sniff head may be a CloudWatch envelope (worth unwrapping)."""
    start = head.lstrip()[:4]
    return start == b"H4sI" or (start[:1] == b"{" and _SIGNATURE.search(head) is not None)


def unwrap_head(head: bytes, depth: int = 0) -> bytes:
    """The log events of an enveloped sniff head, one per line; else the head as is."""
    if depth > _MAX_DEPTH or not looks_enveloped(head):
        return head
    stripped = head.lstrip()
    if stripped.startswith(b"H4sI"):
        return unwrap_head(peek_data(stripped.split(b"\n", 1)[0]), depth + 1)
    pieces = [unwrap_head(peek_data(m.group(1)), depth + 1) for m in _DATA.finditer(head)]
    for match in _MESSAGE.finditer(head):
        try:
            message = json.loads(b'"' + match.group(1) + b'"')
        except ValueError:
            continue
        if isinstance(message, str) and message.lstrip().startswith("{"):
            pieces.append(message.encode("utf-8"))
    pieces = [p for p in pieces if p.lstrip()[:1] in (b"{", b"[")]
    return b"\n".join(pieces) if pieces else head
