"""An installed Python environment read in place: a site-packages (or dist-packages) folder.

Every ``*.dist-info`` / ``*.egg-info`` entry is one distribution: name and version
from the METADATA (PKG-INFO) headers, URL, commit and archive hashes from PEP 610
``direct_url.json``, ``REQUESTED`` as a direct install. The environment is the
folder's prefix (``/srv/app/.venv`` for ``/srv/app/.venv/lib/python3.12/site-packages``).
``*.pth`` files run at every interpreter start, so each is kept as an ArtifactFile
with its sha256: an IOC such as ``litellm_init.pth`` is matched by scope.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from email.parser import HeaderParser
from email.policy import compat32
from pathlib import Path

from scoper.errors import InputError
from scoper.model import ArtifactFile, Origin, Package, Records, Skipped
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.environments.pip_records import (
    SITE_DIRS,
    DirectUrl,
    direct_url,
    environment_artifact,
    environment_prefix,
)
from scoper.sources.packages import make_package

DIST_SUFFIXES = (".dist-info", ".egg-info")
DIGEST_FILES = ("METADATA", "PKG-INFO", "RECORD", "INSTALLER", "direct_url.json")
PROJECT_FILES = frozenset({"pyproject.toml", "setup.py", "setup.cfg"})
_VERSION_LINE = re.compile(r"^version[ \t]*:", re.IGNORECASE)
_HEADER_END = re.compile(r"\r?\n\r?\n")


def _names(folder: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in os.scandir(folder))
    except OSError:
        return []


def _metadata_file(entry: Path) -> Path:
    """METADATA of a .dist-info, PKG-INFO of an .egg-info folder, or the .egg-info file."""
    if entry.name.endswith(".dist-info"):
        return entry / "METADATA"
    return entry / "PKG-INFO" if entry.is_dir() else entry


class SitePackages(FileSource):
    """A site-packages folder of an installed environment (a directory source)."""

    name = "site-packages"
    kind: SourceKind = "environment"
    obtained = "the environment's `lib/pythonX.Y/site-packages` folder (`python -m site` lists it)"
    directory = True
    summary = "site-packages / dist-packages folder of an installed Python environment"
    reads = (
        "*.dist-info and *.egg-info: METADATA/PKG-INFO name and version, direct_url.json "
        "(URL, VCS commit, archive hashes), REQUESTED; *.pth files listed with their sha256"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if not path.is_dir():
            return False
        if path.name.lower() in SITE_DIRS:
            return True
        names = _names(path)
        if any(name.endswith(".dist-info") for name in names):
            return True
        if not any(name.endswith(".egg-info") for name in names):
            return False
        # a source checkout (or its src/ folder) holds its own .egg-info: not an environment
        return not PROJECT_FILES.intersection(names + _names(path.parent))

    def digest(self, path: Path) -> str:
        """sha256 over the folder path and the metadata and .pth files it holds."""
        sha = hashlib.sha256(b"site-packages\0" + os.fsencode(path.absolute()) + b"\0")
        for name in _names(path):
            entry = path / name
            if name.endswith(DIST_SUFFIXES) and entry.is_dir():
                files = [entry / f for f in DIGEST_FILES]
            elif name.endswith((".egg-info", ".pth", ".egg-link")):
                files = [entry]
            else:
                continue
            for file in files:
                sha.update(_digest_part(file.relative_to(path), file))
        return sha.hexdigest()

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        if not path.is_dir():
            raise InputError(ctx.display, "not a directory: site-packages is read as a folder")
        try:
            names = sorted(entry.name for entry in os.scandir(path))
        except OSError as exc:
            raise InputError(ctx.display, f"cannot list: {exc.strerror or exc}") from exc
        folder = str(path.absolute())
        records = Records(artifacts=[environment_artifact(ctx, folder, environment_prefix(folder))])
        for name in names:
            entry = path / name
            shown = str(Path(ctx.display, name))
            if name.endswith(DIST_SUFFIXES):
                built = _distribution(ctx, entry, str(Path(folder, name)))
                if isinstance(built, Package):
                    records.packages.append(built)
                else:
                    records.skipped.append(built)
            elif name.endswith((".pth", ".egg-link")):
                kind = "pth" if name.endswith(".pth") else "egg-link"
                records.files.append(_startup_file(entry, shown, kind))
        return records


def _digest_part(relative: Path, file: Path) -> bytes:
    """Relative path, length and bytes of one file; nothing when absent or unreadable."""
    try:
        data = file.read_bytes()
    except OSError:  # parse reports it
        return b""
    return os.fsencode(relative) + b"\0" + len(data).to_bytes(8, "big") + data


def _startup_file(path: Path, shown: str, kind: str) -> ArtifactFile:
    """A .pth (runs at every interpreter start) or .egg-link, with its sha256 if readable."""
    try:
        digest: str | None = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        digest = None
    return ArtifactFile("", str(path.absolute()), kind, Origin(shown), digest)


def _distribution(ctx: ParseContext, entry: Path, location: str) -> Package | Skipped:
    """The package one .dist-info/.egg-info entry describes, or why it cannot be read."""
    metadata = _metadata_file(entry)
    shown = str(Path(ctx.display, entry.name, metadata.name if metadata != entry else ""))
    try:
        data = metadata.read_bytes()
    except OSError as exc:
        reason = f"{entry.name}: cannot read {metadata.name}: {exc.strerror or exc}"
        return Skipped(Origin(shown), reason)
    text = data.decode("utf-8", "replace")
    head = _HEADER_END.split(text, maxsplit=1)[0]
    message = HeaderParser(policy=compat32).parsestr(head)
    name, version = (str(message.get(k) or "").strip() for k in ("Name", "Version"))
    if not name or not version:
        missing = "Name" if not name else "Version"
        return Skipped(Origin(shown), f"{entry.name}: {metadata.name} has no {missing} header")
    line = next((i for i, s in enumerate(head.splitlines(), 1) if _VERSION_LINE.match(s)), None)
    origin = _direct_url(entry) if entry.is_dir() else DirectUrl()
    package = make_package(
        ctx,
        "PyPI",
        name,
        line,
        version=version,
        hashes=origin.hashes,
        direct=True if (entry / "REQUESTED").is_file() else None,
        commit=origin.commit,
        source_url=origin.source_url,
        location=location,
    )
    return dataclasses.replace(package, origin=Origin(shown, line))


def _direct_url(entry: Path) -> DirectUrl:
    """The PEP 610 record of a distribution; empty when absent or unreadable."""
    try:
        return direct_url(json.loads((entry / "direct_url.json").read_bytes()))
    except (OSError, ValueError, RecursionError):
        return DirectUrl()


SOURCE = SitePackages()
