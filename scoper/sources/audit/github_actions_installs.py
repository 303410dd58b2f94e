"""Installer output lines of a GitHub Actions step -> install events, without double counting.

A line that names a package the step's own install command named confirms that event:
it stays one event and gets the version the output reports when the command had none
(``pip install 'litellm>=1.80'`` + ``Successfully installed litellm-1.82.8``: 1.82.8,
spec kept). Every other package is an event of its own, one per package, action and
version in the step, at the first line that names that version (its ts and origin);
a ``Collecting x>=1`` line adds its spec, and a package no line gives a version for is
one unpinned event at its first line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from scoper.model import Event
from scoper.sources.audit.commands.installer_lines import InstallLine
from scoper.sources.audit.commands.place import Place

Found = tuple[InstallLine, Place]


def merge_output(events: list[Event], found: Sequence[Found], shown: str | None) -> list[Event]:
    """The step's command events with what its installer output lines add."""
    if not found:
        return events
    named = {
        (e.kind, e.package)
        for e in events
        if e.kind in ("install", "uninstall") and e.ecosystem == "PyPI" and e.package
    }
    versions: dict[tuple[str, str], tuple[str, Place]] = {}  # (kind, name) -> last version
    loose: dict[tuple[str, str], list[Found]] = {}
    for line, place in found:
        key = (line.action, line.name)
        if key in named:
            if line.version is not None:
                versions[key] = (line.version, place)
        else:
            loose.setdefault(key, []).append((line, place))
    result = [_resolved(e, versions) for e in events]
    installs = [e for e in events if e.kind == "install" and e.ecosystem == "PyPI"]
    model = installs[-1] if installs else None
    for (action, name), lines in loose.items():
        result += _output_events(action, name, lines, model, shown)
    return result


def _resolved(event: Event, versions: dict[tuple[str, str], tuple[str, Place]]) -> Event:
    found = versions.get((event.kind, event.package or ""))
    if event.version is not None or found is None:
        return event
    detail = {**event.detail, "resolved_from": "output", "output_line": found[1].origin.line}
    return replace(event, version=found[0], detail=detail)


def _output_events(
    action: str, name: str, lines: list[Found], model: Event | None, shown: str | None
) -> list[Event]:
    spec = next((line.spec for line, _ in lines if line.spec), None)
    first: dict[str | None, Found] = {}
    for line, place in lines:
        if line.version is not None:
            first.setdefault(line.version, (line, place))
    if not first:
        first[None] = lines[0]
    events = []
    for index, (version, (line, place)) in enumerate(first.items()):
        detail: dict[str, Any] = {"resolved_from": "output", "installer": line.installer}
        events.append(
            Event(
                ts=place.ts,
                kind=action,
                origin=place.origin,
                session_id=place.session_id,
                host=place.host,
                ecosystem=line.ecosystem,
                package=name,
                version=version,
                spec=spec if index == 0 else None,
                environment=model.environment if model else place.environment,
                program=model.program if model else None,
                command=model.command if model else shown,
                detail=detail,
            )
        )
    return events
