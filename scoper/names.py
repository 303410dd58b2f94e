"""Canonical package names per ecosystem."""

from __future__ import annotations

from packaging.utils import canonicalize_name


def canonical(ecosystem: str, name: str) -> str:
    """The name as advisories and the store compare it (PEP 503 for PyPI)."""
    if ecosystem == "PyPI":
        return str(canonicalize_name(name))
    if ecosystem == "npm":
        return name.strip()
    return name.strip().lower()
