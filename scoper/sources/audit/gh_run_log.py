"""``gh run view --log`` / ``--log-failed`` output: ``<job>\\t<step>\\t<timestamp> <line>``.

Each line is a job-log line (RFC 3339 with a 7-digit fraction, a UTF-8 BOM may follow
the tab where a step's log starts) prefixed with its job and step names. Each job is one
session read as a job log (Run step commands, installer output, actions, secret
names, GITHUB_TOKEN and the OIDC subject); gh prints no run id, so the session id
(``github_actions_job``) has ``unknown`` parts and is qualified by the output's sha256:
two runs' ``build`` jobs never merge. Evidence lines are the lines of this file.
"""

from __future__ import annotations

import re
from pathlib import Path

from scoper.errors import InputError
from scoper.model import Origin, Records, Skipped
from scoper.sources.audit.github_actions import EVIDENCE_CHARS, JobLog
from scoper.sources.audit.github_actions_job import JobFacts
from scoper.sources.base import FileSource, ParseContext, SourceKind, file_sha256
from scoper.sources.reading import read_text

_ROW = re.compile(r"^([^\t\n]+)\t([^\t\n]*)\t(\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z.*)$")
_SNIFF = re.compile(
    rb"^(?:\xef\xbb\xbf)?[^\t\n]+\t[^\t\n]*\t(?:\xef\xbb\xbf)?"
    rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z "
)


class GhRunLogSource(FileSource):
    """The job logs of a run as the GitHub CLI prints them."""

    name = "gh-run-log"
    kind: SourceKind = "audit"
    obtained = (
        "`gh run view RUN_ID --log > run.log` (or `--log-failed`; one job: `gh run view --job "
        "JOB_ID --log`)"
    )
    summary = "`gh run view --log` / `--log-failed` output (job<TAB>step<TAB>timestamped line)"
    reads = (
        "one session per job (github:<owner>/<repo>/runs/unknown/attempts/unknown/jobs/<job>"
        "/evidence/<sha>) with the job-log facts: GITHUB_TOKEN and OIDC subject, Run step "
        "commands as exec/install events, installer output with versions, actions used, "
        "secret names from step env:/with: blocks"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        return not path.name.endswith(".json") and _SNIFF.match(head) is not None

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text = read_text(path, ctx.display).removeprefix("\ufeff")
        lines = text.split("\n")
        jobs: dict[str, list[str]] = {}
        records = Records()
        for number, raw in enumerate(lines):
            if not raw.strip():
                continue
            row = _ROW.match(raw.rstrip("\r"))
            if row is None:
                note = "line without job, step and timestamp"
                records.skipped.append(Skipped(Origin(ctx.display, number + 1), note))
                continue
            job = jobs.setdefault(row.group(1), [""] * len(lines))
            job[number] = row.group(3)
        if not jobs:
            raise InputError(ctx.display, "no job<TAB>step<TAB>timestamp lines", "line 1")
        evidence = file_sha256(path)[:EVIDENCE_CHARS]
        for name, job_lines in jobs.items():
            log = JobLog(ctx, JobFacts(name), evidence)
            log.read("\n".join(job_lines))  # other jobs' lines blank: line numbers kept
            first = next(i for i, line in enumerate(job_lines) if line) + 1
            found = log.finish(first)
            records.sessions += found.sessions
            records.events += found.events
            records.credentials += found.credentials
            records.identity_links += found.identity_links
            records.skipped += found.skipped
        return records


SOURCE = GhRunLogSource()
