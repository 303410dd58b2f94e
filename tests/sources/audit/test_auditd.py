"""Linux auditd raw logs: grouping, argv rebuilding, sessions, watch rules, secrets, fuzzing."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest
from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations, parse_bytes
from hypothesis import HealthCheck, given, settings

from scoper.errors import InputError
from scoper.model import Event, Records
from scoper.sources.audit.auditd import SOURCE
from scoper.sources.audit.auditd_records import argv, group, parse_line
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[2] / "data" / "auditd"
SAMPLE = (DATA / "audit.log").read_bytes()
SES12 = "auditd:ci-runner-7:ses:12"


def parse(name: str = "audit.log", host: str | None = None) -> Records:
    return SOURCE.parse(DATA / name, ParseContext(name, host=host))


def execs(records: Records) -> dict[int, Event]:
    return {e.origin.line: e for e in records.events if e.kind == "exec"}  # type: ignore[misc]


def test_sniff() -> None:
    assert SOURCE.sniff(DATA / "audit.log", SAMPLE[:4096])
    assert SOURCE.sniff(Path("audit.log"), b"type=DAEMON_START msg=audit(1.2:3): op=start")
    assert SOURCE.sniff(Path("x.txt"), b"# comment\n\ntype=EOE msg=audit(1.2:3): \n")
    assert not SOURCE.sniff(Path("audit.log"), b'{"type": "SYSCALL"}')
    assert not SOURCE.sniff(Path("requirements.txt"), b"type==1.0\n")


def test_install_argv_spread_over_two_execve_records() -> None:
    records = parse()
    pip = execs(records)[2]
    assert pip.command == "/opt/app/.venv/bin/pip install litellm==1.82.7"
    assert pip.program == "pip"
    assert pip.ts == datetime(2026, 3, 24, 10, 41, 0, 250000, tzinfo=UTC)
    assert pip.session_id == SES12 and pip.host == "ci-runner-7"
    assert pip.detail["cwd"] == "/home/alice/app"
    assert pip.detail["exe"] == "/opt/app/.venv/bin/python3.12"
    assert pip.detail["audit_id"] == "1774348860.250:5002"
    install = next(e for e in records.events if e.kind == "install" and e.host == "ci-runner-7")
    assert (install.package, install.version, install.environment) == (
        "litellm",
        "1.82.7",
        "/opt/app/.venv",
    )
    assert install.origin.line == 2


def test_hex_and_chunked_arguments() -> None:
    by_line = execs(parse())
    assert by_line[9].command == (
        "/opt/app/.venv/bin/python3 -c import litellm; print(litellm.__version__)"
    )
    long = by_line[13].command or ""
    assert long.endswith("x" * 40 + "'; print(len(data))") and by_line[13].detail["argv_complete"]
    assert by_line[35].command == "/bin/sh -c /usr/local/bin/backup.sh --quick"
    imports = {e.module for e in parse().events if e.kind == "import"}
    assert {"litellm", "os", "json"} <= imports


def test_sessions_login_and_process_tree_fallback() -> None:
    sessions = {s.session_id: s for s in parse().sessions}
    login = sessions[SES12]
    assert (login.kind, login.actor, login.host) == ("shell", "alice", "ci-runner-7")
    assert login.started_at == datetime(2026, 3, 24, 10, 40, 0, 100000, tzinfo=UTC)
    assert login.ended_at == datetime(2026, 3, 24, 10, 50, tzinfo=UTC)
    tree = sessions["auditd:ci-runner-7:tree:777"]
    assert (tree.kind, tree.actor) == ("process", "0")
    assert sessions["auditd:build-2:ses:3"].actor == "1001"
    cron_child = execs(parse())[35]
    assert cron_child.session_id == "auditd:ci-runner-7:tree:777"


def test_same_stamp_on_two_nodes_is_two_events() -> None:
    records = parse()
    uv = execs(records)[49]
    assert (uv.host, uv.command) == ("build-2", "uv pip install litellm>=1.80")
    spec = next(e for e in records.events if e.kind == "install" and e.host == "build-2")
    assert (spec.package, spec.version, spec.spec) == ("litellm", None, ">=1.80")


def test_watch_rules_give_file_events_and_credentials() -> None:
    records = parse()
    files = [e for e in records.events if e.kind == "file"]
    assert [(e.detail["key"], e.detail["path"], e.detail["success"]) for e in files] == [
        ("aws-creds", "/home/alice/.aws/credentials", True),
        ("dotenv", "/home/alice/app/.env", True),
        ("ssh-keys", "/root/.ssh/id_rsa", False),
    ]
    assert files[0].origin.line == 21 and files[0].program == "python"
    creds = {c.name: c for c in records.credentials if c.session_id}
    aws = creds["/home/alice/.aws/credentials"]
    assert (aws.kind, aws.harvest_class, aws.session_id) == (
        "aws-credentials-file",
        "cloud-files",
        SES12,
    )
    assert aws.first_seen == datetime(2026, 3, 24, 10, 42, 5, 500000, tzinfo=UTC)
    assert creds["/home/alice/app/.env"].harvest_class == "dotenv"
    assert "/root/.ssh/id_rsa" not in creds  # the read was denied: not the session's


def test_credential_files_seen_are_host_credentials() -> None:
    on_host = sorted(
        (c for c in parse().credentials if c.session_id is None), key=lambda c: c.origin.line or 0
    )
    assert [(c.host, c.path, c.kind, c.origin.line, c.first_seen) for c in on_host] == [
        (
            "ci-runner-7",
            "/home/alice/.aws/credentials",
            "aws-credentials-file",
            21,
            datetime(2026, 3, 24, 10, 42, 5, 500000, tzinfo=UTC),
        ),
        (
            "ci-runner-7",
            "/home/alice/app/.env",
            "dotenv",
            26,
            datetime(2026, 3, 24, 10, 42, 6, tzinfo=UTC),
        ),
        # denied (EACCES), yet there: whoever runs as root on the host can read it
        (
            "ci-runner-7",
            "/root/.ssh/id_rsa",
            "ssh-key",
            30,
            datetime(2026, 3, 24, 10, 42, 7, tzinfo=UTC),
        ),
    ]


def test_failed_exec_is_not_an_event_and_bad_line_is_skipped() -> None:
    records = parse()
    assert all("5010" not in str(e.detail.get("audit_id")) for e in records.events)
    assert [(s.origin.line, "not an audit record" in s.reason) for s in records.skipped] == [
        (47, True)
    ]


def test_secrets_never_stored() -> None:
    records = parse()
    assert_no_secrets(
        records,
        [
            "ghp_PLANTEDsecretTOKEN0123456789abcdefABCD",
            "PLANTEDawsSECRETvalue0123456789abcdefXYZ",
        ],
    )
    env = next(c for c in records.credentials if c.name == "AWS_SECRET_ACCESS_KEY")
    assert env.kind == "aws-access-key" and env.fingerprint and env.session_id == SES12
    assert (
        execs(records)[41].command
        == "curl -H Authorization: Bearer *** https://api.github.com/user"
    )


def test_host_falls_back_to_context_then_file(tmp_path: Path) -> None:
    text = SAMPLE.decode().replace("node=ci-runner-7 ", "").replace("node=build-2 ", "")
    path = tmp_path / "audit.log.1"
    path.write_text(text)
    with_host = SOURCE.parse(path, ParseContext("audit.log.1", host="web-1"))
    assert "auditd:web-1:ses:12" in {s.session_id for s in with_host.sessions}
    anonymous = SOURCE.parse(path, ParseContext("audit.log.1"))
    assert "auditd:file:audit.log.1:ses:12" in {s.session_id for s in anonymous.sessions}
    assert all(e.host is None for e in anonymous.events)


def test_gzip_is_read(tmp_path: Path) -> None:
    path = tmp_path / "audit.log.2.gz"
    path.write_bytes(gzip.compress(SAMPLE))
    assert len(SOURCE.parse(path, ParseContext("audit.log.2.gz")).events) == len(parse().events)


def test_not_audit_raises_input_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.log"
    path.write_text("hello\nworld\n")
    with pytest.raises(InputError) as err:
        SOURCE.parse(path, ParseContext("notes.log"))
    assert err.value.place == "line 1"


def test_record_parsing_details() -> None:
    node, stamp, serial, ts, record = parse_line(
        "node=h1 type=SYSCALL msg=audit(1515708162.888:124507): arch=c000003e syscall=59 "
        'success=yes comm="docker" key=65786563013634626974\x1dARCH=x86_64 AUID="bob"',
        7,
    )
    assert (node, stamp, serial, record.line) == ("h1", "1515708162.888:124507", 124507, 7)
    assert ts == datetime(2018, 1, 11, 22, 2, 42, 888000, tzinfo=UTC)
    assert record.enriched["AUID"] == '"bob"'
    events, bad = group(
        [
            (
                1,
                'type=EXECVE msg=audit(1.0:1): argc=3 a0="docker" a1="inspect" a2="721df12151a7"\'',
            ),
            (2, "type=EXECVE msg=audit(1.0:1): a3=extra"),
            (3, "garbage"),
        ]
    )
    assert argv(events[0]) == (["docker", "inspect", "721df12151a7"], True)
    assert bad == [(3, "not an audit record (no 'type=... msg=audit(...)')")]


def test_missing_argument_marks_argv_incomplete() -> None:
    events, _ = group([(1, 'type=EXECVE msg=audit(1.0:1): argc=3 a0="pip" a2="x"')])
    assert argv(events[0]) == (["pip"], False)


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=line_mutations(SAMPLE))
def test_fuzz_mutated_sample(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "audit.log")


def test_fuzz_garbage_values() -> None:
    payload = (
        b"type=EXECVE msg=audit(99999999999.999:1): argc=999999 a0=ZZ a1_len=4 a1[0]=GG\n"
        b"type=SYSCALL msg=audit(1.1:2): syscall=59 arch=c000003e success=yes pid=1 ppid=1\n"
        b"type=PATH msg=audit(1.1:2): item=0 name=(null) nametype=NORMAL\n"
    )
    records = parse_bytes(SOURCE, payload, "audit.log")
    assert [e.command for e in records.events] == ["ZZ GG"]  # non-hex chunk kept as text


def test_bare_python_gets_its_environment_from_the_execve_path_record(tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    log.write_text(
        "node=h1 type=SYSCALL msg=audit(1774350000.100:7): arch=c000003e syscall=59 "
        "success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=1 pid=2 auid=1000 uid=1000 "
        "gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 "
        'ses=5 comm="python" exe="/usr/bin/python3.12" key=(null)\n'
        'node=h1 type=EXECVE msg=audit(1774350000.100:7): argc=2 a0="python" a1="main.py"\n'
        'node=h1 type=CWD msg=audit(1774350000.100:7): cwd="/srv/app"\n'
        "node=h1 type=PATH msg=audit(1774350000.100:7): item=0 "
        'name="/srv/app/.venv/bin/python" inode=1 dev=08:01 mode=0100755 ouid=0 ogid=0 '
        "rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n"
        "node=h1 type=EOE msg=audit(1774350000.100:7): \n"
    )
    records = SOURCE.parse(log, ParseContext(display="audit.log"))
    (event,) = [e for e in records.events if e.kind == "exec"]
    assert (event.program, event.environment, event.command) == (
        "python",
        "/srv/app/.venv",
        "python main.py",
    )
