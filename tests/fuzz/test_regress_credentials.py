"""Credential values nested past the recursion limit: no key id, no RecursionError."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from scoper.sources.audit.commands.credentials import key_id_of
from scoper.sources.audit.tetragon import SOURCE as TETRAGON
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[1] / "data"
DEEP = '{"a":' + "[" * 5000


def _jwt(payload: bytes) -> str:
    return "eyJhbGciOiJub25lIn0." + base64.urlsafe_b64encode(payload).decode().rstrip("=") + ".x"


@pytest.mark.parametrize(
    ("kind", "value"),
    [("gcp-service-account", DEEP), ("k8s-token", _jwt(b"[" * 5000))],
    ids=["gcp-key-json", "jwt-claims"],
)
def test_key_id_of_a_deeply_nested_value_is_none(kind: str, value: str) -> None:
    assert key_id_of(kind, value) is None


def test_tetragon_env_credential_nested_too_deeply(tmp_path: Path) -> None:
    """credentials.py:_gcp_client_email let RecursionError out of tetragon's parse."""
    lines = (DATA / "tetragon" / "export.jsonl").read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if "environment_variables" in line)
    event = json.loads(lines[index])
    process = next(v for v in event.values() if isinstance(v, dict))["process"]
    process["environment_variables"].append(
        {"key": "GOOGLE_APPLICATION_CREDENTIALS", "value": DEEP}
    )
    lines[index] = json.dumps(event)
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines) + "\n")
    records = TETRAGON.parse(path, ParseContext("export.jsonl"))
    gcp = [c for c in records.credentials if c.name == "GOOGLE_APPLICATION_CREDENTIALS"]
    assert gcp and gcp[0].key_id is None
    assert DEEP not in repr(records)
