"""Write synthetic Linux auditd logs and AWS CloudTrail files for the source benchmarks.

    python benchmarks/generate_audit.py --auditd 1000000 --cloudtrail 1000000 --seed 1

auditd: one ``audit.log`` as a central collector writes it (``node=`` prefixes, the
events of ``--hosts`` hosts merged in time order), exactly N lines: login sessions,
CI jobs and pod processes running commands (SYSCALL execve + EXECVE + CWD + PATH +
PROCTITLE + EOE), pip/uv/python commands (litellm among them, 1.82.7/1.82.8 inside
the 2026-03-24 window), watch-rule hits on credential files, PAM and sudo records.
CloudTrail: N records in ``{"Records": [...]}`` files under the S3 layout
``AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/``, one file per region and
5-minute delivery window (at most ``--ct-max-per-file`` records), gzipped by default.
Same ``--seed``, same bytes. Memory stays constant: each host's next event, one
pending file per region.
"""

from __future__ import annotations

import argparse
import gzip
import heapq
import io
import json
import random
import shutil
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from fleet import BAD_VERSIONS, LITELLM_PINNED, LITELLM_SPECS, PACKAGES, WINDOW_END, WINDOW_START

OUT = Path(__file__).resolve().parent / "out"
Lines = list[str]
Argv = list[str]
UNSET = 4294967295
LINES_PER_EVENT = 6.2  # measured average, to spread N lines over the time span
MAX_ARG_CHUNK = 7500  # hex characters per aN[i] chunk, as the kernel splits long arguments
USERS = (("alice", 1000), ("bob", 1001), ("agent", 1002), ("deploy", 1003))
HOST_KINDS = (("agent", 0.50), ("runner", 0.85), ("node", 1.0))  # cumulative shares
CRED_WATCHES = (  # (path under home or absolute, rule key)
    (".aws/credentials", "aws_creds"),
    (".ssh/id_ed25519", "ssh_keys"),
    (".kube/config", "kube_creds"),
    (".docker/config.json", "docker_creds"),
    (".netrc", "netrc"),
    (".git-credentials", "git_creds"),
    ("/etc/shadow", "shadow"),
)
TOOLS: tuple[tuple[str, Argv], ...] = (
    ("/usr/bin/ls", ["ls", "--color=auto", "-la"]),
    ("/usr/bin/git", ["git", "status"]),
    ("/usr/bin/git", ["git", "pull", "--rebase"]),
    ("/usr/bin/cat", ["cat", "requirements.txt"]),
    ("/usr/bin/git", ["git", "commit", "-m", "fix retry logic in the client"]),
    ("/usr/bin/grep", ["grep", "-rn", "litellm", "src/"]),
    ("/usr/bin/ps", ["ps", "aux"]),
    ("/usr/bin/vim.basic", ["vim", "app/config.py"]),
    ("/usr/bin/docker", ["docker", "ps"]),
    ("/usr/local/bin/kubectl", ["kubectl", "get", "pods", "-n", "ml"]),
    ("/usr/bin/curl", ["curl", "-sS", "https://api.openai.com/v1/models"]),
    ("/usr/bin/find", ["find", ".", "-name", "*.py", "-newer", "setup.cfg"]),
    ("/usr/bin/sed", ["sed", "-i", "s/timeout = 30/timeout = 60/", "app/config.py"]),
)


def untrusted(value: str) -> str:
    """A string field as the kernel logs it: quoted, or hex when it has spaces, quotes, etc."""
    if value and all(0x21 <= ord(c) <= 0x7E and c != '"' for c in value):
        return f'"{value}"'
    return value.encode().hex().upper()


def stamp(ts: float, serial: int) -> str:
    return f"{int(ts)}.{int(ts * 1000) % 1000:03d}:{serial}"


@dataclass(slots=True)
class Proc:
    """Who runs a process: the ids a SYSCALL record carries."""

    pid: int
    ppid: int
    uid: int
    user: str
    auid: int = UNSET
    ses: int = UNSET
    tty: str = "(none)"
    cwd: str = "/"


