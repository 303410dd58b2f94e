"""Tetragon JSON export: pod sessions, exec facts, kprobe credentials, env names, fuzzing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations, parse_bytes
from hypothesis import HealthCheck, given, settings

from scoper.model import Records
from scoper.sources.audit.commands.exec_events import lossy_argv
from scoper.sources.audit.tetragon import SOURCE
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[2] / "data" / "tetragon"
SAMPLE = (DATA / "export.jsonl").read_bytes()
POD = "k8s:ml/trainer-7d9f8c6b5-x2kqp"
DIGEST = "sha256:4f1c2b7a9e0d3c5b8a6f4e2d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a19080"
HOST_TREE = "tetragon:gke-node-1:exec:Z2tlLW5vZGUtMTo1MDA6MzAw"  # exec_id of the bash root


def parse() -> Records:
    return SOURCE.parse(DATA / "export.jsonl", ParseContext("export.jsonl"))


def test_sniff() -> None:
    assert SOURCE.sniff(DATA / "export.jsonl", SAMPLE[:4096])
    assert SOURCE.sniff(Path("e.json"), b'{\n   "process_kprobe":{\n  "process":{"exec_id":"Z2"')
    assert not SOURCE.sniff(Path("e.json"), b'{"kind": "Event", "apiVersion": "audit.k8s.io/v1"}')
    assert not SOURCE.sniff(Path("e.json"), b'{"node_name": "x"}')
    assert SOURCE.sniff(Path("e.json"), b'{"time": "t", "node_name": "n", "process_exec": {"p')


def test_pod_session_with_image_digest() -> None:
    sessions = {s.session_id: s for s in parse().sessions}
    pod = sessions[POD]
    assert (pod.kind, pod.host, pod.image_digest) == ("pod", "gke-node-1", DIGEST)
    assert pod.started_at == datetime(2026, 3, 24, 10, 30, tzinfo=UTC)  # container start
    tree = sessions[HOST_TREE]
    assert (tree.kind, tree.image_digest) == ("process", None)
    assert tree.started_at == datetime(2026, 3, 24, 9, 0, tzinfo=UTC)


def test_exec_install_and_import_facts() -> None:
    events = parse().events
    pip = next(e for e in events if e.kind == "exec" and e.program == "pip")
    assert pip.command == "/usr/local/bin/pip install litellm==1.82.8"
    assert pip.ts == datetime(2026, 3, 24, 10, 45, 0, 123456, tzinfo=UTC)
    assert (pip.session_id, pip.origin.line) == (POD, 1)
    assert pip.detail["container"] == "trainer" and pip.detail["pid"] == 4101
    installs = [(e.package, e.version, e.session_id) for e in events if e.kind == "install"]
    assert installs == [("litellm", "1.82.8", POD), ("requests", "2.32.3", HOST_TREE)]
    imports = [(e.module, e.session_id) for e in events if e.kind == "import"]
    assert ("litellm", POD) in imports


def test_time_falls_back_to_process_start() -> None:
    bash = next(e for e in parse().events if e.program == "bash")
    assert bash.ts == datetime(2026, 3, 24, 9, 0, tzinfo=UTC)
    assert bash.session_id == HOST_TREE and bash.origin.line == 8


def test_kprobe_on_credential_file_and_connect() -> None:
    records = parse()
    (file_event,) = [e for e in records.events if e.kind == "file"]
    assert file_event.detail["path"] == "/root/.aws/credentials"
    assert file_event.detail["function"] == "security_file_permission"
    creds = {c.name: c for c in records.credentials if c.session_id}
    aws = creds["/root/.aws/credentials"]
    assert (aws.kind, aws.harvest_class, aws.session_id, aws.origin.line) == (
        "aws-credentials-file",
        "cloud-files",
        POD,
        3,
    )
    on_node = [c for c in records.credentials if c.session_id is None]
    assert [(c.host, c.path, c.kind, c.origin.line, c.first_seen) for c in on_node] == [
        (
            "gke-node-1",
            "/root/.aws/credentials",
            "aws-credentials-file",
            3,
            datetime(2026, 3, 24, 10, 46, 10, 500000, tzinfo=UTC),
        )
    ]
    (net,) = [e for e in records.events if e.kind == "network"]
    assert (net.detail["destination_ip"], net.detail["destination_port"]) == ("203.0.113.7", 443)


def test_environment_variables_are_names_and_fingerprints() -> None:
    creds = {c.name: c for c in parse().credentials if c.harvest_class == "env"}
    assert set(creds) == {"AWS_SECRET_ACCESS_KEY", "OPENAI_API_KEY"}
    assert creds["OPENAI_API_KEY"].kind == "openai-api-key"
    assert creds["OPENAI_API_KEY"].fingerprint and creds["OPENAI_API_KEY"].session_id == POD


def test_secrets_never_stored() -> None:
    assert_no_secrets(
        parse(),
        [
            "PLANTEDtetragonAWSsecret0123456789abcdef",
            "sk-proj-PLANTEDopenaiKEY0123456789abcdefghij",
            "PLANTEDfileSECRETvalue0123456789abcdef",
        ],
    )


def test_skipped_lines_and_ignored_types() -> None:
    reasons = [(s.origin.line, s.reason) for s in parse().skipped]
    assert reasons[0][0] == 9 and reasons[0][1].startswith("invalid JSON")
    assert (10, "tetragon: no process or time") in reasons
    assert (6, "1 process_exit event(s) not used") in reasons
    exits = [s for s in parse().skipped if "process_exit" in s.reason]
    assert [s.informational for s in exits] == [True]  # an exit alone does not make it partial
    kprobes = [s for s in parse().skipped if "not used" in s.reason and s not in exits]
    assert all(not s.informational for s in kprobes)


def test_single_pretty_printed_event(tmp_path: Path) -> None:
    first = json.loads(SAMPLE.split(b"\n")[0])
    records = parse_bytes(SOURCE, json.dumps(first, indent=3).encode(), "process_exec.json")
    assert [e.kind for e in records.events] == ["exec", "install"]
    assert records.events[0].origin.line == 1


@pytest.mark.parametrize(
    ("line", "argv"),
    [
        (
            "/bin/sh -c pip install litellm==1.82.8",
            ["/bin/sh", "-c", "pip install litellm==1.82.8"],
        ),
        ("/usr/bin/bash -lc pip install x && y", ["/usr/bin/bash", "-lc", "pip install x && y"]),
        ('/bin/sh -c "pip install x"', ["/bin/sh", "-c", "pip install x"]),
        ("python3 -c import litellm; print(1)", ["python3", "-c", "import litellm; print(1)"]),
        ('node -e require("x")', ["node", "-e", 'require("x")']),
        ("python3 -m pip install x", ["python3", "-m", "pip", "install", "x"]),
        ("/usr/bin/curl -c jar https://x", ["/usr/bin/curl", "-c", "jar", "https://x"]),
    ],
)
def test_lost_quoting_keeps_inline_code_whole(line: str, argv: list[str]) -> None:
    assert lossy_argv(line) == argv


def test_shell_wrapped_install_in_arguments() -> None:
    raw = json.loads(SAMPLE.split(b"\n")[0])
    process = raw["process_exec"]["process"]
    process.update(binary="/bin/sh", arguments="-c pip install litellm==1.82.8")
    records = parse_bytes(SOURCE, json.dumps(raw).encode(), "e.json")
    assert [(e.package, e.version) for e in records.events if e.kind == "install"] == [
        ("litellm", "1.82.8")
    ]


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=line_mutations(SAMPLE))
def test_fuzz_mutated_sample(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "export.jsonl")
