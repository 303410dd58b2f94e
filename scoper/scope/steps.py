"""The scope engine's SQL: ``scope/sql/<name>.sql`` files, run as named steps."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from scoper.engines.base import Connection
from scoper.store.sql import split


@dataclass(frozen=True, slots=True)
class Step:
    """One link of the chain: what it builds, and the ``.sql`` file that builds it."""

    name: str
    sql_file: str


@cache
def sql(name: str) -> str:
    """The text of ``scope/sql/<name>.sql``."""
    return resources.files("scoper.scope").joinpath("sql", f"{name}.sql").read_text("utf-8")


def run(con: Connection, name: str, params: Mapping[str, object]) -> None:
    """Execute every statement of ``<name>.sql``, each with the parameters it names."""
    for statement in split(sql(name)):
        used = {key: value for key, value in params.items() if f"${key}" in statement}
        con.execute(statement, used or None)


def run_steps(
    con: Connection,
    steps: tuple[Step, ...],
    params: Mapping[str, object],
    on_phase: Callable[[str], None] | None = None,
) -> None:
    """Run ``steps`` in order, telling ``on_phase`` each step's name before it runs."""
    for step in steps:
        if on_phase is not None:
            on_phase(step.name)
        run(con, step.sql_file, params)


def rows(
    con: Connection, name: str, params: Mapping[str, object] | None = None
) -> list[dict[str, Any]]:
    """The rows of the query in ``<name>.sql`` as dicts (column name -> value)."""
    text = sql(name)
    used = {key: value for key, value in (params or {}).items() if f"${key}" in text}
    cursor = con.execute(text, used or None)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
