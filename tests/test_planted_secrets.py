"""Planted secrets never reach the store or any output (issue "Nothing lost, nothing leaked").

Every shape of ``planted.SHAPES`` is planted into a real sample of each audit format scoper
reads (one record per shape, in an exposed session), ingested through the CLI into a DuckDB
file, then ``scope`` (json, csv, markdown, table), ``check -f sarif`` and an error path run.
The DuckDB file's bytes, a dump of every table and every output are searched for each value.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import pytest
from planted import SHAPES, TOKEN_SHAPES
from typer.testing import CliRunner

from scoper.cli import app

DATA = Path(__file__).parent / "data"
Shape = tuple[str, str, str]
CANARY = "canaryplanted"


def _swap(value: Any, old: str, new: str) -> Any:
    """``value`` with ``old`` replaced by ``new`` in every string, JSON-in-strings too."""
    if isinstance(value, dict):
        return {k: _swap(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap(v, old, new) for v in value]
    if isinstance(value, str) and value.startswith("{") and old in value:
        try:
            return json.dumps(_swap(json.loads(value), old, new))
        except ValueError:
            pass
    return value.replace(old, new) if isinstance(value, str) else value


def _clone_lines(src: Path, marker: str, build: Callable[[Shape], str], out: Path) -> Path:
    """A JSON-lines sample with the marker's line cloned once per shape, marker swapped."""
    lines: list[str] = []
    for line in src.read_text().splitlines():
        lines.append(line)
        if marker in line:
            record = json.loads(line)
            lines += [json.dumps(_swap(record, marker, build(shape))) for shape in SHAPES]
    out.write_text("\n".join(lines) + "\n")
    return out


def _canaried(shape: Shape) -> str:
    return f"{shape[1]} && echo {CANARY}"


def _claude(tmp: Path) -> list[Path]:
    src = next((DATA / "claude_code").glob("*.jsonl"))
    marker = "source .venv/bin/activate && pip install 'litellm>=1.80'"
    out = _clone_lines(src, marker, lambda s: f"{marker} && {_canaried(s)}", tmp / src.name)
    output = "Collecting litellm>=1.80"  # tool output and pasted text hold secrets too
    return [_clone_lines(out, output, lambda s: f"{output}\n{s[1]}\nexport K={s[2]}", out)]


def _codex(tmp: Path) -> list[Path]:
    src = next((DATA / "codex").glob("rollout-*.jsonl"))
    marker = "uv venv && uv pip install 'litellm[proxy]>=1.80'"
    return [_clone_lines(src, marker, _canaried, tmp / src.name)]


def _otel(tmp: Path) -> list[Path]:
    src = DATA / "otel" / "ci-process-traces.jsonl"
    marker = "python3 -m pip install ultralytics==8.3.41 --no-deps"
    return [
        _clone_lines(src, marker, lambda s: f"sh -c {shlex.quote(_canaried(s))}", tmp / src.name)
    ]


def _tetragon(tmp: Path) -> list[Path]:
    src = DATA / "tetragon" / "export.jsonl"
    lines: list[str] = []
    for line in src.read_text().splitlines():
        lines.append(line)
        if '"arguments": "install litellm==1.82.8"' in line:
            record = json.loads(line)
            for shape in SHAPES:
                process = record["process_exec"]["process"]
                clone = {
                    **process,
                    "binary": "/bin/sh",
                    "arguments": "-c " + shlex.quote(_canaried(shape)),
                }
                lines.append(
                    json.dumps(
                        {**record, "process_exec": {**record["process_exec"], "process": clone}}
                    )
                )
    out = tmp / "export.jsonl"
    out.write_text("\n".join(lines) + "\n")
    return [out]


def _osquery(tmp: Path) -> list[Path]:
    src = DATA / "osquery" / "osqueryd.results.log"
    marker = "/opt/app/.venv/bin/python3 -m pip install litellm==1.82.7"
    return [
        _clone_lines(src, marker, lambda s: f"sh -c {shlex.quote(_canaried(s))}", tmp / src.name)
    ]


def _k8s(tmp: Path) -> list[Path]:
    src = DATA / "k8s-audit" / "audit.jsonl"
    marker = "command=pip+install+litellm%3D%3D1.82.8"
    lines: list[str] = []
    for n, line in enumerate(src.read_text().splitlines()):
        lines.append(line)
        if marker in line:
            record = json.loads(line)
            for i, shape in enumerate(SHAPES):
                uri = record["requestURI"].replace(
                    marker, "command=" + quote(_canaried(shape), safe="")
                )
                agent = f"kubectl/v1.30.2 {TOKEN_SHAPES[i % len(TOKEN_SHAPES)][2]}"
                lines.append(
                    json.dumps(
                        {
                            **record,
                            "auditID": f"planted-{n}-{i}",
                            "requestURI": uri,
                            "userAgent": agent,
                        }
                    )
                )
    out = tmp / "audit.jsonl"
    out.write_text("\n".join(lines) + "\n")
    return [out]


