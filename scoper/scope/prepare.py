"""Stage the advisory, and evaluate it against the store's *distinct* versions and specs.

The results go into small TEMP tables (``sql/advisory.sql``: scope_names, scope_bad,
scope_harvests, scope_hashes, scope_version_match, scope_spec_match) that the chain's
SQL joins against the rows. The store's persistent advisory tables are not touched.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from scoper.engines.base import Connection, stage_rows
from scoper.feeds.action_refs import ACTIONS
from scoper.feeds.model import Advisory, Affected, Release
from scoper.scope import actions
from scoper.scope.confidence import Confidence
from scoper.scope.steps import run, sql
from scoper.scope.versions import is_affected, same_version
from scoper.scope.windows import resolve
from scoper.store.advisories import affected_rows, hash_rows, integrity_rows, stored_releases
from scoper.store.load import Row, utc_naive


def prepare(con: Connection, adv: Advisory) -> list[str]:
    """Stage ``adv`` and its matches in the scope's TEMP tables; returns report warnings."""
    run(con, "advisory", {})
    stage_advisory(con, adv)
    by_name = {(a.ecosystem, a.name): a for a in adv.affected}
    everything = con.execute(sql("distinct")).fetchall()
    distinct = [d for d in everything if d[0] != ACTIONS]
    versions, specs, warnings = _evaluate(con, by_name, distinct)
    versions += actions.listed_refs(adv, [d[1:3] for d in everything if d[0] == ACTIONS])
    stage_rows(con, "scope_version_match", versions)
    stage_rows(con, "scope_spec_match", specs)
    actions.stage(con, adv)
    return warnings + mirror_warnings(con)


def mirror_warnings(con: Connection) -> list[str]:
    """Unpinned installs through a mirror or proxy index: its lag behind PyPI is unknown."""
    import json

    from scoper.scope.install_options import mirror_hosts

    found: dict[tuple[str, str], set[str]] = {}
    for ecosystem, name, urls in con.execute(sql("install_indexes")).fetchall():
        hosts = mirror_hosts(json.loads(urls)) if ecosystem == "PyPI" else []
        if hosts:
            found.setdefault((ecosystem, name), set()).update(hosts)
    return [
        f"{eco}/{name} installed without a recorded version through a mirror or proxy index "
        f"({', '.join(sorted(hosts))}): its lag behind PyPI is unknown, so the inferred "
        "version may differ from PyPI's at that time"
        for (eco, name), hosts in sorted(found.items())
    ]


def stage_advisory(con: Connection, adv: Advisory) -> None:
    """The advisory's names, versions, harvested classes and hashes, as TEMP rows."""
    names = dict.fromkeys((a.ecosystem, a.name) for a in adv.affected)
    stage_rows(con, "scope_names", [{"ecosystem": e, "name": n} for e, n in names])
    stage_rows(con, "scope_bad", affected_rows(adv))
    stage_rows(con, "scope_harvests", [{"harvest_class": h} for h in adv.harvests])
    stage_rows(con, "scope_hashes", hash_rows(adv))
    stage_rows(con, "scope_integrity", integrity_rows(adv))


def _evaluate(
    con: Connection,
    by_name: dict[tuple[str, str], Affected],
    distinct: list[tuple[Any, ...]],
) -> tuple[list[Row], list[Row], list[str]]:
    versions: list[Row] = []
    specs: list[Row] = []
    warnings: list[str] = []
    for ecosystem, name, version, spec, bound in distinct:
        affected = by_name[(ecosystem, name)]
        if version is not None:
            if is_affected(affected, version):
                versions.append(_version_row(affected, version))
            continue
        releases = affected.releases + stored_releases(con, ecosystem, name)
        if not releases and not any(f.live_from for f in affected.facts):
            warnings.append(
                f"no release history for {ecosystem}/{name}: installs without a "
                f"recorded version are judged '{Confidence.POSSIBLE.label}' at most"
            )
        seen, releases = before_bound(affected, releases, bound)
        for interval in resolve(seen, releases, spec):
            specs.append(
                {
                    "ecosystem": ecosystem,
                    "name": name,
                    "spec": spec,
                    "valid_from": utc_naive(interval.start),
                    "valid_until": utc_naive(interval.end),
                    "version": interval.version,
                    "confidence": int(interval.confidence),
                    "exclude_newer": bound,
                }
            )
    return versions, specs, sorted(set(warnings))


def before_bound(
    affected: Affected, releases: tuple[Release, ...], bound: datetime | None
) -> tuple[Affected, tuple[Release, ...]]:
    """What a resolver bounded by ``--exclude-newer``/``--uploaded-prior-to`` could see.

    Releases (and the advisory's bad versions) uploaded at or after the bound are not
    seen; an unknown upload time (None: long before) is.
    """
    if bound is None:
        return affected, releases
    cut = bound.replace(tzinfo=UTC)
    facts = tuple(f for f in affected.facts if f.live_from is None or f.live_from < cut)
    kept = tuple(r for r in releases if r.uploaded_at is None or r.uploaded_at < cut)
    return replace(affected, facts=facts), kept


def _version_row(affected: Affected, version: str) -> Row:
    fact = next(
        (f for f in affected.facts if same_version(affected.ecosystem, version, f.version)), None
    )
    listed = next(
        (v for v in affected.versions if same_version(affected.ecosystem, version, v)), version
    )
    return {
        "ecosystem": affected.ecosystem,
        "name": affected.name,
        "version": version,
        "bad_version": fact.version if fact else listed,
        "trigger": fact.trigger if fact else affected.default_trigger,
        "trigger_module": fact.trigger_module if fact else None,
    }
