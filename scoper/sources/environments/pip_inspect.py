"""``pip inspect`` output: the installed distributions of one Python environment (JSON).

``installed[]`` holds ``metadata.{name, version}``, ``metadata_location`` (the
``.dist-info`` folder), PEP 610 ``direct_url``, ``installer`` and ``requested``.
The environment is the prefix of the site-packages folder most entries live in.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import Path

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.environments.pip_records import (
    add_entries,
    array_entries,
    environment_artifact,
    environment_prefix,
    pip_entry_package,
    pure_path,
)
from scoper.sources.packages import load_json_object
from scoper.sources.reading import json_head, logical_name


class PipInspect(FileSource):
    """The JSON report of ``pip inspect``."""

    name = "pip-inspect"
    kind: SourceKind = "environment"
    obtained = "`python -m pip inspect > inspect.json`, run in the environment"
    summary = "pip inspect report of an installed environment (JSON)"
    reads = (
        "installed[]: metadata name and version, metadata_location (environment prefix and "
        "location), direct_url (URL, VCS commit, archive hashes), requested"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        body = json_head(head)
        return body[:1] == b"{" and b'"pip_version"' in body and b'"installed"' in body

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text, doc = load_json_object(path, ctx.display)
        installed = doc.get("installed") if doc is not None else None
        if not isinstance(installed, list):
            raise InputError(ctx.display, "not a pip inspect report: no 'installed' list")
        records = Records()
        add_entries(
            records,
            ctx,
            array_entries(text, installed, "installed"),
            partial(pip_entry_package, ctx, url_key="direct_url", location_key="metadata_location"),
        )
        sites = Counter(str(pure_path(p.location).parent) for p in records.packages if p.location)
        site = sites.most_common(1)[0][0] if sites else None
        environment = environment_prefix(site) if site else None
        records.artifacts.append(environment_artifact(ctx, logical_name(path), environment))
        return records


SOURCE = PipInspect()
