"""A folder mixing every shape issue 10 lists ingests with no error and no ``--format``.

Most files are the samples under tests/data (their READMEs give sources); the wrapped
shapes are built here from those samples by the published envelopes:
CRI container logs (kubelet ``<time> <stream> <F|P> <line>``), CloudWatch Logs
``filter-log-events`` output and subscription payloads (docs.aws.amazon.com/AmazonCloudWatch/
latest/logs/SubscriptionFilters.html), SQS ``receive-message`` output, an osquery
snapshot result (osquery.readthedocs.io/en/stable/deployment/logging/), a conda explicit
file without its ``@EXPLICIT`` marker, a ``poetry.lock`` under another name.
"""

from __future__ import annotations

import base64
import gzip
import json
import shutil
from pathlib import Path

from scoper.api import ingest
from scoper.store.db import MEMORY

DATA = Path(__file__).resolve().parent / "data"
COPIED = {
    "gha-run-logs.zip": "github_actions/logs_14055512345.zip",
    "gh-run-view.log": "github_actions/gh-run-view.log",
    "ct-cloudwatch.json": "cloudtrail/cloudwatch-filter-log-events.json",
    "ct-subscription.b64": "cloudtrail/cloudwatch-subscription.b64",
    "ct-lambda.json": "cloudtrail/cloudwatch-subscription-lambda.json",
    "ct-sns.json": "cloudtrail/sns-notification.json",
    "ct-eventbridge.jsonl": "cloudtrail/eventbridge.jsonl",
    "k8s-no-kind.jsonl": "k8s-audit/falco-no-kind.jsonl",
    "k8s-eventlist.json": "k8s-audit/eventlist.json",
    "kube-audit-rest.jsonl": "k8s-audit/kube-audit-rest.jsonl",
    "osquery-legacy.log": "osquery/legacy-hostname.log",
    "auditd-logins.log": "auditd/logins-only.log",
    "claude-web.json": "claude_code/web-session-loglines.json",
    "codex-mid-2025.jsonl": "codex/session-mid-2025.jsonl",
    "alpine.syft.json": "syft_json/alpine.syft.json",
    "bom.xml": "cyclonedx_xml/valid-component-hashes-1.5.xml",
    "image.spdx": "spdx_tag/syft-image.spdx",
    "snapshot.json": "github_snapshot/github-docs-example.json",
    "image.spdx3.json": "spdx3/image.spdx3.json",
    "pixi.lock": "pixi/v6-mixed/pixi.lock",
    "deps-frozen.txt": "poetrylock/poetry-repo/poetry.lock",  # a renamed poetry.lock
    "pyproject/pyproject.toml": "pyproject/flask/pyproject.toml",
    "pipenv/Pipfile": "pipfile/pipenv/Pipfile",
    "setupcfg/setup.cfg": "setup_cfg/pytest/setup.cfg",
    "node/package.json": "package_json/express/package.json",
    "otlp-metrics.json": "otel/claude-code-metrics.json",
    "MAL-2025-47141.json": "osv/MAL-2025-47141.json",
}
TETRAGON = (DATA / "tetragon" / "export.jsonl").read_text().splitlines()
K8S = (DATA / "k8s-audit" / "audit.jsonl").read_text().splitlines()
CT_RECORD = json.loads((DATA / "cloudtrail" / "awsdocs-cross-account.json").read_text())
SNAPSHOT = {
    "snapshot": [
        {"pid": "4101", "name": "pip", "cmdline": "pip install litellm==1.82.8", "uid": "1000"}
    ],
    "action": "snapshot",
    "name": "processes",
    "hostIdentifier": "build-7",
    "calendarTime": "Tue Mar 24 10:45:00 2026 UTC",
    "unixTime": 1774349100,
    "epoch": 0,
    "counter": 0,
}


def _cloudwatch(lines: list[str]) -> str:
    events = [
        {"logStreamName": "s", "timestamp": 1774350130000, "message": m, "ingestionTime": 1}
        for m in lines
    ]
    return json.dumps({"events": events, "searchedLogStreams": []}, indent=2)


def _subscription_blob(lines: list[str]) -> str:
    payload = {
        "messageType": "DATA_MESSAGE",
        "logGroup": "g",
        "logStream": "s",
        "logEvents": [{"id": str(i), "timestamp": 0, "message": m} for i, m in enumerate(lines)],
    }
    return base64.b64encode(gzip.compress(json.dumps(payload).encode())).decode() + "\n"


