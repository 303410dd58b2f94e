"""npm (node-semver) versions and ranges.

For matching npm advisories (OSV ``SEMVER`` events, exact versions) and for
resolving package.json ranges. Follows node-semver's strict (non-loose) rules:

- a version is ``[v]MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]``; build metadata never
  affects order or equality;
- a range is ``||``-separated sets of space-separated comparators, with ``^``,
  ``~``/``~>``, x-ranges (``1.x``, ``1.2.*``, ``*``, ``""``), hyphen ranges
  (``1.2 - 3``) and primitives (``< <= > >= =``), expanded as node-semver does;
- a prerelease version satisfies a set only if one of its comparators carries a
  prerelease on the same ``MAJOR.MINOR.PATCH`` (unless ``include_prerelease``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, total_ordering

MAX_LENGTH = 256
MAX_SAFE_INTEGER = 2**53 - 1
NUM = r"0|[1-9]\d*"
PRE_ID = r"(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
PRE = rf"{PRE_ID}(?:\.{PRE_ID})*"
BUILD = r"[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*"
VERSION_RE = re.compile(rf"^v?({NUM})\.({NUM})\.({NUM})(?:-({PRE}))?(?:\+({BUILD}))?$")
XR = rf"{NUM}|[xX*]"
PARTIAL = rf"[v=\s]*({XR})(?:\.({XR})(?:\.({XR})(?:-({PRE}))?(?:\+{BUILD})?)?)?"
PARTIAL_RE = re.compile(rf"^{PARTIAL}$")
HYPHEN_RE = re.compile(rf"^\s*({PARTIAL})\s+-\s+({PARTIAL})\s*$")
OPERATOR_SPACE_RE = re.compile(r"(~>?|\^|[<>]=?|=)\s+")
TOKEN_RE = re.compile(r"^(~>?|\^|[<>]=?|=)?(.*)$")


@total_ordering
@dataclass(frozen=True, eq=False, slots=True)
class SemVer:
    """A semantic version; ``build`` is kept but ignored by comparisons."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[int | str, ...] = ()
    build: tuple[str, ...] = ()

    def _key(self) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
        ids = tuple((0, i, "") if isinstance(i, int) else (1, 0, i) for i in self.prerelease)
        return self.major, self.minor, self.patch, 0 if ids else 1, ids

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SemVer) and self._key() == other._key()

    def __lt__(self, other: SemVer) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        return text + "-" + ".".join(map(str, self.prerelease)) if self.prerelease else text


def _number(text: str) -> int:
    if len(text) > 16 or int(text) > MAX_SAFE_INTEGER:
        raise ValueError(f"number too large: {text}")
    return int(text)


def _prerelease(text: str | None) -> tuple[int | str, ...]:
    if not text:
        return ()
    return tuple(_number(p) if p.isdigit() else p for p in text.split("."))


def parse_version(text: str) -> SemVer:
    """A strict semver version (``v`` prefix and surrounding spaces allowed)."""
    stripped = text.strip() if isinstance(text, str) else ""
    found = VERSION_RE.match(stripped) if len(stripped) <= MAX_LENGTH else None
    if found is None:
        raise ValueError(f"invalid semver version: {text!r}")
    major, minor, patch, pre, build = found.groups()
    return SemVer(
        _number(major),
        _number(minor),
        _number(patch),
        _prerelease(pre),
        tuple(build.split(".")) if build else (),
    )


@dataclass(frozen=True, slots=True)
class Comparator:
    """``op version``; op "" means equal; version None means any version."""

    op: str
    version: SemVer | None

    def test(self, v: SemVer) -> bool:
        if self.version is None:
            return True
        c = self.version
        return {"": v == c, "<": v < c, "<=": v <= c, ">": v > c, ">=": v >= c}[self.op]

    def __str__(self) -> str:
        return "" if self.version is None else f"{self.op}{self.version}"


ANY = Comparator("", None)
NULL = Comparator("<", SemVer(0, 0, 0, (0,)))  # nothing satisfies it
Partial = tuple[int | None, int | None, int | None, tuple[int | str, ...]]


def _partial(text: str) -> Partial:
    found = PARTIAL_RE.match(text)
    if found is None:
        raise ValueError(f"invalid version in range: {text!r}")
    parts: list[int | None] = []
    for value in found.groups()[:3]:
        parts.append(
            None if value is None or value in "xX*" or parts[-1:] == [None] else _number(value)
        )
    return parts[0], parts[1], parts[2], _prerelease(found.group(4))


def _v(major: int, minor: int, patch: int, pre: tuple[int | str, ...] = ()) -> SemVer:
    return SemVer(major, minor, patch, pre)


def _between(low: SemVer, high: SemVer) -> list[Comparator]:
    return [Comparator(">=", low), Comparator("<", high)]


def _tilde(p: Partial) -> list[Comparator]:
    major, minor, patch, pre = p
    if major is None:
        return [ANY]
    if minor is None:
        return _between(_v(major, 0, 0), _v(major + 1, 0, 0, (0,)))
    low = _v(major, minor, patch if patch is not None else 0, pre if patch is not None else ())
    return _between(low, _v(major, minor + 1, 0, (0,)))


def _caret(p: Partial, z: tuple[int | str, ...]) -> list[Comparator]:
    major, minor, patch, pre = p
    if major is None:
        return [ANY]
    if minor is None:
        return _between(_v(major, 0, 0, z), _v(major + 1, 0, 0, (0,)))
    floor = z if major == 0 or patch is None else ()
    low = _v(major, minor, patch or 0, pre if patch is not None and pre else floor)
    if major:
        high = _v(major + 1, 0, 0, (0,))
    elif minor or patch is None:
        high = _v(0, minor + 1, 0, (0,))
    else:
        high = _v(0, 0, patch + 1, (0,))
    return _between(low, high)


