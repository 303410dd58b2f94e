"""The chain on Apache Spark: canonical Parquet as temp views, the DuckDB scope SQL
transpiled per statement (``engines/transpile.py``), TEMP tables materialised with a
local checkpoint, Python-made tables shipped as DataFrames. PySpark is imported lazily
(``scoper[spark]``); without it, :class:`SparkUnavailableError` (exit 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scoper.engines.parquet import Table, read_manifest
from scoper.errors import ExitCode, ScoperError
from scoper.store.load import Row

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from sqlglot import exp

# small, fast local sessions (tests, one box): no UI, few shuffle partitions, UTC
LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.driver.extraJavaOptions": "-Duser.timezone=UTC",
    "spark.executor.extraJavaOptions": "-Duser.timezone=UTC",
}
# the store's times are UTC wall-clock TIMESTAMPs: so are Spark's (no local zone anywhere)
SQL_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
}


class SparkUnavailableError(ScoperError):
    """PySpark (or Java, or the Connect server) is not there: the engine cannot run."""

    exit_code = ExitCode.ADVISORY_DATA


def session(remote: str | None = None, master: str = "local[2]") -> SparkSession:
    """A Spark session: Spark Connect at ``remote`` (sc://...), else a local one."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailableError(
            f"the Spark engine needs PySpark: pip install 'scoper[spark]' ({exc})"
        ) from None
    try:
        builder = SparkSession.builder
        if remote is not None:
            spark = builder.remote(remote).getOrCreate()
        else:
            for key, value in LOCAL_CONF.items():
                builder = builder.config(key, value)
            spark = builder.master(master).appName("scoper").getOrCreate()
        for key, value in SQL_CONF.items():
            spark.conf.set(key, value)
    except Exception as exc:  # Java missing, Connect unreachable: say so, exit 4
        raise SparkUnavailableError(f"cannot start Spark ({remote or master}): {exc}") from None
    return spark


class SparkCursor:
    """Collected rows of one statement, shaped like a DuckDB result."""

    def __init__(self, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows
        self._at = 0
        self.description = [(n, None, None, None, None, None, None) for n in names]

    def fetchall(self) -> list[tuple[Any, ...]]:
        rest, self._at = self._rows[self._at :], len(self._rows)
        return rest

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]


EMPTY = SparkCursor((), [])


class SparkConnection:
    """A :class:`~scoper.engines.base.Connection` over a Spark session."""

    def __init__(self, spark: SparkSession) -> None:
        self.spark = spark

    def attach(self, root: str | Path) -> list[Table]:
        """The canonical tables under ``root`` (a path or URL Spark reads) as temp views."""
        _, tables = read_manifest(Path(root))
        for table in tables:
            frame = self.spark.read.parquet(f"{root}/{table.name}")
            frame.select(*[n for n, _ in table.columns]).createOrReplaceTempView(table.name)
        return tables

    def execute(self, query: str, parameters: object = None) -> SparkCursor:
        from sqlglot import exp

        from scoper.engines.transpile import bind, parse

        tree = bind(parse(query), parameters)
        if isinstance(tree, exp.Create):
            self._create(tree)
            return EMPTY
        if isinstance(tree, exp.Delete):  # DELETE FROM t (no WHERE): empty it
            name = tree.this.name
            self._register(name, self._empty(self.spark.table(name)))
            return EMPTY
        if isinstance(tree, exp.Drop):
            self.spark.catalog.dropTempView(tree.this.name)
            return EMPTY
        if isinstance(tree, exp.Insert):
            self._insert(tree)
            return EMPTY
        return self._collect(self._sql(tree))

    def stage_rows(self, table: str, rows: Sequence[Row]) -> None:
        if not rows:
            return
        existing = self.spark.table(table)
        names = existing.schema.fieldNames()
        values = [tuple(_value(row.get(n)) for n in names) for row in rows]
        added = self.spark.createDataFrame(values, schema=existing.schema)
        self._register(table, existing.unionByName(added))

    def _create(self, tree: exp.Create) -> None:
        from sqlglot import exp

        from scoper.engines.transpile import to_spark

        target = tree.this
        if isinstance(target, exp.Schema):  # CREATE TEMP TABLE t (columns): empty
            ddl = ", ".join(_column(c, to_spark) for c in target.expressions)
            self._register(target.this.name, self.spark.createDataFrame([], schema=ddl))
            return
        frame = self._sql(tree.expression)
        if str(tree.args.get("kind", "")).upper() == "VIEW":
            frame.createOrReplaceTempView(target.name)
        else:
            self._register(target.name, frame)

    def _insert(self, tree: exp.Insert) -> None:
        """``INSERT INTO t SELECT ...`` (by position, no column list): t's rows plus the
        query's, cast to t's columns, computed before t is replaced (it may read t)."""
        from pyspark.sql.functions import col
        from sqlglot import exp

        if not isinstance(tree.this, exp.Table):
            raise ValueError("INSERT with a column list is outside the portable subset")
        existing = self.spark.table(tree.this.name)
        fields = existing.schema.fields
        added = self._sql(tree.expression).toDF(*[f.name for f in fields])
        cast = added.select(*[col(f.name).cast(f.dataType) for f in fields])
        self._register(tree.this.name, existing.unionByName(cast))

    def _sql(self, tree: exp.Expr) -> DataFrame:
        from scoper.engines.transpile import to_spark

        return self.spark.sql(to_spark(tree))

    def _register(self, name: str, frame: DataFrame) -> None:
        """A TEMP table: computed once (row numbers stay put), then a temp view."""
        frame.localCheckpoint(eager=True).createOrReplaceTempView(name)

    def _empty(self, frame: DataFrame) -> DataFrame:
        return self.spark.createDataFrame([], schema=frame.schema)

    @staticmethod
    def _collect(frame: DataFrame) -> SparkCursor:
        names = frame.columns
        return SparkCursor(names, [tuple(r) for r in frame.collect()])


def _column(column: exp.Expr, render: Any) -> str:
    kind = column.args["kind"]
    text = str(render(kind))
    return f"`{column.name}` {'TIMESTAMP_NTZ' if text.upper() == 'TIMESTAMP' else text}"


def _value(value: Any) -> Any:
    """UTC-aware times as the store keeps them (naive UTC)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value
