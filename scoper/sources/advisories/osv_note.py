"""OSV advisory records in an evidence folder: recognised and noted, not read as evidence.

An OSV record (https://ossf.github.io/osv-schema/) is an advisory, not evidence of
what ran or was installed: a file holding one (``id`` + ``modified`` + ``affected`` or
``schema_version``), or a list of them, gives an informational note pointing at
``--advisories``. Nothing is lost, so the file is not partial.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scoper.model import Origin, Records, Skipped
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import json_head, load_json, string

_ID = re.compile(rb'"id"\s*:\s*"')
_MODIFIED = re.compile(rb'"modified"\s*:\s*"')
_SHAPE = re.compile(rb'"(?:affected|schema_version)"\s*:')


def is_osv(value: Any) -> bool:
    """Whether a parsed JSON value is one OSV record."""
    return (
        isinstance(value, dict)
        and string(value.get("id")) is not None
        and string(value.get("modified")) is not None
        and ("affected" in value or "schema_version" in value)
    )


class OsvNoteSource(FileSource):
    """OSV advisory records: a note to load them with ``--advisories``."""

    name = "osv-record"
    kind: SourceKind = "advisory"
    obtained = (
        "osv.dev (`https://api.osv.dev/v1/vulns/ID`, per-ecosystem `all.zip`), "
        "ossf/malicious-packages, the GitHub advisory database"
    )
    summary = "OSV advisory record (one or a list), as osv.dev and advisory databases publish"
    reads = (
        "nothing as evidence: an informational note to load it with "
        "`scoper advisories import` or --advisories"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        head = json_head(head)
        return (
            head[:1] in (b"{", b"[")
            and _ID.search(head) is not None
            and _MODIFIED.search(head) is not None
            and _SHAPE.search(head) is not None
            and b'"eventVersion"' not in head
        )

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        doc = load_json(path, ctx.display)
        found = doc if isinstance(doc, list) else [doc]
        ids = [str(r["id"]) for r in found if is_osv(r)]
        records = Records()
        origin = Origin(ctx.display, 1)
        if len(ids) != len(found):
            why = f"{len(found) - len(ids)} JSON value(s) that are not OSV records"
            records.skipped.append(Skipped(origin, why))
        if ids:
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            why = (
                f"OSV advisory record(s) {shown}: load with `scoper advisories import` "
                "or --advisories, not evidence"
            )
            records.skipped.append(Skipped(origin, why, True))
        return records


SOURCE = OsvNoteSource()
