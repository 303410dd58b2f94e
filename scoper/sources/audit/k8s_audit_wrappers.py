"""Unwrapping Kubernetes audit events from the envelopes cloud providers ship them in.

- ``audit.k8s.io/v1`` ``Event`` as is, ``EventList`` (``items``);
- Azure (AKS diagnostic logs): ``{"records": [...]}`` / ``properties.log`` holding
  the event as a JSON string;
- AWS (EKS control plane via CloudWatch): ``message`` holding the event as a JSON
  string, or a subscription envelope with ``logEvents``;
- GCP (GKE Cloud Audit Logs): a LogEntry whose ``protoPayload`` is a
  ``google.cloud.audit.AuditLog``; it is mapped onto the ``Event`` fields scoper
  reads (verb, objectRef, user, sourceIPs, userAgent, request/response objects).
  The exec command line is not in GKE entries;
- admission-webhook logs (kube-audit-rest): an ``AdmissionReview`` whose
  ``request`` (uid, resource, namespace, operation, userInfo, object) is mapped
  onto the same fields, with its ``requestReceivedTimestamp``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from scoper.sources.reading import dig, string

_MAX_DEPTH = 4


class WrapperError(ValueError):
    """An envelope whose payload cannot be read."""


def unwrap(item: dict[str, Any], depth: int = 0) -> list[dict[str, Any]]:
    """The Kubernetes audit events inside one input object (itself when it is one)."""
    if depth > _MAX_DEPTH:
        raise WrapperError("envelopes nested too deeply")
    for key in ("items", "records", "logEvents", "events"):
        if isinstance(item.get(key), list):
            return [e for x in item[key] if isinstance(x, dict) for e in unwrap(x, depth + 1)]
    request = item.get("request")
    if isinstance(request, dict) and "operation" in request and "uid" in request:
        return [from_admission(item, request)]
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


def from_admission(review: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    """An admission-webhook request (kube-audit-rest) as the Event fields scoper reads."""
    operation = (string(request.get("operation")) or "").lower()
    resource = string(dig(request, "resource", "resource"))
    sub = string(request.get("subResource")) or None
    namespace, name = string(request.get("namespace")), string(request.get("name"))
    body = request.get("object") if isinstance(request.get("object"), dict) else None
    uri = None
    if operation == "connect" and resource == "pods" and sub == "exec" and body is not None:
        command = body.get("command") if isinstance(body.get("command"), list) else []
        query = [("command", c) for c in command if isinstance(c, str)]
        if string(body.get("container")):
            query.append(("container", str(body["container"])))
        uri = f"/api/v1/namespaces/{namespace}/pods/{name}/exec?{urlencode(query)}"
    allowed = dig(review, "response", "allowed")
    return {
        "kind": "Event",
        "auditID": string(request.get("uid")),
        "stage": "ResponseComplete",
        "verb": "create" if operation == "connect" else operation,
        "requestURI": uri,
        "user": request.get("userInfo") if isinstance(request.get("userInfo"), dict) else {},
        "objectRef": {
            "resource": resource,
            "subresource": sub,
            "namespace": namespace,
            "name": name or string(dig(body, "metadata", "name")),
        },
        "responseStatus": {"code": 403 if allowed is False else 200},
        "requestObject": None if uri else body,
        "requestReceivedTimestamp": review.get("requestReceivedTimestamp")
        or review.get("timestamp")
        or review.get("time"),
    }
