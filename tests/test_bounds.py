"""Bounded reading: gzip bombs, over-long lines, invalid UTF-8, UTF-16 sniffing, corrupt gzip.

Every bomb and long line is generated here, small, with limits scaled down to match.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from scoper.errors import InputError
from scoper.ingest import Ingester, detect
from scoper.limits import MIB, Limits, using
from scoper.sources.reading import read_bytes, read_head, read_json_items
from scoper.sources.registry import get_source
from scoper.sources.streams import read_lines
from scoper.store.db import connect

DATA = Path(__file__).parent / "data"
SMALL = Limits(max_bytes=4 * MIB, max_ratio=200, ratio_floor=1 * MIB, max_line=64 * 1024)


def _gzip_stream(path: Path, block: bytes, count: int) -> Path:
    """A gzip of ``count`` copies of ``block``, written without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    with path.open("wb") as out:
        for _ in range(count):
            out.write(packer.compress(block))
        out.write(packer.flush())
    return path


def test_a_gzip_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    bomb = _gzip_stream(tmp_path / "audit.log.gz", b"\n" * MIB, 3)
    with (
        using(SMALL),
        pytest.raises(InputError, match=r"gzip expands past .* \(limit: ratio 200\)"),
    ):
        read_bytes(bomb)


def test_a_gzip_expanding_past_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = _gzip_stream(tmp_path / "a.log.gz", b"\n" * MIB, 5)
    limits = Limits(max_bytes=4 * MIB, max_ratio=10**9)
    with using(limits), pytest.raises(InputError) as caught:
        read_lines(big, "a.log.gz")
    assert caught.value.render() == "a.log.gz: gzip expands past 4 MiB (limit 4 MiB)"


def test_a_plain_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "audit.log"
    plain.write_bytes(b"\n" * (5 * MIB))
    with using(SMALL), pytest.raises(InputError, match="larger than 4 MiB"):
        read_bytes(plain)


def test_the_ingester_reports_a_bomb_as_an_error_and_stores_nothing(tmp_path: Path) -> None:
    bomb = _gzip_stream(tmp_path / "pip-freeze.txt.gz", b"\n" * MIB, 3)
    con = connect(":memory:")
    result = Ingester(con, limits=SMALL).ingest(bomb, get_source("pip-freeze"))
    assert result.status == "error"
    assert result.error and "gzip expands past" in result.error
    assert con.execute("SELECT count(*) FROM ingests").fetchone() == (0,)


@pytest.mark.parametrize("packed", [False, True])
def test_an_over_long_line_is_skipped_by_number_and_the_rest_kept(
    tmp_path: Path, packed: bool
) -> None:
    lines = (DATA / "auditd" / "audit.log").read_bytes().split(b"\n")
    lines.insert(2, b"node=x type=SYSCALL msg=" + b"a" * (100 * 1024))
    body = b"\n".join(lines)
    path = tmp_path / ("audit.log.gz" if packed else "audit.log")
    path.write_bytes(gzip.compress(body) if packed else body)
    with using(SMALL):
        records = get_source("auditd").parse(path, _ctx(path))
    reasons = [(s.origin.line, s.reason) for s in records.skipped]
    assert (3, "line longer than 0.0625 MiB, skipped") in reasons
    assert records.events


def test_the_default_line_limit_is_16_mib(tmp_path: Path) -> None:
    path = tmp_path / "pip-freeze.txt"
    path.write_bytes(b"aiohttp==3.11.18\n" + b"x" * (16 * MIB + 1) + b"\ncertifi==2024.8.30\n")
    records = get_source("pip-freeze").parse(path, _ctx(path))
    assert [p.name for p in records.packages] == ["aiohttp", "certifi"]
    assert [(s.origin.line, s.reason) for s in records.skipped] == [
        (2, "line longer than 16 MiB, skipped")
    ]


def test_invalid_utf8_lines_are_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "pip-freeze.txt"
    path.write_bytes(b"aiohttp==3.11.18\nbad\xff\xfe==1\ncertifi==2024.8.30\n")
    records = get_source("pip-freeze").parse(path, _ctx(path))
    assert [p.name for p in records.packages] == ["aiohttp", "certifi"]
    assert [(s.origin.line, s.reason) for s in records.skipped] == [(2, "not valid UTF-8, skipped")]


def test_json_lines_skip_long_and_invalid_lines_by_number(tmp_path: Path) -> None:
    path = tmp_path / "events.log"
    long = b'{"x": "' + b"a" * (70 * 1024) + b'"}'
    path.write_bytes(b'{"a": 1}\n' + long + b'\n{"b": "\xff"}\n{"c": 3}\n')
    with using(SMALL):
        items = read_json_items(path, "events.log")
    assert [line for line, _ in items.items] == [1, 4]
    assert items.bad == [
        (2, "line longer than 0.0625 MiB, skipped"),
        (3, "not valid UTF-8, skipped"),
    ]


def test_a_whole_json_document_with_bad_utf8_still_fails_with_the_place(tmp_path: Path) -> None:
    path = tmp_path / "bom.cdx.json"
    path.write_bytes(b'{\n "bomFormat": "CycloneDX",\n "x": "\xff"\n}\n')
    with pytest.raises(InputError, match="line 3"):
        get_source("cyclonedx-json").parse(path, _ctx(path))


@pytest.mark.parametrize("bom", ["utf-16", "utf-8-sig"])
def test_utf16_and_utf8_bom_inputs_are_sniffed_and_read(tmp_path: Path, bom: str) -> None:
    text = (DATA / "cyclonedx" / "nested.cdx.json").read_text("utf-8")
    path = tmp_path / "nested.cdx.json"
    path.write_bytes(text.encode(bom))
    assert read_head(path).startswith(b"{")
    source = detect(path)
    assert source.name == "cyclonedx-json"
    assert source.parse(path, _ctx(path)).packages


def test_utf16_line_logs_are_sniffed_and_read(tmp_path: Path) -> None:
    path = tmp_path / "pip-freeze.txt"
    path.write_bytes("aiohttp==3.11.18\ncertifi==2024.8.30\n".encode("utf-16"))
    source = detect(path)
    assert source.name == "pip-freeze"
    assert len(source.parse(path, _ctx(path)).packages) == 2


def test_a_truncated_gzip_says_corrupt_gzip(tmp_path: Path) -> None:
    path = tmp_path / "audit.log.gz"
    path.write_bytes(gzip.compress((DATA / "auditd" / "audit.log").read_bytes())[:30])
    with pytest.raises(InputError, match="corrupt gzip"):
        detect(path)
    result = Ingester(connect(":memory:")).ingest(path)
    assert result.status == "error" and "corrupt gzip" in (result.error or "")


def test_a_gzip_truncated_after_the_head_says_corrupt_gzip(tmp_path: Path) -> None:
    body = (DATA / "auditd" / "audit.log").read_bytes() * 20
    path = tmp_path / "audit.log.gz"
    path.write_bytes(gzip.compress(body)[:-200])
    result = Ingester(connect(":memory:")).ingest(path)
    assert result.status == "error" and "corrupt gzip" in (result.error or ""), result


def _ctx(path: Path):  # type: ignore[no-untyped-def]
    from scoper.sources.base import ParseContext

    return ParseContext(path.name)