@dataclass(slots=True)
class Host:
    """One audited machine: its name, log flavour and counters."""

    name: str
    kind: str
    enriched: bool
    exec_key: str
    now: float
    gap: float
    serial: int = 1000
    pid: int = 3000
    ses: int = 0
    lines: Lines = field(default_factory=list)

    def tick(self, rng: random.Random, scale: float = 1.0) -> None:
        self.now += rng.expovariate(1 / (self.gap * scale))

    def next_pid(self, rng: random.Random) -> int:
        self.pid = self.pid + rng.randint(1, 40) if self.pid < 4_000_000 else 3000
        return self.pid

    def record(self, kind: str, body: str, enriched: str = "") -> None:
        """Append one record of the current event (serial) to ``lines``."""
        extra = f"\x1d{enriched}" if self.enriched and enriched else ""
        self.lines.append(
            f"node={self.name} type={kind} msg=audit({stamp(self.now, self.serial)}): {body}{extra}"
        )

    def event(self, rng: random.Random) -> None:
        self.serial += rng.randint(1, 12)

    def take(self) -> Lines:
        lines, self.lines = self.lines, []
        return lines


def _syscall(
    host: Host,
    proc: Proc,
    call: tuple[int, str],
    result: tuple[bool, int],
    comm: str,
    exe: str,
    items: int,
    key: str,
) -> None:
    ids = (
        f"auid={proc.auid} uid={proc.uid} gid={proc.uid} euid={proc.uid} suid={proc.uid} "
        f"fsuid={proc.uid} egid={proc.uid} sgid={proc.uid} fsgid={proc.uid}"
    )
    body = (
        f"arch=c000003e syscall={call[0]} success={'yes' if result[0] else 'no'} "
        f"exit={result[1]} a0=55d0c1a2b3c0 a1=55d0c1a2c4d0 a2=55d0c1a2d5e0 a3=8 "
        f"items={items} ppid={proc.ppid} pid={proc.pid} {ids} tty={proc.tty} ses={proc.ses} "
        f"comm={untrusted(comm[:15])} exe={untrusted(exe)} subj=unconfined key={key}"
    )
    auid = "unset" if proc.auid == UNSET else next((n for n, u in USERS if u == proc.auid), "root")
    names = " ".join(f'{k}="{proc.user}"' for k in ("UID", "GID", "EUID", "SUID", "FSUID"))
    host.record("SYSCALL", body, f'ARCH=x86_64 SYSCALL={call[1]} AUID="{auid}" {names}')


def _path(
    host: Host, item: int, name: str, mode: str, owner: tuple[int, str], nametype: str = "NORMAL"
) -> None:
    inode = zlib.crc32(name.encode()) % 9_000_000 + 100_000
    body = (
        f"item={item} name={untrusted(name)} inode={inode} "
        f"dev=fd:01 mode={mode} ouid={owner[0]} ogid={owner[0]} rdev=00:00 "
        f"nametype={nametype} cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0"
    )
    host.record("PATH", body, f'OUID="{owner[1]}" OGID="{owner[1]}"')


def _execve_records(host: Host, argv: Argv) -> None:
    """EXECVE records: argc and aN fields, long arguments in aN[i] chunks, ~7.5 KB a record."""
    fields = [f"argc={len(argv)}"]
    for index, arg in enumerate(argv):
        value = untrusted(arg)
        if len(value) <= MAX_ARG_CHUNK:
            fields.append(f"a{index}={value}")
            continue
        encoded = arg.encode().hex().upper()
        fields.append(f"a{index}_len={len(arg.encode())}")
        fields += [
            f"a{index}[{n}]={encoded[i : i + MAX_ARG_CHUNK]}"
            for n, i in enumerate(range(0, len(encoded), MAX_ARG_CHUNK))
        ]
    record: Lines = []
    for item in fields:
        if record and sum(map(len, record)) + len(item) > MAX_ARG_CHUNK:
            host.record("EXECVE", " ".join(record))
            record = []
        record.append(item)
    host.record("EXECVE", " ".join(record))


def exec_event(host: Host, rng: random.Random, proc: Proc, argv: Argv, exe: str) -> None:
    """One execve: SYSCALL, EXECVE(s), CWD, PATH x2, PROCTITLE, EOE (failed: no EXECVE)."""
    host.event(rng)
    failed = rng.random() < 0.03
    invoked = argv[0] if argv[0].startswith("/") else f"/usr/bin/{argv[0]}"
    _syscall(
        host,
        proc,
        (59, "execve"),
        (not failed, -2 if failed else 0),
        invoked.rsplit("/", 1)[-1],
        exe,
        1 if failed else 2,
        host.exec_key,
    )
    if not failed:
        _execve_records(host, argv)
    host.record("CWD", f"cwd={untrusted(proc.cwd)}")
    if failed:
        _path(host, 0, f"/usr/local/sbin/{argv[0].rsplit('/', 1)[-1]}", "0", (0, "root"), "UNKNOWN")
    else:
        _path(host, 0, invoked, "0100755", (0, "root"))
        _path(host, 1, "/lib64/ld-linux-x86-64.so.2", "0100755", (0, "root"))
    title = "\x00".join(argv).encode()[:128].decode("utf-8", "replace")
    host.record("PROCTITLE", f"proctitle={untrusted(title)}")
    host.record("EOE", "")


