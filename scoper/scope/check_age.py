"""The gate's cool-down (``--min-age 7d``): refuse versions younger than N at check time.

A pinned version's age is ``now`` (the injected clock) minus its upload time: from the
lockfile when it records one (uv.lock, pylock.toml), else from the registry's release
history (PyPI simple API / project JSON, npm ``time``; cached, offline serves only the
cache). An age that is needed and cannot be known is ``unknown`` (exit 4), never a pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

import duckdb

from scoper.errors import AdvisoryUnavailableError, UsageError
from scoper.feeds.httpcache import JsonFetcher
from scoper.names import canonical
from scoper.scope.check_upload_times import UploadTimes, read_upload_times
from scoper.scope.steps import rows
from scoper.scope.versions import same_version
from scoper.times import rfc3339

UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
_AGE_RE = re.compile(r"(\d+)\s*([hdw])")

# (ecosystem, name, version) -> (upload time or None, why it is unknown)
Lookup = Callable[[str, str, str], tuple[datetime | None, str]]


class AgeStatus(StrEnum):
    """What the cool-down says about one pinned version."""

    OLD_ENOUGH = "old-enough"
    TOO_YOUNG = "too-young"  # fails the build (exit 1)
    UNKNOWN = "unknown"  # no upload time to be had: exit 4
    WAIVED = "waived"  # an ignore entry with ``min-age = true`` and a reason


@dataclass(frozen=True, slots=True)
class AgeCheck:
    """One pinned version's age against ``--min-age``."""

    file: str
    line: int | None
    ecosystem: str
    package: str
    version: str
    uploaded_at: datetime | None
    source: str | None  # "lockfile" | "history" | None (unknown)
    status: AgeStatus
    detail: str

    @property
    def fails(self) -> bool:
        return self.status is AgeStatus.TOO_YOUNG

    @property
    def unknown(self) -> bool:
        return self.status is AgeStatus.UNKNOWN

    def waived(self, why: str) -> AgeCheck:
        return replace(self, status=AgeStatus.WAIVED, detail=f"{self.detail}; waived: {why}")


def parse_min_age(text: str) -> timedelta:
    """``12h``, ``7d``, ``2w`` -> a duration; anything else is a usage error (exit 2)."""
    match = _AGE_RE.fullmatch(text.strip().lower())
    if match is None:
        raise UsageError(f"--min-age {text!r}: use a whole number of h, d or w (12h, 7d, 2w)")
    return int(match.group(1)) * UNITS[match.group(2)]


def describe(age: timedelta) -> str:
    """``7d`` style text for a duration (hours when not whole days)."""
    if age % timedelta(days=1):
        return f"{int(age.total_seconds() // 3600)}h"
    return f"{age.days}d"


def check_ages(
    con: duckdb.DuckDBPyConnection, min_age: timedelta, now: datetime, lookup: Lookup
) -> tuple[AgeCheck, ...]:
    """Every pinned package of the checked files against the cool-down."""
    locked: dict[tuple[str, str], UploadTimes] = {}
    checks: list[AgeCheck] = []
    for row in rows(con, "check_pinned"):
        key = (row["path"], row["format"])
        if key not in locked:
            locked[key] = read_upload_times(Path(row["path"]), row["format"])
        uploaded = locked[key].get((row["name"], row["version"]))
        source, why = "lockfile", ""
        if uploaded is None:
            source = "history"
            uploaded, why = lookup(row["ecosystem"], row["name"], row["version"])
        checks.append(_judge(row, uploaded, source, why, min_age, now))
    return tuple(checks)


def _judge(
    row: dict[str, object],
    uploaded: datetime | None,
    source: str,
    why: str,
    min_age: timedelta,
    now: datetime,
) -> AgeCheck:
    def made(at: datetime | None, src: str | None, status: AgeStatus, detail: str) -> AgeCheck:
        line = row["source_line"]
        return AgeCheck(
            str(row["source_file"]),
            line if isinstance(line, int) else None,
            str(row["ecosystem"]),
            str(row["display_name"]),
            str(row["version"]),
            at,
            src,
            status,
            detail,
        )

    if uploaded is None:
        return made(None, None, AgeStatus.UNKNOWN, f"upload time unknown: {why}")
    age = now - uploaded
    shown = f"uploaded {rfc3339(uploaded)} ({source}), {_days(age)} old at {rfc3339(now)}"
    if age < min_age:
        return made(
            uploaded, source, AgeStatus.TOO_YOUNG, f"{shown}; younger than {describe(min_age)}"
        )
    return made(uploaded, source, AgeStatus.OLD_ENOUGH, shown)


def _days(age: timedelta) -> str:
    return f"{age.total_seconds() / 86400:.1f}d"


def history_lookup(fetcher: JsonFetcher) -> Lookup:
    """Upload times from the registries' release history, one fetch per package."""
    from scoper.feeds import npm, pypi

    fetched: dict[tuple[str, str], list[tuple[str, datetime]] | str] = {}

    def versions(ecosystem: str, name: str) -> list[tuple[str, datetime]] | str:
        try:
            if ecosystem == "PyPI":
                files = pypi.fetch_files(name, fetcher).files
                return [(f.version, f.uploaded_at) for f in files]
            if ecosystem == "npm":
                releases = npm.fetch_npm_releases(name, fetcher)
                return [(r.version, r.uploaded_at) for r in releases if r.uploaded_at]
        except AdvisoryUnavailableError as exc:
            return str(exc)
        return f"no registry history for {ecosystem} packages"

    def lookup(ecosystem: str, name: str, version: str) -> tuple[datetime | None, str]:
        key = (ecosystem, canonical(ecosystem, name))
        if key not in fetched:
            fetched[key] = versions(*key)
        known = fetched[key]
        if isinstance(known, str):
            return None, known
        times = [t for v, t in known if same_version(ecosystem, v, version)]
        if not times:
            return None, f"{name} {version} is not in the registry's release history"
        return max(times), ""

    return lookup
