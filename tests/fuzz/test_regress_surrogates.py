"""Lone surrogates (a JSON "\\ud800" escape decodes to one): fingerprinted and stored, no crash."""

from __future__ import annotations

from pathlib import Path

from scoper.api import ingest
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[1] / "data"


def test_fingerprint_of_a_lone_surrogate(tmp_path: Path) -> None:
    """base.py:ParseContext.fingerprint raised UnicodeEncodeError (osquery env value "\\ud800")."""
    ctx = ParseContext("x")
    assert ctx.fingerprint("a\ud800b").startswith("fp:")
    assert ctx.fingerprint("secret") == ParseContext("y").fingerprint("secret")


def test_ingest_keeps_a_name_with_a_lone_surrogate(tmp_path: Path) -> None:
    """store/load.py:insert_rows let pyarrow's UnicodeEncodeError out of `scoper ingest`."""
    text = (DATA / "cyclonedx" / "nested.cdx.json").read_text()
    path = tmp_path / "bom.cdx.json"
    path.write_text(text.replace('"name": "', '"name": "\\ud800', 3))
    result = ingest([path], db=":memory:").results[0]
    assert result.status in ("ok", "partial"), result.error
