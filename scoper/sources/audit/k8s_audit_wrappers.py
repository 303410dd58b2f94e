"""Unwrapping Kubernetes audit events from the envelopes cloud providers ship them in.

- ``audit.k8s.io/v1`` ``Event`` as is, ``EventList`` (``items``);
- Azure (AKS diagnostic logs): ``{"records": [...]}`` / ``properties.log`` holding
  the event as a JSON string;
- AWS (EKS control plane via CloudWatch): ``message`` holding the event as a JSON
  string, or a subscription envelope with ``logEvents``;
- GCP (GKE Cloud Audit Logs): a LogEntry whose ``protoPayload`` is a
  ``google.cloud.audit.AuditLog``; it is mapped onto the ``Event`` fields scoper
  reads (verb, objectRef, user, sourceIPs, userAgent, request/response objects).
  The exec command line is not in GKE entries.
"""

from __future__ import annotations

import json
from typing import Any

from scoper.sources.reading import dig, string

_MAX_DEPTH = 4


class WrapperError(ValueError):
    """An envelope whose payload cannot be read."""


def unwrap(item: dict[str, Any], depth: int = 0) -> list[dict[str, Any]]:
    """The Kubernetes audit events inside one input object (itself when it is one)."""
    if depth > _MAX_DEPTH:
        raise WrapperError("envelopes nested too deeply")
    for key in ("items", "records", "logEvents"):
        if isinstance(item.get(key), list):
            return [e for x in item[key] if isinstance(x, dict) for e in unwrap(x, depth + 1)]
    if isinstance(item.get("protoPayload"), dict):
        return [from_gcp(item)]
    inner = dig(item, "properties", "log")
    if inner is None:
        inner = item.get("message") if "auditID" not in item else None
    if inner is None:
        return [item]
    if isinstance(inner, dict):
        return unwrap(inner, depth + 1)
    if isinstance(inner, str):
        try:
            value = json.loads(inner)
        except (ValueError, RecursionError) as exc:
            raise WrapperError("wrapped log is not JSON") from exc
        if isinstance(value, dict):
            return unwrap(value, depth + 1)
    raise WrapperError("wrapped log is not a JSON object")


def from_gcp(entry: dict[str, Any]) -> dict[str, Any]:
    """A GKE Cloud Audit Log entry as the ``audit.k8s.io`` Event fields scoper reads."""
    payload: dict[str, Any] = entry["protoPayload"]
    parts = (string(payload.get("methodName")) or "").split(".")
    # io.k8s.<group>.<version>.<resource>[.<subresource>].<verb>
    resource_parts = parts[4:-1] if len(parts) > 5 else []
    path = (string(payload.get("resourceName")) or "").split("/")
    namespace = path[path.index("namespaces") + 1] if "namespaces" in path[:-1] else None
    resource = resource_parts[0] if resource_parts else None
    names = path[path.index(resource) + 1 :] if resource in path else []
    code = dig(payload, "status", "code")
    return {
        "kind": "Event",
        "auditID": string(entry.get("insertId")) or string(dig(entry, "operation", "id")),
        "stage": "ResponseComplete",
        "verb": parts[-1] if len(parts) > 5 else None,
        "user": {"username": string(dig(payload, "authenticationInfo", "principalEmail"))},
        "sourceIPs": [ip] if (ip := string(dig(payload, "requestMetadata", "callerIp"))) else [],
        "userAgent": string(dig(payload, "requestMetadata", "callerSuppliedUserAgent")),
        "objectRef": {
            "resource": resource_parts[0] if resource_parts else None,
            "subresource": resource_parts[1] if len(resource_parts) > 1 else None,
            "namespace": namespace,
            "name": names[0] if names else None,
        },
        "responseStatus": {"code": 200 if code in (None, 0) else 403},
        "requestObject": payload.get("request"),
        "responseObject": payload.get("response"),
        "requestReceivedTimestamp": entry.get("timestamp") or entry.get("receiveTimestamp"),
    }
