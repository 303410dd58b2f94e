"""Ingest orchestration: walking, detection, atomicity, evidence identity, parallel parsing."""

from __future__ import annotations

from pathlib import Path

from scoper import api
from scoper.store.db import connect


def _lockfiles(tmp_path: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        path = tmp_path / f"svc{i:02d}" / "requirements.txt"
        path.parent.mkdir()
        path.write_text(f"litellm==1.82.{i % 9}\nrequests==2.{i}.0\n")
        paths.append(path)
    return paths


def test_parallel_parse_loads_everything_in_input_order(tmp_path: Path) -> None:
    paths = _lockfiles(tmp_path, 20)
    (paths[3]).write_text("litellm==1.82.3\n")  # same bytes as nothing else
    dup = tmp_path / "dup" / "requirements.txt"
    dup.parent.mkdir()
    dup.write_bytes(paths[0].read_bytes())
    broken = tmp_path / "broken.lock"
    broken.write_text('version = 1\n[[package]]\nname = "x"\nversion = ')
    db = str(tmp_path / "s.duckdb")
    summary = api.ingest([*paths, dup, paths[0], broken], db=db, fmt=None, workers=2)
    statuses = [r.status for r in summary.results]
    assert statuses[:20] == ["ok"] * 20
    assert statuses[20] == "ok"  # svc00's content at another path: new evidence
    assert statuses[21] == "unchanged"  # svc00 itself, named twice in one batch
    assert statuses[22] in ("error", "unknown")
    con = connect(db)
    assert con.execute("SELECT count(*) FROM ingests").fetchone() == (21,)
    assert con.execute("SELECT count(*) FROM packages").fetchone() == (41,)
    order = [r[0] for r in con.execute("SELECT path FROM ingests ORDER BY ingest_id").fetchall()]
    assert order == [str(p) for p in [*paths, dup]]
    files = con.execute("SELECT DISTINCT source_file FROM packages WHERE ingest_id = 21").fetchall()
    assert files == [(str(dup),)]


def test_folders_are_walked_and_hidden_entries_skipped(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _lockfiles(data, 2)
    hidden = data / ".git"
    hidden.mkdir()
    (hidden / "config").write_text("[core]\n")
    summary = api.ingest([data], db=str(tmp_path / "s.duckdb"))
    assert [r.status for r in summary.results] == ["ok", "ok"]


def test_documentation_in_walked_folders_is_ignored_but_other_unknown_files_fail(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _lockfiles(data, 1)
    (data / "README.md").write_text("# evidence from host a\n")
    summary = api.ingest([data], db=str(tmp_path / "s.duckdb"))
    assert [r.status for r in summary.results] == ["ok", "ignored"] and not summary.failed
    (data / "mystery.bin").write_bytes(b"\x00\x01")
    summary = api.ingest([data], db=str(tmp_path / "s.duckdb"))
    assert [r.status for r in summary.failed] == ["unknown"]
    named = api.ingest([data / "README.md"], db=str(tmp_path / "s.duckdb"))
    assert [r.status for r in named.failed] == ["unknown"]  # named on the command line


def test_a_lockfile_whose_only_skip_is_its_own_project_root_is_not_partial(
    tmp_path: Path,
) -> None:
    root = Path(__file__).resolve().parent.parent
    lock = root / "fixtures" / "incident" / "lockfiles" / "worker" / "uv.lock"
    (result,) = api.ingest([lock], db=str(tmp_path / "s.duckdb")).results
    assert (result.status, result.skipped) == ("ok", 0)
    assert result.skipped_reasons and result.skipped_reasons[0].split(": ", 2)[-1].startswith(
        "note: "
    )
