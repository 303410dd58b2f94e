"""The exposure chain (DESIGN §6): bad packages -> environments -> sessions -> hosts ->
credentials -> uses after exposure.

Python evaluates the advisory against the store's distinct versions (``prepare``); then
each step below is one ``scope/sql/*.sql`` file building TEMP tables, run in order; then
the mappers in ``findings`` turn the result rows into findings. Nothing is written to the
store's persistent tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from scoper.engines.base import Connection
from scoper.feeds.model import Advisory
from scoper.scope import coverage, findings, identities, identity_findings
from scoper.scope.confidence import sql_params
from scoper.scope.coverage import StoreCounts
from scoper.scope.prepare import prepare
from scoper.scope.result import AdvisoryHeader, ScopeResult
from scoper.scope.steps import Step, rows, run_steps
from scoper.scope.trails import trail_warnings
from scoper.times import rfc3339

Row = dict[str, Any]

VIEWS = Step("sessions, events and artifacts as the chain sees them", "views")
STEPS: tuple[Step, ...] = (
    Step("GitHub Actions uses judged by ref, commit and time", "actions"),
    Step("environments that held a bad version, and until when", "env"),
    Step("artifacts whose hash an advisory lists (package_integrity)", "integrity"),
    Step("environment findings with their ordered evidence", "env_findings"),
    Step("every reason a session may have run the bad code", "links"),
    Step("exposed sessions: strongest link, first exposure, evidence", "exposed_sessions"),
    Step("exposed hosts: from environments and sessions", "exposed_hosts"),
    Step("exposed credential rows, before identities resolve them", "exposed_credentials"),
)


def scope(
    con: Connection,
    adv: Advisory,
    counts: StoreCounts | None = None,
    mapping: Path | None = None,
    on_phase: Callable[[str], None] | None = None,
    *,
    prepared: bool = False,
) -> ScopeResult:
    """Run the whole chain for ``adv`` over everything in the store, with its coverage;
    a gap in coverage is also a warning. ``mapping``: a responder's --identities file;
    ``on_phase`` is told the name of each phase before it runs (progress); ``prepared``:
    the advisory-independent views are already built (:func:`prepare_store`)."""
    result = run(con, adv, mapping, on_phase, prepared=prepared)
    _tell(on_phase, "coverage of the store for the advisory")
    cover = coverage.for_scope(con, adv, counts or coverage.measure(con))
    warnings = result.warnings + cover.reasons + tuple(trail_warnings(con))
    return replace(result, coverage=cover, warnings=warnings)


def prepare_store(con: Connection, on_phase: Callable[[str], None] | None = None) -> None:
    """Build the advisory-independent views once (a sweep reuses them per advisory)."""
    run_steps(con, (VIEWS,), sql_params(), on_phase)


def _tell(on_phase: Callable[[str], None] | None, phase: str) -> None:
    if on_phase is not None:
        on_phase(phase)


def run(
    con: Connection,
    adv: Advisory,
    mapping: Path | None = None,
    on_phase: Callable[[str], None] | None = None,
    *,
    prepared: bool = False,
) -> ScopeResult:
    """The chain's findings for ``adv`` (no coverage: ``check`` judges that once)."""
    if not prepared:
        prepare_store(con, on_phase)
    _tell(on_phase, "bad versions among the store's packages")
    warnings = prepare(con, adv)
    if adv.withdrawn is not None:
        warnings.append(withdrawn_warning(adv.id, adv.withdrawn))
    # actions, environments, links, exposed sessions
    run_steps(con, STEPS[:6], sql_params(), on_phase)
    windows = tuple((w.start, w.end) for w in adv.windows)
    header = AdvisoryHeader(adv.id, adv.aliases, windows, adv.summary, adv.withdrawn)
    if mapping is None and not rows(con, "env_any"):  # no environment held a bad version:
        cleared = findings.map_cleared(rows(con, "cleared"))  # no one was exposed (fast path)
        return ScopeResult(header, (), (), (), (), cleared, tuple(warnings))
    run_steps(con, STEPS[6:], sql_params(), on_phase)
    _tell(on_phase, "credential identities and their uses")
    identities.stage(con, adv, mapping)
    found, edges = identities.identities(con, adv.harvests)
    uses = identity_findings.map_uses(rows(con, "identity_uses"))
    queries = ("identity_holders", "identity_evidence", "identity_places")
    results: dict[str, Sequence[Row]] = {name: rows(con, name) for name in queries}
    credentials = identity_findings.map_identities(found, edges, uses, results)
    return ScopeResult(
        header,
        findings.map_environments(rows(con, "environments")),
        findings.map_sessions(rows(con, "sessions")),
        findings.map_hosts(rows(con, "hosts"), rows(con, "host_sessions")),
        credentials,
        findings.map_cleared(rows(con, "cleared")),
        tuple(warnings),
    )


def withdrawn_warning(advisory: str, when: datetime) -> str:
    return (
        f"{advisory} was withdrawn on {rfc3339(when)}: its matches are shown, "
        "but they are not known-bad and do not fail a check"
    )
