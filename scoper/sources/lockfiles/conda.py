"""conda: explicit lock files, conda-lock.yml, and conda-meta records of installed packages.

- **Explicit lock** (``conda list --explicit``, ``conda-lock --kind explicit``): an
  ``@EXPLICIT`` line, then one package URL per line,
  ``.../<channel>/<subdir>/<name>-<version>-<build>.conda#<md5>``; name, version and
  build come from the file name (the last two ``-`` split off).
  Files written without the marker (lines of package URLs only) read the same way.
- **conda-lock.yml** (unified lockfile): ``package: [{name, version, manager, platform,
  url, hash: {md5, sha256}, category}]``, once per platform; ``manager: pip``
  entries are PyPI packages. Read with PyYAML's base loader, so every scalar stays
  the string written (``version: 3.10`` is not the float 3.1).
- **conda-meta/<pkg>.json**: the record conda keeps of one installed package
  (name, version, build, channel); the environment is the folder above conda-meta.
  A record without name or version is an error (as in SCALIBR).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from packageurl import PackageURL

from scoper.errors import InputError
from scoper.model import Origin, Package, Records, Skipped
from scoper.names import canonical
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.environments.pip_records import environment_artifact, text_field
from scoper.sources.packages import (
    hash_table,
    lockfile_artifact,
    make_package,
    normalise_hash,
    public_url,
    skipped,
)
from scoper.sources.reading import json_head, logical_name, read_text
from scoper.sources.yaml_lines import load_yaml

EXPLICIT_RE = re.compile(r"^[ \t]*@EXPLICIT[ \t]*\r?$", re.MULTILINE)
CONDA_TOKEN_RE = re.compile(r"/t/[^/]+/")
HEX_RE = re.compile(r"^[0-9a-fA-F]+$")
ARCHIVES = (".conda", ".tar.bz2")
URL_LINE_RE = re.compile(r"^(https?|file)://\S+\.(conda|tar\.bz2)(#\S*)?$")


def redact(url: str | None) -> str | None:
    """The URL without user-info or an anaconda.org ``/t/<token>/`` segment."""
    return CONDA_TOKEN_RE.sub("/t/***/", public_url(url)) if url else None


def conda_package(
    ctx: ParseContext, name: str, version: str | None, line: int | None, **fields: Any
) -> Package:
    """A conda package; ``build``, ``channel`` and ``subdir`` become purl qualifiers."""
    extra = {k: fields.pop(k) for k in ("build", "channel", "subdir") if k in fields}
    key = canonical("conda", name)
    purl = None
    if version:
        try:
            qualifiers: dict[str, str] = {k: str(v) for k, v in extra.items() if v}
            purl = str(PackageURL(type="conda", name=key, version=version, qualifiers=qualifiers))
        except ValueError:
            purl = None
    return Package(
        artifact_key="",
        ecosystem="conda",
        name=key,
        origin=Origin(ctx.display, line),
        version=version,
        display_name=name.strip(),
        purl=purl,
        **fields,
    )


def archive_fields(url: str) -> dict[str, str] | None:
    """name, version, build, subdir and channel from a conda package URL, else None."""
    parts = url.split("#", 1)[0].split("?", 1)[0].split("/")
    filename = unquote(parts[-1])
    stem = next((filename[: -len(a)] for a in ARCHIVES if filename.endswith(a)), None)
    pieces = stem.rsplit("-", 2) if stem else []
    if len(pieces) != 3 or not all(pieces):
        return None
    fields = {"name": pieces[0], "version": pieces[1], "build": pieces[2]}
    if len(parts) >= 3:
        fields |= {"subdir": parts[-2], "channel": parts[-3]}
    return fields


def _fragment_hash(url: str) -> tuple[str, ...]:
    fragment = url.partition("#")[2].strip()
    if HEX_RE.match(fragment) and len(fragment) in (32, 64):
        return (f"{'md5' if len(fragment) == 32 else 'sha256'}:{fragment.lower()}",)
    found = normalise_hash(fragment)
    return (found,) if found else ()


def url_lines(head: str) -> bool:
    """True when every complete line that is not a comment is a conda package URL."""
    lines = head.splitlines()
    lines = lines if head.endswith(("\n", "\r")) or len(lines) < 2 else lines[:-1]
    meaningful = [s for s in (line.strip() for line in lines) if s and not s.startswith("#")]
    return bool(meaningful) and all(URL_LINE_RE.match(s) for s in meaningful)


def _explicit(text: str, path: Path, ctx: ParseContext) -> Records:
    records = Records(artifacts=[lockfile_artifact(path, ctx)])
    started = not EXPLICIT_RE.search(text)  # without the marker every line is a URL
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line == "@EXPLICIT":
            started = True
            continue
        fields = archive_fields(line) if started else None
        if fields is None:
            reason = "not a conda package URL" if started else "before @EXPLICIT"
            records.skipped.append(Skipped(Origin(ctx.display, number), reason))
            continue
        name, version = fields.pop("name"), fields.pop("version")
        records.packages.append(
            conda_package(
                ctx,
                name,
                version,
                number,
                **fields,
                hashes=_fragment_hash(line),
                source_url=redact(line.partition("#")[0]),
            )
        )
    return records


def _conda_lock(text: str, path: Path, ctx: ParseContext) -> Records:
    doc, lines = load_yaml(text, ctx.display)
    entries = doc.get("package") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise InputError(ctx.display, "not a conda-lock file: no 'package' list", "package")
    records = Records(artifacts=[lockfile_artifact(path, ctx)])
    for index, entry in enumerate(entries):
        line = lines.get(id(entry)) if isinstance(entry, dict) else None
        built = _lock_package(ctx, entry, line)
        if isinstance(built, str):
            records.skipped.append(skipped(ctx, line, f"package[{index}]", built))
        else:
            records.packages.append(built)
    return records


def _lock_package(ctx: ParseContext, entry: Any, line: int | None) -> Package | str:
    """The package of one conda-lock entry, or why there is none."""
    name = text_field(entry, "name")
    if name is None:
        return "entry has no name"
    version, url = text_field(entry, "version"), text_field(entry, "url")
    categories = entry.get("categories", entry.get("category"))
    if not isinstance(categories, list):
        categories = [categories]
    common: dict[str, Any] = {
        "hashes": tuple(hash_table(entry.get("hash"))),
        "groups": tuple(c for c in categories if isinstance(c, str) and c not in ("", "main")),
        "source_url": redact(url),
    }
    manager = text_field(entry, "manager") or "conda"
    if manager == "pip":
        return make_package(ctx, "PyPI", name, line, version=version, **common)
    if manager != "conda":
        return f"{name}: unknown manager {manager!r}"
    fields = (archive_fields(url) or {}) if url else {}
    build, channel = fields.get("build"), fields.get("channel")
    subdir = fields.get("subdir") or text_field(entry, "platform")
    return conda_package(
        ctx, name, version, line, build=build, channel=channel, subdir=subdir, **common
    )


def _key_line(text: str, key: str, value: object) -> int | None:
    """1-based line of the first ``"key": value`` pair written as JSON would write it."""
    pattern = rf"{re.escape(json.dumps(key))}\s*:\s*{re.escape(json.dumps(value))}"
    found = re.search(pattern, text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _channel_name(channel: str | None, subdir: str | None) -> str | None:
    """``conda-forge`` from ``https://conda.anaconda.org/conda-forge/linux-64``, ``main``
    from ``pkgs/main``."""
    parts = [p for p in CONDA_TOKEN_RE.sub("/", channel or "").split("/") if p]
    if len(parts) > 1 and parts[-1] == subdir:
        parts.pop()
    return parts[-1] if parts else None


def _installed(text: str, path: Path, ctx: ParseContext) -> Records:
    if not text.strip():
        raise InputError(ctx.display, "empty conda-meta record")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(ctx.display, f"invalid JSON: {exc.msg}", f"line {exc.lineno}") from exc
    except (ValueError, RecursionError) as exc:
        raise InputError(ctx.display, f"invalid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise InputError(ctx.display, "a conda-meta record must be a JSON object")
    name, version = text_field(doc, "name"), text_field(doc, "version")
    if name is None or version is None:
        key = "name" if name is None else "version"
        raise InputError(ctx.display, f"conda-meta record has no '{key}'", key)
    channel, subdir, url = (text_field(doc, k) for k in ("channel", "subdir", "url"))
    package = conda_package(
        ctx,
        name,
        version,
        _key_line(text, "name", doc["name"]),
        build=text_field(doc, "build") or text_field(doc, "build_string"),
        channel=_channel_name(channel, subdir),
        subdir=subdir,
        hashes=tuple(hash_table({k: doc.get(k) for k in ("md5", "sha256")})),
        source_url=redact(url or channel),
    )
    prefix = path.absolute().parent
    environment = str(prefix.parent) if prefix.name == "conda-meta" else None
    artifact = environment_artifact(ctx, logical_name(path), environment)
    return Records(artifacts=[artifact], packages=[package])


class CondaSource(FileSource):
    """conda explicit locks, conda-lock.yml and conda-meta records (one source, by content)."""

    name = "conda"
    kind: SourceKind = "lockfile"
    obtained = (
        "`conda list --explicit > spec.txt`, `conda-lock lock` (conda-lock.yml), or an "
        "environment's `conda-meta/*.json`"
    )
    summary = (
        "conda explicit lock (with or without @EXPLICIT), conda-lock.yml, or a "
        "conda-meta/<pkg>.json record"
    )
    reads = (
        "explicit URLs (name, version, build, channel, subdir, md5/sha256); conda-lock "
        "package[] (conda and pip managers, hashes, category as group); conda-meta name, "
        "version, build, channel, md5/sha256 and the environment prefix"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        name = logical_name(path).lower()
        if path.parent.name == "conda-meta" and name.endswith(".json"):
            return True
        body = json_head(head)
        if body[:1] == b"{":
            return b'"build_number"' in body and b'"channel"' in body
        text = body.decode("utf-8", "replace")
        if EXPLICIT_RE.search(text) or url_lines(text):
            return True
        if not name.endswith((".yml", ".yaml")):
            return False
        return b"generated by conda-lock" in body or (b"\npackage:" in body and b"manager:" in body)

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text = read_text(path, ctx.display)
        if path.parent.name == "conda-meta" or text.lstrip()[:1] in ("{", ""):
            return _installed(text, path, ctx)
        if EXPLICIT_RE.search(text) or url_lines(text):
            return _explicit(text, path, ctx)
        return _conda_lock(text, path, ctx)


SOURCE = CondaSource()
