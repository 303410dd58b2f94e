"""PYSEC YAML advisories (pypa/advisory-database ``vulns/<pkg>/PYSEC-*.yaml``) in an evidence
folder: recognised and noted, not read as evidence, like OSV JSON (``osv_note``).

An advisory is not evidence of what ran or was installed: the file gives an informational
note pointing at ``scoper advisories import`` / ``--advisories``. Nothing is lost.
"""

from __future__ import annotations

import re
from pathlib import Path

from scoper.model import Origin, Records, Skipped
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import read_text
from scoper.sources.yaml_lines import load_yaml

_ID = re.compile(rb"^id: *['\"]?[A-Za-z][A-Za-z0-9_]*-[^\s'\"]+['\"]? *$", re.MULTILINE)
_AFFECTED = re.compile(rb"^(?:affected|modified):", re.MULTILINE)


class PysecNoteSource(FileSource):
    """OSV advisory records written as YAML: a note to import them."""

    name = "osv-yaml-record"
    kind: SourceKind = "advisory"
    obtained = "pypa/advisory-database (`vulns/<package>/PYSEC-*.yaml`)"
    summary = "OSV advisory record in YAML (PYSEC), as the PyPA advisory database keeps them"
    reads = (
        "nothing as evidence: an informational note to load it with "
        "`scoper advisories import` or --advisories"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        named = path.name.lower().endswith((".yaml", ".yml"))
        return named and _ID.search(head) is not None and _AFFECTED.search(head) is not None

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        doc, _ = load_yaml(read_text(path, ctx.display), ctx.display)
        records = Records()
        origin = Origin(ctx.display, 1)
        ident = doc.get("id") if isinstance(doc, dict) else None
        if not isinstance(ident, str) or "modified" not in doc:
            records.skipped.append(Skipped(origin, "a YAML document that is not an OSV record"))
            return records
        why = (
            f"OSV advisory record {ident} (YAML): load with `scoper advisories import` "
            "or --advisories, not evidence"
        )
        records.skipped.append(Skipped(origin, why, True))
        return records


SOURCE = PysecNoteSource()
