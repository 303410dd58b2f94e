"""SARIF results for the gate's policy rows: coverage gaps and cool-down refusals, each
with its own rule id (``scoper/gap/<allow key>``, ``scoper/min-age/<status>``)."""

from __future__ import annotations

import hashlib
from typing import Any

from scoper.report.check_rows import refused_ages
from scoper.scope.check import CheckResult
from scoper.scope.check_policy import Allow

GAP_RULES: dict[Allow, str] = {
    Allow.UNPINNED: "an unpinned requirement whose range admits a bad version",
    Allow.UNREADABLE: "an input that could not be read",
    Allow.UNKNOWN_ECOSYSTEM: "packages of an ecosystem scoper has no advisory data for",
}
AGE_RULES = {
    "too-young": "a version younger than the --min-age cool-down",
    "unknown": "a version whose age the cool-down needs but cannot know",
}


def policy_rules() -> list[dict[str, Any]]:
    """The rule descriptors (always listed, so rule ids stay stable across runs)."""
    rules = [(f"scoper/gap/{kind.value}", text) for kind, text in GAP_RULES.items()]
    rules += [(f"scoper/min-age/{status}", text) for status, text in AGE_RULES.items()]
    return [
        {"id": rule, "shortDescription": {"text": text}, "properties": {"tags": ["scoper-gate"]}}
        for rule, text in rules
    ]


def policy_results(result: CheckResult) -> list[dict[str, Any]]:
    """One result per gap (a note when allowed) and per refused version."""
    found = [
        _result(
            f"scoper/gap/{g.kind.value}",
            "note" if g.allowed else "error",
            f"{g.subject}: {g.detail} (--allow {g.kind.value}"
            + (" given)" if g.allowed else " would let it pass)"),
            g.file,
            g.line,
            (g.kind.value, g.subject, g.file),
        )
        for g in result.gaps
    ]
    found += [
        _result(
            f"scoper/min-age/{a.status.value}",
            "error",
            f"{a.package} {a.version}: {a.detail} (--min-age {result.min_age})",
            a.file,
            a.line,
            (a.status.value, a.package.lower(), a.version, a.file),
        )
        for a in refused_ages(result)
    ]
    return found


def _result(
    rule: str, level: str, text: str, file: str, line: int | None, key: tuple[str, ...]
) -> dict[str, Any]:
    digest = hashlib.sha256("\0".join((rule, *key)).encode()).hexdigest()[:32]
    return {
        "ruleId": rule,
        "level": level,
        "message": {"text": text},
        "partialFingerprints": {"scoperPolicy/v1": digest},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": file},
                    "region": {"startLine": line or 1},
                }
            }
        ],
    }
