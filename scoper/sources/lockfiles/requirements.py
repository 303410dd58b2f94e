"""pip requirements files: requirements*.txt, constraints, and their -r/-c includes.

One Artifact per top-level file. Each requirement becomes a Package with the
origin of the file and line it is written on (included files keep their own
file). Exact pins (``==X``/``===X``) give a version, every other requirement
keeps its specifier. Includes are followed relative to the including file,
each file read once (a cycle is not an error). Index and other global
options are kept as skipped entries (the model has no field for them yet).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from packageurl import PackageURL

from scoper.errors import InputError
from scoper.model import Artifact, Origin, Package, Records, Skipped
from scoper.names import canonical
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.lockfiles.requirements_lines import (
    COMMENT_RE,
    PER_REQUIREMENT,
    ParsedLine,
    logical_lines,
    physical_lines,
    split_line,
)
from scoper.sources.lockfiles.requirements_links import is_url, redact
from scoper.sources.lockfiles.requirements_specs import Interpreted, interpret, interpret_editable
from scoper.sources.reading import decode, logical_name, read_bytes

ECOSYSTEM = "PyPI"
MAX_DEPTH = 32
TEMPLATE_RE = re.compile(r"\{\{|\{%|\{#|%\}|\}\}|#\}")
NAME_WORDS = ("requirement", "constraint")
NAMED = "*.txt, *.in, *.pip, requirements*.lock"
CODING_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
REQ_LINE_RE = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[A-Za-z0-9._,\s-]*\])?\s*"
    r"(@\s*\S+|((~=|===|==|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*,?\s*)*)"
    r"(;[^\\]*)?(\s+--hash[= ]\S+)*\s*\\?$"
)
OPTION_LINE_RE = re.compile(
    r"^(-[rcei]\s*\S|--(requirement|constraint|editable|index-url|extra-index-url|find-links"
    r"|trusted-host|hash|no-index|pre|prefer-binary|only-binary|no-binary|require-hashes)\b)"
)
STRONG_RE = re.compile(r"~=|==|>=|<=|!=|<|>|@|^-|--hash")


@dataclass(frozen=True, slots=True)
class _File:
    """A file being read: where it is, how it is shown, and what its lines mean."""

    path: Path
    display: str
    direct: bool
    constraint: bool


@dataclass(slots=True)
class _Walker:
    """Reads a requirements file and the files it includes, each once."""

    records: Records
    environ: Mapping[str, str]
    seen: set[str] = field(default_factory=set)

    def walk(self, text: str, file: _File, depth: int) -> None:
        """Read every logical line of one file."""
        for line in logical_lines(text, self.environ):
            origin = Origin(file.display, line.number)
            if TEMPLATE_RE.search(line.text):
                self.skip(origin, "template syntax (jinja/cookiecutter), not a requirement")
                continue
            self.line(split_line(line), file, origin, depth)

    def line(self, parsed: ParsedLine, file: _File, origin: Origin, depth: int) -> None:
        """One line: its requirement, its includes, editables and options."""
        for problem in parsed.problems:
            self.skip(origin, redact(problem))
        has_target = bool(parsed.requirement)
        if parsed.requirement:
            self.package(interpret(parsed.requirement), parsed, file, origin)
        for name, value in parsed.options:
            if name in ("--requirement", "--constraint") and value is not None:
                self.include(value, file, origin, depth, name == "--constraint")
            elif name == "--editable" and value is not None:
                self.package(interpret_editable(value), parsed, file, origin)
                has_target = True
            elif name in PER_REQUIREMENT:
                continue
            else:
                shown = f"{name} {redact(value)}" if value is not None else name
                self.skip(origin, f"option: {shown}")
        if not has_target and any(name in PER_REQUIREMENT for name, _ in parsed.options):
            self.skip(origin, "per-requirement option without a requirement")

    def package(
        self, found: Interpreted | str, parsed: ParsedLine, file: _File, origin: Origin
    ) -> None:
        """Record a package (with the line's --hash values) or the reason it is unusable."""
        if isinstance(found, str):
            self.skip(origin, found)
            return
        hashes = list(found.hashes)
        for name, value in parsed.options:
            if name != "--hash" or value is None:
                continue
            algorithm, sep, digest = value.partition(":")
            if sep and digest and algorithm.lower() in hashlib.algorithms_guaranteed:
                hashes.append(f"{algorithm.lower()}:{digest}")
            else:
                self.skip(origin, f"malformed --hash value {value!r} (want <algorithm>:<hex>)")
        package = _make_package(found, file, origin, tuple(dict.fromkeys(hashes)))
        self.records.packages.append(package)

    def include(
        self, target: str, file: _File, origin: Origin, depth: int, constraint: bool
    ) -> None:
        """Follow ``-r``/``-c`` relative to the including file, unless already read."""
        kind = "constraints" if constraint else "requirements"
        if is_url(target) and not target.lower().startswith("file:"):
            self.skip(origin, f"remote {kind} file not fetched: {redact(target)}")
            return
        if target.lower().startswith("file:"):
            target = _file_url_path(target)
        display = posixpath.normpath(posixpath.join(posixpath.dirname(file.display), target))
        included = _File(file.path.parent / target, display, not constraint, constraint)
        if not _includable(included.path):
            self.skip(origin, f"{kind} file {display} not read: not named like one ({NAMED})")
            return
        if depth >= MAX_DEPTH:
            self.skip(origin, f"{kind} file {display} nested deeper than {MAX_DEPTH}: not read")
            return
        text = self.read_once(included, origin, kind)
        if text is not None:
            self.walk(text, included, depth + 1)

    def read_once(self, file: _File, origin: Origin, kind: str) -> str | None:
        """The text of an included file, or None when already read or unreadable."""
        try:
            key = os.path.realpath(file.path)
            if key in self.seen:
                return None  # already read: includes form a graph, cycles are fine
            self.seen.add(key)
            if not file.path.is_file():
                self.skip(origin, f"{kind} file not found (or not a file): {file.display}", True)
                return None
            return read_requirements_text(file.path, file.display)
        except (OSError, ValueError) as exc:
            self.skip(origin, f"{kind} file {file.display} cannot be read: {exc}", True)
        except InputError as exc:
            self.skip(origin, f"{kind} file cannot be read: {exc.render()}", True)
        return None

    def skip(self, origin: Origin, reason: str, missing: bool = False) -> None:
        """Note an entry that was passed over, with its reason (``missing``: an include
        that could not be read)."""
        self.records.skipped.append(Skipped(origin, reason, missing=missing))


def _make_package(
    found: Interpreted, file: _File, origin: Origin, hashes: tuple[str, ...]
) -> Package:
    """The Package record for one interpreted requirement."""
    name = canonical(ECOSYSTEM, found.display_name)
    purl = PackageURL(type="pypi", name=name, version=found.version).to_string()
    return Package(
        artifact_key="",
        ecosystem=ECOSYSTEM,
        name=name,
        origin=origin,
        version=found.version,
        spec=found.spec,
        display_name=found.display_name,
        purl=str(purl),
        hashes=hashes,
        direct=file.direct,
        groups=("constraint",) if file.constraint else (),
        commit=found.commit,
        source_url=found.url,
    )


def _named_like_requirements(path: Path) -> bool:
    """File-name test: requirements/constraints words, ``*.pip``, or a ``requirements/`` dir."""
    name = logical_name(path).lower()
    suffix = name.rpartition(".")[2] if "." in name else ""
    if suffix == "pip":
        return True
    return suffix in ("txt", "in", "lock") and (
        any(word in name for word in NAME_WORDS) or path.parent.name.lower() == "requirements"
    )


def _includable(path: Path) -> bool:
    """Includes are followed only into requirements-like names, never into e.g. ~/.netrc.

    pip would read any file; a scanner of untrusted trees must not copy the lines of
    arbitrary local files (credentials, /etc/passwd) into its records.
    """
    return _named_like_requirements(path) or logical_name(path).lower().endswith((".txt", ".in"))


def _file_url_path(url: str) -> str:
    """The local path of a ``file:`` URL (``file:///p``, ``file://localhost/p``, ``file:p``)."""
    rest = url[len("file:") :]
    if rest.startswith("//"):
        rest = rest[2:]
        rest = rest[rest.find("/") :] if "/" in rest else ""
    return unquote(rest)


def read_requirements_text(path: Path, display: str) -> str:
    """Decode like pip: BOMs, then a ``# coding:`` line, else UTF-8; reject binary data."""
    data = read_bytes(path, display)
    try:
        text = decode(data, display)
    except InputError:
        cookie = next(filter(None, map(CODING_RE.match, data.splitlines()[:2])), None)
        if cookie is None:
            raise
        try:
            text = data.decode(cookie.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(display, f"not valid text in the declared encoding: {exc}") from exc
    _reject_foreign(text, display)
    return text


def _reject_foreign(text: str, display: str) -> None:
    """Raise when the text is plainly another format (binary, JSON, TOML, XML)."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(display, "NUL byte: binary data, not a requirements file", f"line {line}")
    for number, physical in enumerate(physical_lines(text), start=1):
        stripped = physical.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped[0] in "{[<" and not TEMPLATE_RE.match(stripped):
            raise InputError(
                display, "looks like JSON, TOML or XML, not a requirements file", f"line {number}"
            )
        return


def looks_like_requirements(head: bytes) -> bool:
    """Conservative content test for ``*.txt`` files not named like requirements files."""
    try:
        text = decode(head, "head")
    except InputError:
        return False
    lines = physical_lines(text)
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the head may end mid-line
    meaningful = [s for s in (COMMENT_RE.sub("", line).strip() for line in lines) if s]
    if not meaningful:
        return False
    fits = all(REQ_LINE_RE.match(s) or OPTION_LINE_RE.match(s) for s in meaningful)
    return fits and any(STRONG_RE.search(s) for s in meaningful)


class RequirementsSource(FileSource):
    """pip requirements files (and constraints files)."""

    name = "requirements.txt"
    kind: SourceKind = "lockfile"
    obtained = (
        "the repository's `requirements*.txt`, or `pip-compile` / `uv pip compile "
        "requirements.in -o requirements.txt`"
    )
    summary = "pip requirements or constraints file, with -r/-c includes"
    reads = (
        "exact pins (==/===) as versions, other requirements as specifiers; --hash values; "
        "VCS commits; versions of direct wheel/sdist links from their file names; -r/-c "
        "includes (each file once, constraints in group 'constraint'); index options as "
        "skipped entries"
    )

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ

    def sniff(self, path: Path, head: bytes) -> bool:
        if _named_like_requirements(path):
            return True
        return logical_name(path).lower().endswith(".txt") and looks_like_requirements(head)

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text = read_requirements_text(path, ctx.display)
        records = Records(artifacts=[Artifact("", "lockfile", path.name, Origin(ctx.display))])
        # Never expand from the responder's own environment: output would depend on this
        # machine and could pull a local secret into the store. Callers may pass a mapping.
        walker = _Walker(records, {} if self._environ is None else self._environ)
        walker.seen.add(os.path.realpath(path))
        walker.walk(text, _File(path, ctx.display, direct=True, constraint=False), depth=0)
        return records


SOURCE = RequirementsSource()
