"""``--as-of TIME``: the advisories and the evidence that were known at a moment.

An advisory is known at TIME when it was published by then (OSV ``published``; one
without it is taken as known, with a warning); a ``withdrawn`` after TIME is not yet a
withdrawal; a ``modified`` after TIME is said (the record may have differed then). The
evidence is the files ingested by TIME (``ingests.ingested_at``) and, of those, the events
and credential uses up to TIME: TEMP views (``sql/as_of.sql``) shadow the store's tables
for the chain, and :func:`restore` drops them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

import duckdb

from scoper.errors import AdvisoryUnavailableError
from scoper.feeds.model import Advisory
from scoper.scope.steps import sql
from scoper.store.load import utc_naive
from scoper.store.sql import split
from scoper.times import rfc3339

SHADOWED = (
    "ingests", "events", "sessions", "credential_uses", "artifacts", "packages",
    "package_hashes", "artifact_files", "credentials", "identity_links", "skipped",
)  # fmt: skip


Moment = datetime | None  # --as-of; None: now, with everything the store holds


class Known(StrEnum):
    """How an advisory stood at the moment asked about."""

    KNOWN = "known"
    NOT_PUBLISHED = "not-published"  # published after the moment
    WITHDRAWN = "withdrawn"  # withdrawn by the moment


@dataclass(frozen=True, slots=True)
class AsOfAdvisory:
    """The advisory as it stood at the moment, with what to say about it."""

    state: Known
    advisory: Advisory
    reason: str | None
    warnings: tuple[str, ...]


def advisory_at(adv: Advisory, moment: datetime) -> AsOfAdvisory:
    """``adv`` as it was known at ``moment``."""
    when = rfc3339(moment)
    if adv.published is not None and adv.published > moment:
        reason = (
            f"advisory {adv.id} was not published until {rfc3339(adv.published)}: "
            f"not yet known at {when}"
        )
        return AsOfAdvisory(Known.NOT_PUBLISHED, adv, reason, ())
    if adv.withdrawn is not None and adv.withdrawn <= moment:
        reason = f"advisory {adv.id} was withdrawn on {rfc3339(adv.withdrawn)}, before {when}"
        return AsOfAdvisory(Known.WITHDRAWN, adv, reason, ())
    warnings: list[str] = []
    if adv.published is None:
        warnings.append(f"{adv.id} has no published time: taken as known at {when}")
    if adv.modified is not None and adv.modified > moment:
        warnings.append(
            f"{adv.id} was modified on {rfc3339(adv.modified)}, after {when}: the record "
            "known then may have differed from the one used"
        )
    return AsOfAdvisory(Known.KNOWN, replace(adv, withdrawn=None), None, tuple(warnings))


def require_known(adv: Advisory, moment: Moment) -> AsOfAdvisory:
    """``adv`` at ``moment`` (as it is, for None); not yet published then is exit 4."""
    if moment is None:
        return AsOfAdvisory(Known.KNOWN, adv, None, ())
    known = advisory_at(adv, moment)
    if known.state is Known.NOT_PUBLISHED:
        raise AdvisoryUnavailableError(known.reason or adv.id)
    return known


def restrict(con: duckdb.DuckDBPyConnection, moment: datetime) -> None:
    """Shadow the evidence tables with their rows known at ``moment``."""
    (catalog,) = con.execute("SELECT current_database()").fetchone() or ("memory",)
    text = sql("as_of").replace("{db}", '"' + str(catalog).replace('"', '""') + '"')
    for statement in split(text):
        params = {"as_of": utc_naive(moment)} if "$as_of" in statement else None
        con.execute(statement, params)


def restore(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the shadowing views: the store's own tables are seen again."""
    for name in SHADOWED:
        con.execute(f"DROP VIEW IF EXISTS temp.main.{name}")


@contextmanager
def known_at(con: duckdb.DuckDBPyConnection, moment: Moment) -> Iterator[None]:
    """Within: the store's evidence as known at ``moment`` (all of it for None)."""
    if moment is not None:
        restrict(con, moment)
    try:
        yield
    finally:
        if moment is not None:
            restore(con)
