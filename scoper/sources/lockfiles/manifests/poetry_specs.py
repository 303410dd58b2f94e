"""Poetry's version constraints as PEP 440 specifiers.

Poetry writes ``^1.2`` (caret: up to the next change of the first non-zero part), ``~1.2``
(tilde: up to the next minor, or major when only the major is given), a bare ``1.2.3`` or
``=1.2.3`` (exact), ``1.2.*``, ``*``, PEP 440 comparisons separated by commas or spaces,
and ``||`` between alternatives. Each alternative becomes one specifier string.
"""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet

CONSTRAINT_RE = re.compile(r"(\^|~=|~|===|==|!=|>=|<=|>|<|=)?\s*(\*|[0-9A-Za-z][0-9A-Za-z.*+!_-]*)")
RELEASE_RE = re.compile(r"^(\d+(?:\.\d+)*)")


def _parts(version: str) -> list[int]:
    found = RELEASE_RE.match(version)
    return [int(p) for p in found.group(1).split(".")] if found else []


def _upper(parts: list[int], index: int) -> str:
    """The version that bumps ``parts[index]`` and drops what follows."""
    bumped = [*parts[:index], parts[index] + 1]
    return ".".join(str(p) for p in bumped + [0] * max(0, len(parts) - len(bumped)))


def _caret(version: str) -> str:
    parts = _parts(version)
    if not parts:
        raise ValueError(version)
    first = next((i for i, p in enumerate(parts) if p != 0), len(parts) - 1)
    return f">={version},<{_upper(parts, first)}"


def _tilde(version: str) -> str:
    parts = _parts(version)
    if not parts:
        raise ValueError(version)
    return f">={version},<{_upper(parts, 0 if len(parts) == 1 else 1)}"


def _one(operator: str | None, version: str) -> str:
    if version == "*":
        return ""
    if operator == "^":
        return _caret(version)
    if operator == "~":
        return _tilde(version)
    if operator in (None, "="):
        return f"=={version}"
    return f"{operator}{version}"


def _alternative(text: str) -> str:
    """One ``||`` alternative as a PEP 440 specifier ('' for any version)."""
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        found = CONSTRAINT_RE.match(rest)
        if found is None:
            raise ValueError(text)
        pieces.append(_one(found.group(1), found.group(2)))
        rest = rest[found.end() :].lstrip().lstrip(",").lstrip()
    spec = ",".join(p for p in pieces if p)
    SpecifierSet(spec)  # raises InvalidSpecifier on anything PEP 440 cannot say
    return spec


def poetry_specs(constraint: str) -> list[str] | str:
    """The PEP 440 specifiers of a Poetry constraint, or the reason it cannot be read."""
    try:
        return [_alternative(alt) for alt in constraint.split("||")]
    except (ValueError, InvalidSpecifier):
        return f"unreadable Poetry constraint {constraint!r}"
