"""SPDX 2 tag-value SBOMs (``SPDXVersion: SPDX-2.3``), as syft, trivy and the SPDX tools write them.

The ``Tag: value`` lines (``<text>...</text>`` values may span lines) are turned
into the JSON shape and read by the SPDX JSON reader, so both forms give the same
records. A package's line is that of its ``PackageName:``; files listed after a
package belong to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import read_text
from scoper.sources.sboms.spdx import document_records

_VERSION = re.compile(rb"(?m)^[ \t]*SPDXVersion:[ \t]*SPDX-2\.")
_TAG = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):\s?(.*)")
_TEXT_OPEN, _TEXT_CLOSE = "<text>", "</text>"
# tag -> JSON key of a package
_PACKAGE_FIELDS = {
    "PackageVersion": "versionInfo",
    "PackageFileName": "packageFileName",
    "PrimaryPackagePurpose": "primaryPackagePurpose",
    "PackageSourceInfo": "sourceInfo",
    "PackageDownloadLocation": "downloadLocation",
}


@dataclass(slots=True)
class _Document:
    """The JSON shape being built, and where each package starts."""

    doc: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    package: dict[str, Any] | None = None
    file: dict[str, Any] | None = None


class SpdxTagSource(FileSource):
    """SPDX 2.x tag-value documents."""

    name = "spdx-tag"
    kind: SourceKind = "sbom"
    obtained = "`syft IMAGE -o spdx-tag-value > sbom.spdx`, `trivy image --format spdx IMAGE`"
    summary = "SPDX 2.2/2.3 SBOM in tag-value (`syft IMAGE -o spdx`, `trivy image -f spdx`)"
    reads = (
        "as SPDX JSON: PackageName, PackageVersion, ExternalRef purl, PackageChecksum, "
        "files and Relationship lines; the described root as the subject image; Created; "
        "the line of each PackageName"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        return not head.lstrip().startswith((b"{", b"<")) and _VERSION.search(head) is not None

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        built = _Document()
        for line, tag, value in _tag_values(read_text(path, ctx.display), ctx.display):
            _apply(built, line, tag, value)
        version = built.doc.get("spdxVersion")
        if not isinstance(version, str) or not version.startswith("SPDX-2."):
            raise InputError(ctx.display, "not an SPDX 2 tag-value document", "SPDXVersion")
        return document_records(built.doc, built.lines, ctx.display)


def _tag_values(text: str, display: str) -> list[tuple[int, str, str]]:
    """(line, tag, value) of every entry; multi-line ``<text>`` values joined."""
    found: list[tuple[int, str, str]] = []
    rows = text.splitlines()
    index = 0
    while index < len(rows):
        number, raw = index + 1, rows[index].strip()
        index += 1
        if not raw or raw.startswith("#"):
            continue
        matched = _TAG.fullmatch(raw)
        if matched is None:
            raise InputError(display, "expected 'Tag: value'", f"line {number}")
        tag, value = matched.group(1), matched.group(2).strip()
        if value.startswith(_TEXT_OPEN) and _TEXT_CLOSE not in value:
            parts = [value]
            while index < len(rows) and _TEXT_CLOSE not in rows[index]:
                parts.append(rows[index])
                index += 1
            if index == len(rows):
                raise InputError(display, "unterminated <text> value", f"line {number}")
            parts.append(rows[index])
            index += 1
            value = "\n".join(parts)
        if value.startswith(_TEXT_OPEN):
            value = value[len(_TEXT_OPEN) :].rsplit(_TEXT_CLOSE, 1)[0].strip()
        found.append((number, tag, value))
    return found


def _apply(built: _Document, line: int, tag: str, value: str) -> None:
    """Add one entry to the document, the current package or the current file."""
    doc = built.doc
    if tag == "PackageName":
        built.lines[f"packages[{len(doc.setdefault('packages', []))}]"] = line
        built.package, built.file = {"name": value}, None
        doc["packages"].append(built.package)
    elif tag == "FileName":
        built.file = {"fileName": value}
        doc.setdefault("files", []).append(built.file)
    elif tag == "SPDXID":
        _identify(built, value)
    elif tag == "Relationship":
        left, _, rest = value.partition(" ")
        kind, _, right = rest.strip().partition(" ")
        doc.setdefault("relationships", []).append(
            {"spdxElementId": left, "relationshipType": kind, "relatedSpdxElement": right.strip()}
        )
    elif tag in {"SPDXVersion", "DocumentName", "Created"}:
        _document_field(doc, tag, value)
    elif built.package is not None and built.file is None:
        _package_field(built.package, tag, value)
    elif tag == "AnnotationComment" and built.package is not None:
        built.package.setdefault("annotations", []).append({"comment": value})


def _identify(built: _Document, value: str) -> None:
    """``SPDXID:`` names the current file, else the current package, else the document."""
    if built.file is not None:
        built.file["SPDXID"] = value
        if built.package is not None:
            built.package.setdefault("hasFiles", []).append(value)
    elif built.package is not None:
        built.package["SPDXID"] = value
    else:
        built.doc["SPDXID"] = value


def _document_field(doc: dict[str, Any], tag: str, value: str) -> None:
    if tag == "SPDXVersion":
        doc.setdefault("spdxVersion", value)
    elif tag == "DocumentName":
        doc.setdefault("name", value)
    else:
        doc.setdefault("creationInfo", {}).setdefault("created", value)


def _package_field(package: dict[str, Any], tag: str, value: str) -> None:
    """One package tag in its JSON form."""
    if tag in _PACKAGE_FIELDS:
        package.setdefault(_PACKAGE_FIELDS[tag], value)
    elif tag == "ExternalRef":
        parts = value.split(None, 2)
        if len(parts) == 3:
            package.setdefault("externalRefs", []).append(
                {
                    "referenceCategory": parts[0],
                    "referenceType": parts[1],
                    "referenceLocator": parts[2],
                }
            )
    elif tag == "PackageChecksum":
        algorithm, _, checksum = value.partition(":")
        package.setdefault("checksums", []).append(
            {"algorithm": algorithm.strip(), "checksumValue": checksum.strip()}
        )
    elif tag == "PackageAttributionText":
        package.setdefault("attributionTexts", []).append(value)


SOURCE = SpdxTagSource()
