"""The normalised records every source yields.

Nothing downstream of ``scoper.sources`` branches on the input format: parsers
turn their format into these records and the store loads them as rows.
Times are timezone-aware UTC datetimes, or None when the input has none
(never a made-up "now").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

Ecosystem = Literal["PyPI", "npm", "conda", "GitHub Actions", "Go", "generic"]
ArtifactKind = Literal["lockfile", "sbom", "environment", "inventory"]
SessionKind = Literal["agent", "ci", "pod", "shell", "host", "process"]
EventKind = Literal[
    "install", "uninstall", "exec", "import", "credential", "network", "file", "env_end"
]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a fact came from: the input file and, where the format has lines, the line."""

    file: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Artifact:
    """A thing that holds packages: a lockfile, an SBOM subject, an environment.

    ``key`` is local to one parsed file; the store turns it into a global id.
    """

    key: str
    kind: ArtifactKind
    name: str
    origin: Origin
    digest: str | None = None  # image digest "sha256:..." of an SBOM subject
    created_at: datetime | None = None
    host: str | None = None
    environment: str | None = None  # e.g. "/opt/app/.venv" for an inventory


@dataclass(frozen=True, slots=True)
class Package:
    """One package entry of an artifact.

    ``version`` is only set when the input pins an exact version; an unpinned
    requirement keeps its ``spec`` (e.g. ">=1.80") and no version.
    ``name`` is canonical (PEP 503 for PyPI); ``display_name`` as written.
    """

    artifact_key: str
    ecosystem: str
    name: str
    origin: Origin
    version: str | None = None
    spec: str | None = None
    display_name: str | None = None
    purl: str | None = None
    hashes: tuple[str, ...] = ()  # "sha256:<hex>"
    direct: bool | None = None
    groups: tuple[str, ...] = ()
    commit: str | None = None
    source_url: str | None = None
    location: str | None = None  # path inside an image or tree


@dataclass(frozen=True, slots=True)
class ArtifactFile:
    """A file of interest inside an artifact, with its digest (e.g. a ``.pth`` startup hook).

    Matched against advisories' file hashes: a known-bad ``litellm_init.pth`` in a
    site-packages folder is direct evidence even without package metadata.
    """

    artifact_key: str
    path: str
    kind: str  # pth | egg-link | ...
    origin: Origin
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Session:
    """An agent session, CI job, pod or shell: something that runs code."""

    session_id: str
    origin: Origin
    host: str | None = None
    kind: str | None = None
    actor: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    image_digest: str | None = None
    environment: str | None = None
    address: str | None = None  # an address the session was seen using (pod IP, egress IP)


@dataclass(frozen=True, slots=True)
class Event:
    """A timed observation inside a session or on a host."""

    ts: datetime
    kind: str
    origin: Origin
    session_id: str | None = None
    host: str | None = None
    ecosystem: str | None = None
    package: str | None = None  # canonical name
    version: str | None = None
    spec: str | None = None
    environment: str | None = None
    module: str | None = None  # for import events
    program: str | None = None  # for exec events, e.g. "python"
    command: str | None = None  # redacted command line
    interpreter: str | None = None  # "python" when the exec starts a Python interpreter
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Credential:
    """A credential available to a session or host. Never holds the secret value.

    ``harvest_class`` is how a payload reaches it (env, ssh, cloud-files, ...),
    ``kind`` what it is (aws-access-key, github-token, ...). ``fingerprint`` is a
    keyed hash of the value when the value was seen; ``key_id`` a public
    identifier such as an AWS access key id.
    """

    name: str
    kind: str
    origin: Origin
    harvest_class: str = "env"
    session_id: str | None = None
    host: str | None = None
    fingerprint: str | None = None
    key_id: str | None = None
    path: str | None = None
    first_seen: datetime | None = None


