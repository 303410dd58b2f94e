"""The exposure chain (DESIGN §6): bad packages -> environments -> sessions -> hosts ->
credentials -> uses after exposure.

Python evaluates the advisory against the store's distinct versions (``prepare``); then
each step below is one ``scope/sql/*.sql`` file building TEMP tables, run in order; then
the mappers in ``findings`` turn the result rows into findings. Nothing is written to the
store's persistent tables.
"""

from __future__ import annotations

import duckdb

from scoper.feeds.model import Advisory
from scoper.scope import findings
from scoper.scope.confidence import sql_params
from scoper.scope.prepare import prepare
from scoper.scope.result import AdvisoryHeader, ScopeResult
from scoper.scope.steps import Step, rows, run_steps

STEPS: tuple[Step, ...] = (
    Step("sessions, events and artifacts as the chain sees them", "views"),
    Step("environments that held a bad version, and until when", "env"),
    Step("environment findings with their ordered evidence", "env_findings"),
    Step("every reason a session may have run the bad code", "links"),
    Step("exposed sessions: strongest link, first exposure, evidence", "exposed_sessions"),
    Step("exposed hosts: from environments and sessions", "exposed_hosts"),
    Step("exposed credentials, one per key", "exposed_credentials"),
)


def scope(con: duckdb.DuckDBPyConnection, adv: Advisory) -> ScopeResult:
    """Run the whole chain for ``adv`` over everything in the store."""
    warnings = prepare(con, adv)
    run_steps(con, STEPS, sql_params())
    uses = findings.map_uses(rows(con, "uses"))
    header = AdvisoryHeader(
        adv.id, adv.aliases, tuple((w.start, w.end) for w in adv.windows), adv.summary
    )
    return ScopeResult(
        header,
        findings.map_environments(rows(con, "environments")),
        findings.map_sessions(rows(con, "sessions")),
        findings.map_hosts(rows(con, "hosts"), rows(con, "host_sessions")),
        findings.map_credentials(rows(con, "credentials"), uses),
        findings.map_cleared(rows(con, "cleared")),
        tuple(warnings),
    )
