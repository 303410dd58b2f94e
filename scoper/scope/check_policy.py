"""Gate policy: malware fails closed, and which coverage gaps ``--allow`` lets pass."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from scoper.errors import UsageError
from scoper.feeds.model import Advisory

MALWARE_PREFIX = "MAL-"


class Allow(StrEnum):
    """Coverage gaps ``scoper check --allow`` may let pass (each fails otherwise)."""

    UNPINNED = "unpinned"  # an unpinned requirement whose range admits a bad version
    UNREADABLE = "unreadable"  # a file that could not be read
    UNKNOWN_ECOSYSTEM = "unknown-ecosystem"  # an ecosystem scoper has no data for


def parse_allow(text: str | Iterable[str]) -> frozenset[Allow]:
    """``"unpinned,unreadable"`` (or a list of such) -> the set; an unknown value is exit 2."""
    parts = [text] if isinstance(text, str) else list(text)
    names = [p.strip() for part in parts for p in part.split(",") if p.strip()]
    valid = ", ".join(a.value for a in Allow)
    chosen: set[Allow] = set()
    for name in names:
        try:
            chosen.add(Allow(name.lower()))
        except ValueError:
            raise UsageError(f"--allow {name!r} is not one of: {valid}") from None
    return frozenset(chosen)


def is_malicious(advisory: Advisory) -> bool:
    """A malicious-package advisory (an OSV ``MAL-`` id or alias): fails at any confidence."""
    return any(n.upper().startswith(MALWARE_PREFIX) for n in advisory.names())


@dataclass(frozen=True, slots=True)
class GatePolicy:
    """What the gate lets pass beyond ``--fail-on``: allowed gaps, and the cool-down age."""

    allow: frozenset[Allow] = frozenset()
    min_age: timedelta | None = None  # --min-age: refuse versions younger than this
