"""SARIF 2.1.0 for ``scoper check`` (code-scanning upload in CI)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TextIO

from scoper import __version__
from scoper.report.base import RenderOptions, Result, Subject, check_only
from scoper.report.sarif_policy import policy_results, policy_rules
from scoper.scope.check import CheckFinding, CheckResult
from scoper.scope.confidence import Confidence

LEVEL: dict[str, str] = {
    Confidence.CONFIRMED.label: "error",
    Confidence.LIKELY.label: "error",
    Confidence.POSSIBLE.label: "warning",
}


@dataclass(frozen=True, slots=True)
class SarifRenderer:
    """One SARIF run; findings below ``--fail-on`` are notes."""

    name: str = "sarif"
    suffix: str = ".sarif"
    media_type: str = "application/sarif+json"
    subjects: frozenset[Subject] = frozenset({Subject.CHECK})
    summary: str = "SARIF 2.1.0 for code-scanning upload"

    def render(self, result: Result, out: TextIO, options: RenderOptions) -> None:
        out.write(render_sarif(check_only(self.name, result), options.fail_on))


def render_sarif(result: CheckResult, threshold: str) -> str:
    failing = set(result.failing(threshold))
    rules = sorted({f.advisory for f in result.findings})
    vulns = {v.id for v in result.vulns}
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "scoper",
                        "version": __version__,
                        "rules": [
                            *(
                                {"id": r, "shortDescription": {"text": _rule_text(r, vulns)}}
                                for r in rules
                            ),
                            *policy_rules(),
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": f.advisory,
                        "level": LEVEL[f.confidence] if f in failing else "note",
                        "message": {"text": f"{f.package} {f.version}: {f.fact} [{f.confidence}]"},
                        "partialFingerprints": {"scoperFinding/v1": fingerprint(f)},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": f.file},
                                    "region": {"startLine": f.line or 1},
                                }
                            }
                        ],
                    }
                    for f in result.findings
                ]
                + policy_results(result),
            }
        ],
    }
    return json.dumps(sarif, indent=2) + "\n"


def _rule_text(rule: str, vulns: set[str]) -> str:
    if rule in vulns:  # check --vulns: a known vulnerability pip-audit reported
        return f"known vulnerability ({rule}, reported by pip-audit)"
    return f"known-bad package ({rule})"


def fingerprint(f: CheckFinding) -> str:
    """Stable across runs and line moves: advisory, package, version and file."""
    key = "\0".join((f.advisory, f.package.lower(), f.version, f.file))
    return hashlib.sha256(key.encode()).hexdigest()[:32]
