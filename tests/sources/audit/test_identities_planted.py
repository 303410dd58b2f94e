"""Planted secrets never reach a printed-identity link, a host row or an ssh-key row.

Every shape of ``planted.SHAPES`` is run as a command whose output also holds it, next to
identity commands whose output carries secrets of their own (``gh auth status
--show-token``, ``aws configure export-credentials`` under a get-caller-identity).
"""

from __future__ import annotations

import json
from pathlib import Path

from audit_fuzz import assert_no_secrets
from planted import SHAPES, rand

from scoper.sources.audit import claude_code
from scoper.sources.base import ParseContext

TOKEN = "gho_" + rand(36)
AWS_SECRET = rand(40)
IDENTITY_OUTPUTS = [
    (
        "gh auth status --show-token",
        "github.com\n  \u2713 Logged in to github.com account ana (keyring)\n"
        f"  - Active account: true\n  - Token: {TOKEN}\n",
    ),
    (
        "aws configure export-credentials && aws sts get-caller-identity",
        json.dumps(
            {"Version": 1, "AccessKeyId": "AKIA" + rand(16).upper(), "SecretAccessKey": AWS_SECRET}
        )
        + '\n{"Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/ana"}\n',
    ),
]


def _transcript(path: Path) -> Path:
    pairs = IDENTITY_OUTPUTS + [
        (f"{cmd} && gh auth status", f"{cmd}\n{cmd}") for _, cmd, _ in SHAPES
    ]
    lines = []
    for index, (command, output) in enumerate(pairs):
        base = {"sessionId": "s-planted", "cwd": "/home/ana/p", "timestamp": "2026-03-24T11:00:00Z"}
        use = {"type": "tool_use", "id": f"t{index}", "name": "Bash", "input": {"command": command}}
        result = {"type": "tool_result", "tool_use_id": f"t{index}", "content": output}
        lines.append({**base, "type": "assistant", "message": {"content": [use]}})
        lines.append({**base, "type": "user", "message": {"content": [result]}})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_no_planted_secret_in_links_or_credentials(tmp_path: Path) -> None:
    records = claude_code.SOURCE.parse(
        _transcript(tmp_path / "t.jsonl"), ParseContext("t", host="h")
    )
    assert {k.target.value for k in records.identity_links} == {
        "github:ana",
        "aws:123456789012",
        "arn:aws:iam::123456789012:user/ana",
    }
    assert_no_secrets(records, [TOKEN, AWS_SECRET] + [secret for _, _, secret in SHAPES])
