"""The explicit, ordered registry of input formats.

Auto-detection asks each source in this order; the first whose ``sniff``
says yes parses the file. More specific formats come before generic ones.
Modules are imported lazily so the CLI starts fast.
"""

from __future__ import annotations

import importlib
from functools import cache

from scoper.errors import UsageError
from scoper.sources.base import Source

SOURCE_MODULES: tuple[str, ...] = (
    # audit trails
    "scoper.sources.events_jsonl",
    "scoper.sources.github_actions",
    "scoper.sources.codex",
    "scoper.sources.claude_code",
    "scoper.sources.otel",
    "scoper.sources.auditd",
    "scoper.sources.tetragon",
    "scoper.sources.k8s_audit",
    "scoper.sources.cloudtrail",
    "scoper.sources.osquery",
    # lockfiles
    "scoper.sources.uvlock",
    "scoper.sources.poetrylock",
    "scoper.sources.pdmlock",
    "scoper.sources.pipfilelock",
    "scoper.sources.pylock",
    "scoper.sources.npmlock",
    # SBOMs
    "scoper.sources.cyclonedx",
    "scoper.sources.spdx3",
    "scoper.sources.spdx",
    # installed environments and conda
    "scoper.sources.site_packages",
    "scoper.sources.pip_inspect",
    "scoper.sources.pip_report",
    "scoper.sources.pip_audit",
    "scoper.sources.conda",
    "scoper.sources.pip_freeze",
    # generic text formats last: they sniff by content
    "scoper.sources.requirements",
)


@cache
def all_sources() -> tuple[Source, ...]:
    """Every registered source, in detection order."""
    found: list[Source] = []
    for module_name in SOURCE_MODULES:
        module = importlib.import_module(module_name)
        found.append(module.SOURCE)
    return tuple(found)


def get_source(name: str) -> Source:
    """The source called ``name`` (for ``--format``)."""
    for source in all_sources():
        if source.name == name:
            return source
    names = ", ".join(s.name for s in all_sources())
    raise UsageError(f"unknown format {name!r}; known formats: {names}")
