"""Envelopes that logs are shipped in, unwrapped before detection and parsing.

The container-runtime (CRI) log format, as kubelet and containerd write a pod's output
under ``/var/log/pods/``: every line is ``<RFC 3339 nano time> <stdout|stderr> <F|P>
<payload>``; ``P`` marks a partial line the runtime split (16 KiB), continued by the next
lines of the same stream up to an ``F``. A JSON-lines log shipped from a pod (Tetragon's
export, a k8s audit log) then reads as its own format once unwrapped. Unwrapping keeps
line numbers: a joined record stands on the line where it started, the continuation
lines become blank (which line readers skip).
"""

from __future__ import annotations

import re

_TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)"
_CRI = re.compile(rf"^{_TIME} (stdout|stderr) ([FP])(?: (.*))?$", re.DOTALL)
_CRI_BYTES = re.compile(rb"^(?:\xef\xbb\xbf)?" + _TIME.encode() + rb" std(?:out|err) [FP]")


def is_cri_head(head: bytes) -> bool:
    """True when the sniff head starts like a CRI container log."""
    return _CRI_BYTES.match(head) is not None


def unwrap_cri(text: str) -> str | None:
    """The payloads of a CRI log, one per line as they started; None unless every
    non-blank line has the CRI prefix (then the text is not a CRI log)."""
    lines = text.removeprefix("\ufeff").split("\n")
    out = [""] * len(lines)
    open_at: dict[str, int] = {}  # stream -> index of the line its partial record began
    parts: dict[str, list[str]] = {}
    seen = False
    for index, raw in enumerate(lines):
        if not raw.strip():
            continue
        match = _CRI.match(raw.rstrip("\r"))
        if match is None:
            return None
        seen = True
        stream, tag, payload = match.group(1), match.group(2), match.group(3) or ""
        start = open_at.setdefault(stream, index)
        parts.setdefault(stream, []).append(payload)
        if tag == "F":
            out[start] = "".join(parts.pop(stream))
            del open_at[stream]
    for stream, start in open_at.items():  # a partial record the log ends in
        out[start] = "".join(parts[stream])
    return "\n".join(out) if seen else None


def unwrap_cri_head(head: bytes) -> bytes:
    """The sniff head with CRI prefixes removed (partials joined), else the head as is."""
    if not is_cri_head(head):
        return head
    complete, _, rest = head.rpartition(b"\n")
    text = complete.decode("utf-8", "replace")
    if rest and _CRI_BYTES.match(rest):
        text += "\n" + rest.decode("utf-8", "replace")  # a cut last line: its start still sniffs
    unwrapped = unwrap_cri(text)
    if unwrapped is None:
        return head
    return "\n".join(line for line in unwrapped.split("\n") if line).encode("utf-8")
