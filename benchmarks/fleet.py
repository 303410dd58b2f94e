"""A synthetic fleet of agent, CI and pod sessions writing scoper audit events.

Each session is a generator of ``(epoch_seconds, event)`` in time order; generate.py
merges them. All randomness comes from one ``random.Random`` so output is
deterministic for a seed. Secrets are fake but look real enough to be fingerprinted.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

Event = dict[str, object]
Timed = tuple[float, Event]

WINDOW_START = datetime(2026, 3, 24, 10, 39, tzinfo=UTC).timestamp()
WINDOW_END = datetime(2026, 3, 24, 16, 0, tzinfo=UTC).timestamp()
BAD_VERSIONS = ("1.82.7", "1.82.8")

# (name as installers spell it, pinned versions, unpinned specs)
PACKAGES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("requests", ("2.32.3", "2.31.0"), (">=2.28", "")),
    ("urllib3", ("2.2.3",), ("<3,>=1.21.1",)),
    ("numpy", ("2.1.3", "1.26.4"), (">=1.24",)),
    ("pandas", ("2.2.3",), ("",)),
    ("pydantic", ("2.9.2", "2.10.6"), ("~=2.9",)),
    ("fastapi", ("0.115.4",), (">=0.110",)),
    ("openai", ("1.54.3", "1.66.0"), (">=1.40",)),
    ("anthropic", ("0.39.0",), ("",)),
    ("boto3", ("1.35.54",), (">=1.34",)),
    ("PyYAML", ("6.0.2",), ("",)),
    ("typing_extensions", ("4.12.2",), (">=4.8",)),
    ("tiktoken", ("0.8.0",), ("",)),
)
LITELLM_PINNED: tuple[str, ...] = ("1.82.6", "1.82.6", "1.81.15", "1.80.11")
LITELLM_SPECS: tuple[str, ...] = (">=1.80", "~=1.82", "")
MODULES = (
    "openai",
    "requests",
    "numpy",
    "pandas",
    "yaml",
    "boto3",
    "anthropic",
    "httpx",
    "pydantic",
    "fastapi",
    "litellm",
    "tiktoken",
)
PROGRAMS = ("python3", "python", "python3.11", "pip", "git", "bash", "node", "curl", "kubectl")
PROGRAM_WEIGHTS = (50, 60, 66, 74, 82, 88, 92, 96, 100)  # cumulative: python ~2/3 of execs
DESTS = (
    "api.openai.com:443",
    "api.anthropic.com:443",
    "pypi.org:443",
    "files.pythonhosted.org:443",
    "github.com:443",
    "s3.amazonaws.com:443",
)
FILES = ("/etc/hosts", "/srv/app/config.yaml", "/tmp/work/output.json", "~/.aws/credentials")
ENV_NAMES = (
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GITHUB_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "HF_TOKEN",
    "DATABASE_URL",
    "SLACK_BOT_TOKEN",
)
# (session kind, host name prefix, share of sessions and hosts)
SESSION_KINDS = (("agent", "agent", 0.50), ("ci", "runner", 0.35), ("pod", "node", 0.15))
KIND_WEIGHTS = (0.50, 0.85, 1.0)  # cumulative
NORMAL_UA = (
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.1",
    "Boto3/1.35.54 md/Botocore#1.35.54",
    "terraform/1.9.5",
)


@dataclass(frozen=True, slots=True)
class Secret:
    """A credential of the fleet: shared by many sessions, used from a couple of IPs."""

    name: str
    value: str
    key_id: str | None
    home_ips: tuple[str, str]


@dataclass(slots=True)
class Fleet:
    """Hosts, secrets and images of one synthetic fleet, and its event generators."""

    rng: random.Random
    hosts: int
    events_per_session: int
    session_seconds: float
    secrets: list[Secret] = field(default_factory=list)
    leaked: list[Secret] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    sessions_started: int = 0

    def __post_init__(self) -> None:
        rng = self.rng
        for i in range(max(20, self.hosts // 2)):
            name = ENV_NAMES[i % len(ENV_NAMES)]
            key_id = f"AKIA{rng.getrandbits(64):016X}" if name == "AWS_ACCESS_KEY_ID" else None
            ips = (f"198.51.100.{rng.randrange(1, 255)}", f"192.0.2.{rng.randrange(1, 255)}")
            self.secrets.append(Secret(name, _fake_value(rng, name), key_id, ips))
        self.images = [f"sha256:{rng.getrandbits(256):064x}" for _ in range(20)]

    def session(self, start: float, bad: bool = False) -> Iterator[Timed]:
        """One session's events from ``start``; a ``bad`` one installs litellm 1.82.7/8 last."""
        rng = self.rng
        self.sessions_started += 1
        kind, prefix, share = rng.choices(SESSION_KINDS, cum_weights=KIND_WEIGHTS)[0]
        sid = f"{kind}-{self.sessions_started:08d}-{rng.getrandbits(32):08x}"
        base: Event = {
            "session": sid,
            "host": f"{prefix}-{rng.randrange(max(1, int(self.hosts * share))):04d}",
        }
        head: Event = {
            "ts": start,
            "event": "session_start",
            **base,
            "kind": kind,
            "actor": _actor(rng, kind),
            "environment": _environment(rng, kind),
        }
        if kind != "agent":
            head["image_digest"] = rng.choice(self.images)
        yield start, head
        held = list({s.name: s for s in rng.sample(self.secrets, rng.randint(1, 4))}.values())
        count = rng.randint(max(8, self.events_per_session // 2), self.events_per_session * 3 // 2)
        gap = self.session_seconds / count
        now = start
        for secret in held:
            now += rng.expovariate(4 / gap)
            yield now, self._credential(now, base, secret)
        installs = {"agent": rng.randint(0, 5), "ci": rng.randint(3, 20), "pod": 0}[kind]
        for i in range(count - len(held) - 2):
            now += rng.expovariate(1 / gap)
            if bad and i == installs:
                self.leaked.extend(held)
                yield (
                    now,
                    {
                        "ts": now,
                        "event": "install",
                        **base,
                        "package": "litellm",
                        "version": rng.choice(BAD_VERSIONS),
                        "installer": "pip",
                    },
                )
            elif i < installs:
                yield now, self._install(now, base)
            else:
                yield now, self._activity(now, base)
        if rng.random() < 0.95:
            yield now + 1, {"ts": now + 1, "event": "session_end", **base}

    def _credential(self, now: float, base: Event, secret: Secret) -> Event:
        event: Event = {
            "ts": now,
            "event": "credential",
            **base,
            "name": secret.name,
            "value": secret.value,
        }
        if secret.key_id:
            event["key_id"] = secret.key_id
        if self.rng.random() < 0.1:
            event.update(
                name="aws-credentials",
                path="/home/runner/.aws/credentials",
                kind="aws-credentials-file",
                **{"class": "cloud-files"},
            )
        return event

    def _install(self, now: float, base: Event) -> Event:
        rng = self.rng
        event: Event = {
            "ts": now,
            "event": "install",
            **base,
            "installer": rng.choice(("pip", "pip", "uv", "poetry")),
        }
        if rng.random() < 0.15:
            event["package"] = "litellm"
            pinned, specs = LITELLM_PINNED, LITELLM_SPECS
        else:
            name, pinned, specs = rng.choice(PACKAGES)
            event["package"] = name
        if rng.random() < 0.8:
            event["version"] = rng.choice(pinned)
            if rng.random() < 0.3:
                event["hashes"] = [f"sha256:{rng.getrandbits(256):064x}"]
        elif spec := rng.choice(specs):
            event["spec"] = spec
        return event

    def _activity(self, now: float, base: Event) -> Event:
        rng = self.rng
        roll = rng.random()
        if roll < 0.55:
            program = rng.choices(PROGRAMS, cum_weights=PROGRAM_WEIGHTS)[0]
            return {
                "ts": now,
                "event": "exec",
                **base,
                "program": program,
                "command": _command(rng, program),
            }
        if roll < 0.82:
            module = rng.choice(MODULES)
            if module == "litellm" and rng.random() < 0.1:
                module = "litellm.proxy.proxy_server"
            return {"ts": now, "event": "import", **base, "module": module, "program": "python3"}
        if roll < 0.93:
            return {
                "ts": now,
                "event": "network",
                **base,
                "program": "python3",
                "dest": rng.choice(DESTS),
            }
        return {
            "ts": now,
            "event": "file",
            **base,
            "program": "python3",
            "path": rng.choice(FILES),
            "action": rng.choice(("read", "read", "write")),
        }

    def cloud_uses(self, start: float, gap: float) -> Iterator[Timed]:
        """Credential uses seen by a cloud provider; leaked keys get used from odd places."""
        rng = self.rng
        now = start
        while True:
            now += rng.expovariate(1 / gap)
            attacker = bool(self.leaked) and now > WINDOW_START and rng.random() < 0.05
            secret = rng.choice(self.leaked if attacker else self.secrets)
            event: Event = {
                "ts": now,
                "event": "credential_use",
                "principal": f"arn:aws:iam::123456789012:user/{secret.name.lower()}",
                "source_ip": f"203.0.113.{rng.randrange(1, 255)}"
                if attacker
                else rng.choice(secret.home_ips),
                "user_agent": "python-requests/2.32.3" if attacker else rng.choice(NORMAL_UA),
                "action": rng.choice(("GetCallerIdentity", "ListBuckets", "GetObject")),
            }
            if secret.key_id:
                event["key_id"] = secret.key_id
            else:
                event["value"] = secret.value
            yield now, event


def _fake_value(rng: random.Random, name: str) -> str:
    body = f"{rng.getrandbits(160):040x}"
    prefix = {
        "OPENAI_API_KEY": "sk-proj-",
        "ANTHROPIC_API_KEY": "sk-ant-api03-",
        "GITHUB_TOKEN": "ghp_",
        "HF_TOKEN": "hf_",
        "SLACK_BOT_TOKEN": "xoxb-",
    }.get(name, "")
    if name == "DATABASE_URL":
        return f"postgres://app:{body[:20]}@db.internal:5432/app"
    return prefix + body


def _actor(rng: random.Random, kind: str) -> str:
    if kind == "agent":
        return rng.choice(("alice@example.com", "bob@example.com", "svc-agent"))
    if kind == "ci":
        return rng.choice(("github-actions[bot]", "ci-deploy", "release-bot"))
    return "system:serviceaccount:ml:inference"


def _environment(rng: random.Random, kind: str) -> str:
    if kind == "agent":
        return f"/home/agent/envs/{rng.choice(('chat', 'eval', 'tools', 'proxy'))}"
    if kind == "ci":
        return f"/home/runner/work/{rng.choice(('api', 'web', 'ml', 'infra'))}/.venv"
    return "/opt/venv"


def _command(rng: random.Random, program: str) -> str:
    if program.startswith("python"):
        return (
            f"{program} -m {rng.choice(('agent.run', 'app.main', 'pytest', 'eval'))} "
            f"--task {rng.randrange(100000)}"
        )
    if program == "curl" and rng.random() < 0.2:
        return (
            f"curl -H 'Authorization: Bearer ghp_{rng.getrandbits(128):032x}' "
            "https://api.github.com/user"
        )
    return {
        "pip": "pip install -r requirements.txt",
        "git": "git fetch origin main",
        "bash": "bash -c ./scripts/setup.sh",
        "node": "node build.js",
        "kubectl": "kubectl get pods -n ml",
    }.get(program, f"{program} --version")
