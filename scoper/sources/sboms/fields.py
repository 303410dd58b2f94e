"""Field decoding shared by the SBOM readers (CycloneDX, SPDX 2, SPDX 3).

purl -> (ecosystem, name, version), image digests, hashes, timestamps,
free-text locations, and the 1-based line where each JSON entry starts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from scoper.model import Origin, Package
from scoper.names import canonical
from scoper.sources.reading import parse_json, read_text
from scoper.times import parse_time

# purl type -> OSV ecosystem name, so SBOM packages meet OSV advisories on equal terms.
_ECOSYSTEMS = {
    "pypi": "PyPI",
    "npm": "npm",
    "golang": "Go",
    "maven": "Maven",
    "cargo": "crates.io",
    "gem": "RubyGems",
    "nuget": "NuGet",
    "composer": "Packagist",
    "hex": "Hex",
    "pub": "Pub",
    "conda": "conda",
    "github": "GitHub Actions",
    "githubactions": "GitHub Actions",  # GitHub's dependency graph export
}
# purl types whose namespace is part of the package identity, and how it is joined
_NAMESPACED = {
    "npm": "/",
    "maven": ":",
    "golang": "/",
    "composer": "/",
    "github": "/",
    "githubactions": "/",
    "swift": "/",
}
_DIGEST = re.compile(r"(sha256|sha512)(?::|%3A)([0-9a-fA-F]{64}(?:[0-9a-fA-F]{64})?)\b")
_SHA_ALG = re.compile(r"sha-?(1|224|256|384|512)")
_HEX = re.compile(r"[0-9a-fA-F]+")
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]')
_NO_VALUE = {"", "NOASSERTION", "NONE"}
# a declared range, not a version ("4.*.*", "^1.2", ">= 2.0", "~> 5.0"); deb's "1~rc1" is a version
_RANGE = re.compile(r"[*^<>=|, ]|^~")
# reproducible builds stamp 1970/1980; SBOM formats are younger than this
_PLACEHOLDER_BEFORE = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PurlParts:
    """What scoper takes from a purl."""

    type: str
    ecosystem: str
    name: str  # canonical, namespace joined where it is part of the identity
    written_name: str  # the same before canonicalisation
    bare_name: str  # canonical name without the namespace
    version: str | None


def decode_purl(text: object) -> PurlParts | None:
    """Split a purl; None when it is not a valid purl."""
    if not isinstance(text, str) or not text.startswith("pkg:"):
        return None
    try:
        purl = PackageURL.from_string(text)
    except Exception:  # packageurl raises assorted errors on malformed input
        return None
    kind = str(purl.type).lower()
    written = str(purl.name)
    if purl.namespace and kind in _NAMESPACED:
        written = f"{purl.namespace}{_NAMESPACED[kind]}{written}"
    ecosystem = _ECOSYSTEMS.get(kind, kind)
    version = clean(purl.version)
    epoch = purl.qualifiers.get("epoch") if isinstance(purl.qualifiers, dict) else None
    if version and isinstance(epoch, str) and epoch and not version.startswith(epoch + ":"):
        version = f"{epoch}:{version}"  # deb/rpm epochs live in a qualifier
    return PurlParts(
        kind,
        ecosystem,
        canonical(ecosystem, written),
        written,
        canonical(ecosystem, str(purl.name)),
        version,
    )


def string(value: object) -> str:
    """The value when it is a string, else "" (safe to compare and hash)."""
    return value if isinstance(value, str) else ""


def clean(value: object) -> str | None:
    """A string field's value, None for missing/blank/NOASSERTION/NONE."""
    if not isinstance(value, str) or value.strip() in _NO_VALUE:
        return None
    return value.strip()


def build_package(
    artifact_key: str,
    origin: Origin,
    *,
    purl: object,
    name: object,
    version: object,
    hashes: tuple[str, ...] = (),
    location: str | None = None,
    fallback_ecosystem: str = "generic",
) -> Package | str:
    """A Package from an SBOM entry, or the reason it cannot be one."""
    parts = decode_purl(purl)
    written = clean(name)
    if parts is None:
        if written is None:
            return "no usable purl and no name"
        pinned, spec = _version_or_spec(clean(version))
        return Package(
            artifact_key,
            fallback_ecosystem,
            canonical(fallback_ecosystem, written),
            origin,
            version=pinned,
            spec=spec,
            display_name=written,
            hashes=hashes,
            location=location,
        )
    display = parts.written_name
    if written and canonical(parts.ecosystem, written) in {parts.name, parts.bare_name}:
        display = written  # the entry's own spelling, e.g. "PyYAML"
    pinned, spec = _version_or_spec(parts.version or clean(version))
    return Package(
        artifact_key,
        parts.ecosystem,
        parts.name,
        origin,
        version=pinned,
        spec=spec,
        display_name=display,
        purl=str(purl),
        hashes=hashes,
        location=location,
    )


def _version_or_spec(value: str | None) -> tuple[str | None, str | None]:
    """(version, None) for a pinned version, (None, spec) for a declared range."""
    if value and _RANGE.search(value):
        return None, value
    return value, None


