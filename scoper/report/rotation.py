"""The rotation list: one entry per exposed credential identity, riskiest first (used after
exposure from a new address or an indicator, then used at all, then by confidence), each with
its names, where it lives, who held it, its uses after exposure and the concrete step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO

from scoper.report.base import RenderOptions, Result, Subject, scope_only
from scoper.report.serialize import scope_dict
from scoper.scope.result import ScopeResult


@dataclass(frozen=True, slots=True)
class RotationRenderer:
    """A Markdown checklist a responder works down."""

    name: str = "rotation"
    suffix: str = ".rotation.md"
    media_type: str = "text/markdown"
    subjects: frozenset[Subject] = frozenset({Subject.SCOPE})
    summary: str = "the rotation list: exposed credential identities, riskiest first"

    def render(self, result: Result, out: TextIO, options: RenderOptions) -> None:
        out.write(render_rotation(scope_only(self.name, result)))


def render_rotation(result: ScopeResult) -> str:
    """The rotation checklist as Markdown."""
    data = scope_dict(result)
    creds = data["credentials"]
    lines = [f"# Rotation list: {data['advisory']['id']}", ""]
    if not creds:
        return "\n".join([*lines, "No exposed credentials.", ""])
    lines += [f"{len(creds)} credential identities to rotate, riskiest first.", ""]
    for n, cred in enumerate(creds, 1):
        lines += _entry(n, cred)
    return "\n".join(lines).rstrip() + "\n"


def _entry(n: int, cred: dict[str, Any]) -> list[str]:
    used = cred["used_after_exposure"]
    flag = " **USED AFTER EXPOSURE**" if used else ""
    lines = [
        f"## {n}. [ ] {cred['name']} ({cred['kind']}){flag}",
        "",
        f"- identity: `{cred['identity']}`, {cred['confidence']}, first exposed "
        f"{cred['first_exposed'] or 'unknown'}",
    ]
    if cred["derived_from"]:
        lines.append(f"- derived from `{cred['derived_from']}` (obtained by trading it)")
    names = [
        f"{a['kind']} `{a['value']}`"
        + (f" in {a['scope']}" if a["scope"] else "")
        + f" ({a['rule']}, {a['confidence']}; {_place(a['evidence'][0])})"
        for a in cred["aliases"]
    ]
    lines += [f"- names: {'; '.join(names)}"] if names else []
    homes = [
        f"{p['where']} {p['path'] or p['name']}"
        + (f" @ {p['session_id'] or p['host']}" if p["session_id"] or p["host"] else "")
        for p in cred["lives_in"]
    ]
    lines += [f"- lives in: {'; '.join(homes)}"] if homes else []
    if cred["sessions"] or cred["hosts"]:
        lines.append(f"- held by: {', '.join(cred['sessions'] + cred['hosts'])}")
    for use in used:
        marks = [
            m for m, on in (("new IP", use["new_source_ip"]), ("indicator", use["indicator"])) if on
        ]
        lines.append(
            f"- used {use['ts']}: {use['action'] or 'use'} from {use['source_ip'] or '?'}"
            + (f" as {use['principal']}" if use["principal"] else "")
            + (f" ({use['outcome']})" if use["outcome"] else "")
            + (f" **{', '.join(marks)}**" if marks else "")
            + f" ({_place(use['evidence'][0])})"
        )
    return [*lines, f"- **rotate:** {cred['rotate']}", ""]


def _place(ev: dict[str, Any]) -> str:
    return f"{ev['file']}:{ev['line'] or ''}"
