"""An unzipped run-log archive (folder logs_<run_id>/): one session per job."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scoper.errors import InputError
from scoper.inputs import claimant, iter_inputs
from scoper.model import Origin, Records
from scoper.sources.audit.github_actions_archive import SOURCE as ARCHIVE
from scoper.sources.audit.github_actions_folder import SOURCE as FOLDER
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[2] / "data" / "github_actions"
LOGS = DATA / "logs_14055512345"


def parse(path: Path) -> Records:
    return FOLDER.parse(path, ParseContext(path.name))


def test_detected_as_a_folder_and_walked_whole() -> None:
    assert claimant(LOGS) is FOLDER
    assert claimant(DATA) is None  # the samples folder is walked, the run folder read whole
    assert [(p.name, named) for p, named in iter_inputs([LOGS])] == [(LOGS.name, True)]


def test_job_file_and_its_step_files_are_one_session() -> None:
    records = parse(LOGS)
    digest = FOLDER.digest(LOGS)[:16]
    assert [s.session_id for s in records.sessions] == [
        "github:acme/llm-gateway/runs/14055512345/attempts/unknown/jobs/test (3.11)/evidence/"
        + digest,
        f"github:unknown/unknown/runs/14055512345/attempts/unknown/jobs/lint/evidence/{digest}",
    ]
    test = records.sessions[0]
    assert (test.origin, test.host) == (
        Origin("logs_14055512345/0_test (3.11).txt", 1),
        "GitHub Actions 1000000417",
    )
    installs = [(e.session_id, e.package, e.version) for e in records.events if e.kind == "install"]
    assert len(installs) == len(set(installs))  # events in job file and step files: once
    litellm = [
        e for e in records.events if e.package == "litellm" and e.session_id == test.session_id
    ]
    assert [(e.version, e.origin) for e in litellm] == [
        ("1.82.8", Origin("logs_14055512345/0_test (3.11).txt", 44))  # the job file's line
    ]
    assert {e.origin.file for e in records.events} == {
        "logs_14055512345/0_test (3.11).txt",
        "logs_14055512345/1_lint.txt",
    }


def test_same_facts_as_the_archive() -> None:
    def facts(records: Records, prefix: str) -> set[tuple[object, ...]]:
        return {
            (e.kind, e.package, e.version, e.origin.file.removeprefix(prefix), e.origin.line)
            for e in records.events
        }

    zipped = ARCHIVE.parse(DATA / "logs_14055512345.zip", ParseContext("logs_14055512345.zip"))
    unzipped = facts(parse(LOGS), "logs_14055512345/")
    assert unzipped == facts(zipped, "logs_14055512345.zip!/") and len(unzipped) == 29


def test_digest_is_the_content(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / LOGS.name
    shutil.copytree(LOGS, copy)
    assert FOLDER.digest(copy) == FOLDER.digest(LOGS)
    (copy / "1_lint.txt").write_bytes((copy / "1_lint.txt").read_bytes() + b"\n")
    assert FOLDER.digest(copy) != FOLDER.digest(LOGS)


def test_a_folder_of_unrelated_job_logs_is_not_a_run(tmp_path: Path) -> None:
    folder = tmp_path / "ci-logs"
    folder.mkdir()
    shutil.copy(LOGS / "1_lint.txt", folder / "1_build.txt")
    assert not FOLDER.sniff(folder, b"")  # not named logs_<run>, no step folder: files
    renamed = tmp_path / "downloaded"
    shutil.copytree(LOGS, renamed)
    assert FOLDER.sniff(renamed, b"")  # a job file beside its step folder is a run


def test_not_a_run_folder(tmp_path: Path) -> None:
    folder = tmp_path / "logs_5"
    folder.mkdir()
    (folder / "notes.txt").write_text("hello\n")
    with pytest.raises(InputError):
        parse(folder)
