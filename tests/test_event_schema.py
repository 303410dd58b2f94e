"""docs/event-format.schema.json: valid, in step with the loader, and true of real lines.

Checks every line of every scoper-events ``*.jsonl`` under fixtures/, the examples in
docs/event-format.md, the benchmark generator's output and inline lines, and that
whatever the schema accepts the loader loads without skipping.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

jsonschema = pytest.importorskip("jsonschema")

from scoper.feeds.bundled import require  # noqa: E402
from scoper.ingest import Ingester  # noqa: E402
from scoper.model import AliasKind, LinkRule  # noqa: E402
from scoper.scope.chain import scope  # noqa: E402
from scoper.sources.audit.commands.credentials import HARVEST_CLASSES  # noqa: E402
from scoper.sources.audit.events_jsonl import EVENT_TYPES, SOURCE  # noqa: E402
from scoper.store.db import connect  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "docs" / "event-format.schema.json"
DOC_PATH = ROOT / "docs" / "event-format.md"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

T = '"ts":"2026-03-24T11:00:00Z"'
VALID = [
    f'{{{T},"event":"session_start","session":"s1","host":"h1","kind":"agent","actor":"a",'
    '"environment":"/srv/.venv","image_digest":"sha256:' + "ab" * 32 + '"}',
    f'{{{T},"event":"session_end","session":"s1"}}',
    f'{{{T},"event":"install","session":"s1","package":"litellm","spec":">=1.80"}}',
    f'{{{T},"event":"install","host":"h1","package":"PyYAML","version":"6.0.2","installer":"uv",'
    '"hashes":["sha256:00ff"],"ecosystem":"PyPI","detail":{"index":"pypi"}}',
    f'{{{T},"event":"install","package":"x","version":"1","hashes":{{"sha256":"00ff"}}}}',
    f'{{{T},"event":"uninstall","session":"s1","package":"litellm","version":"1.82.8"}}',
    f'{{{T},"event":"import","session":"s1","module":"litellm.proxy.proxy_server"}}',
    f'{{{T},"event":"import","session":"s1","package":"numpy","version":"2.1.3"}}',
    f'{{{T},"event":"exec","session":"s1","program":"python3","command":"python3 x.py"}}',
    f'{{{T},"event":"network","session":"s1","dest":"api.openai.com:443"}}',
    f'{{{T},"event":"file","session":"s1","path":"/etc/hosts","action":"read"}}',
    f'{{{T},"event":"credential","session":"s1","name":"OPENAI_API_KEY","value":"sk-x"}}',
    f'{{{T},"event":"credential","host":"h1","name":"aws","path":"/root/.aws/credentials",'
    '"kind":"aws-credentials-file","class":"cloud-files"}',
    f'{{{T},"event":"credential_use","key_id":"AKIAIOSFODNN7EXAMPLE","source_ip":"192.0.2.1",'
    '"user_agent":"aws-cli","action":"ListBuckets","principal":"arn:aws:iam::1:user/ci"}',
    '{"ts":"2026-03-24T13:00:00.123456+02:00","event":"credential_use","value":"sk-x"}',
    f'{{{T},"event":"session_start","session":"s1","address":"10.42.3.17"}}',
    f'{{{T},"event":"exec","session":"s1","program":"app","interpreter":"python"}}',
    f'{{{T},"event":"credential_use","service":"k8s","token_id":"JTI=1f2e","bound_to":"pod:a/b"}}',
    f'{{{T},"event":"credential_use","service":"k8s","bound_to":"pod:a/b","action":"get"}}',
    f'{{{T},"event":"identity","rule":"owner","from_kind":"key-id","from_value":"AKIAX",'
    '"to_kind":"principal","to_value":"arn:aws:iam::1:user/ci"}',
    f'{{{T},"event":"identity","rule":"exchange","derived":true,"confidence":"likely",'
    '"from_kind":"oidc-subject","from_value":"repo:o/r:ref:refs/heads/main","to_kind":"key-id",'
    '"to_value":"ASIAX","session":"s1","host":"h1","fact":"AssumeRoleWithWebIdentity"}',
    f'{{{T},"event":"identity","rule":"same-fingerprint","from_kind":"token-id",'
    '"from_value":"JTI=1f2e","value":"eyJhbGciOi.x.y"}',
    f'{{{T},"event":"identity","rule":"owner","from_kind":"fingerprint","value":"sk-x",'
    '"to_kind":"k8s-sa","to_value":"prod/api"}',
    f'{{{T},"event":"identity","rule":"mapping","from_kind":"env-name","from_value":"KEY",'
    '"to_kind":"fingerprint","to_value":"fp:' + "0a" * 16 + '","session":"s1"}',
]
IDENTITY = f'{{{T},"event":"identity","from_kind":"env-name","from_value":"KEY"'
MAPPING = IDENTITY + ',"rule":"mapping"'
# (line, what the schema must complain about)
INVALID = [
    ('{"event":"exec","program":"python3"}', "'ts' is a required property"),
    (f"{{{T}}}", "'event' is a required property"),
    (f'{{{T},"event":"login","session":"s1"}}', "is not one of"),
    ('{"ts":"2026-03-24T11:00:00","event":"exec","program":"p"}', "does not match"),
    ('{"ts":"2026-03-24 11:00:00Z","event":"exec","program":"p"}', "does not match"),
    ('{"ts":"yesterday","event":"exec","program":"p"}', "does not match"),
    (f'{{{T},"event":"session_start","host":"h1"}}', "'session' is a required property"),
    (
        f'{{{T},"event":"install","session":"s1","module":"litellm"}}',
        "'package' is a required property",
    ),
    (
        f'{{{T},"event":"install","session":"s1","package":"litellm","version":1.5}}',
        "is not of type 'string'",
    ),
    (f'{{{T},"event":"import","session":"s1"}}', "is not valid under any of the given schemas"),
    (
        f'{{{T},"event":"credential","session":"s1","value":"sk-x"}}',
        "'name' is a required property",
    ),
    (f'{{{T},"event":"credential","name":"TOKEN","value":"x"}}', "any of the given schemas"),
    (f'{{{T},"event":"credential","session":"s1","name":"T","class":"cookies"}}', "is not one of"),
    (f'{{{T},"event":"credential_use","source_ip":"192.0.2.1"}}', "any of the given schemas"),
    (
        f'{{{T},"event":"exec","session":"s1","program":"p","sesion":"typo"}}',
        "Unevaluated properties are not allowed",
    ),
    (f'{{{T},"event":"network","session":"s1","program":"curl"}}', "'dest' is a required"),
    (f'{{{T},"event":"session_start","session":"s1","image_digest":"latest"}}', "does not match"),
    (f'{{{T},"event":"install","package":"x","hashes":["00ff"]}}', "is not valid under any"),
    (f'{{{T},"event":"install","package":"x","interpreter":"python"}}', "Unevaluated"),
    (f'{{{T},"event":"exec","program":"p","address":"10.0.0.1"}}', "Unevaluated"),
    (f'{{{T},"event":"credential_use","service":"k8s"}}', "any of the given schemas"),
    (IDENTITY + ',"to_kind":"key-id","to_value":"AKIAX"}', "'rule' is a required property"),
    (IDENTITY + ',"rule":"seen-with","to_kind":"key-id","to_value":"A"}', "is not one of"),
    (MAPPING + ',"to_kind":"password","to_value":"A"}', "is not one of"),
    (MAPPING + ',"to_kind":"key-id"}', "is not valid under any of the given schemas"),
    (MAPPING + ',"to_kind":"key-id","to_value":"A","value":"s"}', "is not valid under any"),
    (MAPPING + ',"to_kind":"key-id","value":"s"}', "is not valid under any"),
    (MAPPING + ',"to_kind":"fingerprint","to_value":"sk-raw-secret"}', "does not match"),
    (MAPPING + ',"to_kind":"token-id","to_value":"ghp_' + "x" * 36 + '"}', "should not be valid"),
    (MAPPING + ',"to_kind":"key-id","to_value":"A","derived":"yes"}', "is not of type 'boolean'"),
    (MAPPING + ',"to_kind":"key-id","to_value":"A","confidence":"certain"}', "is not one of"),
    (MAPPING + ',"to_kind":"key-id","to_value":"A","kind":"aws"}', "Unevaluated"),
]


def _messages(line: str) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(json.loads(line))]


def _ingest(tmp_path: Path, lines: list[str], name: str = "events.jsonl") -> Any:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    con = connect(":memory:")
    return con, Ingester(con).ingest(path)


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_event_list_matches_loader() -> None:
    enum = SCHEMA["properties"]["event"]["enum"]
    branches = [b["if"]["properties"]["event"]["const"] for b in SCHEMA["allOf"]]
    assert len(enum) == len(set(enum))
    assert set(enum) == EVENT_TYPES
    assert sorted(branches) == sorted(EVENT_TYPES)


def test_harvest_classes_match_scoper() -> None:
    assert set(SCHEMA["$defs"]["harvest_class"]["enum"]) == HARVEST_CLASSES


def test_link_rules_and_alias_kinds_match_the_model() -> None:
    identity = SCHEMA["$defs"]["identity_event"]["properties"]
    assert sorted(identity["rule"]["enum"]) == sorted(rule.value for rule in LinkRule)
    assert sorted(SCHEMA["$defs"]["alias_kind"]["enum"]) == sorted(k.value for k in AliasKind)


@pytest.mark.parametrize("line", VALID)
def test_valid_lines(line: str) -> None:
    assert _messages(line) == []


@pytest.mark.parametrize(("line", "complaint"), INVALID)
def test_invalid_lines(line: str, complaint: str) -> None:
    messages = _messages(line)
    assert any(complaint in m for m in messages), messages


def test_schema_valid_lines_load_without_skips(tmp_path: Path) -> None:
    """Whatever the schema accepts, the loader loads; what the loader skips, the schema refuses."""
    lines = VALID + [line for line, _ in INVALID]
    con, result = _ingest(tmp_path, lines)
    assert result.status == "partial", result
    skipped = {row[0] for row in con.execute("SELECT source_line FROM skipped").fetchall()}
    assert skipped, "the invalid lines include some the loader must skip"
    for number, line in enumerate(lines, 1):
        if number in skipped:
            assert _messages(line), f"loader skipped line {number} but schema accepts it: {line}"
    assert not skipped & set(range(1, len(VALID) + 1))


def _scoper_event_files() -> list[Path]:
    found = []
    for path in sorted((ROOT / "fixtures").rglob("*.jsonl*")):
        if path.suffix not in (".jsonl", ".gz"):
            continue
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as handle:
            head = handle.read(4096)
        if SOURCE.sniff(path, head):
            found.append(path)
    return found


def _invalid_lines(text: str, origin: str) -> list[str]:
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            problems += [f"{origin}:{number}: {m}" for m in _messages(line)]
    return problems


def test_fixture_files_follow_the_schema() -> None:
    files = _scoper_event_files()
    if not files:
        pytest.skip("no scoper-events *.jsonl under fixtures/ yet")
    problems: list[str] = []
    for path in files:
        raw = path.read_bytes()
        text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
        problems += _invalid_lines(text, str(path.relative_to(ROOT)))
    assert problems == []


def _doc_examples() -> list[str]:
    text = DOC_PATH.read_text(encoding="utf-8")
    return re.findall(r"```jsonl\n(.*?)```", text, flags=re.DOTALL)


def _doc_lines() -> list[str]:
    """The single event lines the text shows (```json blocks and `{"ts":...}` spans)."""
    text = DOC_PATH.read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)
    spans = re.findall(r'`(\{"ts":[^`]*\})`', text)
    return [line for block in blocks for line in block.strip().splitlines()] + spans


def test_doc_lines_follow_the_schema_and_load(tmp_path: Path) -> None:
    lines = _doc_lines()
    assert len(lines) >= 3
    assert _invalid_lines("\n".join(lines), "docs") == []
    _, result = _ingest(tmp_path, lines)
    assert (result.status, result.skipped) == ("ok", 0), result


def test_doc_examples_follow_the_schema_and_load(tmp_path: Path) -> None:
    examples = _doc_examples()
    assert len(examples) == 3
    for index, block in enumerate(examples):
        assert _invalid_lines(block, f"example {index + 1}") == []
        _, result = _ingest(tmp_path, block.strip().splitlines(), f"example{index}.jsonl")
        assert (result.status, result.skipped) == ("ok", 0), result


def test_doc_ci_example_scopes_as_described(tmp_path: Path) -> None:
    con, _ = _ingest(tmp_path, _doc_examples()[1].strip().splitlines())
    result = scope(con, require("litellm-2025"))
    assert [(s.session_id, s.confidence) for s in result.sessions] == [
        ("gha-8812345-test-py311", "confirmed")
    ]
    assert [h.host for h in result.hosts] == ["runner-07"]
    assert sorted(c.name for c in result.credentials) == ["AWS_ACCESS_KEY_ID", "PYPI_TOKEN"]
    uses = [u for c in result.credentials for u in c.used_after_exposure]
    assert [(u.action, u.new_source_ip, u.new_user_agent) for u in uses] == [
        ("ListBuckets", True, True)
    ]


def test_benchmark_generator_output_follows_the_schema(tmp_path: Path) -> None:
    out = tmp_path / "fleet.jsonl"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate.py"),
            "--events",
            "3000",
            "--seed",
            "7",
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    assert _invalid_lines(out.read_text(encoding="utf-8"), "generated") == []


def test_sessions_merge_across_files(tmp_path: Path) -> None:
    """As documented: session lines in one file, activity in another, still one session."""
    lines = _doc_examples()[1].strip().splitlines()
    session_lines = [ln for ln in lines if '"event":"session_' in ln]
    con = connect(":memory:")
    for name, part in (
        ("a.jsonl", session_lines),
        ("b.jsonl", [ln for ln in lines if ln not in session_lines]),
    ):
        (tmp_path / name).write_text("\n".join(part) + "\n", encoding="utf-8")
        assert Ingester(con).ingest(tmp_path / name).status == "ok"
    result = scope(con, require("litellm-2025"))
    assert [(s.session_id, s.host, s.confidence) for s in result.sessions] == [
        ("gha-8812345-test-py311", "runner-07", "confirmed")
    ]


def test_doc_pod_example_scopes_as_described(tmp_path: Path) -> None:
    """The token's use from outside is found through the names the identity lines give it."""
    con, _ = _ingest(tmp_path, _doc_examples()[2].strip().splitlines())
    result = scope(con, require("litellm-2025"))
    assert [(s.session_id, s.confidence) for s in result.sessions] == [
        ("k8s-prod-api-7d9f", "confirmed")
    ]
    [token] = result.credentials
    names = {(a.kind, a.value) for a in token.aliases}
    assert {("pod", "prod/api-7d9f"), ("k8s-sa", "prod/api")} <= names
    assert ("token-id", "JTI=1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718") in names
    uses = [(u.action, u.source_ip, u.new_source_ip) for u in token.used_after_exposure]
    assert uses == [("list secrets", "203.0.113.50", True)]
    interpreter = con.execute("SELECT interpreter FROM events WHERE kind = 'exec'").fetchall()
    assert interpreter == [("python",)]
