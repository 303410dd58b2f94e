"""Who a GitHub Actions job is: its session id as GitHub names it, and what it holds.

A job's session id is ``github:<owner>/<repo>/runs/<run_id>/attempts/<attempt>/jobs/<job>``
(``<job>`` the job id when known, else the job name as GitHub shows it). The parts come
from the job JSON (``/repos/o/r/actions/jobs/<id>``: ``run_id``, ``run_attempt``, ``id``,
``name``, ``html_url``), the run-log archive's name (``logs_<run_id>.zip``), and the job
log's "Set up job" section (``Job defined at: o/r/.github/workflows/x.yml@refs/heads/main``,
for a reusable workflow the first line of ``Reusable workflow chain:``, the caller;
``Complete job name:``). A part no input gives is written ``unknown`` (the repository
``unknown/unknown``) and the id gets ``/evidence/<sha256 prefix of the input>``: every
downloaded job log is ``1_build.txt``, and two unrelated jobs must never merge.

Every job holds ``GITHUB_TOKEN`` (its "GITHUB_TOKEN Permissions" as a credential event's
detail); with ``IdToken: write`` it can mint OIDC tokens, whose default subject is
``repo:<owner>/<repo>:ref:<ref>`` (a ``minted-for`` link, emitted only when both are read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from scoper.model import Alias, AliasKind, Credential, Event, IdentityLink, LinkRule, Origin
from scoper.sources.audit.commands.place import Place
from scoper.times import parse_time

UNKNOWN = "unknown"
UNKNOWN_REPO = "unknown/unknown"  # never a real id: an incomplete id ends /evidence/<sha>
_DEFINED = re.compile(r"^Job defined at: ([^/\s]+/[^/\s]+)/\.github/workflows/\S+?@(\S+)\s*$")
_CHAIN = re.compile(r"^([^/\s]+/[^/\s]+)/\.github/workflows/\S+?@(\S+)(?: \([0-9a-fA-F]+\))?\s*$")
_NAMED = re.compile(r"^(Runner|Machine) name: '([^']+)'")
_COMPLETE = re.compile(r"^Complete job name: (.+?)\s*$")
_PERMISSION = re.compile(r"^\s*([A-Za-z][A-Za-z-]*): (read|write|none)\s*$")
_IMAGE = re.compile(r"^\s*Image: (\S+)\s*$")
_FETCH = re.compile(
    r"^\[command\]\S*git\b.* fetch .*origin \+(\S+?):refs/remotes/(?:origin/(\S+)|pull/(\d+)/(\w+))"
)
_TAG = re.compile(r"^\[command\]\S*git\b.* fetch .*origin \+\S+?:(refs/tags/\S+)")
_REPO_URL = re.compile(r"^/(?:repos/)?([^/]+/[^/]+)/actions/")


@dataclass(slots=True)
class JobFacts:
    """What the inputs say about one job, read as lines arrive."""

    file_name: str  # the job name the file or column gives (a fallback)
    repo: str | None = None
    ref: str | None = None
    run_id: str | None = None
    attempt: str | None = None
    job_id: str | None = None
    name: str | None = None
    runner: str | None = None
    machine: str | None = None
    image: str | None = None
    started: datetime | None = None
    ended: datetime | None = None
    checkout_ref: str | None = None
    token_persisted: bool = False  # actions/checkout left GITHUB_TOKEN in .git/config
    permissions: dict[str, str] = field(default_factory=dict)
    permissions_at: Place | None = None
    id_token_at: Place | None = None
    defined_at: Place | None = None
    _group: str | None = None
    _chain: bool = False
    _caller: bool = False

    def line(self, text: str, place: Place) -> bool:
        """Take a "Set up job" line; True when it was one (it needs no other reading)."""
        if self._group is not None:
            return self._group_line(text, place)
        if self._chain:
            self._chain = False
            if (caller := _CHAIN.match(text)) is not None:  # the caller: its repo, its ref
                self.repo, self.ref, self._caller = caller.group(1), caller.group(2), True
                return True
        if (defined := _DEFINED.match(text)) is not None:
            if not self._caller:
                self.repo, self.ref = defined.group(1), defined.group(2)
            self.defined_at = self.defined_at or place
        elif text.startswith("Reusable workflow chain:"):
            self._chain = True
        elif (named := _NAMED.match(text)) is not None:
            if named.group(1) == "Runner":
                self.runner = self.runner or named.group(2)
            else:
                self.machine = self.machine or named.group(2)
        elif (complete := _COMPLETE.match(text)) is not None:
            self.name = self.name or complete.group(1)
        elif text.startswith("##[group]GITHUB_TOKEN Permissions"):
            self._group, self.permissions_at = "permissions", self.permissions_at or place
        elif text.startswith("##[group]Runner Image") and not text.endswith("Provisioner"):
            self._group = "image"
        else:
            return False
        return True

    def _group_line(self, text: str, place: Place) -> bool:
        if text.startswith("##[endgroup]"):
            self._group = None
        elif self._group == "permissions" and (perm := _PERMISSION.match(text)) is not None:
            self.permissions.setdefault(perm.group(1), perm.group(2))
            if _is_id_token(perm.group(1)) and perm.group(2) == "write":
                self.id_token_at = self.id_token_at or place
        elif self._group == "image" and (image := _IMAGE.match(text)) is not None:
            self.image = self.image or image.group(1)
        return True

    def checkout_line(self, text: str) -> None:
        """A default checkout's fetch names the ref the job runs for."""
        if (fetch := _FETCH.match(text)) is not None:
            branch, pull, kind = fetch.group(2), fetch.group(3), fetch.group(4)
            ref = f"refs/heads/{branch}" if branch else f"refs/pull/{pull}/{kind}"
            self.checkout_ref = self.checkout_ref or ref
        elif (tag := _TAG.match(text)) is not None:
            self.checkout_ref = self.checkout_ref or tag.group(1)

    def take_json(self, data: Any) -> None:
        """Facts of the REST job object (``/repos/o/r/actions/jobs/<id>``)."""
        if not isinstance(data, dict):
            return
        for key, attr in (("run_id", "run_id"), ("run_attempt", "attempt"), ("id", "job_id")):
            value = data.get(key)
            if isinstance(value, int | str) and not isinstance(value, bool) and str(value):
                setattr(self, attr, str(value))
        for key in ("html_url", "url", "run_url"):
            repo = repo_of_url(data.get(key))
            if repo and not self.repo:
                self.repo = repo
        if isinstance(data.get("name"), str) and data["name"]:
            self.name = data["name"]
        if isinstance(data.get("runner_name"), str) and data["runner_name"]:
            self.runner = data["runner_name"]
        self.started = parse_time(data.get("started_at")) or self.started
        self.ended = parse_time(data.get("completed_at")) or self.ended

    @property
    def host(self) -> str | None:
        return self.runner or self.machine

    @property
    def job(self) -> str:
        return self.job_id or self.name or self.file_name

    def complete(self) -> bool:
        return bool(self.repo and self.run_id and self.attempt)

    def session_id(self, evidence: str) -> str:
        """The session id; qualified with ``evidence`` when repo, run or attempt is unknown."""
        sid = (
            f"github:{self.repo or UNKNOWN_REPO}/runs/{self.run_id or UNKNOWN}"
            f"/attempts/{self.attempt or UNKNOWN}/jobs/{self.job}"
        )
        return sid if self.complete() else f"{sid}/evidence/{evidence}"

    def missing(self) -> list[str]:
        parts = (("repository", self.repo), ("run id", self.run_id), ("attempt", self.attempt))
        return [name for name, value in parts if not value]

    def subject(self) -> str | None:
        """The OIDC token's default ``sub``, None unless repo and ref are both read."""
        ref = self.ref if self.ref and self.ref.startswith("refs/") else self.checkout_ref
        return f"repo:{self.repo}:ref:{ref}" if self.repo and ref else None


