"""Coverage gaps of the gate: what the check could not judge, each failing unless allowed.

- ``unpinned``: a requirement without an exact version whose range admits a version an
  advisory lists as bad (PEP 440 via ``packaging``; npm semver ranges);
- ``unreadable``: a file (or a ``-r``/``-c`` include) that could not be read or recognised;
- ``unknown-ecosystem``: packages of an ecosystem no loaded advisory covers, so "nothing
  found" there would mean "nothing known".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import duckdb

from scoper.feeds.model import Advisory, Affected
from scoper.outcomes import FileResult
from scoper.scope.check_policy import Allow
from scoper.scope.steps import rows
from scoper.scope.versions import admits, is_affected, version_key


@dataclass(frozen=True, slots=True)
class Gap:
    """One thing the gate could not judge, where it is, and the ``--allow`` key that waives it."""

    kind: Allow
    file: str
    line: int | None
    subject: str  # the package (and spec), the file, or the ecosystem
    detail: str
    allowed: bool = False

    @property
    def fails(self) -> bool:
        return not self.allowed


def find_gaps(
    con: duckdb.DuckDBPyConnection,
    checked: Sequence[Advisory],
    catalog: Sequence[Advisory],
    results: Iterable[FileResult],
    allow: Collection[Allow] = (),
) -> tuple[Gap, ...]:
    """Every gap in the checked inputs; ``allow`` marks the kinds that pass."""
    found = [
        *unpinned_gaps(con, checked),
        *unreadable_gaps(results),
        *unknown_ecosystem_gaps(con, catalog),
    ]
    return tuple(sorted((_allowed(g, allow) for g in found), key=_order))


def unpinned_gaps(con: duckdb.DuckDBPyConnection, advisories: Sequence[Advisory]) -> list[Gap]:
    """Unpinned requirements whose range admits a bad version of a checked advisory."""
    by_name: dict[tuple[str, str], list[tuple[str, Affected]]] = {}
    for adv in advisories:
        if adv.withdrawn is None:
            for affected in adv.affected:
                by_name.setdefault((affected.ecosystem, affected.name), []).append(
                    (adv.id, affected)
                )
    gaps: list[Gap] = []
    for row in rows(con, "check_unpinned"):
        spec = row["spec"] or ""
        for adv_id, affected in by_name.get((row["ecosystem"], row["name"]), []):
            bad = [v for v in _candidates(affected) if admits(affected.ecosystem, spec, v)]
            if bad:
                shown = ", ".join(
                    sorted(set(bad), key=lambda v: version_key(affected.ecosystem, v))
                )
                gaps.append(
                    Gap(
                        Allow.UNPINNED,
                        row["source_file"],
                        row["source_line"],
                        f"{row['name']} {spec or '(any version)'}".strip(),
                        f"not pinned; the range admits bad version(s) {shown} of {adv_id}",
                    )
                )
    return gaps


def _candidates(affected: Affected) -> list[str]:
    """Known versions that are bad: listed ones, those with facts, and range or history
    versions that fall inside the affected ranges."""
    named = [*affected.versions, *(f.version for f in affected.facts)]
    named += [v for r in affected.ranges for kind, v in r.events if kind == "introduced"]
    named += [r.version for r in affected.releases]
    return [v for v in dict.fromkeys(named) if v != "0" and is_affected(affected, v)]


def unreadable_gaps(results: Iterable[FileResult]) -> list[Gap]:
    """Files that could not be read or recognised, and includes that were not read."""
    gaps: list[Gap] = []
    for r in results:
        if r.status in ("error", "unknown") and r.error:
            gaps.append(Gap(Allow.UNREADABLE, r.path, None, r.path, r.error))
        gaps += [
            Gap(
                Allow.UNREADABLE,
                r.path,
                None,
                m,
                f"{r.path}: includes an input that was not read: {m}",
            )
            for m in r.missing
        ]
    return gaps


def unknown_ecosystem_gaps(
    con: duckdb.DuckDBPyConnection, catalog: Sequence[Advisory]
) -> list[Gap]:
    """Per file, each ecosystem of its packages that no loaded advisory covers."""
    known = {a.ecosystem.casefold() for adv in catalog for a in adv.affected}
    return [
        Gap(
            Allow.UNKNOWN_ECOSYSTEM,
            row["source_file"],
            row["source_line"],
            row["ecosystem"],
            f"{row['packages']} {row['ecosystem']} package(s): scoper has no advisory data "
            "for this ecosystem, so nothing found would mean nothing known",
        )
        for row in rows(con, "check_ecosystems")
        if row["ecosystem"].casefold() not in known
    ]


def _order(gap: Gap) -> tuple[str, int, str, str]:
    return (gap.file, gap.line or 0, gap.kind.value, gap.subject)


def _allowed(gap: Gap, allow: Collection[Allow]) -> Gap:
    if gap.kind not in allow:
        return gap
    return Gap(gap.kind, gap.file, gap.line, gap.subject, gap.detail, True)
