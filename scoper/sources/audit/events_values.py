"""The distinct values of a staged scoper-events file, normalised as every other source does.

DuckDB stages the rows (``sql/jsonl_stage.sql``); this module reads each column's
*distinct* values once, maps them with the same Python functions the parsed sources
call (:func:`redact_command`, :func:`scoper.names.canonical`, the credential classes,
:func:`scoper.sources.base.fingerprint`) and writes small temporary map tables that
``sql/jsonl_load.sql`` joins back onto the rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from scoper.names import canonical, canonical_ecosystem
from scoper.sources.audit.commands.credentials import (
    classify_env,
    classify_path,
    classify_value,
    key_id_of,
)
from scoper.sources.audit.commands.redaction import redact_command, redact_text, redact_value
from scoper.sources.base import fingerprint
from scoper.store.sql import query, run

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

SQL = "scoper.sources.audit/sql"

# A text redact_command could change matches this: every rule needs an `@`, `=` or `:`,
# a keyword (option names, auth headers, mysql), or a run of 11+ token characters (every
# token shape) or 32+ (long random strings). Non-ASCII text always goes to Python, so
# case folding never differs between RE2 (DuckDB) and `re`. Tested against redact_command.
SUSPECT = (
    r"[@=:]|[^\x00-\x7f]|[A-Za-z0-9_-]{11}|[A-Za-z0-9+/_-]{32}"
    r"|(?i:pass|token|secret|api[-_]?key|auth|bearer|credential|mysql|mariadb)"
)
_SUSPECT = re.compile(SUSPECT)
_TEXT = ("raw", "shown")
_PACKAGE = ("ecosystem_in", "package_in", "ecosystem", "package")
_CREDENTIAL = (
    *("name", "path", "kind_in", "class_in", "value_fp", "key_id_in"),  # as written
    *("kind", "harvest_class", "key_id"),
)
_MAPS = ("texts", "details", "packages", "credentials", "secret_aliases")
# An AWS access key id is public (CloudTrail writes it) although redaction masks its shape.
_KEY_ID = re.compile(r"(?:AKIA|ASIA)[A-Z0-9]{16}")
Row = tuple[Any, ...]


def stage(con: duckdb.DuckDBPyConnection, lines: pa.Table, key: bytes) -> dict[str, str]:
    """Stage one chunk of ``(line, j)`` rows (events_chunks.py) as ``scoper_jsonl``, secret
    values already swapped for fingerprints.

    Returns the chunk's distinct values by fingerprint, for :func:`map_values` to classify;
    the caller drops them with the load.
    """
    con.register("scoper_jsonl_lines", lines)
    try:
        run(con, "jsonl_stage", {}, SQL)
    finally:
        con.unregister("scoper_jsonl_lines")
    values = {fingerprint(key, value): value for value in _column(con, "jsonl_values")}
    _write(con, "secrets", ("fingerprint", "value"), list(values.items()))
    run(con, "jsonl_fingerprint", {}, SQL)
    return values


def list_secret_aliases(con: duckdb.DuckDBPyConnection) -> None:
    """Write ``scoper_jsonl_secret_aliases``: identity lines' alias values that look like secrets.

    An alias is a public id, a name or a fingerprint; a value that redaction would mask (a
    token shape, a JWT, a random-looking string) is a secret sent in the wrong member, and
    ``sql/jsonl_problems.sql`` refuses its line rather than store it.
    """
    found = [(value,) for value in _column(con, "jsonl_aliases") if secret_shaped(value)]
    _write(con, "secret_aliases", ("value",), found)


def secret_shaped(value: str) -> bool:
    """Whether redaction would mask ``value`` (an AWS access key id is public: not secret)."""
    return _KEY_ID.fullmatch(value) is None and redact_text(value) != value


def map_values(
    con: duckdb.DuckDBPyConnection, values: dict[str, str], memo: dict[str, str] | None = None
) -> None:
    """Write the map tables for the rows staged in ``scoper_jsonl``; ``memo`` keeps redacted
    texts from one chunk to the next (a fleet's command lines repeat)."""
    seen = {} if memo is None else memo
    _write(con, "texts", _TEXT, _changed(_column(con, "jsonl_texts"), redact_command, seen))
    details = _changed(_column(con, "jsonl_details"), redact_json, {})
    _write(con, "details", _TEXT, details)
    packages = _fetch(con, "jsonl_packages")
    _write(con, "packages", _PACKAGE, [(*row, *canonical_package(*row)) for row in packages])
    credentials = [_credential(row, values) for row in _fetch(con, "jsonl_credentials")]
    _write(con, "credentials", _CREDENTIAL, credentials)


def drop_maps(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the map tables (they hold raw values)."""
    for name in _MAPS:
        con.execute(f"DROP TABLE IF EXISTS scoper_jsonl_{name}")


def redact_json(text: str) -> str:
    """A ``detail`` JSON document redacted as the parsed sources redact theirs."""
    value = json.loads(text)
    shown = redact_value(value)
    return text if shown == value else json.dumps(shown, separators=(",", ":"), ensure_ascii=False)


def canonical_package(ecosystem: str | None, package: str) -> tuple[str, str]:
    """(ecosystem, name) as the store compares them."""
    written = canonical_ecosystem(ecosystem)
    return written, canonical(written, package)


def credential_facts(
    name: str,
    path: str | None,
    kind: str | None,
    harvest: str | None,
    value: str | None,
    key_id: str | None,
) -> tuple[str, str, str | None]:
    """(kind, harvest class, key id) of a credential line.

    Stated members win; else the file path's class, the variable name's, the value's
    shape, else ``generic-secret``, as the parsed sources classify them.
    """
    found = (classify_path(path) if path else None) or classify_env(name)
    if found is None and value and (shape := classify_value(value)):
        found = (shape, "env")
    default = ("generic-secret", "file" if path else "env")
    found_kind, found_harvest = found or default
    kind, harvest = kind or found_kind, harvest or found_harvest
    return kind, harvest, key_id or (key_id_of(kind, value) if value else None)


def _credential(row: Row, values: dict[str, str]) -> Row:
    """A credential map row: the members as written, then the facts."""
    name, path, kind, harvest, fp, key_id = row
    return (*row, *credential_facts(name, path, kind, harvest, values.get(fp or ""), key_id))


def _changed(
    values: Sequence[str], mapping: Callable[[str], str], memo: dict[str, str]
) -> list[Row]:
    """(value, mapped) for the values the mapping changes; ``memo`` holds values mapped before."""
    found = []
    for value in values:
        shown = memo.get(value)
        if shown is None:
            shown = memo[value] = mapping(value)
        if shown != value:
            found.append((value, shown))
    return found


def _fetch(con: duckdb.DuckDBPyConnection, name: str) -> list[Row]:
    text = query(name, SQL)
    params = {"suspect": SUSPECT} if "$suspect" in text else None
    return con.execute(text, params).fetchall()


def _column(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    return [row[0] for row in _fetch(con, name)]


def _write(
    con: duckdb.DuckDBPyConnection, name: str, columns: Sequence[str], rows: Sequence[Row]
) -> None:
    """``rows`` as the temporary table ``scoper_jsonl_<name>`` (all VARCHAR)."""
    import pyarrow as pa

    data = {
        column: pa.array([row[i] for row in rows], pa.string()) for i, column in enumerate(columns)
    }
    con.register("scoper_jsonl_arrow", pa.table(data))
    con.execute(f"CREATE OR REPLACE TEMP TABLE scoper_jsonl_{name} AS FROM scoper_jsonl_arrow")
    con.unregister("scoper_jsonl_arrow")
