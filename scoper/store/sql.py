"""SQL text lives in ``.sql`` files beside this module, loaded once by name."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


@cache
def query(name: str) -> str:
    """The text of ``queries/<name>.sql``."""
    return resources.files("scoper.store").joinpath("queries", f"{name}.sql").read_text("utf-8")


def statements(name: str) -> list[str]:
    """The statements of a multi-statement query file (split at lines ending in ';')."""
    return split(query(name))


def split(text: str) -> list[str]:
    """The statements of a multi-statement SQL text (split at lines ending in ';')."""
    parts, current = [], []
    for line in text.splitlines():
        if line.strip().startswith("--"):
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            parts.append("\n".join(current))
            current = []
    tail = "\n".join(current).strip()
    return [p for p in [*parts, tail] if p.strip() and not _only_comments(p)]


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in text.splitlines())


def migrations() -> list[tuple[int, str, str]]:
    """Every ``migrations/NNNN_name.sql`` as (version, name, text), in order."""
    folder = resources.files("scoper.store").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append((int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found)


def run(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, object]) -> None:
    """Execute every statement of ``queries/<name>.sql``, each with the parameters it names."""
    for statement in statements(name):
        used = {key: value for key, value in params.items() if f"${key}" in statement}
        con.execute(statement, used or None)
