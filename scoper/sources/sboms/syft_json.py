"""syft's native JSON (``syft IMAGE -o json``), the richest thing syft writes.

Every ``artifacts[]`` entry is a package (purl, else name with the ecosystem of
syft's ``type``); its first location is where it was found. The scanned
``source`` becomes the artifact with the image's registry digest. Files a python
package lists in its RECORD, with their sha256, become artifact files, so an
advisory's file indicator (a ``.pth`` hook) meets them.
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path, PurePosixPath
from typing import Any

from scoper.errors import InputError
from scoper.model import Artifact, ArtifactFile, Origin, Package, Records, Skipped
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import dig, json_head, logical_name, obj
from scoper.sources.sboms.fields import (
    build_package,
    collect_hashes,
    dicts,
    entry_lines,
    first_digest,
    image_name,
    layer_location,
    load_json_document,
    string,
)

ARTIFACT_KEY = "sbom"
_ENTRY = re.compile(r"artifacts\[\d+\]|source")
# syft package type -> ecosystem, for entries whose purl is missing or unusable
_ECOSYSTEMS = {
    "python": "PyPI",
    "npm": "npm",
    "go-module": "Go",
    "conda": "conda",
    "github-action": "GitHub Actions",
    "github-action-workflow": "GitHub Actions",
}


class SyftJsonSource(FileSource):
    """syft JSON documents."""

    name = "syft-json"
    kind: SourceKind = "sbom"
    obtained = "`syft IMAGE -o syft-json > sbom.syft.json`"
    summary = "syft's native JSON SBOM (`syft IMAGE -o json`)"
    reads = (
        "artifacts[]: purl (else name and syft type), version, first location, java archive "
        "digests; python RECORD files with their sha256 as artifact files; source as the "
        "subject image with its repo digest (else manifestDigest)"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        body = json_head(head)
        if not body.startswith(b"{") or b'"artifacts"' not in body:
            return False
        if b"anchore/syft" in body or b'"artifactRelationships"' in body:
            return True
        return b'"foundBy"' in body or logical_name(path).lower().endswith(".syft.json")

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text, doc = load_json_document(path, ctx.display)
        if not isinstance(doc, dict) or not isinstance(doc.get("artifacts"), list):
            raise InputError(ctx.display, "not a syft JSON document (artifacts)", "artifacts")
        if not ({"source", "descriptor", "artifactRelationships"} & set(doc)):
            raise InputError(ctx.display, "not a syft JSON document (no source)", "source")
        lines = entry_lines(text, lambda place: _ENTRY.fullmatch(place) is not None)
        source = obj(doc.get("source"))
        records = Records(artifacts=[_artifact(source, Origin(ctx.display, lines.get("source")))])
        for index, entry in enumerate(doc["artifacts"]):
            place = f"artifacts[{index}]"
            origin = Origin(ctx.display, lines.get(place))
            built = _package(entry, origin)
            if isinstance(built, str):
                records.skipped.append(Skipped(origin, f"{place}: {built}"))
                continue
            records.packages.append(built)
            records.files.extend(_record_files(entry, origin))
        return records


def _package(entry: Any, origin: Origin) -> Package | str:
    """A package from one artifact, or why it is not one."""
    if not isinstance(entry, dict):
        return "not an object"
    metadata = obj(entry.get("metadata"))
    hashes = collect_hashes(
        (d.get("algorithm"), d.get("value")) for d in dicts(metadata.get("digest"))
    )
    return build_package(
        ARTIFACT_KEY,
        origin,
        purl=entry.get("purl"),
        name=entry.get("name"),
        version=entry.get("version"),
        hashes=hashes,
        location=_location(entry),
        fallback_ecosystem=_ECOSYSTEMS.get(string(entry.get("type")), "generic"),
    )


def _location(entry: dict[str, Any]) -> str | None:
    """The primary-evidence location's path, else the first path, else the layer."""
    locations = dicts(entry.get("locations"))
    primary = [loc for loc in locations if dig(loc, "annotations", "evidence") == "primary"]
    for location in primary + locations:
        path = string(location.get("path"))
        if path:
            return path
    return layer_location(locations[0].get("layerID")) if locations else None


def _record_files(entry: dict[str, Any], origin: Origin) -> list[ArtifactFile]:
    """The sha256-hashed files of a python package's RECORD."""
    metadata = obj(entry.get("metadata"))
    root = string(metadata.get("sitePackagesRootPath"))
    found: list[ArtifactFile] = []
    for record in dicts(metadata.get("files")):
        path = string(record.get("path"))
        digest = obj(record.get("digest"))
        sha256 = _record_sha256(digest.get("algorithm"), digest.get("value"))
        if not path or sha256 is None:
            continue
        full = str(PurePosixPath(root, path)) if root else path
        kind = "pth" if path.endswith(".pth") else "record"
        found.append(ArtifactFile(ARTIFACT_KEY, full, kind, origin, sha256))
    return found


def _record_sha256(algorithm: object, value: object) -> str | None:
    """Hex sha256 from a RECORD digest (urlsafe base64 without padding, or hex)."""
    if string(algorithm).lower() != "sha256" or not isinstance(value, str):
        return None
    if len(value) == 64 and re.fullmatch(r"[0-9a-fA-F]+", value):
        return value.lower()
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw.hex() if len(raw) == 32 else None


def _artifact(source: dict[str, Any], origin: Origin) -> Artifact:
    """The scanned source: image name and its registry (repo) digest."""
    metadata = obj(source.get("metadata"))
    repo_digests = metadata.get("repoDigests")
    repo = repo_digests if isinstance(repo_digests, list) else []
    digest = None
    if source.get("type") == "image":
        digest = first_digest([*repo, metadata.get("manifestDigest"), source.get("version")])
    name = (
        image_name(source.get("name"))
        or image_name(metadata.get("userInput"))
        or image_name(metadata.get("path"))
        or origin.file
    )
    return Artifact(ARTIFACT_KEY, "sbom", name, origin, digest=digest)


SOURCE = SyftJsonSource()