def watch_event(host: Host, rng: random.Random, proc: Proc, exe: str, argv: Argv) -> None:
    """An openat(2) of a watched credential file (-w PATH -p r -k KEY); sometimes denied."""
    host.event(rng)
    path, key = rng.choice(CRED_WATCHES)
    home = f"/home/{proc.user}" if proc.uid else "/root"
    name = path if path.startswith("/") else f"{home}/{path}"
    denied = (path == "/etc/shadow" and proc.uid != 0) or rng.random() < 0.05
    _syscall(
        host,
        proc,
        (257, "openat"),
        (not denied, -13 if denied else 3),
        exe.rsplit("/", 1)[-1],
        exe,
        1,
        f'"{key}"',
    )
    host.record("CWD", f"cwd={untrusted(proc.cwd)}")
    _path(host, 0, name, "0100600", (proc.uid, proc.user))
    title = "\x00".join(argv).encode()[:128].decode("utf-8", "replace")
    host.record("PROCTITLE", f"proctitle={untrusted(title)}")
    host.record("EOE", "")


def pam(host: Host, rng: random.Random, kind: str, proc: Proc, op: str) -> None:
    """A user-space PAM record (sshd): one line, its own serial, no EOE."""
    host.event(rng)
    peer = f"10.20.{proc.ses % 250}.7"
    body = (
        f"pid={proc.ppid} uid=0 auid={proc.auid} ses={proc.ses} subj=unconfined "
        f'msg=\'op={op} grantors=pam_unix,pam_systemd acct="{proc.user}" '
        f'exe="/usr/sbin/sshd" hostname={peer} addr={peer} terminal=ssh res=success\''
    )
    host.record(kind, body, f'UID="root" AUID="{proc.user}"')


def litellm_version(rng: random.Random, now: float) -> str:
    """A pinned litellm version; inside the compromise window a quarter are the bad ones."""
    if WINDOW_START <= now <= WINDOW_END and rng.random() < 0.25:
        return rng.choice(BAD_VERSIONS)
    return rng.choice(LITELLM_PINNED)


def install_argv(rng: random.Random, venv: str, now: float) -> tuple[Argv, str]:
    """A pip/uv install command line and the executable the kernel reports."""
    if rng.random() < 0.3:
        target = f"litellm=={litellm_version(rng, now)}"
        target = target if rng.random() < 0.8 else "litellm" + rng.choice(LITELLM_SPECS)
    else:
        name, pinned, specs = rng.choice(PACKAGES)
        target = f"{name}=={rng.choice(pinned)}" if rng.random() < 0.8 else name + rng.choice(specs)
    python = f"{venv}/bin/python3"
    roll = rng.random()
    if roll < 0.35:
        return [python, f"{venv}/bin/pip", "install", target], "/usr/bin/python3.11"
    if roll < 0.55:
        return [python, "-m", "pip", "install", "-r", "requirements.txt"], "/usr/bin/python3.11"
    if roll < 0.7:
        return [python, "-m", "pip", "install", "--upgrade", target], "/usr/bin/python3.11"
    if roll < 0.8:
        return ["uv", "pip", "install", target], "/usr/local/bin/uv"
    if roll < 0.88:
        return ["uv", "add", target], "/usr/local/bin/uv"
    if roll < 0.94:
        return ["uv", "sync", "--frozen"], "/usr/local/bin/uv"
    return ["/bin/bash", "-c", f"pip install {target} && python -m app.main"], "/usr/bin/bash"


