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
    "scoper.sources.audit.events_jsonl",
    "scoper.sources.audit.github_actions",
    "scoper.sources.audit.github_actions_archive",
    "scoper.sources.audit.github_actions_folder",
    "scoper.sources.audit.gh_run_log",
    "scoper.sources.wrappers_zip",
    "scoper.sources.audit.codex",
    "scoper.sources.audit.claude_code",
    "scoper.sources.audit.otel",
    "scoper.sources.audit.auditd",
    "scoper.sources.audit.tetragon",
    "scoper.sources.audit.k8s_audit",
    "scoper.sources.audit.cloudtrail",
    "scoper.sources.audit.osquery",
    # lockfiles
    "scoper.sources.lockfiles.uvlock",
    "scoper.sources.lockfiles.poetrylock",
    "scoper.sources.lockfiles.pdmlock",
    "scoper.sources.lockfiles.pipfilelock",
    "scoper.sources.lockfiles.pylock",
    "scoper.sources.lockfiles.npmlock",
    "scoper.sources.lockfiles.pixi",
    # CI configuration
    "scoper.sources.ci.github_workflow",
    # SBOMs
    "scoper.sources.sboms.syft_json",
    "scoper.sources.sboms.github_snapshot",
    "scoper.sources.sboms.cyclonedx",
    "scoper.sources.sboms.cyclonedx_xml",
    "scoper.sources.sboms.spdx3",
    "scoper.sources.sboms.spdx",
    "scoper.sources.sboms.spdx_tag",
    "scoper.sources.sboms.spdx_yaml",
    # installed environments and conda
    "scoper.sources.environments.site_packages",
    "scoper.sources.environments.pip_inspect",
    "scoper.sources.environments.pip_report",
    "scoper.sources.environments.pip_audit",
    "scoper.sources.lockfiles.conda",
    # manifests: declared ranges, sniffed by name and content
    "scoper.sources.lockfiles.manifests.pyproject",
    "scoper.sources.lockfiles.manifests.pipfile",
    "scoper.sources.lockfiles.manifests.setup_cfg",
    "scoper.sources.lockfiles.manifests.package_json",
    "scoper.sources.environments.pip_freeze",
    # advisories among evidence: noted, loaded with --advisories
    "scoper.sources.advisories.osv_note",
    "scoper.sources.advisories.pysec_note",
    # generic text formats last: they sniff by content
    "scoper.sources.lockfiles.requirements",
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
