"""The chain's steps and the one Confidence definition."""

from __future__ import annotations

from importlib import resources

import pytest

from scoper.scope.chain import STEPS, VIEWS
from scoper.scope.confidence import NAMES, Confidence, sql_params
from scoper.scope.steps import sql

QUERIES = {"advisory", "distinct", "environments", "sessions", "hosts", "host_sessions"}
QUERIES |= {"cleared", "identity_setup", "identity_edges", "identity_frontier"}
QUERIES |= {"identity_uses", "identity_places", "identity_holders", "identity_evidence"}
QUERIES |= {"coverage", "coverage_ecosystems", "coverage_window", "empty_inputs", "as_of"}
QUERIES |= {"actions_distinct", "actions_unpinned", "env_any", "install_indexes", "trail_breaks"}
QUERIES |= {"check_unpinned", "check_ecosystems", "check_pinned"}  # the gate's policy queries
QUERIES |= {"check_vulns_rows"}  # check --vulns: the rows pip-audit is asked about


def test_every_sql_file_is_a_step_or_a_query() -> None:
    folder = resources.files("scoper.scope").joinpath("sql")
    files = {f.name.removesuffix(".sql") for f in folder.iterdir() if f.name.endswith(".sql")}
    steps = [s.sql_file for s in (VIEWS, *STEPS)]
    assert len(set(steps)) == len(steps)
    assert files == set(steps) | QUERIES
    assert all(sql(name).strip() for name in files)


def test_confidence_names_ranks_and_parameters() -> None:
    assert NAMES == ("confirmed", "likely", "possible")
    assert Confidence.named("likely") is Confidence.LIKELY
    assert Confidence.CONFIRMED > Confidence.LIKELY > Confidence.POSSIBLE
    assert Confidence(2).label == "likely"
    assert sql_params() == {"possible": 1, "likely": 2, "confirmed": 3}
    with pytest.raises(ValueError, match="unknown confidence"):
        Confidence.named("certain")
