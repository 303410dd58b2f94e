"""Canonical ecosystem and package names."""

from __future__ import annotations

from packaging.utils import canonicalize_name

_OSV_ECOSYSTEMS = (
    "PyPI",
    "npm",
    "Go",
    "Maven",
    "crates.io",
    "RubyGems",
    "NuGet",
    "Packagist",
    "Hex",
    "Pub",
    "conda",
    "GitHub Actions",
)
_BY_LOWER = {name.lower(): name for name in _OSV_ECOSYSTEMS}


def canonical_ecosystem(ecosystem: str | None) -> str:
    """An ecosystem as OSV spells it (``pypi`` -> ``PyPI``); none or blank means PyPI."""
    text = (ecosystem or "").strip()
    return _BY_LOWER.get(text.lower(), text) if text else "PyPI"


def canonical(ecosystem: str, name: str) -> str:
    """The name as advisories and the store compare it (PEP 503 for PyPI)."""
    if ecosystem == "PyPI":
        return str(canonicalize_name(name))
    if ecosystem == "npm":
        return name.strip()
    return name.strip().lower()
