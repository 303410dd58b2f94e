"""``pip install --report``: what pip resolved and installed (or would, with --dry-run), JSON.

``install[]`` holds ``metadata.{name, version}``, ``download_info`` (a PEP 610
record: URL, archive hashes, VCS commit), ``requested`` and ``is_direct``
(installed from a direct URL). The report names no environment prefix.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.environments.pip_records import (
    add_entries,
    array_entries,
    environment_artifact,
    pip_entry_package,
)
from scoper.sources.packages import load_json_object
from scoper.sources.reading import json_head, logical_name


class PipReport(FileSource):
    """pip's installation report."""

    name = "pip-report"
    kind: SourceKind = "environment"
    obtained = "`pip install --dry-run --ignore-installed --report report.json -r requirements.txt`"
    summary = "pip install --report installation report (JSON)"
    reads = (
        "install[]: metadata name and version, download_info URL, archive hashes and VCS "
        "commit; requested becomes direct"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        body = json_head(head)
        return body[:1] == b"{" and b'"pip_version"' in body and b'"install"' in body

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text, doc = load_json_object(path, ctx.display)
        install = doc.get("install") if doc is not None else None
        if not isinstance(install, list):
            raise InputError(ctx.display, "not a pip installation report: no 'install' list")
        records = Records(artifacts=[environment_artifact(ctx, logical_name(path))])
        build = partial(pip_entry_package, ctx, url_key="download_info")
        add_entries(records, ctx, array_entries(text, install, "install"), build)
        return records


SOURCE = PipReport()
