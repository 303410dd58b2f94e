"""pip-audit's JSON output (``pip-audit -f json``): the audited packages.

Current form: ``{"dependencies": [{"name", "version", "vulns": [...]}], "fixes": [...]}``;
older releases wrote the bare list. Dependencies pip-audit could not audit carry
``skip_reason`` and no version; they are reported as Skipped. The vulnerabilities
themselves are pip-audit's findings, not inventory, and are not read. (pip-audit's
CycloneDX output is read by the cyclonedx-json source.)
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Package, Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.environments.pip_records import (
    add_entries,
    array_entries,
    environment_artifact,
    text_field,
)
from scoper.sources.packages import make_package
from scoper.sources.reading import json_head, logical_name, read_text


class PipAudit(FileSource):
    """pip-audit's JSON report."""

    name = "pip-audit-json"
    kind: SourceKind = "environment"
    obtained = "`pip-audit --format json -o audit.json`"
    summary = "pip-audit JSON report (the audited dependencies)"
    reads = "dependencies[] (or the older bare list): name and version; skip_reason as skipped"

    def sniff(self, path: Path, head: bytes) -> bool:
        body = json_head(head)
        if body[:1] == b"{":
            return body[1:].lstrip().startswith(b'"dependencies"') and (
                b'"vulns"' in body or b'"skip_reason"' in body
            )
        return body[:1] == b"[" and b'"vulns"' in body and b'"name"' in body

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text = read_text(path, ctx.display)
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(ctx.display, f"invalid JSON: {exc.msg}", f"line {exc.lineno}") from exc
        except (ValueError, RecursionError) as exc:
            raise InputError(ctx.display, f"invalid JSON: {exc}") from exc
        key = "" if isinstance(doc, list) else "dependencies"
        items = doc if isinstance(doc, list) else _dependencies(doc, ctx.display)
        records = Records(artifacts=[environment_artifact(ctx, logical_name(path))])
        add_entries(records, ctx, array_entries(text, items, key), partial(_package, ctx))
        return records


def _dependencies(doc: Any, display: str) -> list[Any]:
    items = doc.get("dependencies") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise InputError(display, "not a pip-audit report: no 'dependencies' list")
    return items


def _package(ctx: ParseContext, entry: Any, line: int | None) -> Package | str:
    """The package of one audited dependency, or why there is none."""
    name = text_field(entry, "name")
    if name is None:
        return "entry has no name"
    reason = text_field(entry, "skip_reason")
    if reason is not None:
        return f"{name}: not audited by pip-audit: {reason}"
    version = text_field(entry, "version")
    if version is None:
        return f"{name}: no version"
    return make_package(ctx, "PyPI", name, line, version=version)


SOURCE = PipAudit()