def _cloudtrail(tmp: Path) -> list[Path]:
    src = DATA / "cloudtrail" / "lake-export.jsonl"
    first = json.loads(src.read_text().splitlines()[0])
    lines = [
        json.dumps(
            {
                **first,
                "requestID": f"planted-{i}",
                "userAgent": f"{_canaried(shape)} aws-cli/2.17.60",
            }
        )
        for i, shape in enumerate(SHAPES)
    ]
    out = tmp / "lake-export.jsonl"
    out.write_text("\n".join(lines) + "\n")
    return [out]


def _github_actions(tmp: Path) -> list[Path]:
    src = DATA / "github_actions" / "job-test.log"
    lines: list[str] = []
    for line in src.read_text(encoding="utf-8-sig").splitlines():
        lines.append(line)
        if line.endswith("  OPENAI_API_KEY: ***"):
            stamp = line.split(" ", 1)[0]
            lines += [f"{stamp}   PLANTED_TOKEN_{i}: {s[2]}" for i, s in enumerate(TOKEN_SHAPES)]
        if '[36;1mpip install "litellm>=1.80"' in line:
            stamp = line.split(" ", 1)[0]
            for shape in SHAPES:
                lines += [
                    f"{stamp} \x1b[36;1m{part}\x1b[0m" for part in _canaried(shape).splitlines()
                ]
    out = tmp / src.name
    out.write_text("\n".join(lines) + "\n")
    shutil.copy(src.with_name(src.name + ".json"), tmp / (src.name + ".json"))
    return [out, tmp / (src.name + ".json")]


def _auditd(tmp: Path) -> list[Path]:
    src = DATA / "auditd" / "audit.log"
    text = src.read_text()
    header = "node=ci-runner-7 type={kind} msg=audit(1774348860.{ms:03d}:{serial}): "
    syscall = re.search(r"type=SYSCALL msg=audit\(1774348860\.250:5002\): (.*)", text)
    assert syscall
    extra: list[str] = []
    for i, shape in enumerate(SHAPES):
        argv = ["/bin/sh", "-c", _canaried(shape)]
        args = " ".join(f"a{n}={a.encode().hex().upper()}" for n, a in enumerate(argv))
        where = {"ms": 300 + i, "serial": 9000 + i}
        extra += [
            header.format(kind="SYSCALL", **where)
            + syscall.group(1).replace('comm="pip"', 'comm="sh"'),
            header.format(kind="EXECVE", **where) + f"argc={len(argv)} {args}",
            header.format(kind="CWD", **where) + 'cwd="/home/alice/app"',
            header.format(kind="EOE", **where),
        ]
    out = tmp / "audit.log"
    out.write_text(text.rstrip("\n") + "\n" + "\n".join(extra) + "\n")
    return [out]


def _events_jsonl(tmp: Path) -> list[Path]:
    base = {"ts": "2026-03-24T11:00:00Z", "session": "agent-planted", "host": "dev-planted"}
    lines = [
        {**base, "event": "session_start", "kind": "agent", "actor": "dev"},
        {**base, "event": "install", "package": "litellm", "version": "1.82.7", "installer": "pip"},
    ]
    for i, (name, command, secret) in enumerate(SHAPES):
        lines += [
            {
                **base,
                "event": "exec",
                "program": "sh",
                "command": _canaried((name, command, secret)),
            },
            {
                **base,
                "event": "network",
                "dest": f"https://u:{secret}@{CANARY}.example/x?token={secret}",
            },
            {
                **base,
                "event": "file",
                "path": "/tmp/x",
                "detail": {"note": command, "nested": [{"password": secret}]},
            },
            {
                **base,
                "event": "credential_use",
                "key_id": f"AKIAPLANTED{i:09d}",
                "user_agent": f"{command} agent/1",
            },
        ]
    out = tmp / "events.jsonl"
    out.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return [out]


def _requirements(tmp: Path) -> list[Path]:
    rows = ["litellm==1.82.7"]
    for _name, _command, secret in SHAPES:
        rows.append(f"--extra-index-url https://ci:{secret}@pypi.{CANARY}.example/simple")
    rows.insert(0, f"--index-url https://token:{SHAPES[0][2]}@pypi.acme.io/simple")
    out = tmp / "requirements.txt"
    out.write_text("\n".join(rows) + "\n")
    return [out]


