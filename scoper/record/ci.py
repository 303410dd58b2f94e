"""``scoper record ci start|end``: a CI job's session, from the variables the runner sets.

``start`` writes the session (GitHub Actions: ``gha-<run id>-<attempt>-<job>``, the runner as
host, repository, workflow, commit, runner OS and image in ``detail``), the credentials the
job's environment holds (names, kinds, fingerprints: secrets mapped to variables) and the
actions the runner downloaded (``_actions/<owner>/<repo>/<ref>``, with the commit SHA the
runner's ``Download action repository`` diagnostics name, when they are readable). ``end``
writes every distribution of the interpreters used (``$pythonLocation`` of setup-python,
``$VIRTUAL_ENV``, the ``python3`` on ``PATH``) and the session's end.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Any

from scoper.record.environments import interpreters, inventory, snapshots
from scoper.record.events import env_credentials, env_names, now_ts

ACTIONS = "GitHub Actions"
_DOWNLOAD = re.compile(
    r"Download action repository '([\w.-]+/[\w.-]+)(?:/[^@']*)?@([^']+)' \(SHA:([0-9a-f]{40})\)"
)
_GITHUB = {
    "repository": "GITHUB_REPOSITORY",
    "run_id": "GITHUB_RUN_ID",
    "run_attempt": "GITHUB_RUN_ATTEMPT",
    "job": "GITHUB_JOB",
    "workflow_ref": "GITHUB_WORKFLOW_REF",
    "sha": "GITHUB_SHA",
    "ref": "GITHUB_REF",
    "event_name": "GITHUB_EVENT_NAME",
    "runner_os": "RUNNER_OS",
    "runner_arch": "RUNNER_ARCH",
    "runner_environment": "RUNNER_ENVIRONMENT",
    "image_os": "ImageOS",
    "image_version": "ImageVersion",
}


class Phase(Enum):
    """When in the job ``scoper record ci`` runs."""

    START = "start"
    END = "end"


def session_id(env: Mapping[str, str]) -> str:
    """The job's session id: stable across the job's steps, unique across the fleet."""
    if env.get("GITHUB_RUN_ID"):
        attempt = env.get("GITHUB_RUN_ATTEMPT") or "1"
        return f"gha-{env['GITHUB_RUN_ID']}-{attempt}-{env.get('GITHUB_JOB') or 'job'}"
    for name in ("CI_JOB_ID", "BUILD_ID", "BUILDKITE_JOB_ID", "CIRCLE_WORKFLOW_JOB_ID"):
        if env.get(name):
            return f"ci-{env[name]}"
    return "ci-unknown-job"


def start_events(env: Mapping[str, str], key: bytes, diag: list[Path]) -> list[dict[str, Any]]:
    """The session, its credentials and the actions the runner fetched."""
    ts, session = now_ts(), session_id(env)
    detail = {name: env[var] for name, var in _GITHUB.items() if env.get(var)}
    start: dict[str, Any] = {"ts": ts, "event": "session_start", "session": session}
    start |= {"kind": "ci", "detail": {**detail, "env": env_names(env)}}
    if env.get("GITHUB_ACTOR"):
        start["actor"] = env["GITHUB_ACTOR"]
    if env.get("RUNNER_NAME"):
        start["host"] = env["RUNNER_NAME"]
    refs = action_refs(env, diag)
    uses = [_action(ts, session, name, ref, sha) for (name, ref), sha in sorted(refs.items())]
    return [start, *env_credentials(env, session, key, ts), *uses]


def end_events(env: Mapping[str, str]) -> list[dict[str, Any]]:
    """Every distribution the job's interpreters hold, then the session's end."""
    ts, session = now_ts(), session_id(env)
    paths = interpreters([], env)
    if env.get("pythonLocation"):
        paths.insert(0, str(Path(env["pythonLocation"]) / "bin" / "python"))
    events = [e for snap in snapshots(paths, env) for e in inventory(snap, ts)]
    events.append({"ts": ts, "event": "session_end"})
    return [{"session": session, **event} for event in events]


def action_refs(env: Mapping[str, str], diag: list[Path]) -> dict[tuple[str, str], str | None]:
    """(owner/repo, ref) -> commit SHA (None when unknown) of the actions the runner fetched."""
    found: dict[tuple[str, str], str | None] = {}
    workspace = env.get("GITHUB_WORKSPACE")
    root = Path(workspace).parent.parent / "_actions" if workspace else None
    if root is not None and root.is_dir():
        for ref_dir in root.glob("*/*/*"):
            if ref_dir.is_dir() and not ref_dir.name.endswith(".completed"):
                found[(f"{ref_dir.parent.parent.name}/{ref_dir.parent.name}", ref_dir.name)] = None
    for log in diag:
        try:
            text = log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for match in _DOWNLOAD.finditer(text):
            found[(match[1], match[2])] = match[3]
    return found


def diag_logs(env: Mapping[str, str]) -> list[Path]:
    """The runner's worker diagnostics, where it logs the SHA of each action it downloads."""
    roots = [Path(env["SCOPER_RUNNER_DIAG"])] if env.get("SCOPER_RUNNER_DIAG") else []
    roots += [*Path("/home/runner/runners").glob("*/_diag"), Path.home() / "actions-runner/_diag"]
    return sorted(p for root in roots if root.is_dir() for p in root.glob("Worker_*.log"))


def _action(ts: str, session: str, name: str, ref: str, sha: str | None) -> dict[str, Any]:
    event: dict[str, Any] = {"ts": ts, "event": "exec", "session": session, "program": name}
    event |= {"ecosystem": ACTIONS, "package": name.lower(), "version": ref}
    event["detail"] = {"sha": sha, "seen_by": "runner"} if sha else {"seen_by": "runner"}
    return event
