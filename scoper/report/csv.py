"""CSV for spreadsheets: every entity table stacked, or one with ``--entity``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any, TextIO

from scoper.report.base import Entity, RenderOptions, Result, Subject, scope_only
from scoper.report.serialize import scope_dict
from scoper.scope.result import ScopeResult


@dataclass(frozen=True, slots=True)
class CsvRenderer:
    """Flat rows; list cells joined with ``;`` and evidence with `` | ``."""

    name: str = "csv"
    suffix: str = ".csv"
    media_type: str = "text/csv"
    subjects: frozenset[Subject] = frozenset({Subject.SCOPE})
    summary: str = "CSV rows per entity (--entity picks one table)"

    def render(self, result: Result, out: TextIO, options: RenderOptions) -> None:
        render_csv(scope_only(self.name, result), out, options.entity, options.cleared)


def render_csv(
    result: ScopeResult, out: TextIO, entity: Entity | None = None, list_cleared: bool = False
) -> None:
    """CSV tables: all entities stacked (each with an ``entity`` column) or just one. The
    cleared rows come with ``--cleared`` or ``--entity cleared``; otherwise one
    ``cleared_summary`` table counts them per reason."""
    listed = list_cleared or entity is Entity.CLEARED
    data = scope_dict(result, listed)
    if entity is Entity.COVERAGE:
        _coverage(data["coverage"] or {}, out)
        return
    for name in (entity,) if entity else tuple(e for e in Entity if e is not Entity.COVERAGE):
        rows = [_flat(name, row) for row in data[name]]
        if name is Entity.CLEARED and not listed:
            rows = [_counted(c) for c in data["cleared_summary"]["by_reason"]]
        if not rows:
            continue
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _counted(count: dict[str, Any]) -> dict[str, Any]:
    """A cleared_summary row: how many of one entity were cleared for one reason."""
    return {
        "entity": "cleared_summary",
        "of": count["entity"],
        "reason": count["reason"],
        "count": count["count"],
    }


def _flat(entity: Entity, row: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {"entity": entity.value}
    for key, value in row.items():
        if key == "evidence":
            flat[key] = " | ".join(f"{e['file']}:{e['line'] or ''} {e['fact']}" for e in value)
        elif key == "ended_by":
            flat[key] = f"{value['file']}:{value['line'] or ''} {value['fact']}" if value else ""
        elif key == "used_after_exposure":
            flat[key] = " | ".join(
                f"{u['ts']} {u['action']} from {u['source_ip']}"
                + (" (new IP)" if u["new_source_ip"] else "")
                + (" (indicator)" if u.get("indicator") else "")
                for u in value
            )
        elif key == "aliases":
            flat[key] = ";".join(f"{a['kind']}:{a['value']} ({a['rule']})" for a in value)
        elif key == "lives_in":
            flat[key] = ";".join(
                f"{p['where']}:{p['path'] or p['name']}@{p['session_id'] or p['host'] or ''}"
                for p in value
            )
        elif isinstance(value, list):
            flat[key] = ";".join(value)
        else:
            flat[key] = value
    return flat


def _coverage(cover: dict[str, Any], out: TextIO) -> None:
    """``--entity coverage``: one ``key,value`` row per measure, ecosystem and reason."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["entity", "key", "value"])
    events = cover.get("events", {})
    for key in ("covered", "window_covered", "files", "records", "artifacts", "hosts"):
        writer.writerow(["coverage", key, cover.get(key)])
    writer.writerow(["coverage", "sessions", cover.get("sessions")])
    for key in ("count", "first", "last"):
        writer.writerow(["coverage", f"events_{key}", events.get(key)])
    for name, count in cover.get("ecosystems", {}).items():
        writer.writerow(["coverage", f"ecosystem:{name}", count])
    for name in cover.get("missing_ecosystems", []):
        writer.writerow(["coverage", "missing_ecosystem", name])
    for reason in cover.get("reasons", []):
        writer.writerow(["coverage", "reason", reason])