FORMATS: dict[str, tuple[Callable[[Path], list[Path]], str, str | None]] = {
    "claude-code": (_claude, "litellm-2025", "dev-planted"),
    "codex": (_codex, "litellm-2025", "dev-planted"),
    "github-actions": (_github_actions, "litellm-2025", None),
    "auditd": (_auditd, "litellm-2025", None),
    "tetragon": (_tetragon, "litellm-2025", None),
    "osquery": (_osquery, "litellm-2025", None),
    "otel": (_otel, "ultralytics-2024", None),
    "k8s-audit": (_k8s, "litellm-2025", None),
    "cloudtrail": (_cloudtrail, "litellm-2025", None),
    "scoper-events": (_events_jsonl, "litellm-2025", None),
    "requirements": (_requirements, "litellm-2025", None),
}


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output + (result.stderr if result.stderr_bytes is not None else "")


def _dump(db: Path) -> str:
    """Every row of every table, as text."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        ]
        return "\n".join(repr(con.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)


def _leaks(text: str) -> list[str]:
    return sorted(name for name, _command, secret in SHAPES if secret in text)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_planted_secrets_never_stored_or_printed(fmt: str, tmp_path: Path) -> None:
    build, advisory, host = FORMATS[fmt]
    folder = tmp_path / "in"
    folder.mkdir()
    paths = [str(p) for p in build(folder)]
    db = tmp_path / "store.duckdb"
    outputs = {
        "ingest": _run(["ingest", *paths, "--db", str(db), *(["--host", host] if host else [])])
    }
    for out_format in ("json", "csv", "markdown", "table"):
        outputs[out_format] = _run(["scope", "-a", advisory, "--db", str(db), "-f", out_format])
    if fmt == "requirements":
        outputs["sarif"] = _run(["check", paths[0], "-f", "sarif"])
    dump = _dump(db)
    assert fmt == "requirements" or CANARY in dump, "planted records were not ingested"
    found = {"db-bytes": _leaks(db.read_bytes().decode("latin-1")), "tables": _leaks(dump)}
    found |= {name: _leaks(text) for name, text in outputs.items()}
    assert {k: v for k, v in found.items() if v} == {}


def test_error_paths_print_no_planted_secret(tmp_path: Path) -> None:
    bad = tmp_path / "requirements.txt"
    bad.write_text("".join(f"litellm @@ {command} ===\n" for _n, command, _s in SHAPES))
    truncated = tmp_path / "events.jsonl"
    truncated.write_text(
        json.dumps({"ts": "2026-03-24T11:00:00Z", "event": "exec"})
        + '\n{"command": "'
        + SHAPES[0][1]
    )
    text = _run(["ingest", str(bad), str(truncated), "--db", str(tmp_path / "s.duckdb")])
    text += _run(["check", str(bad), "-f", "sarif"])
    assert _leaks(text) == []


def test_shape_count() -> None:
    assert len(SHAPES) >= 40
    assert len({secret for _n, _c, secret in SHAPES}) == len(SHAPES)


def test_user_agents_of_credential_uses_print_no_token(tmp_path: Path) -> None:
    """The incident's CloudTrail uses after exposure reach ``scope -f json``: plant tokens there."""
    root = Path(__file__).parent.parent
    shutil.copytree(root / "fixtures" / "incident-native", tmp_path / "native")
    trail = tmp_path / "native" / "cloudtrail" / "cloudtrail.json"
    records = json.loads(trail.read_text())
    planted = [secret for _name, _command, secret in TOKEN_SHAPES]
    for i, record in enumerate(records["Records"]):
        record["userAgent"] = f"{record['userAgent']} {CANARY}/1 token={planted[i % len(planted)]}"
    trail.write_text(json.dumps(records))
    db = str(tmp_path / "store.duckdb")
    native = tmp_path / "native"
    outputs = _run(["ingest", str(native / "dev-alice"), "--host", "dev-alice", "--db", db])
    inputs = [native / name for name in ("ci", "dev-bob", "k8s", "cloudtrail")]
    outputs += _run(
        ["ingest", *map(str, inputs), str(root / "fixtures/incident/lockfiles"), "--db", db]
    )
    for out_format in ("json", "csv", "markdown", "table"):
        outputs += _run(["scope", "-a", "litellm-2025", "--db", db, "-f", out_format])
    assert f"{CANARY}/1 token=***" in outputs  # the user agent is printed, its token masked
    assert [s for s in planted if s in outputs or s in _dump(Path(db))] == []