def _is_id_token(name: str) -> bool:
    return name.lower().replace("-", "").replace("_", "") == "idtoken"


def repo_of_url(value: object) -> str | None:
    """``owner/repo`` of an api.github.com or github.com actions URL."""
    if not isinstance(value, str):
        return None
    found = _REPO_URL.match(urlsplit(value).path)
    return found.group(1) if found else None


@dataclass(slots=True)
class Held:
    """What a job holds by being a job: GITHUB_TOKEN, and the OIDC request token."""

    credentials: list[Credential] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    links: list[IdentityLink] = field(default_factory=list)


def job_holds(facts: JobFacts, session_id: str, host: str | None, first: Origin) -> Held:
    """GITHUB_TOKEN (permissions as detail) and, with ``IdToken: write``, the OIDC token."""
    held = Held()
    at = facts.permissions_at
    origin = at.origin if at else first
    ts = at.ts if at else None
    # actions/checkout persists the token into the workspace's .git/config (its default),
    # where a payload reading git credentials finds it; else it lives in the runner only
    harvest = "git-credentials" if facts.token_persisted else "ci-secrets"
    held.credentials.append(
        _credential("GITHUB_TOKEN", "github-token", origin, session_id, host, ts, harvest)
    )
    if at is not None:
        detail = {"credential": "GITHUB_TOKEN", "permissions": dict(facts.permissions)}
        held.events.append(
            Event(
                ts=at.ts,
                kind="credential",
                origin=origin,
                session_id=session_id,
                host=host,
                detail=detail,
            )
        )
    oidc = facts.id_token_at
    if oidc is None:
        return held
    name = "ACTIONS_ID_TOKEN_REQUEST_TOKEN"
    held.credentials.append(  # in every step's environment
        _credential(name, "github-oidc", oidc.origin, session_id, host, oidc.ts, "env")
    )
    subject = facts.subject()
    if subject is not None:
        held.links.append(
            IdentityLink(
                rule=LinkRule.MINTED_FOR.value,
                source=Alias(AliasKind.HELD.value, "github-oidc"),
                target=Alias(AliasKind.OIDC_SUBJECT.value, subject),
                origin=oidc.origin,
                session_id=session_id,
                host=host,
                ts=oidc.ts,
                fact=f"job {session_id} can mint OIDC tokens with subject {subject}",
            )
        )
    return held


def _credential(
    name: str,
    kind: str,
    origin: Origin,
    session_id: str,
    host: str | None,
    ts: datetime | None,
    harvest: str,
) -> Credential:
    return Credential(
        name=name,
        kind=kind,
        origin=origin,
        harvest_class=harvest,
        session_id=session_id,
        host=host,
        first_seen=ts,
    )
