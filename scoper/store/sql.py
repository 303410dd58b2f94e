"""SQL text lives in ``.sql`` files beside the layer that owns it, loaded once by name.

The store's own queries are ``scoper/store/queries/*.sql`` (the default); another
layer passes its folder as ``where``, e.g. ``"scoper.sources.audit/sql"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


STORE = "scoper.store/queries"


@cache
def query(name: str, where: str = STORE) -> str:
    """The text of ``<name>.sql`` in ``where`` (``package/folder``; default: the store)."""
    package, _, folder = where.partition("/")
    return resources.files(package).joinpath(folder, f"{name}.sql").read_text("utf-8")


def statements(name: str, where: str = STORE) -> list[str]:
    """The statements of a multi-statement query file (split at lines ending in ';')."""
    return split(query(name, where))


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


def run(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, object], where: str = STORE
) -> None:
    """Execute every statement of ``<name>.sql`` in ``where``, each with the parameters it names."""
    for statement in statements(name, where):
        used = {key: value for key, value in params.items() if f"${key}" in statement}
        con.execute(statement, used or None)