def python_argv(rng: random.Random, venv: str) -> Argv:
    python = f"{venv}/bin/python3"
    roll = rng.random()
    if roll < 0.3:
        return [python, "-m", "pytest", "-q", "tests/"]
    if roll < 0.55:
        return [python, "-m", rng.choice(("app.main", "agent.run", "eval.harness"))]
    if roll < 0.7:
        return [python, "-c", "import litellm; print(litellm.__version__)"]
    if roll < 0.8:
        return [python, f"{venv}/bin/litellm", "--config", "proxy.yaml", "--port", "4000"]
    if roll < 0.999:
        return [python, "manage.py", rng.choice(("migrate", "check", "collectstatic"))]
    code = "import json; rows = " + json.dumps([f"r{i:05d}" for i in range(900)]) + "; print(rows)"
    return [python, "-c", code]  # over 7.5 KB hex: split into a2[0], a2[1], ...


def secret_argv(rng: random.Random) -> tuple[Argv, str]:
    """A command line that carries a secret (header or env assignment)."""
    token = f"{rng.getrandbits(160):040x}"
    if rng.random() < 0.5:
        return [
            "curl",
            "-sH",
            f"Authorization: Bearer ghp_{token}",
            "https://api.github.com/user",
        ], "/usr/bin/curl"
    return ["env", f"OPENAI_API_KEY=sk-proj-{token}", "python3", "agent.py"], "/usr/bin/env"


def command(host: Host, rng: random.Random, proc: Proc, venv: str) -> None:
    """One command of a session: a tool, python, an install, a credential read, a secret."""
    roll = rng.random()
    child = Proc(
        host.next_pid(rng), proc.pid, proc.uid, proc.user, proc.auid, proc.ses, proc.tty, proc.cwd
    )
    if roll < 0.40:
        exe, argv = rng.choice(TOOLS)
        exec_event(host, rng, child, argv, exe)
    elif roll < 0.72:
        exec_event(host, rng, child, python_argv(rng, venv), "/usr/bin/python3.11")
    elif roll < 0.90:
        argv, exe = install_argv(rng, venv, host.now)
        exec_event(host, rng, child, argv, exe)
        if "pip" in argv and rng.random() < 0.3:  # pip building an sdist in a subprocess
            hook = f"{venv}/lib/python3.11/site-packages/pip/_vendor/pyproject_hooks/_in_process"
            build = Proc(
                host.next_pid(rng),
                child.pid,
                proc.uid,
                proc.user,
                proc.auid,
                proc.ses,
                proc.tty,
                proc.cwd,
            )
            exec_event(
                host,
                rng,
                build,
                [
                    "/usr/bin/python3.11",
                    f"{hook}/_in_process.py",
                    "build_wheel",
                    "/tmp/tmpk2v9xq1a",
                ],
                "/usr/bin/python3.11",
            )
    elif roll < 0.97:
        watch_event(host, rng, child, "/usr/bin/python3.11", [f"{venv}/bin/python3", "-m", "app"])
    elif roll < 0.995:
        sudo(host, rng, child)
    else:
        argv, exe = secret_argv(rng)
        exec_event(host, rng, child, argv, exe)


def sudo(host: Host, rng: random.Random, proc: Proc) -> None:
    """sudo's USER_CMD record (hex cmd), then the execve of the command as root."""
    host.event(rng)
    cmd = rng.choice(("systemctl restart app", "apt-get install -y jq", "cat /etc/shadow"))
    body = (
        f"pid={proc.pid} uid={proc.uid} auid={proc.auid} ses={proc.ses} subj=unconfined "
        f'msg=\'cwd={untrusted(proc.cwd)} cmd={untrusted(cmd)} exe="/usr/bin/sudo" '
        f"terminal={proc.tty.replace('pts', 'pts/')} res=success'"
    )
    host.record("USER_CMD", body, f'UID="{proc.user}" AUID="{proc.user}"')
    root = Proc(host.next_pid(rng), proc.pid, 0, "root", proc.auid, proc.ses, proc.tty, proc.cwd)
    argv = cmd.split()
    exec_event(host, rng, root, argv, f"/usr/bin/{argv[0]}")


