"""Scope reports: one renderer per output format behind one small registry."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from scoper.errors import UsageError
from scoper.report.serialize import scope_dict
from scoper.scope.result import ScopeResult

Renderer = Callable[[ScopeResult], str]

ENTITIES = ("sessions", "hosts", "credentials", "environments", "cleared")


def render_json(result: ScopeResult) -> str:
    return json.dumps(scope_dict(result), indent=2, sort_keys=False) + "\n"


def _flat(entity: str, row: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {"entity": entity}
    for key, value in row.items():
        if key == "evidence":
            flat[key] = " | ".join(f"{e['file']}:{e['line'] or ''} {e['fact']}" for e in value)
        elif key == "used_after_exposure":
            flat[key] = " | ".join(
                f"{u['ts']} {u['action']} from {u['source_ip']}"
                + (" (new IP)" if u["new_source_ip"] else "")
                for u in value
            )
        elif isinstance(value, list):
            flat[key] = ";".join(value)
        else:
            flat[key] = value
    return flat


def render_csv(result: ScopeResult, entity: str | None = None) -> str:
    """One CSV table: all entities stacked (with an ``entity`` column) or just one."""
    data = scope_dict(result)
    out = io.StringIO()
    for name in (entity,) if entity else ENTITIES:
        rows = [_flat(name, row) for row in data[name]]
        if not rows:
            continue
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def _md_cell(value: Any) -> str:
    return str("" if value is None else value).replace("|", "\\|").replace("\n", " ")


def render_markdown(result: ScopeResult) -> str:
    data = scope_dict(result)
    adv, summary = data["advisory"], data["summary"]
    lines = [f"# Exposure report: {adv['id']}", ""]
    if adv["aliases"]:
        lines.append(f"Aliases: {', '.join(adv['aliases'])}")
    for window in adv["windows"]:
        lines.append(f"Live window: {window['start']} to {window['end']}")
    counts = summary["by_confidence"]
    lines += [
        "",
        f"**{summary['sessions']} sessions, {summary['hosts']} hosts, "
        f"{summary['credentials']} credentials exposed** (confirmed {counts['confirmed']}, "
        f"likely {counts['likely']}, possible {counts['possible']}).",
        "",
    ]
    tables = {
        "Environments": (
            "environments",
            [
                "environment",
                "host",
                "image_digest",
                "package",
                "version",
                "confidence",
                "from",
                "until",
            ],
        ),
        "Sessions": ("sessions", ["session_id", "host", "confidence", "first_exposed"]),
        "Hosts": ("hosts", ["host", "confidence", "first_exposed", "sessions"]),
        "Credentials (rotate these)": (
            "credentials",
            ["name", "kind", "fingerprint", "confidence", "first_exposed", "sessions"],
        ),
    }
    for title, (key, cols) in tables.items():
        lines += [f"## {title}", ""]
        rows = data[key]
        if not rows:
            lines += ["None.", ""]
            continue
        lines += ["| " + " | ".join(cols) + " | evidence |", "|" + "---|" * (len(cols) + 1)]
        for row in rows:
            cells = [
                _md_cell(";".join(row[c]) if isinstance(row[c], list) else row[c]) for c in cols
            ]
            proof = "<br>".join(
                _md_cell(f"{e['file']}:{e['line'] or ''} {e['fact']}") for e in row["evidence"]
            )
            lines.append("| " + " | ".join(cells) + f" | {proof} |")
        lines.append("")
    lines += _md_uses(data) + _md_cleared(data) + [f"> warning: {w}" for w in data["warnings"]]
    return "\n".join(lines).rstrip() + "\n"


def _md_uses(data: dict[str, Any]) -> list[str]:
    lines = []
    for cred in data["credentials"]:
        for use in cred["used_after_exposure"]:
            flag = " **new source IP**" if use["new_source_ip"] else ""
            lines.append(
                f"- {cred['name']} used {use['ts']}: {use['action']} from {use['source_ip']}{flag}"
            )
    return ["## Credential use after exposure", "", *lines, ""] if lines else []


def _md_cleared(data: dict[str, Any]) -> list[str]:
    rows = [
        f"- {c['entity']} `{c['subject']}`: {c['evidence'][0]['fact']} "
        f"({c['evidence'][0]['file']}:{c['evidence'][0]['line'] or ''})"
        for c in data["cleared"]
    ]
    return ["## Not exposed (negative evidence)", "", *rows, ""] if rows else []


SCOPE_FORMATS: dict[str, Renderer] = {
    "json": render_json,
    "csv": render_csv,
    "markdown": render_markdown,
}


def renderer(name: str) -> Renderer:
    try:
        return SCOPE_FORMATS[name]
    except KeyError:
        raise UsageError(
            f"unknown report format {name!r}; choose from table, {', '.join(SCOPE_FORMATS)}"
        ) from None