@dataclass(frozen=True, slots=True)
class CredentialUse:
    """A credential used somewhere (CloudTrail, Kubernetes audit)."""

    ts: datetime
    origin: Origin
    key_id: str | None = None
    fingerprint: str | None = None
    principal: str | None = None
    source_ip: str | None = None
    user_agent: str | None = None
    action: str | None = None
    outcome: str | None = None  # the failure the service answered (AccessDenied...); None: success
    service: str | None = None  # "aws", "k8s", "github", ... (which system saw the use)
    token_id: str | None = None  # a token's public id (Kubernetes credential id / JTI)
    bound_to: str | None = None  # what the token was minted for ("pod:ns/name")


class AliasKind(StrEnum):
    """The kinds of name a credential identity goes by (docs/identities.md)."""

    ENV_NAME = "env-name"  # a variable name; scoped to the session or host holding it
    FILE = "file"  # a credential file's path; scoped to its host
    HELD = "held"  # "the <family> credentials this session holds" (value: the family)
    FINGERPRINT = "fingerprint"  # keyed hash of a seen value
    KEY_ID = "key-id"  # a public key id (AWS access key id, GCP key id)
    TOKEN_ID = "token-id"  # a token's public id (Kubernetes credential id / JTI)
    PRINCIPAL = "principal"  # IAM user/role ARN, assumed-role session, k8s user, cloud account
    ACCOUNT = "account"  # an AWS account, GCP project, Azure subscription
    K8S_SA = "k8s-sa"  # a Kubernetes service account "ns/name"
    POD = "pod"  # a pod "ns/name" a token was minted for
    OIDC_SUBJECT = "oidc-subject"  # a CI OIDC token's subject ("repo:o/r:ref:refs/heads/main")
    TOKEN_NAME = "token-name"  # a registry token's name (PyPI, npm)


class LinkRule(StrEnum):
    """Why two names belong together (docs/identities.md), each with its confidence."""

    SAME_FINGERPRINT = "same-fingerprint"
    PRINTED = "printed-identity"  # the session printed who it was (sts get-caller-identity)
    OWNER = "owner"  # the service said whose the key is (CloudTrail userIdentity)
    MINTED_FOR = "minted-for"  # a token bound to a pod or job
    USED_WHILE_HELD = "used-while-held"  # used from the session's place during its lifetime
    EXCHANGE = "exchange"  # traded for a derived credential (AssumeRole, TokenRequest)
    MAPPING = "mapping"  # a responder's --identities file


@dataclass(frozen=True, slots=True)
class Alias:
    """One name of a credential identity. ``kind`` is an :class:`AliasKind` value; session-
    and host-scoped kinds (env-name, file, held) are qualified by the link's session/host."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class IdentityLink:
    """Evidence that ``source`` and ``target`` name one credential identity or, when
    ``derived``, that ``target`` was obtained by trading ``source`` (a descendant)."""

    rule: str  # a LinkRule value
    source: Alias
    target: Alias
    origin: Origin
    confidence: str = "confirmed"
    derived: bool = False
    session_id: str | None = None
    host: str | None = None
    ts: datetime | None = None
    fact: str | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """An entry a parser passed over, with the reason (reported, never silent).

    ``informational`` marks entries that lose nothing (a lockfile's own project root,
    an npm link listed again under its target): reported, but the file is not partial.
    ``missing`` marks an input the file names that could not be read (a ``-r`` include):
    the file's picture is incomplete, which fails ``scoper check``.
    """

    origin: Origin
    reason: str
    informational: bool = False
    missing: bool = False


@dataclass(slots=True)
class Records:
    """Everything parsed from one file."""

    artifacts: list[Artifact] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list)
    files: list[ArtifactFile] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)
    credential_uses: list[CredentialUse] = field(default_factory=list)
    identity_links: list[IdentityLink] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def count(self) -> int:
        """Number of records, skipped entries not included."""
        return (
            len(self.artifacts)
            + len(self.packages)
            + len(self.files)
            + len(self.sessions)
            + len(self.events)
            + len(self.credentials)
            + len(self.credential_uses)
            + len(self.identity_links)
        )
