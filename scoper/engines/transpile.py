"""DuckDB SQL to Spark SQL with sqlglot (pinned in ``scoper[spark]``), parameters bound
as literals first; one statement at a time, parsed once and cached."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlglot
from sqlglot import exp

READ = "duckdb"
WRITE = "spark"


@cache
def parse(statement: str) -> exp.Expr:
    """The DuckDB statement's syntax tree (unsupported syntax raises)."""
    tree = sqlglot.parse_one(statement, read=READ)
    if tree is None:  # pragma: no cover - sqlglot raises on empty input
        raise ValueError("empty statement")
    return tree


def bind(tree: exp.Expr, parameters: object) -> exp.Expr:
    """``tree`` with ``$name`` (a mapping) or ``?`` (a sequence) replaced by literals."""
    if parameters is None:
        return tree
    named = parameters if isinstance(parameters, Mapping) else None
    positional = list(parameters) if isinstance(parameters, Sequence) else []
    taken = iter(positional)

    def swap(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Parameter) and named is not None:
            return literal(named[node.name])
        if isinstance(node, exp.Placeholder) and named is not None and node.name:
            return literal(named[node.name])
        if isinstance(node, exp.Placeholder) and named is None:
            return literal(next(taken))
        return node

    return tree.copy().transform(swap)


def literal(value: Any) -> exp.Expr:
    """A Python value as a SQL literal."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    if isinstance(value, datetime):
        text = value.replace(tzinfo=None).isoformat(sep=" ")
        return exp.cast(exp.Literal.string(text), exp.DataType.build("timestamp"))
    return exp.Literal.string(str(value))


def to_spark(tree: exp.Expr) -> str:
    """The Spark SQL text of a (bound) DuckDB syntax tree."""
    return _utc_wall_clock(tree).sql(dialect=WRITE, unsupported_level=sqlglot.ErrorLevel.RAISE)


def _utc_wall_clock(tree: exp.Expr) -> exp.Expr:
    """``CAST(x AS TIMESTAMPTZ) AT TIME ZONE 'UTC'`` (an instant as UTC wall-clock time, the
    store's TIMESTAMP) as Spark says it: the instant (TIMESTAMP_LTZ, session zone UTC) cast
    to TIMESTAMP_NTZ. sqlglot's own rendering parses into TIMESTAMP_NTZ, dropping offsets."""

    def instant(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.TIMESTAMPTZ:
            node = node.copy()
            node.set("to", exp.DataType.build("TIMESTAMP_LTZ", udt=True))
        return node

    def wall_clock(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.AtTimeZone) and node.args["zone"].name.upper() == "UTC":
            return exp.cast(node.this, exp.DataType.build("timestamp_ntz"))
        return node

    return tree.copy().transform(instant).transform(wall_clock)
