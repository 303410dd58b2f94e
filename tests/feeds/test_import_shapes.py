"""Advisory import shapes: a file, a folder tree, a flat all.zip, the ossf tree, PYSEC YAML;
withdrawn records; bounds; bad records named by file and place."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scoper.errors import AdvisoryError
from scoper.feeds import import_registry, osv
from scoper.feeds.imports import read_imports
from scoper.feeds.model import IntegrityHash
from scoper.limits import DEFAULT_LIMITS

DATA = Path(__file__).resolve().parent.parent / "data" / "osv_import"
MAL = DATA / "malicious-packages"
PYSEC = DATA / "advisory-database"
ZEROREQ = MAL / "osv/malicious/pypi/0requests/MAL-2026-15859.json"
LODESTONE = MAL / "osv/withdrawn/pypi/lodestone/MAL-2023-8651.json"
TEST1337 = MAL / "osv/malicious/pypi/1337test/MAL-2024-4720.json"
CTX_YAML = PYSEC / "vulns/ctx/PYSEC-2022-199.yaml"


def all_zip(tmp_path: Path, *extra: tuple[str, str]) -> Path:
    """An osv.dev-style flat all.zip of <id>.json, built from the real samples."""
    target = tmp_path / "all.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in (ZEROREQ, LODESTONE, MAL / "osv/malicious/pypi/1337test/MAL-2024-4720.json"):
            archive.writestr(path.name, path.read_text(encoding="utf-8"))
        for name, text in extra:
            archive.writestr(name, text)
    return target


def test_the_registry_picks_a_shape_per_input(tmp_path: Path) -> None:
    names = {
        import_registry.importer_for(p).name for p in (MAL, all_zip(tmp_path), CTX_YAML, ZEROREQ)
    }
    assert names == {"tree", "zip", "yaml", "json"}
    with pytest.raises(AdvisoryError, match="no such file"):
        import_registry.importer_for(tmp_path / "missing")


def test_the_malicious_packages_tree_marks_withdrawn_records() -> None:
    found = {a.id: a for a in osv.load(MAL)}
    assert sorted(found) == ["MAL-2023-8651", "MAL-2024-4720", "MAL-2026-15859"]
    assert found["MAL-2023-8651"].withdrawn == datetime(2023, 12, 12, 0, 33, 23, tzinfo=UTC)
    assert found["MAL-2026-15859"].withdrawn is None


def test_a_withdrawn_tree_record_without_the_field_gets_its_modified(tmp_path: Path) -> None:
    record = json.loads(LODESTONE.read_text(encoding="utf-8"))
    del record["withdrawn"]
    target = tmp_path / "osv" / "withdrawn" / "pypi" / "lodestone" / LODESTONE.name
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(record), encoding="utf-8")
    (adv,) = osv.load(tmp_path)
    assert adv.withdrawn == adv.modified


def test_package_integrity_is_read_with_every_algorithm() -> None:
    (adv,) = osv.load(ZEROREQ)
    (affected,) = adv.affected
    wheel = "0requests-0.0.1-py3-none-any.whl"
    sha = "c8784cf0aa8fa13a43614fbd6d51902feeecafdc06fc4db2695fd2572db66db8"
    assert IntegrityHash("sha256", sha, wheel) in affected.integrity
    assert {h.algorithm for h in affected.integrity} == {"sha256", "md5", "blake2b_256"}
    assert len(affected.integrity) == 6


def test_npm_sri_integrity_becomes_sha512_hex() -> None:
    (adv,) = osv.load(
        Path(__file__).resolve().parent.parent / "data/osv/MAL-2026-4377-withdrawn.json"
    )
    algorithms = {h.algorithm: h.digest for h in adv.affected[0].integrity}
    assert algorithms["sha1"] == "8335acc541bae5d1dc6efc400e9a72eb6bfa44ed"
    assert len(algorithms["sha512"]) == 128 and algorithms["sha512"].startswith("8de3ee52")


def test_pysec_yaml_keeps_times_as_text_and_aliases() -> None:
    found = {a.id: a for a in osv.load(PYSEC)}
    assert sorted(found) == ["PYSEC-2021-142", "PYSEC-2022-199"]
    pyyaml = found["PYSEC-2021-142"]
    assert pyyaml.aliases == ("CVE-2020-14343", "GHSA-8q59-q68h-6hv4")
    assert pyyaml.published == datetime(2021, 2, 9, 21, 15, tzinfo=UTC)
    assert "3.13b1" in pyyaml.affected[0].versions


def test_unquoted_yaml_time_is_read_as_rfc3339(tmp_path: Path) -> None:
    text = CTX_YAML.read_text(encoding="utf-8").replace(
        "modified: '2022-05-24T17:55:00.000000Z'", "modified: 2022-05-24T17:55:00Z"
    )
    (tmp_path / "PYSEC-2022-199.yaml").write_text(text, encoding="utf-8")
    (adv,) = osv.load(tmp_path / "PYSEC-2022-199.yaml")
    assert adv.modified == datetime(2022, 5, 24, 17, 55, tzinfo=UTC)


def test_all_zip_reads_each_member(tmp_path: Path) -> None:
    loaded = osv.load(all_zip(tmp_path))
    assert [a.id for a in loaded] == ["MAL-2023-8651", "MAL-2024-4720", "MAL-2026-15859"]
    assert loaded[2].origin.endswith("all.zip!MAL-2026-15859.json")


def test_a_bad_member_names_the_zip_member_and_place(tmp_path: Path) -> None:
    record = {
        "id": "PYSEC-2024-1",
        "modified": "2024-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "x"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}]},
                    {"type": "ECOSYSTEM", "events": [{"fixed": "1.0"}]},
                ],
            }
        ],
    }
    archive = all_zip(tmp_path, ("PYSEC-2024-1.json", json.dumps(record)))
    with pytest.raises(AdvisoryError) as caught:
        osv.load(archive)
    assert str(caught.value) == (
        f"{archive}: PYSEC-2024-1.json: affected[0].ranges[1]: range has no 'introduced' event"
    )
    report = read_imports([archive])
    assert [r.advisory.id for r in report.records()] == [
        "MAL-2023-8651",
        "MAL-2024-4720",
        "MAL-2026-15859",
    ]
    assert report.tainted == {"PYSEC-2024-1"} and len(report.problems) == 1


def test_an_id_with_a_bad_copy_is_not_stored_at_all(tmp_path: Path) -> None:
    bad = json.loads(ZEROREQ.read_text(encoding="utf-8"))
    bad["modified"] = "yesterday"
    (tmp_path / "newer.json").write_text(json.dumps(bad), encoding="utf-8")
    report = read_imports([ZEROREQ, tmp_path / "newer.json"])
    assert report.records() == []
    assert report.problems == [
        f"{tmp_path / 'newer.json'}: modified: not an RFC 3339 time with a zone: 'yesterday'"
    ]


def test_a_zip_bomb_refuses_the_whole_archive(tmp_path: Path) -> None:
    target = tmp_path / "bomb.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "MAL-2024-4720.json",
            (MAL / "osv/malicious/pypi/1337test/MAL-2024-4720.json").read_text(),
        )
        archive.writestr("MAL-9999-1.json", '{"id": "MAL-9999-1", "x": "' + "a" * 4_000_000 + '"}')
    limits = replace(DEFAULT_LIMITS, ratio_floor=1 << 20)
    with pytest.raises(
        AdvisoryError, match=r"MAL-9999-1\.json: expands \d+ times: refused as a zip bomb"
    ):
        osv.scan(target, limits)
    report = read_imports([target], limits)
    assert report.records() == [] and report.refused == [str(target)]


def test_member_count_and_size_limits(tmp_path: Path) -> None:
    archive = all_zip(tmp_path)
    with pytest.raises(AdvisoryError, match="more than 2 records"):
        osv.scan(archive, replace(DEFAULT_LIMITS, max_members=2))
    with pytest.raises(AdvisoryError, match="larger than the limit"):
        osv.scan(ZEROREQ, replace(DEFAULT_LIMITS, max_bytes=1000))


def test_ossf_tree_filtering_keeps_neighbours_and_a_package_named_osv() -> None:
    from pathlib import PurePosixPath as P

    from scoper.feeds.import_base import ossf_only

    paths = [
        P("mp/osv/malicious/pypi/osv/MAL-1.json"),
        P("mp/osv/malicious/pypi/foo/MAL-2.json"),
        P("mp/.github/config.json"),
        P("pysec/vulns/ctx/PYSEC-2022-199.yaml"),
    ]
    assert ossf_only(paths) == [paths[0], paths[1], paths[3]]


def test_a_gzipped_record_is_read_and_a_gzip_bomb_refused(tmp_path: Path) -> None:
    import gzip

    packed = tmp_path / "MAL-2026-15859.json.gz"
    packed.write_bytes(gzip.compress(ZEROREQ.read_bytes()))
    assert [a.id for a in osv.load(packed)] == ["MAL-2026-15859"]
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b'{"id": "' + b"a" * 8_000_000 + b'"}'))
    limits = replace(DEFAULT_LIMITS, ratio_floor=1 << 20)
    with pytest.raises(AdvisoryError, match="refused as a bomb"):
        osv.scan(bomb, limits)
