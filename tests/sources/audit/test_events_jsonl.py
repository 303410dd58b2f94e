"""scoper's own JSONL event format, loaded by DuckDB."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoper.ingest import FileResult, Ingester
from scoper.sources.audit.events_jsonl import SOURCE
from scoper.store.db import connect

SECRET = "sk-proj-THISISAPLANTEDSECRET000111"


def _ingest(
    tmp_path: Path, lines: list[str], name: str = "e.jsonl"
) -> tuple[duckdb.DuckDBPyConnection, FileResult]:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines))
    con = connect(":memory:")
    return con, Ingester(con).ingest(path)


def _line(**fields: Any) -> str:
    return json.dumps({"ts": "2026-03-24T10:00:00Z", "session": "s", **fields})


def test_rows_keep_their_line_numbers_and_blank_lines_count(tmp_path: Path) -> None:
    con, result = _ingest(
        tmp_path,
        [
            _line(event="session_start", host="h", kind="agent"),
            "",
            _line(event="install", package="Lite_LLM", version="1.0", ecosystem="pypi"),
            _line(event="exec", program="python", command="python x.py"),
        ],
    )
    assert result.status == "ok" and result.records == 3
    rows = con.execute(
        "SELECT kind, ecosystem, package, source_line FROM events ORDER BY 4"
    ).fetchall()
    assert rows == [("install", "PyPI", "lite-llm", 3), ("exec", None, None, 4)]
    assert con.execute("SELECT session_id, host, source_line FROM sessions").fetchall() == [
        ("s", "h", 1)
    ]


def test_bad_lines_are_skipped_with_reasons_and_the_rest_is_kept(tmp_path: Path) -> None:
    _, result = _ingest(
        tmp_path,
        [
            _line(event="exec", program="python"),
            "not json",
            _line(event="teleport"),
            json.dumps({"event": "exec", "ts": "yesterday"}),
            _line(event="install"),
        ],
    )
    assert result.status == "partial" and result.skipped == 4 and result.records == 1
    reasons = [r.split(": ", 2)[-1] for r in result.skipped_reasons]
    assert reasons == [
        "not a JSON object",
        "unknown event type teleport",
        'unparseable "ts" yesterday',
        'missing "package"',
    ]


def test_truncated_last_line_is_an_error_and_nothing_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    path.write_text(_line(event="exec", program="python") + "\n" + '{"ts": "2026-03')
    con = connect(":memory:")
    result = Ingester(con).ingest(path)
    assert result.status == "error" and "line 2" in (result.error or "")
    assert con.execute("SELECT count(*) FROM events").fetchone() == (0,)


def test_gzip_is_read_transparently(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl.gz"
    path.write_bytes(gzip.compress((_line(event="exec", program="python") + "\n").encode()))
    con = connect(":memory:")
    assert Ingester(con).ingest(path).records == 1


def test_secret_values_become_fingerprints_and_kinds_are_classified(tmp_path: Path) -> None:
    con, _ = _ingest(
        tmp_path,
        [
            _line(event="credential", name="OPENAI_API_KEY", value=SECRET),
            _line(event="credential", name="OPENAI_API_KEY", value=SECRET, session="t"),
            _line(event="exec", program="python", command=f"OPENAI_API_KEY={SECRET} python x.py"),
        ],
    )
    rows = con.execute("SELECT kind, harvest_class, fingerprint FROM credentials").fetchall()
    assert {r[:2] for r in rows} == {("openai-api-key", "env")}
    assert len({r[2] for r in rows}) == 1 and rows[0][2].startswith("fp:")
    dump = str(con.execute("SELECT * FROM events").fetchall()) + str(rows)
    assert SECRET not in dump


def test_sniff_takes_only_scoper_events() -> None:
    assert SOURCE.sniff(Path("x.jsonl"), _line(event="exec").encode())
    assert not SOURCE.sniff(Path("x.jsonl"), b'{"type": "user", "sessionId": "a"}\n')
    assert not SOURCE.sniff(Path("x.jsonl"), b"\x00\x01")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.builds(
                _line,
                event=st.sampled_from(["exec", "install", "credential", "bogus"]),
                package=st.text(max_size=8),
                version=st.text(max_size=8),
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_fuzz_never_crashes(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    con = connect(":memory:")
    result = Ingester(con).ingest(path, SOURCE)
    assert result.status in ("ok", "partial", "empty", "error")
    if result.status == "error":
        assert con.execute("SELECT count(*) FROM ingests").fetchone() == (0,)


@pytest.mark.parametrize(
    "event",
    [
        "session_start",
        "install",
        "exec",
        "import",
        "credential",
        "credential_use",
        "network",
        "file",
        "uninstall",
        "session_end",
    ],
)
def test_every_event_type_loads(tmp_path: Path, event: str) -> None:
    fields = {"package": "x", "module": "x", "name": "X_TOKEN", "key_id": "AKIA1"}
    _, result = _ingest(tmp_path, [_line(event=event, **fields)])
    assert result.status == "ok", result.skipped_reasons


def test_staging_never_holds_a_secret_value(tmp_path: Path) -> None:
    from scoper.sources.audit.events_chunks import chunks
    from scoper.sources.audit.events_values import stage

    path = tmp_path / "e.jsonl"
    path.write_text(_line(event="credential", name="OPENAI_API_KEY", value=SECRET) + "\nnot json\n")
    con = connect(":memory:")
    stage(con, next(chunks(path, "none", 1 << 20)), b"k")
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "scoper_jsonl_lines" not in tables  # the raw lines are dropped once parsed
    rows = con.execute("SELECT * FROM scoper_jsonl").fetchall()
    names = [d[0] for d in con.description or []]
    assert "value" not in names and "j" not in names
    assert SECRET not in repr(rows) and len(rows) == 2
