"""SPDX 2 YAML SBOMs (the SPDX tools' ``.spdx.yml``), read as SPDX JSON.

YAML holds the same fields as the JSON form, so the document goes through the
SPDX JSON reader; a package's line is that of its first key. Scalars stay
strings (no YAML type guessing).
"""

from __future__ import annotations

import re
from pathlib import Path

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import read_text
from scoper.sources.sboms.spdx import document_records
from scoper.sources.yaml_lines import load_yaml

_VERSION = re.compile(rb"""(?m)^["']?spdxVersion["']?[ \t]*:[ \t]*["']?SPDX-2\.""")


class SpdxYamlSource(FileSource):
    """SPDX 2.x YAML documents."""

    name = "spdx-yaml"
    kind: SourceKind = "sbom"
    obtained = (
        "SPDX tools-java: `java -jar tools-java-VERSION-jar-with-dependencies.jar Convert "
        "sbom.spdx.json sbom.spdx.yaml`"
    )
    summary = "SPDX 2.2/2.3 SBOM in YAML (`.spdx.yml`, as the SPDX tools convert it)"
    reads = "as SPDX JSON, with the line where each package starts"

    def sniff(self, path: Path, head: bytes) -> bool:
        return not head.lstrip().startswith((b"{", b"<")) and _VERSION.search(head) is not None

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        doc, starts = load_yaml(read_text(path, ctx.display), ctx.display)
        version = doc.get("spdxVersion") if isinstance(doc, dict) else None
        if not isinstance(version, str) or not version.startswith("SPDX-2."):
            raise InputError(ctx.display, "not an SPDX 2 YAML document", "spdxVersion")
        packages = doc.get("packages")
        if not isinstance(packages, list):
            packages = []
        lines = {f"packages[{i}]": starts[id(p)] for i, p in enumerate(packages) if id(p) in starts}
        return document_records(doc, lines, ctx.display)


SOURCE = SpdxYamlSource()
