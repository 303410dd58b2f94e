"""pip-audit's JSON output (``pip-audit -f json``) read as vulnerabilities.

``{"dependencies": [{"name", "version", "vulns": [{"id", "fix_versions", "aliases",
"description"}]} | {"name", "skip_reason"}], "fixes": [...]}``; releases before 2.0
wrote the bare ``dependencies`` list. (The inventory side of the same file is the
``pip-audit-json`` source.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from scoper.names import canonical


@dataclass(frozen=True, slots=True, order=True)
class Vulnerability:
    """One known vulnerability of one pinned package, as pip-audit reports it."""

    id: str
    package: str  # canonical name
    version: str
    aliases: tuple[str, ...] = ()
    fix_versions: tuple[str, ...] = ()

    def fact(self) -> str:
        """The finding's fact: what is known and what fixes it."""
        also = f" ({', '.join(self.aliases)})" if self.aliases else ""
        fix = ", ".join(self.fix_versions) if self.fix_versions else "none known"
        return f"known vulnerability {self.id}{also} per pip-audit; fixed in: {fix}"


def parse_report(text: str) -> tuple[list[Vulnerability], list[tuple[str, str]]] | None:
    """Vulnerabilities and ``(name, skip_reason)`` of skipped dependencies; None when the
    text is not a pip-audit JSON report (pip-audit failed before writing one)."""
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return None
    deps = doc.get("dependencies") if isinstance(doc, dict) else doc
    if not isinstance(deps, list):
        return None
    vulns: list[Vulnerability] = []
    skipped: list[tuple[str, str]] = []
    for dep in deps:
        if not isinstance(dep, dict) or not isinstance(dep.get("name"), str):
            continue
        name = canonical("PyPI", dep["name"])
        reason = dep.get("skip_reason")
        version = dep.get("version")
        if isinstance(reason, str) or not isinstance(version, str):
            skipped.append((name, str(reason or "no version")))
            continue
        vulns.extend(_vulns(name, version, dep.get("vulns")))
    return sorted(set(vulns)), sorted(skipped)


def _vulns(name: str, version: str, items: Any) -> list[Vulnerability]:
    found: list[Vulnerability] = []
    for item in items if isinstance(items, list) else []:
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str) or not ident.strip():
            continue
        found.append(
            Vulnerability(
                ident.strip(),
                name,
                version,
                _strings(item.get("aliases")),
                _strings(item.get("fix_versions")),
            )
        )
    return found


def _strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else []
    return tuple(sorted({v.strip() for v in items if isinstance(v, str) and v.strip()}))
