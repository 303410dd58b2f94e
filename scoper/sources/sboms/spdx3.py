"""SPDX 3.0 JSON-LD SBOMs (compact form, as the SPDX 3 context and syft write it).

Packages are the ``software_Package`` elements of the ``@graph`` (AI and dataset
packages too when a purl names them); every other package element is a Skipped
with its reason. The root element of the document (through its ``software_Sbom``),
when it is an image, is the SBOM subject and becomes the artifact with its digest.
"""

from __future__ import annotations

import re
from datetime import datetime
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
    load_json_document,
    parse_timestamp,
    path_in_text,
    purl_digest,
    string,
)

ARTIFACT_KEY = "sbom"
_ENTRY = re.compile(r"@graph\[\d+\]")
_SUFFIXES = (".spdx.json", ".spdx3.json", ".spdx.jsonld", ".jsonld")
_PURL_IDS = {"packageUrl", "purl"}
_PACKAGES = {"software_Package", "Package"}
# Package subclasses for AI models and datasets: packages when a purl names them
_NOT_SOFTWARE = {"ai_AIPackage", "AIPackage", "dataset_DatasetPackage", "DatasetPackage"}


class Spdx3Source(FileSource):
    """SPDX 3 JSON-LD documents."""

    name = "spdx3-jsonld"
    kind: SourceKind = "sbom"
    obtained = (
        "SPDX 3 producers, or SPDX tools-java: `java -jar tools-java-VERSION-jar-with-"
        "dependencies.jar Convert IN.spdx.json OUT.jsonld`"
    )
    summary = "SPDX 3.0 SBOM in JSON-LD"
    reads = (
        "@graph software_Package elements: software_packageUrl, software_packageVersion, "
        "verifiedUsing hashes, software_sourceInfo path; the root element as the subject "
        "image with its digest; CreationInfo.created"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        body = json_head(head)
        if not body.startswith(b"{"):
            return False
        if b"spdx.org/rdf/3." in body:
            return True
        return b'"@graph"' in body and logical_name(path).lower().endswith(_SUFFIXES)

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text, doc = load_json_document(path, ctx.display)
        if not isinstance(doc, dict) or "spdx.org/rdf/3." not in str(doc.get("@context")):
            raise InputError(ctx.display, "not an SPDX 3 JSON-LD document", "@context")
        graph = doc.get("@graph")
        if not isinstance(graph, list):
            raise InputError(ctx.display, "'@graph' is not a list", "@graph")
        lines = entry_lines(text, lambda place: _ENTRY.fullmatch(place) is not None)
        elements = {key: e for e in dicts(graph) if (key := _element_id(e))}
        subject = _subject(graph, elements)
        records = Records(artifacts=[_artifact(graph, elements, subject, ctx.display, lines)])
        for index, element in enumerate(graph):
            kind = _type(element)
            if index == subject or not kind.endswith("Package"):
                continue
            place = f"@graph[{index}]"
            origin = Origin(ctx.display, lines.get(place))
            built = _package(element, kind, origin)
            if isinstance(built, Skipped):
                records.skipped.append(Skipped(origin, f"{place}: {built.reason}", True))
            elif isinstance(built, str):
                records.skipped.append(Skipped(origin, f"{place}: {built}"))
            else:
                records.packages.append(built)
        return records


def _package(element: dict[str, Any], kind: str, origin: Origin) -> Package | Skipped | str:
    """A package element; a Skipped (nothing lost) for a purl-less AI model or dataset."""
    purl = _purl(element)
    if kind not in _PACKAGES:
        if kind in _NOT_SOFTWARE and decode_purl(purl) is None:
            return Skipped(origin, f"{kind} without a purl: a model or dataset, not a package")
        if kind not in _NOT_SOFTWARE:
            return f"unknown package type {kind}"
    return build_package(
        ARTIFACT_KEY,
        origin,
        purl=purl,
        name=element.get("name"),
        version=element.get("software_packageVersion"),
        hashes=_hashes(element),
        location=path_in_text(element.get("software_sourceInfo")),
    )


def _element_id(element: dict[str, Any]) -> str | None:
    value = element.get("spdxId", element.get("@id"))
    return value if isinstance(value, str) else None


def _type(element: Any) -> str:
    """The element type, compacted: ``software_Package``, ``SpdxDocument``, ..."""
    if not isinstance(element, dict):
        return ""
    value = element.get("type", element.get("@type"))
    if isinstance(value, list):  # JSON-LD allows several types; the first names the class
        value = next((v for v in value if isinstance(v, str)), None)
    if not isinstance(value, str):
        return ""
    name = value.replace(":", "_")
    if "/" in value:  # a full IRI: .../terms/AI/AIPackage
        parts = value.rstrip("/").split("/")
        name = parts[-1] if parts[-2] in {"Core", "terms"} else f"{parts[-2].lower()}_{parts[-1]}"
    return name


def _is_package(element: Any) -> bool:
    return _type(element) in _PACKAGES


def _purl(element: dict[str, Any]) -> Any:
    """``software_packageUrl``, else a packageUrl external identifier."""
    if element.get("software_packageUrl") is not None:
        return element["software_packageUrl"]
    for ident in dicts(element.get("externalIdentifier")):
        if string(ident.get("externalIdentifierType")) in _PURL_IDS:
            return ident.get("identifier")
    return None


def _hashes(element: dict[str, Any]) -> tuple[str, ...]:
    return collect_hashes(
        (h.get("algorithm"), h.get("hashValue")) for h in dicts(element.get("verifiedUsing"))
    )


def _roots(graph: list[Any], elements: dict[str, dict[str, Any]]) -> list[str]:
    """Root element ids of the documents, looking through ``software_Sbom`` roots."""
    roots: list[str] = []
    for document in (e for e in graph if _type(e) == "SpdxDocument"):
        for root in _ids(document.get("rootElement")):
            if _type(elements.get(root)) in {"software_Sbom", "Bom"}:
                roots.extend(_ids(elements[root].get("rootElement")))
            else:
                roots.append(root)
    return roots


def _subject(graph: list[Any], elements: dict[str, dict[str, Any]]) -> int | None:
    """Index in the graph of the root package when it is an image, not a package."""
    positions = {id(e): i for i, e in enumerate(graph)}
    for root in _roots(graph, elements):
        element = elements.get(root)
        if element is None or not _is_package(element):
            continue
        parts = decode_purl(_purl(element))
        image_purl = parts is not None and parts.type in {"oci", "docker"}
        if image_purl or element.get("software_primaryPurpose") == "container":
            return positions[id(element)]
    return None


def _artifact(
    graph: list[Any],
    elements: dict[str, dict[str, Any]],
    subject: int | None,
    display: str,
    lines: dict[str, int],
) -> Artifact:
    """The SBOM subject: image name, digest and the document's creation time."""
    root: dict[str, Any] = graph[subject] if subject is not None else {}
    documents = [e for e in graph if _type(e) == "SpdxDocument"]
    sha256 = [h for h in _hashes(root) if h.startswith("sha256:")]
    digest = first_digest(
        [
            purl_digest(_purl(root)),
            root.get("software_packageVersion"),
            *sha256,
            root.get("name"),
        ]
    )
    doc_name = documents[0].get("name") if documents else None
    name = image_name(root.get("name")) or image_name(doc_name) or display
    line = lines.get(f"@graph[{subject}]") if subject is not None else None
    return Artifact(
        ARTIFACT_KEY,
        "sbom",
        name,
        Origin(display, line),
        digest=digest,
        created_at=_created(documents[0] if documents else {}, graph, elements),
    )


def _created(
    document: dict[str, Any], graph: list[Any], elements: dict[str, Any]
) -> datetime | None:
    """``created`` of the document's CreationInfo (a blank node id or inline)."""
    info = document.get("creationInfo")
    if isinstance(info, str):
        info = elements.get(info)
    if not isinstance(info, dict):
        info = next((e for e in graph if _type(e) == "CreationInfo"), {})
    return parse_timestamp(info.get("created"))


def _ids(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


SOURCE = Spdx3Source()