def login_session(host: Host, rng: random.Random) -> Iterator[Lines]:
    """An ssh login (PAM records, ses/auid set), commands in a project venv, logout."""
    user, uid = rng.choice(USERS)
    host.ses += 1
    project = rng.choice(("chat", "eval", "tools", "proxy"))
    sshd = host.next_pid(rng)
    shell = Proc(
        host.next_pid(rng),
        sshd,
        uid,
        user,
        uid,
        host.ses,
        f"pts{host.ses % 8}",
        f"/home/{user}/{project}",
    )
    for kind, op in (
        ("USER_ACCT", "PAM:accounting"),
        ("CRED_ACQ", "PAM:setcred"),
        ("USER_START", "PAM:session_open"),
    ):
        pam(host, rng, kind, shell, op)
    yield host.take()
    for _ in range(rng.randint(5, 80)):
        host.tick(rng)
        command(host, rng, shell, f"/home/{user}/{project}/.venv")
        yield host.take()
    host.tick(rng)
    pam(host, rng, "USER_END", shell, "PAM:session_close")
    pam(host, rng, "CRED_DISP", shell, "PAM:setcred")
    yield host.take()


def job_session(host: Host, rng: random.Random) -> Iterator[Lines]:
    """A CI job (ses/auid unset, one process tree) or a pod's processes (root, no login)."""
    runner = host.kind == "runner"
    repo = rng.choice(("api", "web", "ml", "infra"))
    cwd = f"/home/runner/work/{repo}/{repo}" if runner else "/app"
    uid, user = (1001, "runner") if runner else (0, "root")
    top = Proc(host.next_pid(rng), 1, uid, user, cwd=cwd)
    script = ["/usr/bin/bash", "-e", f"/home/runner/work/_temp/{rng.getrandbits(64):016x}.sh"]
    exec_event(
        host,
        rng,
        top,
        script if runner else ["/bin/sh", "-c", "python -m app.main"],
        "/usr/bin/bash" if runner else "/usr/bin/dash",
    )
    yield host.take()
    venv = f"{cwd}/.venv" if runner else "/opt/venv"
    for _ in range(rng.randint(8, 60)):
        host.tick(rng, 0.5)
        command(host, rng, top, venv)
        yield host.take()


def host_stream(host: Host, rng: random.Random) -> Iterator[tuple[float, Lines]]:
    """The host's sessions one after another, with idle time between them."""
    session = login_session if host.kind == "agent" else job_session
    while True:
        for lines in session(host, rng):
            yield host.now, lines
        host.tick(rng, 10.0)


def auditd_lines(args: argparse.Namespace) -> Iterator[str]:
    """The merged log of all hosts, in time order, without end."""
    rng = random.Random(args.seed)
    start = args.start.timestamp()
    gap = args.days * 86400 * args.hosts / max(1.0, args.auditd / LINES_PER_EVENT)
    heap: list[tuple[float, int, Lines, Iterator[tuple[float, Lines]]]] = []
    for index in range(args.hosts):
        roll = rng.random()
        kind = next(k for k, share in HOST_KINDS if roll < share)
        host = Host(
            f"{kind}-{index:04d}.prod.internal",
            kind,
            rng.random() < 0.3,
            rng.choice(('"exec"', "(null)")),
            start + rng.uniform(0, gap * 5),
            gap,
        )
        stream = host_stream(host, rng)
        ts, lines = next(stream)
        heap.append((ts, index, lines, stream))
    heapq.heapify(heap)
    while True:
        _, index, lines, stream = heap[0]
        yield from lines
        ts, lines = next(stream)
        heapq.heapreplace(heap, (ts, index, lines, stream))


def write_auditd(args: argparse.Namespace) -> Path:
    """Exactly ``args.auditd`` lines into ``auditd-N-sSEED.log`` (``.gz`` with --gzip-auditd)."""
    suffix = ".log.gz" if args.gzip_auditd else ".log"
    target: Path = args.out / f"auditd-{args.auditd}-s{args.seed}{suffix}"
    with _text_output(target) as out:
        batch: Lines = []
        for count, line in enumerate(auditd_lines(args), 1):
            batch.append(line)
            if len(batch) == 8192 or count == args.auditd:
                out.write("\n".join(batch) + "\n")
                batch.clear()
            if count == args.auditd:
                break
    return target


def _text_output(path: Path) -> TextIO:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix != ".gz":
        return path.open("w", encoding="utf-8", newline="\n")
    raw = gzip.GzipFile(filename="", mode="wb", fileobj=path.open("wb"), mtime=0)
    return io.TextIOWrapper(raw, encoding="utf-8", newline="\n")


# ---------------------------------------------------------------- CloudTrail

