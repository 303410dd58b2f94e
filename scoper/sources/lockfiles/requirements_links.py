"""URL, path and VCS requirements: name, version and commit from the link itself.

The version of a direct wheel or sdist link comes from its file name
(wheel and sdist naming rules); a VCS link keeps its ``@<commit>``. Secrets in
URLs (user-info, query strings) are redacted before anything is kept.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion

from scoper.sources.audit.commands.redaction import redact_text

VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+")
URL_SCHEMES = frozenset({"http", "https", "file", "ftp"})
ARCHIVE_SUFFIXES = (
    ".whl",
    ".tar.gz",
    ".tgz",
    ".tar",
    ".zip",
    ".tar.bz2",
    ".tbz",
    ".tar.xz",
    ".txz",
    ".tlz",
    ".tar.lz",
    ".tar.lzma",
)
COMMIT_RE = re.compile(r"^[0-9a-fA-F]{7,64}$")
NAME_RE = re.compile(r"^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$")
QUERY_RE = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^\s?#]*)\?[^\s#]*")


@dataclass(frozen=True, slots=True)
class LinkInfo:
    """What a link tells about the package it installs."""

    url: str  # redacted
    name: str | None = None  # as written
    version: str | None = None
    commit: str | None = None
    hashes: tuple[str, ...] = ()


def redact(text: str) -> str:
    """Text with secrets masked (the one policy) and URL query strings hidden."""
    return QUERY_RE.sub(lambda m: m.group("head") + "?***", redact_text(text))


def is_url(text: str) -> bool:
    """True for the URL schemes pip installs from (http, https, file, ftp and VCS)."""
    scheme, sep, _ = text.partition(":")
    if not sep:
        return False
    scheme = scheme.lower()
    return scheme in URL_SCHEMES or scheme.startswith(VCS_PREFIXES)


def looks_like_path(text: str) -> bool:
    """pip's test for a local path: a separator in it, or a leading dot."""
    return "/" in text or "\\" in text or text.startswith(".")


def is_archive(text: str) -> bool:
    """True when the text names a wheel or sdist archive."""
    return text.lower().endswith(ARCHIVE_SUFFIXES)


def read_link(link: str, name: str | None = None) -> LinkInfo:
    """Name, version, commit and hashes of a URL or path; ``name`` is a PEP 508 name if any."""
    try:
        parts = urlsplit(link)
    except ValueError:
        return LinkInfo(redact(link), name)
    fragment = _fragment(parts.fragment)
    path = parts.path if is_url(link) else link.split("#", 1)[0]
    commit = None
    if parts.scheme.lower().startswith(VCS_PREFIXES) and "@" in path:
        path, rev = path.rsplit("@", 1)
        commit = rev if COMMIT_RE.match(rev) else None
    egg = _egg_name(fragment.get("egg"))
    written = name or egg
    file_name, file_version = _file_identity(unquote(path.rsplit("/", 1)[-1]))
    version = None
    if file_name is not None and (
        written is None or canonicalize_name(written) == canonicalize_name(file_name)
    ):
        written, version = written or file_name, file_version
    return LinkInfo(redact(link), written, version, commit, _hashes(fragment))


def _fragment(fragment: str) -> dict[str, str]:
    """``#egg=name&sha256=...&subdirectory=...`` as a dict."""
    found: dict[str, str] = {}
    for item in fragment.split("&"):
        key, sep, value = item.partition("=")
        if sep and key not in found:
            found[key] = value
    return found


def _egg_name(egg: str | None) -> str | None:
    """The project name of an ``#egg=`` fragment (extras dropped), if it is a valid name."""
    if not egg:
        return None
    egg = egg.split("[", 1)[0].strip()
    return egg if NAME_RE.match(egg) else None


def _hashes(fragment: dict[str, str]) -> tuple[str, ...]:
    """``#sha256=<hex>`` style hashes in a link fragment as ``sha256:<hex>``."""
    return tuple(
        f"{key.lower()}:{value}"
        for key, value in fragment.items()
        if key.lower() in hashlib.algorithms_guaranteed and value
    )


def _file_identity(file_name: str) -> tuple[str | None, str | None]:
    """Name and version (as written) from a wheel or sdist file name, else (None, None)."""
    lower = file_name.lower()
    try:
        if lower.endswith(".whl"):
            parse_wheel_filename(file_name)
            name, version = file_name.split("-")[:2]
            return name, version
        for suffix in (".tar.gz", ".zip"):
            if lower.endswith(suffix):
                parse_sdist_filename(file_name)
                name, _, version = file_name[: -len(suffix)].rpartition("-")
                return name, version
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        pass
    return None, None


def strip_extras(path: str) -> tuple[str, str | None]:
    """``./pkg.whl[a,b]`` -> (``./pkg.whl``, ``[a,b]``), as pip allows on paths."""
    match = re.match(r"^(.+?)(\[[^\]]*\])$", path)
    if match is None:
        return path, None
    return match.group(1), match.group(2)