def normalise_digest(value: object) -> str | None:
    """``sha256:<hex>`` from a digest, ``name@sha256:...``, a purl version or a bare hex."""
    if not isinstance(value, str):
        return None
    found = _DIGEST.search(value)
    if found:
        return f"{found.group(1)}:{found.group(2).lower()}"
    if len(value) == 64 and _HEX.fullmatch(value):
        return "sha256:" + value.lower()
    return None


def purl_digest(purl: object) -> str | None:
    """The image digest carried by an ``oci``/``docker`` purl's version."""
    parts = decode_purl(purl)
    if parts is None or parts.type not in {"oci", "docker"}:
        return None
    return normalise_digest(parts.version)


def first_digest(candidates: Iterable[object]) -> str | None:
    """The first candidate that normalises to a digest."""
    for candidate in candidates:
        digest = normalise_digest(candidate)
        if digest:
            return digest
    return None


def image_name(value: object) -> str | None:
    """An image reference without its ``@sha256:...`` digest."""
    text = clean(value)
    if text is None:
        return None
    return text.split("@", 1)[0] or None


def normalise_hash(algorithm: object, value: object) -> str | None:
    """``<alg>:<hex>`` (e.g. ``sha256:...``) from an SBOM hash entry."""
    if not isinstance(algorithm, str) or not isinstance(value, str):
        return None
    if not _HEX.fullmatch(value.strip()):
        return None
    alg = algorithm.strip().lower()
    matched = _SHA_ALG.fullmatch(alg)
    if matched:
        alg = "sha" + matched.group(1)
    return f"{alg}:{value.strip().lower()}" if alg else None


def collect_hashes(pairs: Iterable[tuple[object, object]]) -> tuple[str, ...]:
    """Distinct normalised hashes, in input order."""
    found = (normalise_hash(alg, value) for alg, value in pairs)
    return tuple(dict.fromkeys(h for h in found if h))


def parse_timestamp(value: object) -> datetime | None:
    """A UTC datetime from an ISO 8601 date-time; None when absent, bad or a placeholder."""
    if not isinstance(value, str) or len(value.strip()) <= 10:
        return None
    parsed = parse_time(value)  # SBOM specs write UTC
    return None if parsed is None or parsed < _PLACEHOLDER_BEFORE else parsed


def path_in_text(text: object) -> str | None:
    """The first path in free text such as syft's ``sourceInfo`` ("...: /a/METADATA, /a/RECORD")."""
    if not isinstance(text, str):
        return None
    tail = text.rsplit(": ", 1)[-1]
    for candidate in tail.split(", "):
        candidate = candidate.strip()
        if "/" in candidate and " " not in candidate:
            return candidate
    return None


def layer_location(diff_id: object) -> str | None:
    """The location string for a package known only by its image layer."""
    digest = normalise_digest(diff_id)
    return f"layer:{digest}" if digest else None


def dicts(value: object) -> list[dict[str, Any]]:
    """The object items of a JSON list field (anything else ignored)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def key_values(texts: Iterable[object]) -> dict[str, str]:
    """First value per key from ``"Key: value"`` strings (trivy attributions/annotations)."""
    found: dict[str, str] = {}
    for text in texts:
        if isinstance(text, str) and ": " in text:
            key, value = text.split(": ", 1)
            found.setdefault(key.strip(), value.strip())
    return found


def load_json_document(path: Path, display: str) -> tuple[str, Any]:
    """The file's text and its parsed JSON; InputError on any syntax problem."""
    text = read_text(path, display)
    return text, parse_json(text, display)


def entry_lines(text: str, wanted: Callable[[str], bool]) -> dict[str, int]:
    """1-based start line of every JSON object whose path (``a[0].b[2]``) is wanted.

    ``text`` must be valid JSON; the scan is iterative and linear.
    """
    lines: dict[str, int] = {}
    stack: list[list[Any]] = []  # [kind, path, key or index, expecting_key]
    line, last = 1, 0
    for token in _TOKEN.finditer(text):
        char = token.group()
        if char in "{[":
            path = _child_path(stack)
            if char == "{" and wanted(path):
                line += text.count("\n", last, token.start())
                last = token.start()
                lines.setdefault(path, line)
            stack.append([char, path, 0 if char == "[" else "", True])
        elif char in "}]":
            if stack:
                stack.pop()
        elif stack:
            _advance(stack[-1], char)
    return lines


def _child_path(stack: list[list[Any]]) -> str:
    if not stack:
        return ""
    kind, path, slot, _ = stack[-1]
    if kind == "[":
        return f"{path}[{slot}]"
    return f"{path}.{slot}" if path else str(slot)


def _advance(frame: list[Any], token: str) -> None:
    if token == ",":
        if frame[0] == "[":
            frame[2] += 1
        else:
            frame[3] = True
    elif token == ":":
        frame[3] = False
    elif frame[0] == "{" and frame[3]:
        frame[2] = json.loads(token) if "\\" in token else token[1:-1]
