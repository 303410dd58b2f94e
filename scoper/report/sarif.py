"""SARIF 2.1.0 for ``scoper check`` (code-scanning upload in CI)."""

from __future__ import annotations

import json

from scoper import __version__
from scoper.scope.check import CheckResult

LEVEL = {"confirmed": "error", "likely": "error", "possible": "warning"}


def render_sarif(result: CheckResult, threshold: str) -> str:
    failing = set(result.failing(threshold))
    rules = sorted({f.advisory for f in result.findings})
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
                            {"id": r, "shortDescription": {"text": f"known-bad package ({r})"}}
                            for r in rules
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": f.advisory,
                        "level": LEVEL[f.confidence] if f in failing else "note",
                        "message": {"text": f"{f.package} {f.version}: {f.fact} [{f.confidence}]"},
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
                ],
            }
        ],
    }
    return json.dumps(sarif, indent=2) + "\n"
