"""Envelopes unwrapped before detection: the container-runtime (CRI) log prefix, zip."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoper.errors import InputError
from scoper.inputs import claimant
from scoper.model import Records
from scoper.sources import wrappers_zip
from scoper.sources.base import ParseContext, Source
from scoper.sources.reading import read_head
from scoper.sources.wrappers import unwrap_cri, unwrap_cri_head

DATA = Path(__file__).resolve().parents[1] / "data"
TETRAGON = DATA / "tetragon" / "export.jsonl"
K8S = DATA / "k8s-audit" / "audit.jsonl"
UVLOCK = DATA / "uvlock" / "uv.lock"


def cri_wrap(text: str, split_line: int | None = None) -> str:
    """``text`` as kubelet writes a pod's stdout; line ``split_line`` split in P parts."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        ts = f"2026-03-24T10:00:{number % 60:02d}.123456789Z"
        if number == split_line and len(line) > 20:
            out += [f"{ts} stdout P {line[:10]}", f"{ts} stdout P {line[10:20]}"]
            out.append(f"{ts} stdout F {line[20:]}")
        else:
            out.append(f"{ts} stdout F {line}")
    return "\n".join(out) + "\n"


def parse(path: Path) -> tuple[Source, Records]:
    source = claimant(path)
    assert source is not None
    return source, source.parse(path, ParseContext(path.name))


def test_unwrap_keeps_line_numbers_and_joins_partials() -> None:
    text = "\n".join(
        [
            "2026-03-24T10:00:00.1Z stdout F {}",
            "2026-03-24T10:00:00.2Z stdout P ab",
            "2026-03-24T10:00:00.3Z stderr F oops",
            "2026-03-24T10:00:00.4Z stdout F cd",
        ]
    )
    assert unwrap_cri(text) == "{}\nabcd\noops\n"
    assert unwrap_cri("plain\n2026-03-24T10:00:00Z stdout F x") is None
    assert unwrap_cri("") is None


def test_tetragon_from_a_pod_log_reads_as_tetragon(tmp_path: Path) -> None:
    wrapped = tmp_path / "tetragon-export-stdout.log"
    wrapped.write_text(cri_wrap(TETRAGON.read_text(), split_line=1))
    plain_source, plain = parse(TETRAGON)
    source, records = parse(wrapped)
    assert source is plain_source
    assert records.count() == plain.count() > 0
    shifted = {(e.kind, e.package, e.version, e.origin.line) for e in records.events}
    # line 1 was split in three CRI lines: later records stand two lines further down
    assert shifted == {
        (e.kind, e.package, e.version, (e.origin.line or 0) + 2 * ((e.origin.line or 0) > 1))
        for e in plain.events
    }
    assert {s.session_id for s in records.sessions} == {s.session_id for s in plain.sessions}


def test_k8s_audit_from_a_pod_log_reads_as_k8s_audit(tmp_path: Path) -> None:
    wrapped = tmp_path / "apiserver-audit.log"
    wrapped.write_text(cri_wrap(K8S.read_text(), split_line=2))
    plain_source, plain = parse(K8S)
    source, records = parse(wrapped)
    assert source is plain_source
    assert records.count() == plain.count() > 0


def test_head_unwrapped_for_sniffing(tmp_path: Path) -> None:
    wrapped = tmp_path / "pod.log"
    wrapped.write_text(cri_wrap(TETRAGON.read_text()))
    assert read_head(wrapped).startswith(b'{"process_exec"')
    assert unwrap_cri_head(b"hello") == b"hello"


@given(st.binary(max_size=300))
def test_unwrap_never_raises(data: bytes) -> None:
    prefixed = b"2026-03-24T10:00:00Z stdout P " + data
    unwrap_cri_head(prefixed)
    unwrap_cri(prefixed.decode("utf-8", "replace"))


def test_zip_members_read_by_their_own_readers(tmp_path: Path) -> None:
    bundle = tmp_path / "incident.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(TETRAGON, "node-1/export.jsonl")
        out.write(UVLOCK, "app/uv.lock")
        out.writestr("README.md", "what is in here")
        out.writestr("notes.bin", b"\x00\x01garbage")
        out.writestr("../escape.txt", "x")
    source, records = parse(bundle)
    assert source.name == "zip"
    assert any(e.origin.file == "incident.zip!/node-1/export.jsonl" for e in records.events)
    assert records.packages and all(
        p.origin.file == "incident.zip!/app/uv.lock" for p in records.packages
    )
    skipped = {s.origin.file: s for s in records.skipped}
    assert skipped["incident.zip!/README.md"].informational
    assert not skipped["incident.zip!/notes.bin"].informational
    assert "unsafe" in skipped["incident.zip!/../escape.txt"].reason


def test_zip_limits_and_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "many.zip"
    with zipfile.ZipFile(bundle, "w") as out:
        for n in range(3):
            out.writestr(f"{n}.txt", "x")
    monkeypatch.setattr(wrappers_zip, "MAX_MEMBERS", 2)
    with pytest.raises(InputError, match="members"):
        wrappers_zip.SOURCE.parse(bundle, ParseContext("many.zip"))
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bundle.read_bytes()[:60])
    with pytest.raises(InputError):
        wrappers_zip.SOURCE.parse(broken, ParseContext("broken.zip"))