def _build(folder: Path) -> None:
    for name, source in COPIED.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DATA / source, folder / name)
    cri = [f"2026-03-24T10:45:00.{i:09d}Z stdout F {line}" for i, line in enumerate(TETRAGON)]
    (folder / "tetragon-pod.log").write_text("\n".join(cri) + "\n")
    (folder / "tetragon-cloudwatch.json").write_text(_cloudwatch(TETRAGON))
    (folder / "k8s-subscription.b64").write_text(_subscription_blob(K8S))
    records = CT_RECORD["Records"] if isinstance(CT_RECORD, dict) else CT_RECORD
    body = json.dumps({"Records": records})
    sqs = {"Messages": [{"MessageId": "m-1", "ReceiptHandle": "r", "Body": body}]}
    (folder / "ct-sqs.json").write_text(json.dumps(sqs, indent=2))
    (folder / "osquery-processes.log").write_text(json.dumps(SNAPSHOT) + "\n")
    lock = (DATA / "conda" / "conda-linux-64.lock").read_text()
    (folder / "conda-explicit.txt").write_text(lock.replace("@EXPLICIT\n", ""))


def test_every_issue_10_shape_ingests_without_format(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    _build(folder)
    summary = ingest([folder], db=MEMORY)
    got = {
        str(Path(r.path).relative_to(folder)): (r.format, r.status, r.records)
        for r in summary.results
    }
    assert got == EXPECTED
    notes = {
        str(Path(r.path).relative_to(folder)): r.skipped_reasons[0].split(": note: ")[1]
        for r in summary.results
        if r.records == 0
    }
    assert notes == {
        "MAL-2025-47141.json": "OSV advisory record(s) MAL-2025-47141: load with "
        "`scoper advisories import` or --advisories, not evidence",
        "otlp-metrics.json": "OTLP metrics export: nothing scoper uses (no spans or log records)",
    }


EXPECTED: dict[str, tuple[str | None, str, int]] = {  # format, status, records
    "MAL-2025-47141.json": ("osv-record", "ok", 0),
    "alpine.syft.json": ("syft-json", "ok", 15),
    "auditd-logins.log": ("auditd", "ok", 10),
    "bom.xml": ("cyclonedx-xml", "ok", 2),
    "claude-web.json": ("claude-code", "ok", 4),
    "codex-mid-2025.jsonl": ("codex-rollout", "ok", 7),
    "conda-explicit.txt": ("conda", "ok", 7),
    "ct-cloudwatch.json": ("cloudtrail", "partial", 4),
    "ct-eventbridge.jsonl": ("cloudtrail", "partial", 5),
    "ct-lambda.json": ("cloudtrail", "ok", 6),
    "ct-sns.json": ("cloudtrail", "ok", 3),
    # the cross-account AssumeRole example: no self-exchange link from the repeated key id
    "ct-sqs.json": ("cloudtrail", "ok", 6),
    "ct-subscription.b64": ("cloudtrail", "ok", 6),
    "deps-frozen.txt": ("poetry.lock", "ok", 79),
    "gh-run-view.log": ("gh-run-log", "partial", 45),
    "gha-run-logs.zip": ("github-actions-archive", "partial", 45),
    "image.spdx": ("spdx-tag", "ok", 3),
    "image.spdx3.json": ("spdx3-jsonld", "ok", 3),
    "k8s-eventlist.json": ("k8s-audit", "ok", 9),
    "k8s-no-kind.jsonl": ("k8s-audit", "ok", 8),
    "k8s-subscription.b64": ("k8s-audit", "partial", 19),
    "kube-audit-rest.jsonl": ("k8s-audit", "partial", 6),
    "node/package.json": ("package.json", "ok", 45),
    "osquery-legacy.log": ("osquery", "ok", 14),
    "osquery-processes.log": ("osquery", "ok", 3),
    "otlp-metrics.json": ("otlp-json", "ok", 0),
    "pipenv/Pipfile": ("Pipfile", "ok", 28),
    "pixi.lock": ("pixi.lock", "ok", 5),
    "pyproject/pyproject.toml": ("pyproject.toml", "ok", 33),
    "setupcfg/setup.cfg": ("setup.cfg", "ok", 17),
    "snapshot.json": ("github-snapshot", "ok", 4),
    "tetragon-cloudwatch.json": ("tetragon", "partial", 16),
    "tetragon-pod.log": ("tetragon", "partial", 16),
}
