"""The differential test: every fixture incident scoped by DuckDB (its store) and by Spark
(local[2], over the incident's canonical Parquet) gives the same JSON, byte for byte.
One Spark session for the whole test session; skipped, saying why, without Java."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engine_incidents import INCIDENTS, Incident, build, render_json, scope_json, settings

from scoper.api_export import export_parquet
from scoper.engines.spark import SparkUnavailableError
from scoper.engines.transpile import bind, parse, to_spark

pytestmark = pytest.mark.spark


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.skip("Java is missing: the Spark engine tests need a JRE (17) on PATH")
    pytest.importorskip("pyspark", reason="pip install '.[spark]' for the Spark engine tests")
    from scoper.engines.spark import session

    spark = session()
    yield spark
    spark.stop()


@pytest.mark.parametrize("incident", INCIDENTS, ids=lambda i: i.name)
def test_spark_gives_duckdbs_json(incident: Incident, spark: Any, tmp_path: Path) -> None:
    from scoper.api_spark import scope_spark

    db = build(incident, tmp_path / "a.duckdb")
    export_parquet(tmp_path / "lake", settings(db))
    want = scope_json(incident, db)
    found = scope_spark(
        incident.advisory,
        tmp_path / "lake",
        settings=settings(db),
        identities=incident.identities,
        spark=spark,
    )
    assert render_json(found) == want


def test_spark_without_a_canonical_folder_is_exit_4(spark: Any, tmp_path: Path) -> None:
    from scoper.api_spark import scope_spark

    with pytest.raises(Exception, match="no canonical Parquet here") as caught:
        scope_spark("litellm-2025", tmp_path, spark=spark)
    assert int(getattr(caught.value, "exit_code", 0)) == 4


def test_an_unreachable_connect_server_is_exit_4() -> None:
    pytest.importorskip("pyspark")
    from scoper.engines.spark import session

    try:
        import grpc  # noqa: F401  (Spark Connect's client needs it)
    except ImportError:
        with pytest.raises(SparkUnavailableError):
            session(remote="sc://127.0.0.1:1")
        return
    with pytest.raises(SparkUnavailableError, match=r"sc://127\.0\.0\.1:1"):
        session(remote="sc://127.0.0.1:1").sql("SELECT 1").collect()


def test_parameters_bind_as_literals_and_utc_casts_keep_offsets() -> None:
    tree = parse("SELECT $confirmed AS c, CAST(x AS TIMESTAMPTZ) AT TIME ZONE 'UTC' FROM t")
    assert to_spark(bind(tree, {"confirmed": 3})).startswith("SELECT 3 AS c")
    text = to_spark(bind(parse("SELECT ? AS a, ? AS b"), ["it's", None]))
    assert text == "SELECT 'it\\'s' AS a, NULL AS b"  # Spark escapes with a backslash
    assert "CAST(CAST(x AS TIMESTAMP_LTZ) AS TIMESTAMP_NTZ)" in to_spark(tree)
