"""Evaluate the advisory against the store's *distinct* versions and specifiers.

The results go into small temp tables (scope_version_match, scope_spec_match,
scope_hash_match) that the chain's SQL joins against the rows.
"""

from __future__ import annotations

from typing import Any

import duckdb

from scoper.feeds.model import Advisory, Affected
from scoper.scope.steps import run, sql
from scoper.scope.versions import is_affected, same_version
from scoper.scope.windows import resolve
from scoper.store.advisories import stored_releases
from scoper.store.load import Row, insert_rows, utc_naive

_TABLES = {
    "scope_names": "ecosystem VARCHAR, name VARCHAR",
    "scope_version_match": "ecosystem VARCHAR, name VARCHAR, version VARCHAR, "
    "bad_version VARCHAR, trigger VARCHAR, trigger_module VARCHAR",
    "scope_spec_match": "ecosystem VARCHAR, name VARCHAR, spec VARCHAR, valid_from TIMESTAMP, "
    "valid_until TIMESTAMP, version VARCHAR, confidence INTEGER",
    "scope_hash_match": "algorithm VARCHAR, digest VARCHAR, version VARCHAR",
}


def prepare(con: duckdb.DuckDBPyConnection, adv: Advisory) -> list[str]:
    """Create the scope's helper tables for ``adv``; returns warnings for the report."""
    for table, columns in _TABLES.items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({columns})")
    insert_rows(
        con, "scope_names", None, [{"ecosystem": a.ecosystem, "name": a.name} for a in adv.affected]
    )
    run(con, "prepare", {"advisory": adv.id})
    by_name = {(a.ecosystem, a.name): a for a in adv.affected}
    distinct = con.execute(sql("distinct")).fetchall()
    versions, specs, warnings = _evaluate(con, by_name, distinct)
    insert_rows(con, "scope_version_match", None, versions)
    insert_rows(con, "scope_spec_match", None, specs)
    insert_rows(
        con,
        "scope_hash_match",
        None,
        [
            {"algorithm": "sha256", "digest": h.sha256.lower(), "version": f.version}
            for a in adv.affected
            for f in a.facts
            for h in f.artifacts
        ],
    )
    return warnings


def _evaluate(
    con: duckdb.DuckDBPyConnection,
    by_name: dict[tuple[str, str], Affected],
    distinct: list[tuple[Any, ...]],
) -> tuple[list[Row], list[Row], list[str]]:
    versions: list[Row] = []
    specs: list[Row] = []
    warnings: list[str] = []
    for ecosystem, name, version, spec in distinct:
        affected = by_name[(ecosystem, name)]
        if version is not None:
            if is_affected(affected, version):
                versions.append(_version_row(affected, version))
            continue
        releases = affected.releases + stored_releases(con, ecosystem, name)
        if not releases and not any(f.live_from for f in affected.facts):
            warnings.append(
                f"no release history for {ecosystem}/{name}: installs without a "
                f"recorded version are judged 'possible' at most"
            )
        for interval in resolve(affected, releases, spec):
            specs.append(
                {
                    "ecosystem": ecosystem,
                    "name": name,
                    "spec": spec,
                    "valid_from": utc_naive(interval.start),
                    "valid_until": utc_naive(interval.end),
                    "version": interval.version,
                    "confidence": interval.confidence,
                }
            )
    return versions, specs, sorted(set(warnings))


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
