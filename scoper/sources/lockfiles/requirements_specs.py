"""One requirement of a requirements file -> name, version or specifier, link facts.

A requirement is either PEP 508 (``name[extras] <spec> ; <marker>``,
``name @ URL``) or a bare URL/path (pip's extension). Only ``==X``/``===X``
without a wildcard counts as a version; anything else keeps its specifier.
Markers and extras are read (so they cannot break parsing) but not kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, Specifier

from scoper.sources.lockfiles.requirements_links import (
    is_archive,
    is_url,
    looks_like_path,
    read_link,
    redact,
    strip_extras,
)

NAME_PREFIX_RE = re.compile(r"^\s*[A-Za-z0-9._-]+\s*(\[[^\]]*\])?\s*")
PIN_OPERATORS = ("==", "===")


@dataclass(frozen=True, slots=True)
class Interpreted:
    """What one requirement says about its package."""

    display_name: str
    version: str | None = None
    spec: str | None = None
    url: str | None = None  # redacted
    commit: str | None = None
    hashes: tuple[str, ...] = ()


def interpret(text: str) -> Interpreted | str:
    """The package a requirement names, or the reason it cannot be used."""
    head = text.split("; " if is_url(text) else ";", 1)[0].strip()
    if is_url(head) or (looks_like_path(head) and not _is_named_link(head)):
        return _from_link(head)
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        return f"invalid requirement {redact(text)!r}: {str(exc).splitlines()[0]}"
    except RecursionError:
        return f"invalid requirement {redact(text)[:80]!r}: nested too deeply"
    if req.url:
        link = read_link(req.url, req.name)
        return Interpreted(req.name, link.version, None, link.url, link.commit, link.hashes)
    version, spec = pin_or_spec(req, text)
    return Interpreted(req.name, version, spec)


def interpret_editable(target: str) -> Interpreted | str:
    """The package of an ``-e`` target: a VCS/URL link with ``#egg=``, else unusable."""
    if is_url(target):
        link = read_link(target)
        if link.name is None:
            return f"editable link without an #egg= name: {link.url}"
        return Interpreted(link.name, link.version, None, link.url, link.commit, link.hashes)
    if looks_like_path(target) or target.startswith("["):
        return f"editable local project (name unknown without building it): {redact(target)}"
    return interpret(target)


def pin_or_spec(req: Requirement, text: str) -> tuple[str | None, str | None]:
    """(version, None) for an exact pin, else (None, specifier in written order)."""
    specs = _written_specifiers(req, text)
    if len(specs) == 1:
        only = specs[0]
        if only.operator in PIN_OPERATORS and not only.version.endswith(".*"):
            return only.version, None
    return None, ",".join(str(spec) for spec in specs)


def _written_specifiers(req: Requirement, text: str) -> list[Specifier]:
    """The specifiers in the order written (``SpecifierSet`` sorts them)."""
    parsed = list(req.specifier)
    body = NAME_PREFIX_RE.sub("", text.split(";", 1)[0], count=1).strip()
    body = body.removeprefix("(").removesuffix(")").strip()
    if not body:
        return parsed
    try:
        written = [Specifier(part.strip()) for part in body.split(",")]
    except InvalidSpecifier:
        return parsed
    return written if len(written) == len(parsed) else parsed


def _is_named_link(head: str) -> bool:
    """True for ``name @ URL`` (PEP 508), which pip reads as a requirement, not a path."""
    before, sep, _ = head.partition("@")
    return bool(sep) and not looks_like_path(before)


def _from_link(head: str) -> Interpreted | str:
    """A bare URL or path: name and version from the wheel/sdist file name or ``#egg=``."""
    target, _ = strip_extras(head)
    link = read_link(target)
    if link.name is None:
        what = "archive" if is_archive(target.split("#", 1)[0]) else "URL or path"
        return f"{what} without a recognisable package name: {link.url}"
    return Interpreted(link.name, link.version, None, link.url, link.commit, link.hashes)
