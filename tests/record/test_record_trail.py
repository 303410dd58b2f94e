"""scoper record: events cleaned with ingest's policy, a file/folder/stdout trail, never failing."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from scoper.ingest import Ingester
from scoper.record.events import clean, env_credentials
from scoper.record.recorder import Recorder
from scoper.record.trail import Trail
from scoper.record.verify import verify_paths
from scoper.sources.base import fingerprint
from scoper.store.db import connect

KEY = b"record-test-key"
TOKEN = "ghp_" + "A1b2C3d4E5" * 3 + "x1y2z3"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_values_become_fingerprints_and_text_is_redacted() -> None:
    cred = clean({"event": "credential", "name": "GITHUB_TOKEN", "value": TOKEN}, KEY)
    assert "value" not in cred
    assert cred["fingerprint"] == fingerprint(KEY, TOKEN)
    assert (cred["kind"], cred["class"]) == ("github-token", "env")
    run = clean({"event": "exec", "command": f"curl -H 'Authorization: token {TOKEN}' x"}, KEY)
    assert TOKEN not in json.dumps(run) and "***" in run["command"]
    link = clean(
        {
            "event": "identity",
            "rule": "owner",
            "value": TOKEN,
            "to_kind": "k8s-sa",
            "to_value": "a/b",
        },
        KEY,
    )
    assert (link["from_kind"], link["from_value"]) == ("fingerprint", fingerprint(KEY, TOKEN))


def test_env_credentials_keep_names_kinds_fingerprints_only() -> None:
    env = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": AWS_SECRET}
    env |= {"HOME": "/root", "EDITOR": "vi"}
    found = env_credentials(env, "s1", KEY, "2026-03-24T11:00:00Z")
    assert [c["name"] for c in found] == ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
    assert found[0]["key_id"] == "AKIAIOSFODNN7EXAMPLE"  # public, as ingest keeps it
    assert AWS_SECRET not in json.dumps(found)


def test_stdin_events_to_a_file_load_with_the_same_fingerprints(tmp_path: Path) -> None:
    trail = tmp_path / "t.jsonl"
    rec = Recorder(Trail(str(trail), "h1"), KEY, "s1", "h1")
    stream = io.StringIO(
        '{"ts":"2026-03-24T11:00:00Z","event":"session_start","session":"s1"}\n'
        "not json\n"
        f'{{"ts":"2026-03-24T11:00:01Z","event":"credential","name":"GITHUB_TOKEN","value":"{TOKEN}"}}\n'
        '{"ts":"2026-03-24T11:00:02Z","event":"install","package":"litellm","version":"1.82.8"}\n'
    )
    assert rec.emit_lines(stream) == 3
    assert TOKEN not in trail.read_text()
    assert [e["event"] for e in _lines(trail)] == [
        "trail",
        "session_start",
        "credential",
        "install",
    ]
    con = connect(":memory:")
    assert Ingester(con, key=KEY.decode()).ingest(trail).status == "ok"
    row = con.execute("SELECT name, kind, fingerprint, session_id FROM credentials").fetchone()
    assert row == ("GITHUB_TOKEN", "github-token", fingerprint(KEY, TOKEN), "s1")
    assert con.execute("SELECT host FROM events WHERE kind = 'install'").fetchone() == ("h1",)


def test_a_folder_trail_rotates_by_size_and_each_file_chains(tmp_path: Path) -> None:
    folder = tmp_path / "trail"
    trail = Trail(f"{folder}/", "h1", max_bytes=1024)
    for n in range(30):
        assert trail.write([{"ts": "2026-03-24T11:00:00Z", "event": "exec", "program": f"p{n}"}])
    files = sorted(folder.glob("trail-*.jsonl"))
    assert len(files) > 2
    assert all(v.intact for v in verify_paths([folder], None))
    second = _lines(files[1])[0]
    assert second["follows"] == _lines(files[0])[0]["trail"]
    assert second["follows_hash"] == _lines(files[0])[-1]["hash"]


def test_stdout_trail_chains_in_memory(capsys: pytest.CaptureFixture[str]) -> None:
    trail = Trail("-", "h1")
    trail.write([{"ts": "2026-03-24T11:00:00Z", "event": "exec", "program": "a"}])
    trail.write([{"ts": "2026-03-24T11:00:01Z", "event": "exec", "program": "b"}])
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(x)["event"] for x in lines] == ["trail", "exec", "exec"]
    assert json.loads(lines[2])["prev"] == json.loads(lines[1])["hash"]


def test_an_unwritable_trail_is_said_and_the_command_still_runs(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from scoper.record.wrapper import run

    blocker = tmp_path / "file"
    blocker.write_text("x")
    rec = Recorder(Trail(str(blocker / "sub" / "t.jsonl"), "h1"), KEY, "s1", "h1")
    code = run([sys.executable, "-c", "print('ran'); raise SystemExit(7)"], rec)
    captured = capfd.readouterr()
    assert code == 7
    assert "ran" in captured.out
    assert "cannot write the trail" in captured.err


def test_recorded_lines_are_valid_by_the_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    root = Path(__file__).resolve().parent.parent.parent
    schema = json.loads((root / "docs" / "event-format.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    trail = tmp_path / "t.jsonl"
    rec = Recorder(Trail(str(trail), "h1", sign_key=b"k"), KEY, "s1", "h1")
    rec.emit(
        [
            {"event": "session_start", "kind": "ci", "detail": {"env": ["HOME"]}},
            {"event": "credential", "name": "GITHUB_TOKEN", "value": TOKEN},
            {"event": "credential_use", "value": TOKEN, "action": "push"},
            {"event": "exec", "program": "actions/checkout", "ecosystem": "GitHub Actions"}
            | {"package": "actions/checkout", "version": "v4", "detail": {"sha": "ab" * 20}},
            {"event": "session_end", "exit_code": 3},
        ]
    )
    for number, line in enumerate(trail.read_text(encoding="utf-8").splitlines(), 1):
        errors = [e.message for e in validator.iter_errors(json.loads(line))]
        assert errors == [], f"line {number}: {errors}"


def test_the_wrapper_runs_off_the_main_thread(tmp_path: Path) -> None:
    import threading

    from scoper.record.wrapper import run

    rec = Recorder(Trail(str(tmp_path / "t.jsonl"), "h1"), KEY, "s1", "h1")
    codes: list[int] = []
    worker = threading.Thread(
        target=lambda: codes.append(run([sys.executable, "-c", "raise SystemExit(4)"], rec))
    )
    worker.start()
    worker.join()
    assert codes == [4]
    assert _lines(tmp_path / "t.jsonl")[-1]["exit_code"] == 4
