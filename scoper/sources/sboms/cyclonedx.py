"""CycloneDX JSON SBOMs (spec 1.4-1.7), as syft, trivy, cdxgen and SCALIBR write them.

Every ``components[]`` entry at any depth is a package; ``metadata.component``
is the SBOM subject (usually a container image) and becomes the artifact,
with its image digest. XML CycloneDX is read by ``cyclonedx_xml``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
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
    layer_location,
    load_json_document,
    parse_timestamp,
    purl_digest,
    string,
)

ARTIFACT_KEY = "sbom"
_SUFFIXES = (".cdx.json", ".bom.json", ".cyclonedx.json")
_ENTRY = re.compile(r"components\[\d+\](?:\.components\[\d+\])*|metadata\.component")
_NOT_PACKAGES = {"operating-system", "file", "data", "device", "platform", "cryptographic-asset"}
_TRIVY = "aquasecurity:trivy:"


class CycloneDxSource(FileSource):
    """CycloneDX JSON documents."""

    name = "cyclonedx-json"
    kind: SourceKind = "sbom"
    obtained = (
        "`syft IMAGE -o cyclonedx-json`, `cyclonedx-py environment > bom.json`, `uv export "
        "--format cyclonedx1.5 -o bom.json`"
    )
    summary = (
        "CycloneDX SBOM in JSON (spec 1.4-1.7; e.g. `cyclonedx-py environment`, "
        "`syft -o cyclonedx-json`)"
    )
    reads = (
        "components[] at any depth: purl (ecosystem, name, version), hashes, locations from "
        "evidence.occurrences and syft/trivy properties; metadata.component as the subject "
        "image with its digest; metadata.timestamp"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        body = json_head(head)
        if not body.startswith(b"{"):
            return False
        if b'"bomFormat"' in body and b'"CycloneDX"' in body:
            return True
        if b"cyclonedx.org/schema/bom" in body:  # $schema
            return True
        if body.startswith(b'{"components"') and b'"bom-ref"' in body:  # keys sorted (pip-audit)
            return True
        return logical_name(path).lower().endswith(_SUFFIXES) and b'"spdxVersion"' not in body

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text, doc = load_json_document(path, ctx.display)
        if not isinstance(doc, dict) or doc.get("bomFormat") != "CycloneDX":
            raise InputError(ctx.display, "not a CycloneDX document (bomFormat)", "bomFormat")
        components = doc.get("components", [])
        if not isinstance(components, list):
            raise InputError(ctx.display, "'components' is not a list", "components")
        lines = entry_lines(text, lambda place: _ENTRY.fullmatch(place) is not None)
        return document_records(doc, lines, ctx.display)


def document_records(doc: dict[str, Any], lines: dict[str, int], display: str) -> Records:
    """The records of a CycloneDX document in its JSON shape (the XML reader builds one).

    ``lines`` maps entry paths (``components[0].components[1]``, ``metadata.component``)
    to the line where each starts.
    """
    metadata = doc.get("metadata")
    records = Records(artifacts=[_artifact(metadata, display, lines)])
    fallback = "PyPI" if _made_by_pip_audit(metadata) else "generic"
    components = doc.get("components")
    for place, component in _walk(components if isinstance(components, list) else []):
        origin = Origin(display, lines.get(place))
        built = _packages(component, origin, fallback)
        if isinstance(built, Skipped):
            records.skipped.append(Skipped(origin, f"{place}: {built.reason}", informational=True))
        elif isinstance(built, str):
            records.skipped.append(Skipped(origin, f"{place}: {built}"))
        else:
            records.packages.extend(built)
    return records


def _walk(components: list[Any]) -> Iterator[tuple[str, Any]]:
    """(path, component) for every component, nested ones included, in document order."""
    stack: list[tuple[str, Any]] = [
        (f"components[{i}]", c) for i, c in reversed(list(enumerate(components)))
    ]
    while stack:
        place, component = stack.pop()
        yield place, component
        children = component.get("components") if isinstance(component, dict) else None
        if isinstance(children, list):
            stack.extend(
                (f"{place}.components[{i}]", c) for i, c in reversed(list(enumerate(children)))
            )


def _made_by_pip_audit(metadata: Any) -> bool:
    """pip-audit writes purl-less components; they are PyPI distributions."""
    return isinstance(metadata, dict) and "pip-audit" in json.dumps(metadata.get("tools", ""))


def _packages(component: Any, origin: Origin, fallback: str) -> list[Package] | Skipped | str:
    """One package per occurrence location of a component, or why it is not a package.

    A Skipped comes back for entries that lose nothing (trivy's scan-target nodes).
    """
    if not isinstance(component, dict):
        return "not an object"
    purl = component.get("purl")
    kind = string(component.get("type"))
    props = _properties(component)
    if decode_purl(purl) is None:
        if _TRIVY + "Class" in props:
            return Skipped(origin, "trivy scan target (os-pkgs/lang-pkgs), not a package")
        if kind in _NOT_PACKAGES:
            return f"{kind} component, not a package"
    hashes = collect_hashes(
        (h.get("alg"), h.get("content")) for h in dicts(component.get("hashes"))
    )
    built: list[Package] = []
    for location in _locations(component, props):
        package = build_package(
            ARTIFACT_KEY,
            origin,
            purl=purl,
            name=component.get("name"),
            version=component.get("version"),
            hashes=hashes,
            location=location,
            fallback_ecosystem=fallback,
        )
        if isinstance(package, str):
            return package
        built.append(package)
    return built


def _locations(component: dict[str, Any], props: dict[str, str]) -> list[str | None]:
    """Occurrence paths, else the syft/trivy path property, else the layer, else [None]."""
    evidence = component.get("evidence")
    occurrences = evidence.get("occurrences") if isinstance(evidence, dict) else None
    found = [o.get("location") for o in dicts(occurrences)]
    paths = list(dict.fromkeys(p for p in found if isinstance(p, str) and p))
    if paths:
        return list(paths)
    path = props.get("syft:location:0:path") or props.get(_TRIVY + "FilePath")
    if path:
        return [path]
    layer = props.get("syft:location:0:layerID") or props.get(_TRIVY + "LayerDiffID")
    return [layer_location(layer or props.get(_TRIVY + "LayerDigest"))]


def _artifact(metadata: Any, display: str, lines: dict[str, int]) -> Artifact:
    """The SBOM subject: name, image digest, creation time."""
    meta = metadata if isinstance(metadata, dict) else {}
    subject = meta.get("component")
    subject = subject if isinstance(subject, dict) else {}
    props = _properties(subject)
    digest = first_digest(
        [
            props.get(_TRIVY + "RepoDigest"),
            purl_digest(subject.get("purl")),
            subject.get("version"),
            purl_digest(subject.get("bom-ref")),
            subject.get("name"),
            props.get(_TRIVY + "ImageID"),
        ]
    )
    name = image_name(subject.get("name")) or image_name(props.get(_TRIVY + "RepoDigest"))
    return Artifact(
        ARTIFACT_KEY,
        "sbom",
        name or display,
        Origin(display, lines.get("metadata.component")),
        digest=digest,
        created_at=parse_timestamp(meta.get("timestamp")),
    )


def _properties(entry: dict[str, Any]) -> dict[str, str]:
    """First value per property name."""
    found: dict[str, str] = {}
    for prop in dicts(entry.get("properties")):
        name, value = prop.get("name"), prop.get("value")
        if isinstance(name, str) and isinstance(value, str):
            found.setdefault(name, value)
    return found


SOURCE = CycloneDxSource()
