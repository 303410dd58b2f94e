"""GitHub Actions run-log archives (``logs_<run_id>.zip`` from the REST API or the web UI).

The archive holds one ``N_<job>.txt`` per job (the whole job log) and, for runs whose
step logs are kept, a folder ``<job>/`` with one ``N_<step>.txt`` per step. Each job is
one session: its step files are read in order when present (finer evidence), else the
job file. The session id names the archive (run id from ``logs_<run_id>.zip``, else the
zip's sha256) and the job, so two archives' ``1_build.txt`` never merge. Evidence points
inside the archive: ``logs_123.zip!/build/3_Install.txt:12``.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from scoper.errors import InputError
from scoper.model import Origin, Records, Skipped
from scoper.sources.audit.github_actions import _HEAD, _Job, _JobLog
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import decode

MAX_MEMBERS = 5000
MAX_MEMBER_BYTES = 256 << 20
MAX_TOTAL_BYTES = 1 << 30
_RUN = re.compile(r"^logs_(\d+)(?:\s*\(\d+\))?\.zip$", re.IGNORECASE)
_TOP = re.compile(r"^(\d+)_(.+)\.txt$")
_STEP = re.compile(r"^([^/]+)/(\d+)_(.+)\.txt$")
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,  # includes NotImplementedError (unknown compression)
    KeyError,
)


@dataclass(slots=True)
class _JobFiles:
    """The members of one job: its whole-log file and its step files (by step number)."""

    order: int
    whole: str | None = None
    steps: list[tuple[int, str]] = field(default_factory=list)

    def members(self) -> list[str]:
        if self.steps:
            return [name for _, name in sorted(self.steps)]
        return [self.whole] if self.whole else []


def job_layout(names: list[str]) -> dict[str, _JobFiles]:
    """Jobs by name from the member names; members that fit neither shape are left out."""
    jobs: dict[str, _JobFiles] = {}
    for name in names:
        if (top := _TOP.match(name)) is not None and "/" not in name:
            job = jobs.setdefault(top.group(2), _JobFiles(int(top.group(1))))
            job.order, job.whole = int(top.group(1)), name
        elif (step := _STEP.match(name)) is not None:
            job = jobs.setdefault(step.group(1), _JobFiles(1 << 30))
            job.steps.append((int(step.group(2)), name))
    return dict(sorted(jobs.items(), key=lambda kv: (kv[1].order, kv[0])))


def _log_names(archive: zipfile.ZipFile) -> list[str]:
    return [i.filename for i in archive.infolist() if not i.is_dir()]


class GitHubActionsArchiveSource(FileSource):
    """A run's log archive: a zip of job logs and per-step logs."""

    name = "github-actions-archive"
    kind: SourceKind = "audit"
    summary = "GitHub Actions run-log archive (logs_<run_id>.zip from the API or web UI)"
    reads = (
        "one session per job (gha:<run_id or zip sha>:<job>), step logs read in order "
        "(else the job log) with the job-log facts: Run step commands, installs with "
        "versions, actions used, secret names; evidence as archive.zip!/job/N_step.txt:line"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(path) as archive:
                infos = [i for i in archive.infolist() if not i.is_dir()][:MAX_MEMBERS]
                layout = job_layout([i.filename for i in infos])
                if not layout:
                    return False
                first = next(iter(layout.values())).members()[0]
                with archive.open(first) as member:
                    return _HEAD.match(member.read(64)) is not None
        except _ZIP_ERRORS:
            return False

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        try:
            with zipfile.ZipFile(path) as archive:
                return self._read(archive, path, ctx)
        except InputError:
            raise
        except _ZIP_ERRORS as exc:
            raise InputError(ctx.display, f"not a readable zip archive: {exc}") from exc

    def _read(self, archive: zipfile.ZipFile, path: Path, ctx: ParseContext) -> Records:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(ctx.display, f"archive has over {MAX_MEMBERS} members")
        sizes = {i.filename: i.file_size for i in infos}
        if sum(sizes.values()) > MAX_TOTAL_BYTES:
            raise InputError(ctx.display, "archive expands to over 1 GiB")
        layout = job_layout(_log_names(archive))
        if not layout:
            raise InputError(ctx.display, "no job logs (N_job.txt) in the archive")
        run = _RUN.match(path.name)
        archive_id = run.group(1) if run else "zip-" + _sha(path)[:16]
        records = Records()
        for other in sorted(set(_log_names(archive)) - _used(layout)):
            note = "not a job or step log; not read"
            records.skipped.append(Skipped(Origin(f"{ctx.display}!/{other}", None), note))
        for job_name, files in layout.items():
            job = self._job(archive, ctx, f"gha:{archive_id}:{job_name}", files, sizes)
            records.sessions += job.sessions
            records.events += job.events
            records.credentials += job.credentials
            records.skipped += job.skipped
        return records

    def _job(
        self,
        archive: zipfile.ZipFile,
        ctx: ParseContext,
        session_id: str,
        files: _JobFiles,
        sizes: dict[str, int],
    ) -> Records:
        members = files.members()
        first = ParseContext(f"{ctx.display}!/{members[0]}", ctx.host, ctx.fingerprint_key)
        log = _JobLog(first, _Job(session_id))
        for member in members:
            shown = f"{ctx.display}!/{member}"
            if sizes.get(member, 0) > MAX_MEMBER_BYTES:
                note = f"member over {MAX_MEMBER_BYTES >> 20} MiB; not read"
                log.records.skipped.append(Skipped(Origin(shown, None), note))
                continue
            log.ctx = ParseContext(shown, ctx.host, ctx.fingerprint_key)
            log.read(decode(archive.read(member), shown))
        if files.steps and files.whole:
            note = f"job log {files.whole} not read: its step logs hold the same lines"
            origin = Origin(f"{ctx.display}!/{files.whole}", None)
            log.records.skipped.append(Skipped(origin, note, informational=True))
        log.ctx = first
        return log.finish()


def _used(layout: dict[str, _JobFiles]) -> set[str]:
    used: set[str] = set()
    for files in layout.values():
        used.update(name for _, name in files.steps)
        used.update([files.whole] if files.whole else [])
    return used


def _sha(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


SOURCE = GitHubActionsArchiveSource()
