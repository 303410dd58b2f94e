"""The ``refs`` object of an affected GitHub Action's extension (docs/advisory-format.md).

``bad_commits``: commit SHA -> the tags that pointed to it while compromised (running that
commit ran the payload, whenever it ran); ``safe``: refs (fnmatch patterns) known clean,
always or from ``since`` (tags re-published clean after the window); ``note``: what the
sources do not give (e.g. no commit SHA published); ``old_pins``: SHA pins to commits
older than a date pulled another action unpinned and ran its payload during its window.
"""

from __future__ import annotations

import re

from scoper.feeds.fields import Node
from scoper.feeds.model import ActionRefs, BadCommit, OldPins, SafeRef

ACTIONS = "GitHub Actions"
_SHA1 = re.compile(r"[0-9a-fA-F]{40}\Z")


def action_refs(node: Node | None, ecosystem: str) -> ActionRefs | None:
    """Parse ``refs``; it is an error on a package that is not a GitHub Action."""
    if node is None:
        return None
    if ecosystem != ACTIONS:
        raise node.error(f"'refs' applies only to ecosystem {ACTIONS!r}")
    node.only_keys(("bad_commits", "safe", "note", "old_pins"))
    commits = node.get("bad_commits")
    safe = node.get("safe")
    old = node.get("old_pins")
    return ActionRefs(
        bad_commits=tuple(_commit(sha, item) for sha, item in commits.entries()) if commits else (),
        safe=tuple(_safe(item) for item in safe.items()) if safe else (),
        note=node.opt_text("note"),
        old_pins=_old_pins(old) if old is not None else None,
    )


def _old_pins(node: Node) -> OldPins:
    node.only_keys(("committed_before", "via", "start", "end", "note"))
    start, end = node.need("start").time(), node.need("end").time()
    if end < start:
        raise node.error("'end' is before 'start'")
    via = node.need("via").text().lower()
    if via.count("/") < 1:
        raise node.error(f"'via' must name an action as owner/repo, not {via!r}")
    before = node.need("committed_before").time()
    return OldPins(before, via, start, end, node.opt_text("note"))


def _commit(sha: str, node: Node) -> BadCommit:
    if not _SHA1.match(sha):
        raise node.error(f"{sha!r} is not a full commit SHA (40 hex digits)")
    node.only_keys(("tags", "note"))
    return BadCommit(sha.lower(), node.opt_texts("tags"), node.opt_text("note"))


def _safe(node: Node) -> SafeRef:
    node.only_keys(("match", "since", "note"))
    return SafeRef(node.need("match").text(), node.opt_time("since"), node.opt_text("note"))
