"""``scope --engine spark``: the exposure chain on Spark over canonical Parquet
(docs/spark.md); :mod:`scoper.cli` calls it, tests compare it with DuckDB's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from scoper.api_advisories import chosen as _settings
from scoper.api_advisories import find_advisory
from scoper.engines.parquet import is_canonical
from scoper.errors import AdvisoryUnavailableError
from scoper.feeds.model import Advisory
from scoper.scope import coverage
from scoper.scope.chain import scope as run_chain
from scoper.scope.result import ScopeResult
from scoper.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def scope_spark(
    advisory: str | Advisory,
    parquet: str | Path,
    *,
    settings: Settings | None = None,
    identities: Path | None = None,
    remote: str | None = None,
    spark: SparkSession | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> ScopeResult:
    """Scope one advisory over the canonical Parquet at ``parquet`` on Spark: ``spark``
    (an open session), else Spark Connect at ``remote``, else a local session."""
    from scoper.engines.spark import SparkConnection, session

    chosen = _settings(settings)
    adv = find_advisory(advisory, settings=chosen) if isinstance(advisory, str) else advisory
    if "://" not in str(parquet) and not is_canonical(Path(parquet)):
        raise AdvisoryUnavailableError(
            f"{parquet}: no canonical Parquet here (write it with `scoper export --parquet`)"
        )
    con = SparkConnection(spark if spark is not None else session(remote))
    con.attach(parquet)
    counts = coverage.held(con, str(parquet), None)
    return run_chain(con, adv, counts, identities, on_phase)
