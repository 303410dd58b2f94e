"""CloudWatch Logs envelopes unwrapped for every JSON reader (Tetragon, k8s audit here)."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

from scoper.api import ingest
from scoper.inputs import detect
from scoper.limits import Limits, using
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.reading import read_head
from scoper.store.db import MEMORY

DATA = Path(__file__).resolve().parents[1] / "data"
TETRAGON = (DATA / "tetragon" / "export.jsonl").read_text().splitlines()
K8S = (DATA / "k8s-audit" / "audit.jsonl").read_text().splitlines()


def _events(lines: list[str]) -> list[dict[str, object]]:
    return [
        {"timestamp": 1774350130000 + i, "message": m, "ingestionTime": 1774350190000}
        for i, m in enumerate(lines)
    ]


def _blob(value: object) -> str:
    return base64.b64encode(gzip.compress(json.dumps(value).encode())).decode()


def _data_message(lines: list[str]) -> dict[str, object]:
    return {
        "messageType": "DATA_MESSAGE",
        "owner": "123456789012",
        "logGroup": "/eks/cluster",
        "logStream": "node-1",
        "subscriptionFilters": ["all"],
        "logEvents": [{"id": str(i), **e} for i, e in enumerate(_events(lines))],
    }


def _parse(path: Path) -> tuple[str, Records]:
    source = detect(path)
    return source.name, source.parse(path, ParseContext(path.name))


def _facts(records: Records) -> list[tuple[str, str | None, str | None]]:
    return sorted((e.kind, e.program, e.package) for e in records.events)


def _plain(name: str, lines: list[str], tmp: Path) -> Records:
    path = tmp / f"plain-{name}.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return _parse(path)[1]


def test_filter_log_events_output_keeps_each_events_line(tmp_path: Path) -> None:
    path = tmp_path / "tetragon-filter-log-events.json"
    path.write_text(json.dumps({"events": _events(TETRAGON), "searchedLogStreams": []}, indent=2))
    name, records = _parse(path)
    assert name == "tetragon"
    assert _facts(records) == _facts(_plain("t", TETRAGON, tmp_path))
    pip = next(e for e in records.events if e.kind == "exec" and e.program == "pip")
    assert pip.origin.line == 3  # the line where events[0] opens in the outer file


def test_subscription_payloads_lambda_kinesis_firehose_and_lines(tmp_path: Path) -> None:
    plain = _plain("k", K8S, tmp_path)
    expected, lost = _facts(plain), len([s for s in plain.skipped if not s.informational])
    payload = _data_message(K8S)
    shapes = {
        "lambda.json": json.dumps({"awslogs": {"data": _blob(payload)}}),
        "kinesis.json": json.dumps(
            {"Records": [{"eventSource": "aws:kinesis", "kinesis": {"data": _blob(payload)}}]}
        ),
        "firehose.json": json.dumps(
            {"records": [{"recordId": "49546986683135544", "data": _blob(payload)}]}
        ),
        "payload.json": json.dumps(payload),
        "blobs.b64": _blob(_data_message(K8S[:5])) + "\n" + _blob(_data_message(K8S[5:])),
    }
    for file, text in shapes.items():
        path = tmp_path / file
        path.write_text(text + "\n")
        name, records = _parse(path)
        assert (file, name) == (file, "k8s-audit")
        assert (file, _facts(records)) == (file, expected)
        assert len([s for s in records.skipped if not s.informational]) == lost, file
    _, records = _parse(tmp_path / "blobs.b64")
    lines = {s.origin.line for s in records.sessions} | {s.origin.line for s in records.skipped}
    assert lines == {1, 2}  # the line of each blob (sessions from blob 1, skips from blob 2)


def test_control_message_is_a_note_and_bad_data_is_lost(tmp_path: Path) -> None:
    control = {"messageType": "CONTROL_MESSAGE", "logEvents": [{"id": "", "message": "ok"}]}
    bad = {"awslogs": {"data": "H4sIAAAAAAAAA-not-base64"}}
    lines = [json.dumps(control), json.dumps(_data_message(TETRAGON[:2])), json.dumps(bad)]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    name, records = _parse(path)
    assert name == "tetragon"
    skipped = [(s.origin.line, s.informational, s.reason) for s in records.skipped]
    assert (1, True, "CloudWatch Logs control message (no log events)") in skipped
    assert (3, False, "awslogs.data: not base64 (gzip) data within the limits, skipped") in skipped
    assert {e.origin.line for e in records.events} == {2}


def test_message_that_is_not_json_names_its_index(tmp_path: Path) -> None:
    events = _events([*TETRAGON[:2], "plain text line"])
    path = tmp_path / "events.json"
    path.write_text(json.dumps({"events": events, "nextForwardToken": "f/1"}))
    _, records = _parse(path)
    assert [(s.origin.line, s.reason) for s in records.skipped if not s.informational] == [
        (1, "events[2]: not a JSON object, skipped")
    ]


def test_decoded_data_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"awslogs": {"data": _blob(_data_message(TETRAGON))}}))
    size = path.stat().st_size  # the file is within the limit, its decoded data is not
    assert len(json.dumps(_data_message(TETRAGON))) > size * 2
    with using(Limits(max_bytes=size * 2)):
        records = detect(path).parse(path, ParseContext("big.json"))
    assert [s.reason for s in records.skipped] == [
        "awslogs.data: not base64 (gzip) data within the limits, skipped"
    ]


def test_head_is_unwrapped_for_sniffing(tmp_path: Path) -> None:
    path = tmp_path / "cw.json"
    path.write_text(json.dumps({"awslogs": {"data": _blob(_data_message(K8S))}}))
    assert read_head(path).startswith(K8S[0].encode())
    plain = tmp_path / "plain.jsonl"
    plain.write_text(K8S[0] + "\n")
    assert read_head(plain) == (K8S[0] + "\n").encode()


AGENTS = Path(__file__).resolve().parents[2] / "fixtures" / "incident" / "audit" / "agents.jsonl"


def test_enveloped_scoper_events_load_on_the_outer_lines(tmp_path: Path) -> None:
    lines = [*AGENTS.read_text().splitlines(), '{"event": "bogus", "ts": "2026-03-24T11:00:00Z"}']
    plain = tmp_path / "plain.jsonl"
    plain.write_text("\n".join(lines) + "\n")
    path = tmp_path / "events-cloudwatch.json"
    path.write_text(json.dumps({"events": _events(lines), "searchedLogStreams": []}, indent=2))
    wrapped, direct = ingest([path, plain], db=MEMORY).results
    assert (wrapped.format, wrapped.records, wrapped.skipped) == (
        direct.format,
        direct.records,
        direct.skipped,
    )
    assert (direct.format, direct.skipped) == ("scoper-events", 1)
    # the bogus event is events[25], which opens on line 3 + 25 * 5 of the outer file
    assert wrapped.skipped_reasons[0].startswith(f"{path}: line {3 + 25 * 5}: ")
    assert direct.skipped_reasons[0].startswith(f"{plain}: line 26: ")
    blobs = tmp_path / "events.b64"
    blobs.write_text(_blob(_data_message(lines)) + "\n")
    result = ingest([blobs], db=MEMORY).results[0]
    assert (result.format, result.status) == ("scoper-events", "error")
    assert "cannot be kept" in str(result.error)
