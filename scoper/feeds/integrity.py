"""ossf/malicious-packages artifact hashes: ``affected[].database_specific.indicators``.

The records carry, per affected package, ``package_integrity``: the published files
with their digests (``{"filename": ..., "hashes": {"sha256": ..., "md5": ...,
"blake2b_256": ...}}``), and ``evidence_files`` (files inside the package, with sha256
and a fuzzy ``tlsh``). Only ``package_integrity`` names artifacts a lockfile, SBOM or
``--hash`` pin can carry, so only it is matched. A present but malformed entry is an
error naming its place: dropping it silently would narrow a scope.
"""

from __future__ import annotations

import base64
import binascii
import re

from scoper.feeds.fields import Node
from scoper.feeds.model import IntegrityHash

_HEX = re.compile(r"[0-9a-fA-F]{16,128}\Z")
_SRI = re.compile(r"(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})\Z")


def package_integrity(affected: Node) -> tuple[IntegrityHash, ...]:
    """The ``package_integrity`` digests of one ``affected`` entry (none when absent)."""
    specific = affected.get("database_specific")
    if specific is None or not isinstance(specific.value, dict):
        return ()
    indicators = specific.get("indicators")
    if indicators is None or not isinstance(indicators.value, dict):
        return ()
    entries = indicators.get("package_integrity")
    if entries is None:
        return ()
    found: list[IntegrityHash] = []
    for entry in entries.items():
        filename = entry.opt_text("filename")
        for algorithm, digest in entry.need("hashes").entries():
            found.append(_digest(algorithm, digest, filename))
    return tuple(dict.fromkeys(found))


def _digest(algorithm: str, node: Node, filename: str | None) -> IntegrityHash:
    """``sha256``/``md5``/... hex as given; ``sha512_sri`` (npm's ``sha512-<base64>``) as
    sha512 hex, the way lockfile hashes are stored."""
    text = node.text().strip()
    if algorithm.lower().endswith("_sri"):
        sri = _SRI.match(text)
        if sri is None:
            raise node.error(f"not a subresource-integrity digest (alg-base64): {text!r}")
        try:
            raw = base64.b64decode(sri.group(2), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise node.error(f"not valid base64: {text!r}") from exc
        return IntegrityHash(sri.group(1), raw.hex(), filename)
    if not _HEX.match(text):
        raise node.error(f"not a hex digest: {text!r}")
    return IntegrityHash(algorithm.lower().replace("-", ""), text.lower(), filename)
