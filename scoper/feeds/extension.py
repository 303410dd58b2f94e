"""scoper's OSV extension under ``database_specific.scoper`` (see docs/advisory-format.md).

Two places carry it: the record's top-level ``database_specific.scoper`` (windows,
harvested credential classes, IOCs, dropped-file hashes, sources) and each
``affected[i].database_specific.scoper`` (per-version facts and release history).
Both are validated strictly: unknown fields and values are errors, so typos in
hand-written advisories fail loudly instead of silently narrowing a scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scoper.feeds.action_refs import action_refs
from scoper.feeds.fields import Node
from scoper.feeds.model import (
    TRIGGERS,
    ActionRefs,
    FileHash,
    Release,
    SourceNote,
    VersionFacts,
    Window,
)

HARVEST_CLASSES: tuple[str, ...] = (
    "env",  # environment variables of the process
    "ssh",  # ~/.ssh private keys, authorized_keys
    "cloud-files",  # ~/.aws, ~/.config/gcloud, ~/.azure credential files
    "k8s-token",  # kube config, service-account tokens
    "cloud-metadata",  # instance metadata service tokens (IMDS, GCE, Azure)
    "dotenv",  # .env files
    "shell-history",  # ~/.bash_history, ~/.zsh_history, ...
    "docker-config",  # ~/.docker/config.json registry credentials
    "git-credentials",  # ~/.git-credentials, ~/.gitconfig, tokens of git hosts
    "wallet",  # cryptocurrency wallet keys
    "database",  # database passwords and client config
    "ci-secrets",  # CI secrets (runner environment, secret stores)
    "process-memory",  # secrets read from another process's memory
)
SOURCE_LABELS: tuple[str, ...] = ("PRIMARY", "SECONDARY", "DERIVED", "UNVERIFIED")
IOC_KINDS: tuple[str, ...] = ("domains", "ips", "urls", "paths")

_TOP_KEYS = ("windows", "harvests", "iocs", "file_hashes", "sources")
_AFFECTED_KEYS = ("default_trigger", "versions", "release_history", "refs")
_FACT_KEYS = (
    "trigger",
    "trigger_module",
    "live_from",
    "live_until",
    "conservative_until",
    "artifacts",
)
_SHA256 = re.compile(r"[0-9a-fA-F]{64}\Z")


@dataclass(frozen=True, slots=True)
class AdvisoryExtension:
    """The top-level ``database_specific.scoper`` object."""

    windows: tuple[Window, ...] = ()
    harvests: tuple[str, ...] = ()
    iocs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    file_hashes: tuple[FileHash, ...] = ()
    sources: tuple[SourceNote, ...] = ()


@dataclass(frozen=True, slots=True)
class AffectedExtension:
    """An ``affected[i].database_specific.scoper`` object."""

    default_trigger: str = "install"
    facts: tuple[VersionFacts, ...] = ()
    releases: tuple[Release, ...] = ()
    refs: ActionRefs | None = None


def scoper_node(owner: Node) -> Node | None:
    """``owner.database_specific.scoper`` when present."""
    specific = owner.get("database_specific")
    return None if specific is None else specific.get("scoper")


def advisory_extension(record: Node) -> AdvisoryExtension:
    """Parse the record's top-level extension (empty when absent)."""
    node = scoper_node(record)
    if node is None:
        return AdvisoryExtension()
    node.only_keys(_TOP_KEYS)
    windows = node.get("windows")
    hashes = node.get("file_hashes")
    sources = node.get("sources")
    return AdvisoryExtension(
        windows=tuple(_window(item) for item in windows.items()) if windows else (),
        harvests=_harvests(node.get("harvests")),
        iocs=_iocs(node.get("iocs")),
        file_hashes=tuple(_file_hash(item) for item in hashes.items()) if hashes else (),
        sources=tuple(_source(item) for item in sources.items()) if sources else (),
    )


def affected_extension(
    affected: Node, listed: tuple[str, ...], ranged: bool, ecosystem: str = ""
) -> AffectedExtension:
    """Parse one affected package's extension.

    ``listed`` is the package's OSV ``versions``; when it has no ``ranges`` every
    version with facts must be listed there (a fact for an unlisted version is a typo).
    """
    node = scoper_node(affected)
    if node is None:
        return AffectedExtension()
    node.only_keys(_AFFECTED_KEYS)
    default = _trigger(node.get("default_trigger"), "install")
    facts: list[VersionFacts] = []
    versions = node.get("versions")
    for version, item in versions.entries() if versions else ():
        if not ranged and version not in listed:
            raise item.error("version is not in the affected package's 'versions'")
        facts.append(_facts(version, item, default))
    history = node.get("release_history")
    return AffectedExtension(
        default_trigger=default,
        facts=tuple(facts),
        releases=_releases(history) if history else (),
        refs=action_refs(node.get("refs"), ecosystem),
    )


