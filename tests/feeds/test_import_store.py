"""`scoper advisories import` / `list` / `show` / `scope` over imported records in the store."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from scoper.api import Store
from scoper.cli import app
from scoper.settings import Settings

DATA = Path(__file__).resolve().parent.parent / "data" / "osv_import"
MAL = DATA / "malicious-packages"
PYSEC = DATA / "advisory-database"
TEST1337 = MAL / "osv/malicious/pypi/1337test/MAL-2024-4720.json"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_then_list_counts_per_source(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    code, _, err = run("advisories", "import", str(MAL), str(PYSEC), "--db", db)
    assert code == 0, err
    assert f"imported 3 advisories from {MAL} (1 withdrawn" in err
    assert f"imported 2 advisories from {PYSEC}" in err
    code, out, err = run("advisories", "list", "--db", db)
    assert code == 0
    assert f"{MAL}: 3 advisories (1 withdrawn)" in err
    assert "bundled: 16 advisories" in err
    lodestone = next(line for line in out.splitlines() if line.startswith("MAL-2023-8651"))
    assert lodestone.split()[-1] == "withdrawn"
    code, out, _ = run("advisories", "show", "GHSA-8q59-q68h-6hv4", "--db", db)
    assert code == 0 and json.loads(out)["id"] == "PYSEC-2021-142"


def test_rows_are_normalised_for_sql_users(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    assert run("advisories", "import", str(PYSEC), "--db", str(db))[0] == 0
    with duckdb.connect(str(db), read_only=True) as con:
        aliases = con.execute(
            "SELECT alias FROM advisory_aliases WHERE advisory_id = 'PYSEC-2021-142' ORDER BY 1"
        ).fetchall()
        versions = con.execute(
            "SELECT count(*) FROM affected WHERE advisory_id = 'PYSEC-2022-199'"
        ).fetchone()
    assert aliases == [("CVE-2020-14343",), ("GHSA-8q59-q68h-6hv4",)]
    assert versions == (11,)


def test_a_bad_record_exits_3_and_the_valid_rest_is_stored(tmp_path: Path) -> None:
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("PYSEC-2022-199.json", json.dumps({"id": "PYSEC-2022-199"}))
        out.write(MAL / "osv/malicious/pypi/1337test/MAL-2024-4720.json", "MAL-2024-4720.json")
    db = str(tmp_path / "s.duckdb")
    code, _, err = run("advisories", "import", str(archive), "--db", db)
    assert code == 3
    assert f"{archive}: PYSEC-2022-199.json: missing 'modified'" in err
    assert "not stored (a copy of the id is bad): PYSEC-2022-199" in err
    assert f"imported 1 advisories from {archive}" in err
    code, out, _ = run("advisories", "list", "--db", db)
    ids = [line.split()[0] for line in out.splitlines()]
    assert "MAL-2024-4720" in ids and "PYSEC-2022-199" not in ids


def test_a_corrupt_archive_stores_nothing(tmp_path: Path) -> None:
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as out:  # stored, then one byte of it flipped: bad CRC
        out.writestr(
            "MAL-2024-4720.json",
            (MAL / "osv/malicious/pypi/1337test/MAL-2024-4720.json").read_text(),
        )
    raw = bytearray(archive.read_bytes())
    raw[60] ^= 0xFF
    archive.write_bytes(bytes(raw))
    db = str(tmp_path / "s.duckdb")
    code, _, err = run("advisories", "import", str(archive), str(PYSEC), "--db", db)
    assert code == 3
    assert f"refused {archive}: nothing from it was stored" in err
    assert f"imported 2 advisories from {PYSEC}" in err


def test_scope_finds_an_imported_id_and_its_alias(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    lock = tmp_path / "requirements.txt"
    lock.write_text("pyyaml==5.3.1\nlodestone==0.0.58\n", encoding="utf-8")
    assert run("advisories", "import", str(PYSEC), str(MAL), "--db", db)[0] == 0
    assert run("ingest", str(lock), "--db", db)[0] == 0
    code, out, _ = run("scope", "--advisory", "CVE-2020-14343", "--db", db, "-f", "json")
    assert code == 1
    found = json.loads(out)
    assert found["advisory"]["id"] == "PYSEC-2021-142"
    assert [(e["package"], e["version"]) for e in found["environments"]] == [("pyyaml", "5.3.1")]
    code, out, _ = run("scope", "--advisory", "MAL-2023-8651", "--db", db, "-f", "json")
    withdrawn = json.loads(out)
    assert withdrawn["advisory"]["withdrawn"] == "2023-12-12T00:33:23Z"
    assert any("was withdrawn" in w for w in withdrawn["warnings"])


def test_the_curated_record_wins_over_an_imported_alias(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    mal = Path(__file__).resolve().parent.parent / "data" / "osv" / "MAL-2026-2144.json"
    assert run("advisories", "import", str(mal), "--db", db)[0] == 0
    code, out, _ = run("advisories", "show", "MAL-2026-2144", "--db", db)
    assert code == 0 and json.loads(out)["id"] == "litellm-2025"


def test_all_judges_an_incident_once_when_imported_beside_its_curated_record(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "s.duckdb")
    mal = Path(__file__).resolve().parent.parent / "data" / "osv" / "MAL-2026-2144.json"
    assert run("advisories", "import", str(mal), str(PYSEC), "--db", db)[0] == 0
    with Store.open(Settings(db=db)) as store:
        ids = [a.id for a in store.select("all")]
    assert ids.count("litellm-2025") == 1 and "MAL-2026-2144" not in ids
    assert ids.count("ctx-2022") == 1 and "PYSEC-2022-199" not in ids  # ctx's own PYSEC id
    assert "PYSEC-2021-142" in ids  # an unrelated import stays


def test_an_unknown_name_counts_the_imported_instead_of_listing_them(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    assert run("advisories", "import", str(MAL), str(PYSEC), "--db", db)[0] == 0
    code, _, err = run("advisories", "show", "MAL-1999-1", "--db", db)
    assert code == 4
    assert "litellm-2025" in err and "and 5 imported" in err and "MAL-2024-4720" not in err
