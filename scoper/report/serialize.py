"""Findings as plain JSON-ready values (the DESIGN §7 contract lives here)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from scoper.report.check_rows import policy_dict
from scoper.scope.check import CheckResult
from scoper.scope.coverage import Coverage
from scoper.scope.result import Evidence, ScopeResult
from scoper.times import rfc3339


def evidence(items: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [{"file": e.file, "line": e.line, "fact": e.fact} for e in items]


def cleared_summary(result: ScopeResult, listed: bool) -> dict[str, Any]:
    """The ``cleared_summary`` member: negative evidence counted per entity and reason (most
    first), so a report grows with the findings, not with the fleet; ``listed``: whether
    ``cleared`` lists the rows (``--cleared``)."""
    counts = Counter((c.entity, c.reason) for c in result.cleared)
    by_reason = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return {
        "total": len(result.cleared),
        "listed": listed,
        "by_reason": [{"entity": e, "reason": r, "count": n} for (e, r), n in by_reason],
    }


def scope_dict(result: ScopeResult, list_cleared: bool = True) -> dict[str, Any]:
    """The ``scoper scope --format json`` object; ``cleared`` lists rows only when
    ``list_cleared`` (``cleared_summary`` always counts them)."""
    adv = result.advisory
    return {
        "advisory": {
            "id": adv.id,
            "aliases": list(adv.aliases),
            "windows": [{"start": rfc3339(s), "end": rfc3339(e)} for s, e in adv.windows],
            "withdrawn": rfc3339(adv.withdrawn),
        },
        "as_of": rfc3339(result.as_of),
        "summary": {
            "sessions": len(result.sessions),
            "hosts": len(result.hosts),
            "credentials": len(result.credentials),
            "by_confidence": result.by_confidence(),
        },
        "sessions": [
            {
                "session_id": s.session_id,
                "host": s.host,
                "confidence": s.confidence,
                "first_exposed": rfc3339(s.first_exposed),
                "evidence": evidence(s.evidence),
            }
            for s in result.sessions
        ],
        "hosts": [
            {
                "host": h.host,
                "confidence": h.confidence,
                "first_exposed": rfc3339(h.first_exposed),
                "sessions": list(h.sessions),
                "evidence": evidence(h.evidence),
            }
            for h in result.hosts
        ],
        "credentials": [
            {
                "name": c.name,
                "kind": c.kind,
                "fingerprint": c.fingerprint,
                "confidence": c.confidence,
                "first_exposed": rfc3339(c.first_exposed),
                "sessions": list(c.sessions),
                "hosts": list(c.hosts),
                "used_after_exposure": [
                    {
                        "ts": rfc3339(u.ts),
                        "source_ip": u.source_ip,
                        "user_agent": u.user_agent,
                        "action": u.action,
                        "principal": u.principal,
                        "outcome": u.outcome,
                        "new_source_ip": u.new_source_ip,
                        "new_user_agent": u.new_user_agent,
                        "indicator": u.indicator,
                        "alias": u.alias,
                        "confidence": u.confidence,
                        "evidence": evidence((u.evidence,)),
                    }
                    for u in c.used_after_exposure
                ],
                "evidence": evidence(c.evidence),
                "identity": c.identity,
                "derived_from": c.derived_from,
                "aliases": [
                    {
                        "kind": a.kind,
                        "value": a.value,
                        "scope": a.scope,
                        "rule": a.rule,
                        "confidence": a.confidence,
                        "evidence": evidence(a.evidence),
                    }
                    for a in c.aliases
                ],
                "lives_in": [
                    {
                        "where": p.where,
                        "name": p.name,
                        "session_id": p.session_id,
                        "host": p.host,
                        "path": p.path,
                        "sessions": p.sessions,
                    }
                    for p in c.lives_in
                ],
                "rotate": c.rotate,
            }
            for c in result.credentials
        ],
        "environments": [
            {
                "environment": e.environment,
                "host": e.host,
                "image_digest": e.image_digest,
                "package": e.package,
                "version": e.version,
                "confidence": e.confidence,
                "from": rfc3339(e.start),
                "until": rfc3339(e.until),
                "ended_by": evidence((e.ended_by,))[0] if e.ended_by else None,
                "evidence": evidence(e.evidence),
            }
            for e in result.environments
        ],
        "cleared": [
            {
                "entity": c.entity,
                "subject": c.subject,
                "host": c.host,
                "package": c.package,
                "version": c.version,
                "evidence": evidence((c.evidence,)),
            }
            for c in (result.cleared if list_cleared else ())
        ],
        "cleared_summary": cleared_summary(result, list_cleared),
        "warnings": list(result.warnings),
        "coverage": coverage_dict(result.coverage),
    }


def coverage_dict(cover: Coverage | None) -> dict[str, Any] | None:
    """The ``coverage`` member: what the store holds and whether it covers the advisory."""
    if cover is None:
        return None
    store = cover.store
    return {
        "covered": cover.covered,
        "reasons": list(cover.reasons),
        "advisory_ecosystems": list(cover.ecosystems),
        "missing_ecosystems": list(cover.missing),
        "window_covered": cover.window,
        "ecosystems": dict(store.ecosystems),
        "events": {
            "count": store.events,
            "first": rfc3339(store.first_ts),
            "last": rfc3339(store.last_ts),
        },
        "hosts": store.hosts,
        "sessions": store.sessions,
        "artifacts": store.artifacts,
        "files": store.files,
        "records": store.records,
    }


def coverage_line(cover: Coverage | None) -> str:
    """One line for the table and markdown reports."""
    if cover is None:
        return ""
    store = cover.store
    ecosystems = ", ".join(f"{name} {count}" for name, count in store.ecosystems) or "none"
    span = (
        f"events {rfc3339(store.first_ts)} .. {rfc3339(store.last_ts)}"
        if store.events
        else "no events"
    )
    verdict = "covered" if cover.covered else "NOT covered: " + "; ".join(cover.reasons)
    return (
        f"coverage: {store.files} files, {store.artifacts} artifacts, {store.hosts} hosts, "
        f"{store.sessions} sessions, {span}; packages per ecosystem: {ecosystems}; {verdict}"
    )


def check_dict(result: CheckResult, threshold: str) -> dict[str, Any]:
    """The ``scoper check --format json`` object."""
    failing = set(result.failing(threshold))
    return {
        "advisories": list(result.advisories),
        "fail_on": threshold,
        "passed": result.passes(threshold),
        "findings": [
            {
                "file": f.file,
                "line": f.line,
                "package": f.package,
                "version": f.version,
                "advisory": f.advisory,
                "confidence": f.confidence,
                "fact": f.fact,
                "fails": f in failing,
            }
            for f in result.findings
        ],
        "warnings": list(result.warnings),
        "withdrawn": list(result.withdrawn),
        "coverage": coverage_dict(result.coverage),
        **policy_dict(result),
    } | _vulns_dict(result)


def _vulns_dict(result: CheckResult) -> dict[str, Any]:
    """``vulnerabilities`` (check --vulns, when pip-audit reported any): one per package."""
    if not result.vulns:
        return {}
    rows = [
        {"id": v.id, "package": v.package, "version": v.version}
        | {"aliases": list(v.aliases), "fix_versions": list(v.fix_versions)}
        for v in result.vulns
    ]
    return {"vulnerabilities": rows}
