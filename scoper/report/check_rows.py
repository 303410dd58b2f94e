"""The gate's policy rows as plain dicts (gaps, cool-down ages, ignored findings), shared
by the check JSON, markdown, SARIF and JUnit renderers."""

from __future__ import annotations

from typing import Any

from scoper.scope.check import CheckResult
from scoper.scope.check_age import AgeCheck
from scoper.scope.check_gaps import Gap
from scoper.times import rfc3339


def gap_dict(gap: Gap) -> dict[str, Any]:
    """One coverage gap: where, what, and the ``--allow`` key that waives it."""
    return {
        "kind": gap.kind.value,
        "allow": gap.kind.value,
        "file": gap.file,
        "line": gap.line,
        "subject": gap.subject,
        "detail": gap.detail,
        "allowed": gap.allowed,
        "fails": gap.fails,
    }


def age_dict(age: AgeCheck) -> dict[str, Any]:
    """One pinned version's age against ``--min-age``."""
    return {
        "file": age.file,
        "line": age.line,
        "ecosystem": age.ecosystem,
        "package": age.package,
        "version": age.version,
        "uploaded_at": rfc3339(age.uploaded_at) if age.uploaded_at else None,
        "source": age.source,
        "status": age.status.value,
        "detail": age.detail,
        "fails": age.fails or age.unknown,
    }


def policy_dict(result: CheckResult) -> dict[str, Any]:
    """The policy members of the check JSON object."""
    return {
        "malicious": list(result.malicious),
        "gaps": [gap_dict(g) for g in result.gaps],
        "min_age": None
        if result.min_age is None
        else {"age": result.min_age, "checks": [age_dict(a) for a in result.ages]},
        "ignored": [
            {
                "entry": i.entry,
                "advisory": i.advisory,
                "package": i.package,
                "version": i.version,
                "file": i.file,
                "reason": i.reason,
                "expires": i.expires.isoformat() if i.expires else None,
            }
            for i in result.ignored
        ],
        "expired_ignores": list(result.expired),
        "unused_ignores": list(result.unused),
    }


def refused_ages(result: CheckResult) -> tuple[AgeCheck, ...]:
    """Ages that fail the gate: too young (exit 1) or unknowable (exit 4)."""
    return tuple(a for a in result.ages if a.fails or a.unknown)
