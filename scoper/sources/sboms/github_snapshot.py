"""GitHub dependency-submission snapshots (the JSON posted to ``/dependency-graph/snapshots``).

Each manifest becomes an artifact (its ``file.source_location``, at the snapshot's
commit); each ``resolved`` entry a package from its ``package_url``, direct when the
relationship says so, in the group ``dev`` when its scope is ``development``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Artifact, Origin, Package, Records, Skipped
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import json_head, obj
from scoper.sources.sboms.fields import (
    build_package,
    clean,
    entry_lines,
    load_json_document,
    parse_timestamp,
    string,
)

_RELATIONSHIPS = {"direct": True, "indirect": False}


class GithubSnapshotSource(FileSource):
    """GitHub dependency snapshots."""

    name = "github-snapshot"
    kind: SourceKind = "sbom"
    obtained = (
        "what a dependency-submission action submits, e.g. `gradle/actions/dependency-"
        "submission` with `dependency-graph: generate-and-upload` (a workflow artifact); `syft "
        "IMAGE -o github-json`"
    )
    summary = (
        "GitHub dependency-submission snapshot (the body of POST "
        "/repos/OWNER/REPO/dependency-graph/snapshots, e.g. from a dependency-submission action)"
    )
    reads = (
        "manifests{}: one artifact per manifest (file.source_location at the snapshot sha, "
        "scanned time); resolved{} entries: package_url, relationship (direct), "
        "scope development as group 'dev'"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        body = json_head(head)
        if not body.startswith(b"{") or b'"manifests"' not in body:
            return False
        return b'"detector"' in body or b'"correlator"' in body or b'"package_url"' in body

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text, doc = load_json_document(path, ctx.display)
        if not isinstance(doc, dict) or not isinstance(doc.get("manifests", {}), dict):
            raise InputError(ctx.display, "not a dependency snapshot (manifests)", "manifests")
        if not ({"detector", "job"} & set(doc)):
            raise InputError(ctx.display, "not a dependency snapshot (no detector or job)")
        manifests = obj(doc.get("manifests"))
        wanted = _entry_places(manifests)
        lines = entry_lines(text, lambda place: place in wanted)
        records = Records()
        scanned = parse_timestamp(doc.get("scanned"))
        for name, manifest in manifests.items():
            place = f"manifests.{name}"
            key = f"manifest:{name}"
            records.artifacts.append(
                _artifact(key, name, manifest, doc, Origin(ctx.display, lines.get(place)), scanned)
            )
            _read_resolved(records, key, place, obj(obj(manifest).get("resolved")), lines, ctx)
        return records


def _entry_places(manifests: dict[str, Any]) -> set[str]:
    """The JSON paths of every manifest and resolved entry (keys may hold dots)."""
    places: set[str] = set()
    for name, manifest in manifests.items():
        places.add(f"manifests.{name}")
        places.update(f"manifests.{name}.resolved.{k}" for k in obj(obj(manifest).get("resolved")))
    return places


def _artifact(
    key: str,
    name: str,
    manifest: Any,
    doc: dict[str, Any],
    origin: Origin,
    scanned: Any,
) -> Artifact:
    """A manifest: its source location (else its name) at the snapshot's commit."""
    location = clean(obj(obj(manifest).get("file")).get("source_location")) or name
    sha = clean(doc.get("sha"))
    shown = f"{location}@{sha[:12]}" if sha else location
    return Artifact(key, "lockfile", shown, origin, created_at=scanned)


def _read_resolved(
    records: Records,
    key: str,
    place: str,
    resolved: dict[str, Any],
    lines: dict[str, int],
    ctx: ParseContext,
) -> None:
    """One package per resolved entry, or a Skipped with the reason."""
    for name, entry in resolved.items():
        entry_place = f"{place}.resolved.{name}"
        origin = Origin(ctx.display, lines.get(entry_place) or lines.get(place))  # non-objects
        built = _package(key, name, entry, origin)
        if isinstance(built, str):
            records.skipped.append(Skipped(origin, f"{entry_place}: {built}"))
        else:
            records.packages.append(built)


def _package(key: str, name: str, entry: Any, origin: Origin) -> Package | str:
    """A resolved dependency from its purl (the key names it when there is none)."""
    if not isinstance(entry, dict):
        return "not an object"
    built = build_package(key, origin, purl=entry.get("package_url"), name=name, version=None)
    if isinstance(built, str):
        return built
    scope = string(entry.get("scope"))
    return Package(
        built.artifact_key,
        built.ecosystem,
        built.name,
        origin,
        version=built.version,
        display_name=built.display_name,
        purl=built.purl,
        direct=_RELATIONSHIPS.get(string(entry.get("relationship"))),
        groups=("dev",) if scope == "development" else (),
        location=None,
    )


SOURCE = GithubSnapshotSource()