ACCOUNT = "123456789012"
REGIONS = (("us-east-1", 0.70), ("eu-west-1", 0.90), ("us-west-2", 1.0))  # cumulative shares
BUCKETS = ("ml-datasets-prod", "app-artifacts", "tf-state-prod", "logs-archive")
AGENTS = (
    "aws-cli/2.17.60 md/awscrt#0.21.5 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6 "
    "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 "
    "md/prompt#off md/command#s3.cp",
    "Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/linux#6.1.0 md/arch#x86_64 "
    "lang/python#3.11.10 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.54",
    "aws-sdk-go-v2/1.30.4 os/linux lang/go#1.22.6 md/GOOS#linux md/GOARCH#amd64 api/s3#1.58.3",
    "APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) "
    "terraform-provider-aws/5.66.0 aws-sdk-go-v2/1.30.4 ua/2.1 os/linux lang/go#1.22.6",
)
ATTACKER_AGENTS = (
    "python-requests/2.32.3",
    "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.15.0 lang/python#3.10.12",
)
Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Principal:
    """An IAM user (long-term AKIA key) or a role (hourly ASIA session keys)."""

    name: str
    role: bool
    ident: str
    ips: tuple[str, ...]
    agent: str


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def identity(p: Principal, now: float) -> Json:
    """``userIdentity`` of a principal at ``now`` (role sessions change every hour)."""
    if not p.role:
        return {
            "type": "IAMUser",
            "principalId": f"AIDA{p.ident[4:]}",
            "arn": f"arn:aws:iam::{ACCOUNT}:user/{p.name}",
            "accountId": ACCOUNT,
            "accessKeyId": p.ident,
            "userName": p.name,
        }
    hour = int(now // 3600)
    key = f"ASIA{zlib.crc32(f'{p.name}/{hour}'.encode()):08X}{zlib.crc32(p.ident.encode()):08X}"
    session = f"botocore-session-{hour * 3600}"
    issuer = {
        "type": "Role",
        "principalId": p.ident,
        "accountId": ACCOUNT,
        "arn": f"arn:aws:iam::{ACCOUNT}:role/{p.name}",
        "userName": p.name,
    }
    return {
        "type": "AssumedRole",
        "principalId": f"{p.ident}:{session}",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{p.name}/{session}",
        "accountId": ACCOUNT,
        "accessKeyId": key,
        "sessionContext": {
            "sessionIssuer": issuer,
            "attributes": {"creationDate": iso(hour * 3600), "mfaAuthenticated": "false"},
        },
    }


def _s3(rng: random.Random, region: str, name: str) -> Json:
    bucket = rng.choice(BUCKETS)
    folder = rng.choice(("train", "eval", "builds"))
    key = f"{folder}/2026/03/part-{rng.randrange(99999):05d}.parquet"
    params: Json = {"bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com"}
    if name == "ListObjects":
        params.update({"prefix": key.rsplit("/", 1)[0] + "/", "list-type": "2"})
    else:
        params["key"] = key
    return {
        "requestParameters": params,
        "resources": [
            {"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
            {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"},
        ],
        "additionalEventData": {
            "SignatureVersion": "SigV4",
            "CipherSuite": "TLS_AES_128_GCM_SHA256",
            "bytesTransferredIn": 0 if name != "PutObject" else rng.randrange(1 << 20),
            "AuthenticationMethod": "AuthHeader",
            "x-amz-id-2": f"{rng.getrandbits(256):064x}",
            "bytesTransferredOut": rng.randrange(1 << 22),
        },
    }


def _kms(rng: random.Random, region: str, name: str) -> Json:
    key = f"arn:aws:kms:{region}:{ACCOUNT}:key/{_uuid(rng)}"
    context = {"aws:s3:arn": "arn:aws:s3:::app-artifacts"}
    return {
        "requestParameters": {
            "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
            "keyId": key,
            "encryptionContext": context,
        },
        "resources": [{"accountId": ACCOUNT, "type": "AWS::KMS::Key", "ARN": key}],
    }


def _misc(rng: random.Random, region: str, name: str) -> Json:
    params: Any = {
        "AssumeRole": {
            "roleArn": f"arn:aws:iam::{ACCOUNT}:role/deploy",
            "roleSessionName": f"ci-{rng.getrandbits(32):08x}",
            "durationSeconds": 3600,
        },
        "DescribeInstances": {
            "instancesSet": {},
            "filterSet": {
                "items": [{"name": "tag:team", "valueSet": {"items": [{"value": "ml"}]}}]
            },
        },
        "GetSecretValue": {"secretId": f"prod/{rng.choice(('db', 'openai', 'stripe'))}"},
        "GetItem": {"tableName": "sessions", "key": {"pk": f"s#{rng.getrandbits(48):012x}"}},
        "Invoke": {"functionName": f"arn:aws:lambda:{region}:{ACCOUNT}:function:resize"},
    }.get(name)
    return {"requestParameters": params}


ACTIONS: tuple[tuple[str, str, bool, bool, Callable[[random.Random, str, str], Json]], ...] = (
    ("s3.amazonaws.com", "GetObject", True, True, _s3),
    ("s3.amazonaws.com", "PutObject", False, True, _s3),
    ("s3.amazonaws.com", "ListObjects", True, True, _s3),
    ("s3.amazonaws.com", "ListBuckets", True, False, _misc),
    ("sts.amazonaws.com", "AssumeRole", True, False, _misc),
    ("sts.amazonaws.com", "GetCallerIdentity", True, False, _misc),
    ("ec2.amazonaws.com", "DescribeInstances", True, False, _misc),
    ("kms.amazonaws.com", "Decrypt", True, False, _kms),
    ("kms.amazonaws.com", "GenerateDataKey", True, False, _kms),
    ("secretsmanager.amazonaws.com", "GetSecretValue", True, False, _misc),
    ("ecr.amazonaws.com", "GetAuthorizationToken", True, False, _misc),
    ("dynamodb.amazonaws.com", "GetItem", True, True, _misc),
    ("lambda.amazonaws.com", "Invoke", False, True, _misc),
    ("iam.amazonaws.com", "ListRoles", True, False, _misc),
)
ACTION_WEIGHTS = (30, 40, 46, 48, 56, 60, 70, 78, 82, 86, 89, 95, 98, 100)  # cumulative


def principals(rng: random.Random) -> list[Principal]:
    """20 users (ci-deployer, terraform, people...) and 12 roles with their IPs and agents."""
    found: list[Principal] = []
    for i in range(32):
        role = i >= 20
        name = f"{'role' if role else 'user'}-{('ci', 'ml', 'ops', 'web')[i % 4]}-{i:02d}"
        ident = f"{'AROA' if role else 'AKIA'}{rng.getrandbits(64):016X}"
        ips = tuple(
            f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            if role
            else f"198.51.100.{rng.randrange(1, 255)}"
            for _ in range(3)
        )
        found.append(Principal(name, role, ident, ips, rng.choice(AGENTS)))
    return found


def ct_record(rng: random.Random, now: float, region: str, people: list[Principal]) -> Json:
    """One CloudTrail record; 5% AWS-service calls, 2% errors, leaked keys used after the window."""
    source, name, read_only, data, build = rng.choices(ACTIONS, cum_weights=ACTION_WEIGHTS)[0]
    if rng.random() < 0.05:
        caller = rng.choice(("s3.amazonaws.com", "ec2.amazonaws.com", "lambda.amazonaws.com"))
        who: Json = {"type": "AWSService", "invokedBy": caller}
        ip = agent = caller
    elif now > WINDOW_START + 3600 and rng.random() < 0.01:  # stolen keys, from elsewhere
        who = identity(rng.choice(people[:2]), now)
        ip, agent = f"203.0.113.{rng.randrange(1, 255)}", rng.choice(ATTACKER_AGENTS)
    else:
        person = rng.choice(people)
        who, ip, agent = identity(person, now), rng.choice(person.ips), person.agent
    record: Json = {
        "eventVersion": "1.10" if data else "1.09",
        "userIdentity": who,
        "eventTime": iso(now),
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": ip,
        "userAgent": agent,
        "requestParameters": None,
        "responseElements": None,
    }
    record.update(build(rng, region, name))
    if rng.random() < 0.02:
        record.update(
            errorCode="AccessDenied",
            errorMessage=f"User is not authorized to perform: {source.split('.')[0]}:{name}",
        )
    record.update(
        requestID=_uuid(rng),
        eventID=_uuid(rng),
        readOnly=read_only,
        eventType="AwsApiCall",
        managementEvent=not data,
        recipientAccountId=ACCOUNT,
        eventCategory="Data" if data else "Management",
        tlsDetails={
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": f"{source.split('.')[0]}.{region}.amazonaws.com",
        },
    )
    return record


@dataclass(slots=True)
class Delivery:
    """The records of one region's current 5-minute delivery window (one pending file)."""

    region: str
    window: int
    records: Lines = field(default_factory=list)


def _deliver(root: Path, rng: random.Random, pending: Delivery, compress: bool) -> int:
    """Write one ``{"Records": [...]}`` file under the S3 layout; returns its size."""
    delivered = time.gmtime((pending.window + 1) * 300)
    folder = (
        root
        / "AWSLogs"
        / ACCOUNT
        / "CloudTrail"
        / pending.region
        / time.strftime("%Y/%m/%d", delivered)
    )
    folder.mkdir(parents=True, exist_ok=True)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    unique = "".join(rng.choice(letters) for _ in range(16))
    when = time.strftime("%Y%m%dT%H%MZ", delivered)
    name = f"{ACCOUNT}_CloudTrail_{pending.region}_{when}_{unique}"
    data = ('{"Records":[' + ",".join(pending.records) + "]}").encode()
    if compress:
        data = gzip.compress(data, compresslevel=6, mtime=0)
    target = folder / (name + (".json.gz" if compress else ".json"))
    target.write_bytes(data)
    return len(data)


def write_cloudtrail(args: argparse.Namespace) -> tuple[Path, int, int]:
    """``args.cloudtrail`` records under ``cloudtrail-N-sSEED/``; returns (folder, files, bytes)."""
    root: Path = args.out / f"cloudtrail-{args.cloudtrail}-s{args.seed}"
    if root.exists():
        shutil.rmtree(root)  # our own earlier output: never mix two runs' files
    rng = random.Random(f"cloudtrail-{args.seed}")
    people = principals(rng)
    encode = json.JSONEncoder(separators=(",", ":")).encode
    now, gap = args.ct_start.timestamp(), args.ct_days * 86400 / max(1, args.cloudtrail)
    pending: dict[str, Delivery] = {}
    files = size = 0
    for _ in range(args.cloudtrail):
        now += rng.expovariate(1 / gap)
        roll = rng.random()
        region = next(r for r, share in REGIONS if roll < share)
        current = pending.get(region)
        if current and (
            current.window != int(now // 300) or len(current.records) >= args.ct_max_per_file
        ):
            size += _deliver(root, rng, current, args.gzip)
            files, current = files + 1, None
        if current is None:
            current = pending[region] = Delivery(region, int(now // 300))
        current.records.append(encode(ct_record(rng, now, region, people)))
    for current in pending.values():
        size += _deliver(root, rng, current, args.gzip)
        files += 1
    return root, files, size


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--auditd", type=int, default=0, help="auditd lines to write (0: none)")
    parser.add_argument("--cloudtrail", type=int, default=0, help="CloudTrail records (0: none)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hosts", type=int, default=200, help="audited hosts (auditd)")
    parser.add_argument(
        "--start",
        type=datetime.fromisoformat,
        default=datetime(2026, 3, 20, tzinfo=UTC),
        help="auditd log start",
    )
    parser.add_argument("--days", type=float, default=8.0, help="auditd log time span")
    parser.add_argument("--gzip-auditd", action="store_true", help="write audit.log gzipped")
    parser.add_argument(
        "--ct-start",
        type=datetime.fromisoformat,
        default=datetime(2026, 3, 24, tzinfo=UTC),
        help="CloudTrail start",
    )
    parser.add_argument(
        "--ct-days",
        type=float,
        default=1.0,
        help="CloudTrail time span (1 day: a busy account, ~870 files per 1M)",
    )
    parser.add_argument(
        "--ct-max-per-file",
        type=int,
        default=5000,
        help="records per CloudTrail file at most (more files in a window)",
    )
    parser.add_argument(
        "--gzip",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="gzip the CloudTrail files, as CloudTrail delivers them",
    )
    parser.add_argument("--out", type=Path, default=OUT, help="output folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.auditd > 0:
        began = time.perf_counter()
        target = write_auditd(args)
        print(
            f"{target}: {args.auditd} lines, {target.stat().st_size / 1e6:.1f} MB in "
            f"{time.perf_counter() - began:.1f} s",
            file=sys.stderr,
        )
    if args.cloudtrail > 0:
        began = time.perf_counter()
        root, files, size = write_cloudtrail(args)
        print(
            f"{root}: {args.cloudtrail} records in {files} files, {size / 1e6:.1f} MB in "
            f"{time.perf_counter() - began:.1f} s",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