def _xrange(op: str, p: Partial, z: tuple[int | str, ...]) -> list[Comparator]:
    major, minor, patch, pre = p
    if patch is not None and major is not None and minor is not None:
        return [Comparator("" if op == "=" else op, _v(major, minor, patch, pre))]
    if major is None:
        return [NULL] if op in (">", "<") else [ANY]
    op = "" if op == "=" else op
    if op:
        if op == ">":
            op, bump = ">=", True
        elif op == "<=":
            op, bump = "<", True
        else:
            bump = False
        major, minor = (major + 1, 0) if bump and minor is None else (major, minor)
        minor = (minor or 0) + 1 if bump and p[1] is not None else (minor or 0)
        return [Comparator(op, _v(major, minor, 0, (0,) if op == "<" else z))]
    if minor is None:
        return _between(_v(major, 0, 0, z), _v(major + 1, 0, 0, (0,)))
    return _between(_v(major, minor, 0, z), _v(major, minor + 1, 0, (0,)))


def _hyphen(low: Partial, high: Partial, include_pre: bool) -> list[Comparator]:
    z: tuple[int | str, ...] = (0,) if include_pre else ()
    found: list[Comparator] = []
    major, minor, patch, pre = low
    if major is not None:
        found.append(
            Comparator(
                ">=", _v(major, minor or 0, patch or 0, pre if patch is not None and pre else z)
            )
        )
    major, minor, patch, pre = high
    if major is None:
        pass
    elif minor is None:
        found.append(Comparator("<", _v(major + 1, 0, 0, (0,))))
    elif patch is None:
        found.append(Comparator("<", _v(major, minor + 1, 0, (0,))))
    elif pre or not include_pre:
        found.append(Comparator("<=", _v(major, minor, patch, pre)))
    else:
        found.append(Comparator("<", _v(major, minor, patch + 1, (0,))))
    return found or [ANY]


def _token(token: str, include_pre: bool) -> list[Comparator]:
    found = TOKEN_RE.match(token)
    op, rest = (found.group(1) or "", found.group(2)) if found else ("", token)
    z: tuple[int | str, ...] = (0,) if include_pre else ()
    if op in ("~", "~>", "^") and not rest:
        return [ANY]
    partial = _partial(rest)
    if op.startswith("~"):
        return _tilde(partial)
    if op == "^":
        return _caret(partial, z)
    return _xrange(op, partial, z)


def _comparator_set(text: str, include_pre: bool) -> tuple[Comparator, ...]:
    hyphen = HYPHEN_RE.match(text)
    if hyphen:
        low, high = _partial(hyphen.group(1)), _partial(hyphen.group(6))
        comparators = _hyphen(low, high, include_pre)
    else:
        tokens = OPERATOR_SPACE_RE.sub(r"\1", text).split()
        comparators = [c for t in tokens or ["*"] for c in _token(t, include_pre)]
    floor = _v(0, 0, 0, (0,) if include_pre else ())
    unique: dict[str, Comparator] = {}
    for c in comparators:
        if c.op == ">=" and c.version == floor:
            c = ANY
        if c == NULL:
            return (NULL,)
        unique.setdefault(str(c), c)
    if len(unique) > 1:
        unique.pop("", None)
    return tuple(unique.values())


@dataclass(frozen=True, slots=True)
class Range:
    """A parsed range: any of ``sets`` matches when all its comparators do."""

    sets: tuple[tuple[Comparator, ...], ...]
    include_prerelease: bool = False

    def __str__(self) -> str:
        return "||".join(" ".join(map(str, s)).strip() for s in self.sets).strip() or "*"

    def test(self, version: SemVer) -> bool:
        return any(self._test_set(s, version) for s in self.sets)

    def _test_set(self, comparators: tuple[Comparator, ...], v: SemVer) -> bool:
        if not all(c.test(v) for c in comparators):
            return False
        if not v.prerelease or self.include_prerelease:
            return True
        return any(
            c.version is not None
            and c.version.prerelease
            and (c.version.major, c.version.minor, c.version.patch) == (v.major, v.minor, v.patch)
            for c in comparators
        )


@lru_cache(maxsize=4096)
def parse_range(expr: str, include_prerelease: bool = False) -> Range:
    """A node-semver range; ValueError when any comparator is invalid."""
    if not isinstance(expr, str) or len(expr) > MAX_LENGTH * 8:
        raise ValueError(f"invalid semver range: {expr!r}")
    try:
        sets = [_comparator_set(p.strip(), include_prerelease) for p in re.split(r"\|\|", expr)]
    except ValueError as exc:
        raise ValueError(f"invalid semver range {expr!r}: {exc}") from exc
    if len(sets) > 1:
        kept = [s for s in sets if s != (NULL,)] or sets[:1]
        sets = [(ANY,)] if len(kept) > 1 and (ANY,) in kept else kept
    return Range(tuple(sets), include_prerelease)


def satisfies(version: str, range_expr: str, include_prerelease: bool = False) -> bool:
    """True if ``version`` is in ``range_expr``.

    An invalid *version* satisfies nothing (as in node-semver); an invalid
    *range* raises ValueError so that a bad advisory or manifest is noticed.
    """
    rng = parse_range(range_expr, include_prerelease)
    try:
        parsed = parse_version(version)
    except ValueError:
        return False
    return rng.test(parsed)
