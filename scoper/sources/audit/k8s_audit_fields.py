"""Fields scoper reads from a Kubernetes audit event: image digests, refusals, nodes."""

from __future__ import annotations

import re
from typing import Any

from scoper.sources.reading import dig, string

_DIGEST = re.compile(r"@(sha256:[0-9a-f]{64})")


def int_value(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for key in ("containers", "initContainers", "ephemeralContainers"):
        value = spec.get(key)
        found += [c for c in value if isinstance(c, dict)] if isinstance(value, list) else []
    return found


def spec_digest(spec: dict[str, Any]) -> str | None:
    for container in containers(spec):
        match = _DIGEST.search(string(container.get("image")) or "")
        if match:
            return match.group(1)
    return None


def status_digest(status: Any) -> str | None:
    statuses = dig(status, "containerStatuses")
    for entry in statuses if isinstance(statuses, list) else []:
        match = _DIGEST.search(string(dig(entry, "imageID")) or "")
        if match:
            return match.group(1)
    return None


def failure(event: dict[str, Any]) -> str | None:
    """The response's reason when the API server refused the request (status >= 400)."""
    code = dig(event, "responseStatus", "code")
    if not isinstance(code, int) or code < 400:
        return None
    return string(dig(event, "responseStatus", "reason")) or f"HTTP {code}"


def node_of(event: dict[str, Any]) -> str | None:
    """The node a kubelet request came from (``system:node:<name>``), else None."""
    user = string(dig(event, "user", "username")) or ""
    return user.removeprefix("system:node:") or None if user.startswith("system:node:") else None


def listed_secrets(event: dict[str, Any]) -> list[str]:
    items = dig(event, "responseObject", "items")
    names = [string(dig(i, "metadata", "name")) for i in items] if isinstance(items, list) else []
    return [n for n in names if n]