def _trigger(node: Node | None, default: str) -> str:
    if node is None:
        return default
    value = node.text()
    if value not in TRIGGERS:
        raise node.error(f"unknown trigger {value!r} (expected one of: {', '.join(TRIGGERS)})")
    return value


def _window(node: Node) -> Window:
    node.only_keys(("start", "end", "conservative_end", "note"))
    start, end = node.need("start").time(), node.need("end").time()
    conservative = node.opt_time("conservative_end")
    if end < start:
        raise node.error("'end' is before 'start'")
    if conservative is not None and conservative < end:
        raise node.error("'conservative_end' is before 'end'")
    return Window(start, end, conservative, node.opt_text("note"))


def _harvests(node: Node | None) -> tuple[str, ...]:
    if node is None:
        return ()
    classes: list[str] = []
    for item in node.items():
        value = item.text()
        if value not in HARVEST_CLASSES:
            known = ", ".join(HARVEST_CLASSES)
            raise item.error(f"unknown harvest class {value!r} (expected one of: {known})")
        if value not in classes:
            classes.append(value)
    return tuple(classes)


def _iocs(node: Node | None) -> dict[str, tuple[str, ...]]:
    if node is None:
        return {}
    node.only_keys(IOC_KINDS)
    found = {kind: node.opt_texts(kind) for kind in IOC_KINDS}
    return {kind: values for kind, values in found.items() if values}


def _file_hash(node: Node) -> FileHash:
    node.only_keys(("sha256", "filename", "note"))
    digest = node.need("sha256")
    value = digest.text()
    if not _SHA256.match(value):
        raise digest.error("not a sha256 digest (64 hex digits, no prefix)")
    return FileHash(value.lower(), node.opt_text("filename"), node.opt_text("note"))


def _source(node: Node) -> SourceNote:
    node.only_keys(("url", "label", "fact"))
    label = node.need("label")
    if label.text() not in SOURCE_LABELS:
        expected = ", ".join(SOURCE_LABELS)
        raise label.error(f"unknown label {label.value!r} (expected one of: {expected})")
    url, fact = node.opt_text("url"), node.opt_text("fact")
    if url is None and fact is None:
        raise node.error("a source needs a 'url' or a 'fact'")
    return SourceNote(label.text(), url, fact)


def _facts(version: str, node: Node, default: str) -> VersionFacts:
    node.only_keys(_FACT_KEYS)
    trigger = _trigger(node.get("trigger"), default)
    module = node.opt_text("trigger_module")
    if module is not None and trigger != "import":
        raise node.error("'trigger_module' applies only to trigger 'import'")
    live_from, live_until = node.opt_time("live_from"), node.opt_time("live_until")
    conservative = node.opt_time("conservative_until")
    if live_from and live_until and live_until < live_from:
        raise node.error("'live_until' is before 'live_from'")
    live_end = live_until or live_from
    if conservative and live_end and conservative < live_end:
        raise node.error("'conservative_until' is before the end of the live window")
    artifacts = node.get("artifacts")
    return VersionFacts(
        version=version,
        trigger=trigger,
        trigger_module=module,
        live_from=live_from,
        live_until=live_until,
        conservative_until=conservative,
        artifacts=tuple(_file_hash(item) for item in artifacts.items()) if artifacts else (),
    )


def _releases(node: Node) -> tuple[Release, ...]:
    releases: list[Release] = []
    seen: set[str] = set()
    for item in node.items():
        item.only_keys(("version", "uploaded_at", "yanked", "removed_at"))
        version = item.need("version").text()
        if version in seen:
            raise item.error(f"version {version!r} appears twice")
        seen.add(version)
        yanked = item.get("yanked")
        releases.append(
            Release(
                version=version,
                uploaded_at=item.opt_time("uploaded_at"),
                yanked=yanked.flag() if yanked else False,
                removed_at=item.opt_time("removed_at"),
            )
        )
    return tuple(releases)
