"""GitHub Actions workflow files (``.github/workflows/*.yml``) read like a lockfile.

Every ``uses: owner/repo[/path]@ref`` (a job step's action, or a job's reusable workflow)
is a package of ecosystem GitHub Actions: name ``owner/repo`` lower-cased (a sub-path is
kept as its location), version the ref as written, ``commit`` the ref when it is a full
40-hex SHA (a pin; a tag or branch can move). Local actions (``./...``) and Docker images
(``docker://...``) name no action repository: noted, not read. Detected by content: YAML
whose top level has ``on:`` and ``jobs:``; lines are the ``uses:`` lines themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

from scoper.errors import InputError
from scoper.model import Package, Records, Skipped
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.packages import lockfile_artifact, make_package, skipped
from scoper.sources.reading import read_text
from scoper.sources.yaml_lines import load_yaml

ACTIONS = "GitHub Actions"
_ON = re.compile(rb"^(?:on|'on'|\"on\"|true):", re.MULTILINE)
_JOBS = re.compile(rb"^jobs:", re.MULTILINE)
_USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(['\"]?)([^'\"\s#]+)\1\s*(?:#.*)?$")
_REF = re.compile(r"^([\w.-]+)/([\w.-]+)((?:/[^@\s]+)?)@(\S+)$")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}\Z")


class GitHubWorkflow(FileSource):
    """A GitHub Actions workflow: the actions and reusable workflows its jobs use."""

    name = "github-workflow"
    kind: SourceKind = "lockfile"
    obtained = (
        "the repository itself: `.github/workflows/*.yml` "
        "(`scoper ingest REPO` walks `.github/workflows`; other hidden folders are skipped)"
    )
    summary = "GitHub Actions workflow file (.github/workflows/*.yml; YAML with on: and jobs:)"
    reads = (
        "uses: refs of job steps and reusable workflows as GitHub Actions packages "
        "(owner/repo lower-cased, version = the ref as written, commit = the ref when it is "
        "a full SHA pin), at the uses: line; local ./ and docker:// uses noted, not read"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if not path.name.endswith((".yml", ".yaml")):
            return False
        return _ON.search(head) is not None and (
            _JOBS.search(head) is not None or path.parent.name == "workflows"
        )

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text = read_text(path, ctx.display)
        doc, _ = load_yaml(text, ctx.display)
        if not isinstance(doc, dict) or "jobs" not in doc:
            raise InputError(ctx.display, "not a GitHub Actions workflow (no top-level jobs:)")
        records = Records(artifacts=[lockfile_artifact(path, ctx)])
        for number, line in enumerate(text.split("\n"), start=1):
            if (found := _USES.match(line)) is not None:
                result = _package(ctx, found.group(2), number)
                if isinstance(result, Package):
                    records.packages.append(result)
                else:
                    records.skipped.append(result)
        return records


def _package(ctx: ParseContext, uses: str, line: int) -> Package | Skipped:
    if uses.startswith("./"):
        return skipped(ctx, line, uses, "local action: no action repository", informational=True)
    if uses.startswith("docker://"):
        why = "Docker image, not an action repository"
        return skipped(ctx, line, uses, why, informational=True)
    ref = _REF.match(uses)
    if ref is None:
        return skipped(ctx, line, uses, "not an owner/repo@ref action reference")
    owner, repo, sub, version = ref.groups()
    return make_package(
        ctx,
        ACTIONS,
        f"{owner}/{repo}",
        line,
        version=version,
        commit=version.lower() if _SHA1.match(version) else None,
        location=sub.lstrip("/") or None,
        direct=True,
    )


SOURCE = GitHubWorkflow()
