"""SPDX 2.2/2.3 JSON SBOMs, as syft, old and new trivy and SCALIBR's fixtures write them.

Packages come from ``packages[]`` (purl external ref first, then name and
``versionInfo``). The document's described root, when it is an image or has no
purl, is the SBOM subject: it becomes the artifact with its image digest.
Tag-value SPDX is read by ``spdx_tag``; YAML and RDF are not read (and not claimed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Artifact, Origin, Package, Records, Skipped
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import json_head, logical_name
from scoper.sources.sboms.fields import (
    build_package,
    collect_hashes,
    decode_purl,
    dicts,
    entry_lines,
    first_digest,
    image_name,
    key_values,
    layer_location,
    load_json_document,
    parse_timestamp,
    path_in_text,
    purl_digest,
    string,
)

ARTIFACT_KEY = "sbom"
_ENTRY = re.compile(r"packages\[\d+\]")
_DESCRIBES = {"DESCRIBES", "DESCRIBE"}  # old trivy wrote "DESCRIBE"
_LINEAGE = {"DESCENDANT_OF": False, "ANCESTOR_OF": True}  # True: related element descends
_RELATIONSHIP_KEYS = ("spdxElementId", "relationshipType", "relatedSpdxElement")
_PACKAGE_MANAGER = {"PACKAGE-MANAGER", "PACKAGE_MANAGER"}
_PURL_TYPES = {"purl", "http://spdx.org/rdf/references/purl"}
# syft, trivy, GitHub's dependency graph export (its repository root)
_ROOT_IDS = (
    "SPDXRef-DocumentRoot-",
    "SPDXRef-ContainerImage-",
    "SPDXRef-github-",
    "SPDXRef-com.github.",  # older GitHub exports
)
_NOT_PACKAGE_IDS = ("SPDXRef-Application-", "SPDXRef-OperatingSystem-")  # trivy grouping nodes


@dataclass(slots=True)
class _Graph:
    """What the relationships and files say about packages."""

    describes: list[str] = field(default_factory=list)
    ancestor: dict[str, str] = field(default_factory=dict)  # descendant id -> ancestor id
    contains: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # file SPDXID -> fileName


class SpdxSource(FileSource):
    """SPDX 2.x JSON documents."""

    name = "spdx-json"
    kind: SourceKind = "sbom"
    obtained = (
        "`syft IMAGE -o spdx-json`; GitHub: Insights > Dependency graph > Export SBOM, or `gh "
        "api repos/OWNER/REPO/dependency-graph/sbom > sbom.json`"
    )
    summary = (
        "SPDX 2.2/2.3 SBOM in JSON (`syft IMAGE -o spdx-json`, GitHub's dependency graph "
        '"Export SBOM", also as the REST API\'s {"sbom": ...})'
    )
    reads = (
        "packages[]: purl external ref, versionInfo, checksums, location from files, "
        "sourceInfo and trivy layer attributions; the described root as the subject image "
        "with its digest; creationInfo.created"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        body = json_head(head)
        if not body.startswith(b"{") or b'"@context"' in body or b'"@graph"' in body:
            return False
        if b'"spdxVersion"' in body or b'"SPDXRef-DOCUMENT"' in body:
            return True
        return logical_name(path).lower().endswith(".spdx.json")

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text, doc = load_json_document(path, ctx.display)
        wrapped = isinstance(doc, dict) and set(doc) == {"sbom"} and isinstance(doc["sbom"], dict)
        if wrapped:  # GitHub's REST API answers {"sbom": {...}}
            doc = doc["sbom"]
        version = doc.get("spdxVersion") if isinstance(doc, dict) else None
        if not isinstance(version, str) or not version.startswith("SPDX-2."):
            raise InputError(ctx.display, "not an SPDX 2 JSON document", "spdxVersion")
        packages = doc.get("packages", [])
        if not isinstance(packages, list):
            raise InputError(ctx.display, "'packages' is not a list", "packages")
        prefix = "sbom." if wrapped else ""
        lines = {
            place.removeprefix(prefix): line
            for place, line in entry_lines(
                text, lambda place: _ENTRY.fullmatch(place.removeprefix(prefix)) is not None
            ).items()
        }
        return document_records(doc, lines, ctx.display)


def document_records(doc: dict[str, Any], lines: dict[str, int], display: str) -> Records:
    """The records of an SPDX 2 document in its JSON shape (tag-value builds one).

    ``lines`` maps ``packages[i]`` to the line where each package starts.
    """
    packages = doc.get("packages")
    packages = packages if isinstance(packages, list) else []
    graph = _graph(doc)
    subject = _subject(packages, graph)
    records = Records(artifacts=[_artifact(doc, packages, subject, display, lines)])
    for index, entry in enumerate(packages):
        if index == subject:
            continue
        place = f"packages[{index}]"
        origin = Origin(display, lines.get(place))
        built = _package(entry, graph, origin)
        if isinstance(built, Skipped):
            records.skipped.append(Skipped(origin, f"{place}: {built.reason}", informational=True))
        elif isinstance(built, str):
            records.skipped.append(Skipped(origin, f"{place}: {built}"))
        else:
            records.packages.append(built)
    return records


def _graph(doc: dict[str, Any]) -> _Graph:
    """Describes, lineage and containment from the relationships; file names."""
    graph = _Graph(
        files={
            f["SPDXID"]: f["fileName"]
            for f in dicts(doc.get("files"))
            if isinstance(f.get("SPDXID"), str) and isinstance(f.get("fileName"), str)
        }
    )
    described = doc.get("documentDescribes")
    if isinstance(described, list):
        graph.describes.extend(d for d in described if isinstance(d, str))
    doc_id = doc.get("SPDXID", "SPDXRef-DOCUMENT")
    for rel in dicts(doc.get("relationships")):
        left, kind, right = (rel.get(k) for k in _RELATIONSHIP_KEYS)
        if not (isinstance(left, str) and isinstance(kind, str) and isinstance(right, str)):
            continue
        if kind in _DESCRIBES and left == doc_id:
            graph.describes.append(right)
        elif kind == "DESCRIBED_BY" and right == doc_id:
            graph.describes.append(left)
        elif kind in _LINEAGE:
            child, parent = (right, left) if _LINEAGE[kind] else (left, right)
            graph.ancestor.setdefault(child, parent)
        elif kind == "CONTAINS" and right in graph.files:
            graph.contains.setdefault(left, []).append(right)
    return graph


def _subject(packages: list[Any], graph: _Graph) -> int | None:
    """Index of the described root when it is the scanned image or tree, not a package."""
    index = {string(p.get("SPDXID")): i for i, p in enumerate(packages) if isinstance(p, dict)}
    for spdx_id in graph.describes:
        if spdx_id in index and _is_scan_root(packages[index[spdx_id]]):
            return index[spdx_id]
    return None


def _is_scan_root(entry: dict[str, Any]) -> bool:
    """An image (oci/docker purl, CONTAINER purpose) or a syft/trivy document root."""
    parts = decode_purl(_purl(entry))
    if parts is not None and parts.type in {"oci", "docker"}:
        return True
    if entry.get("primaryPackagePurpose") == "CONTAINER":
        return True
    if str(entry.get("SPDXID")).startswith(_ROOT_IDS):
        return True
    return "SchemaVersion" in _attributions(entry)  # trivy marks its root this way


def _purl(entry: dict[str, Any]) -> str | None:
    """The purl external ref, PACKAGE-MANAGER category first; None when there is none."""
    refs = [
        r
        for r in dicts(entry.get("externalRefs"))
        if string(r.get("referenceType")) in _PURL_TYPES and string(r.get("referenceLocator"))
    ]
    refs.sort(key=lambda r: string(r.get("referenceCategory")) not in _PACKAGE_MANAGER)
    for ref in refs:
        if decode_purl(ref["referenceLocator"]) is not None:
            return str(ref["referenceLocator"])
    return str(refs[0]["referenceLocator"]) if refs else None


def _package(entry: Any, graph: _Graph, origin: Origin) -> Package | Skipped | str:
    """A package entry, or why it is not one (a Skipped when nothing is lost)."""
    if not isinstance(entry, dict):
        return "not an object"
    spdx_id = entry.get("SPDXID")
    purl = _purl(entry)
    if decode_purl(purl) is None and isinstance(spdx_id, str):
        if spdx_id in graph.ancestor:
            return f"merged into {graph.ancestor[spdx_id]} (DESCENDANT_OF/ANCESTOR_OF)"
        purpose = entry.get("primaryPackagePurpose")
        if spdx_id.startswith(_NOT_PACKAGE_IDS) or purpose == "OPERATING-SYSTEM":
            return Skipped(origin, "trivy application/operating-system node, not a package")
    hashes = collect_hashes(
        (c.get("algorithm"), c.get("checksumValue")) for c in dicts(entry.get("checksums"))
    )
    return build_package(
        ARTIFACT_KEY,
        origin,
        purl=purl,
        name=entry.get("name"),
        version=entry.get("versionInfo"),
        hashes=hashes,
        location=_location(entry, graph),
    )


def _location(entry: dict[str, Any], graph: _Graph) -> str | None:
    """Path of the package: trivy's file, syft's sourceInfo, a sole file, else the layer."""
    has_files = [graph.files[f] for f in _strings(entry.get("hasFiles")) if f in graph.files]
    if has_files:
        return has_files[0]
    path = path_in_text(entry.get("sourceInfo"))
    if path:
        return path
    contained = graph.contains.get(str(entry.get("SPDXID")), [])
    if len(contained) == 1:
        return graph.files[contained[0]]
    props = _attributions(entry)
    return layer_location(props.get("LayerDiffID") or props.get("LayerDigest"))


def _attributions(entry: dict[str, Any]) -> dict[str, str]:
    """trivy's ``Key: value`` facts from attributionTexts (old) and annotations (new)."""
    comments = [a.get("comment") for a in dicts(entry.get("annotations"))]
    return key_values([*_strings(entry.get("attributionTexts")), *comments])


def _artifact(
    doc: dict[str, Any],
    packages: list[Any],
    subject: int | None,
    display: str,
    lines: dict[str, int],
) -> Artifact:
    """The SBOM subject: image name, digest and the document's creation time."""
    root: dict[str, Any] = packages[subject] if subject is not None else {}
    props = _attributions(root)
    sha256 = [
        c.get("checksumValue")
        for c in dicts(root.get("checksums"))
        if c.get("algorithm") == "SHA256"
    ]
    digest = first_digest(
        [
            props.get("RepoDigest"),
            purl_digest(_purl(root)),
            root.get("versionInfo"),
            *sha256,
            root.get("name"),
            doc.get("name"),
            props.get("ImageID"),
        ]
    )
    name = image_name(root.get("name")) or image_name(doc.get("name")) or display
    info = doc.get("creationInfo")
    created = parse_timestamp(info.get("created")) if isinstance(info, dict) else None
    line = lines.get(f"packages[{subject}]") if subject is not None else None
    return Artifact(
        ARTIFACT_KEY, "sbom", name, Origin(display, line), digest=digest, created_at=created
    )


def _strings(value: Any) -> list[str]:
    """The string items of a list field."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


SOURCE = SpdxSource()
