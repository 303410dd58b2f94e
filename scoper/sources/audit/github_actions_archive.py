"""GitHub Actions run-log archives (``logs_<run_id>.zip`` from the REST API or the web UI).

The archive holds one ``N_<job>.txt`` per job (the whole job log) and, for runs whose
step logs are kept, a folder ``<job>/`` with one ``N_<step>.txt`` per step. Each job is
ONE session: its job file is read (its lines are the evidence), then its step files, whose
events the job file already gave are dropped; with no job file the step files are read in
order. The run id comes from the archive's name, the rest from each job's own log
(``github_actions_job``); a session id missing a part is qualified by the zip's sha256,
so two archives' ``1_build.txt`` never merge. Evidence points inside the archive:
``logs_123.zip!/0_build.txt:12``. ``github_actions_folder`` reads the same layout unzipped.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scoper.errors import InputError
from scoper.model import Origin, Records, Skipped
from scoper.sources.audit.github_actions import _HEAD, EVIDENCE_CHARS, JobLog
from scoper.sources.audit.github_actions_job import JobFacts
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import decode

MAX_MEMBERS = 5000
MAX_MEMBER_BYTES = 256 << 20
MAX_TOTAL_BYTES = 1 << 30
RUN = re.compile(r"^logs_(\d+)(?:\s*\(\d+\))?(?:\.zip)?$", re.IGNORECASE)
_TOP = re.compile(r"^(\d+)_(.+)\.txt$")
_STEP = re.compile(r"^([^/]+)/(\d+)_(.+)\.txt$")
_FIELDS = ("sessions", "events", "credentials", "identity_links", "skipped")
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
class JobFiles:
    """The members of one job: its whole-log file and its step files (by step number)."""

    order: int
    whole: str | None = None
    steps: list[tuple[int, str]] = field(default_factory=list)

    def members(self) -> list[str]:
        """The job file first (the evidence), then the step files in step order."""
        return ([self.whole] if self.whole else []) + [name for _, name in sorted(self.steps)]


def job_layout(names: list[str]) -> dict[str, JobFiles]:
    """Jobs by name from the member names; members that fit neither shape are left out."""
    jobs: dict[str, JobFiles] = {}
    for name in names:
        if (top := _TOP.match(name)) is not None and "/" not in name:
            job = jobs.setdefault(top.group(2), JobFiles(int(top.group(1))))
            job.order, job.whole = int(top.group(1)), name
        elif (step := _STEP.match(name)) is not None:
            job = jobs.setdefault(step.group(1), JobFiles(1 << 30))
            job.steps.append((int(step.group(2)), name))
    return dict(sorted(jobs.items(), key=lambda kv: (kv[1].order, kv[0])))


def used_members(layout: dict[str, JobFiles]) -> set[str]:
    return {name for files in layout.values() for name in files.members()}


def read_run(
    layout: dict[str, JobFiles],
    read: Callable[[str], bytes],
    sizes: Mapping[str, int],
    shown: Callable[[str], str],
    run_id: str | None,
    evidence: str,
    ctx: ParseContext,
) -> Records:
    """Every job of a run's log layout, one session each."""
    records = Records()
    for job_name, files in layout.items():
        members = files.members()
        facts = JobFacts(job_name, run_id=run_id)
        log = JobLog(
            ParseContext(shown(members[0]), ctx.host, ctx.fingerprint_key), facts, evidence
        )
        for index, member in enumerate(members):
            if sizes.get(member, 0) > MAX_MEMBER_BYTES:
                note = f"member over {MAX_MEMBER_BYTES >> 20} MiB; not read"
                log.records.skipped.append(Skipped(Origin(shown(member), None), note))
                continue
            log.ctx = ParseContext(shown(member), ctx.host, ctx.fingerprint_key)
            log.read(decode(read(member), shown(member)), again=index > 0 and bool(files.whole))
        if files.steps and files.whole:
            note = f"step logs of {files.whole} read too; events its lines already gave kept once"
            log.records.skipped.append(Skipped(Origin(shown(files.whole), None), note, True))
        log.ctx = ParseContext(shown(members[0]), ctx.host, ctx.fingerprint_key)
        found = log.finish()
        for name in _FIELDS:
            getattr(records, name).extend(getattr(found, name))
    return records


class GitHubActionsArchiveSource(FileSource):
    """A run's log archive: a zip of job logs and per-step logs."""

    name = "github-actions-archive"
    kind: SourceKind = "audit"
    obtained = (
        "Actions UI: a run's job log, gear menu > Download log archive; or `gh api "
        "repos/OWNER/REPO/actions/runs/RUN_ID/logs > logs_RUN_ID.zip`"
    )
    summary = "GitHub Actions run-log archive (logs_<run_id>.zip from the API or web UI)"
    reads = (
        "one session per job (github:<owner>/<repo>/runs/<run_id>/attempts/<n>/jobs/<job>, "
        "run id from the name, the rest from the job's log, else qualified by the zip's "
        "sha256); the job log read, its step logs only for what it lacks, with the job-log "
        "facts: GITHUB_TOKEN and OIDC subject, Run step commands, installs with versions, "
        "actions used, secret names; evidence as archive.zip!/N_job.txt:line"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(path) as archive:
                infos = [i for i in archive.infolist() if i.filename and not i.is_dir()][
                    :MAX_MEMBERS
                ]
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
        names = [i.filename for i in infos if i.filename and not i.is_dir()]
        layout = job_layout(names)
        if not layout:
            raise InputError(ctx.display, "no job logs (N_job.txt) in the archive")
        run = RUN.match(path.name)
        records = Records()
        for other in sorted(set(names) - used_members(layout)):
            note = "not a job or step log; not read"
            records.skipped.append(Skipped(Origin(f"{ctx.display}!/{other}", None), note))
        found = read_run(
            layout,
            archive.read,
            sizes,
            lambda member: f"{ctx.display}!/{member}",
            run.group(1) if run else None,
            _sha(path)[:EVIDENCE_CHARS],
            ctx,
        )
        for name in _FIELDS:
            getattr(records, name).extend(getattr(found, name))
        return records


def _sha(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


SOURCE = GitHubActionsArchiveSource()
