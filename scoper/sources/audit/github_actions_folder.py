"""A GitHub Actions run-log archive unzipped: folder ``logs_<run_id>/``.

The same layout as the archive (``github_actions_archive``): ``N_<job>.txt`` per job and
``<job>/N_<step>.txt`` per step. Each job is ONE session (its job file is the evidence, its
step files add only what the job file lacks); the run id comes from the folder's name and a
session id missing a part is qualified by the folder's digest (its member names and bytes).
A folder is claimed when it is named ``logs_<run_id>`` or a job file sits beside its own
step folder, and its first job log is timestamped.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from scoper.errors import InputError
from scoper.model import Origin, Records, Skipped
from scoper.sources.audit.github_actions import _HEAD, EVIDENCE_CHARS
from scoper.sources.audit.github_actions_archive import (
    MAX_MEMBERS,
    MAX_TOTAL_BYTES,
    RUN,
    job_layout,
    read_run,
    used_members,
)
from scoper.sources.base import FileSource, ParseContext, SourceKind


def _members(path: Path) -> list[str]:
    """Member names as the archive spells them (``job/N_step.txt``), two levels deep."""
    names: list[str] = []
    try:
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            if entry.is_file():
                names.append(entry.name)
            elif entry.is_dir():
                names += [
                    f"{entry.name}/{s.name}"
                    for s in sorted(os.scandir(entry), key=lambda e: e.name)
                    if s.is_file() and not s.name.startswith(".")
                ]
            if len(names) > MAX_MEMBERS:
                break
    except OSError:
        return []
    return names


def _read(path: Path, member: str) -> bytes:
    try:
        return (path / member).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}/{member}", f"cannot read: {exc.strerror or exc}") from exc


class GitHubActionsFolderSource(FileSource):
    """An unzipped run-log archive: a folder of job logs and per-step logs."""

    name = "github-actions-folder"
    kind: SourceKind = "audit"
    obtained = "the run-log archive unzipped: `unzip logs_RUN_ID.zip -d logs_RUN_ID/`"
    directory = True
    summary = "GitHub Actions run-log archive unzipped (folder logs_<run_id>/)"
    reads = (
        "as the archive: one session per job (job file plus its step folder is one session, "
        "events seen in both kept once, the job file's lines as evidence), run id from the "
        "folder name, else ids qualified by the folder's digest"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if not path.is_dir():
            return False
        names = _members(path)
        layout = job_layout(names)
        if not layout:
            return False
        paired = any(f.whole and f.steps for f in layout.values())
        if RUN.match(path.name) is None and not paired:
            return False
        first = next(iter(layout.values())).members()[0]
        try:
            with (path / first).open("rb") as handle:
                return _HEAD.match(handle.read(64)) is not None
        except OSError:
            return False

    def digest(self, path: Path) -> str:
        """sha256 over the member names and bytes (the same logs, the same digest)."""
        sha = hashlib.sha256(b"github-actions-folder\0")
        for member in _members(path):
            sha.update(member.encode("utf-8", "surrogateescape") + b"\0")
            sha.update(hashlib.sha256(_read(path, member)).digest())
        return sha.hexdigest()

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        if not path.is_dir():
            raise InputError(
                ctx.display, "not a directory: an unzipped run-log archive is a folder"
            )
        names = _members(path)
        if len(names) > MAX_MEMBERS:
            raise InputError(ctx.display, f"folder has over {MAX_MEMBERS} files")
        try:
            sizes = {name: (path / name).stat().st_size for name in names}
        except OSError as exc:
            raise InputError(ctx.display, f"cannot read: {exc.strerror or exc}") from exc
        if sum(sizes.values()) > MAX_TOTAL_BYTES:
            raise InputError(ctx.display, "folder holds over 1 GiB")
        layout = job_layout(names)
        if not layout:
            raise InputError(ctx.display, "no job logs (N_job.txt) in the folder")
        records = Records()
        for other in sorted(set(names) - used_members(layout)):
            note = "not a job or step log; not read"
            records.skipped.append(Skipped(Origin(f"{ctx.display}/{other}", None), note))
        run = RUN.match(path.name)
        found = read_run(
            layout,
            lambda member: _read(path, member),
            sizes,
            lambda member: f"{ctx.display}/{member}",
            run.group(1) if run else None,
            self.digest(path)[:EVIDENCE_CHARS],
            ctx,
        )
        for name in ("sessions", "events", "credentials", "identity_links", "skipped"):
            getattr(records, name).extend(getattr(found, name))
        return records


SOURCE = GitHubActionsFolderSource()
