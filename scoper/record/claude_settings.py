"""``scoper hooks install|uninstall claude-code``: hook entries in Claude Code's settings.

Install adds, per event, one matcher group whose command pipes the hook JSON into
``scoper record hook claude-code`` (SessionStart, SessionEnd, and PreToolUse/PostToolUse
with matcher ``Bash``), after keeping the settings file's exact bytes beside it
(``settings.json.scoper-backup``; a missing file is remembered as missing). Uninstall puts
those bytes back when the settings hold nothing else new; otherwise it removes only
scoper's entries and says that the file was changed since.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from scoper.errors import InputError

MARK = re.compile(r"scoper[. ]record")  # ``-m scoper.record`` (and ``scoper record``)
EVENTS = {"SessionStart": None, "SessionEnd": None, "PreToolUse": "Bash", "PostToolUse": "Bash"}
TIMEOUT = 10  # seconds; the recorder takes milliseconds
_MISSING = b"scoper: no settings file before install\n"


class Scope(Enum):
    """Which Claude Code settings file (docs: settings files and their precedence)."""

    USER = "user"
    PROJECT = "project"
    MANAGED = "managed"


def settings_path(scope: Scope, project: Path | None = None) -> Path:
    """The settings file of ``scope``: ~/.claude/settings.json, <project>/.claude/
    settings.json, or the managed-settings.json of this OS."""
    if scope is Scope.USER:
        return Path.home() / ".claude" / "settings.json"
    if scope is Scope.PROJECT:
        return (project or Path.cwd()) / ".claude" / "settings.json"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/ClaudeCode/managed-settings.json")
    return Path("/etc/claude-code/managed-settings.json")


def hook_command(trail: str | None) -> str:
    """The command each hook runs: this interpreter's recorder (``-m scoper.record``, the
    light entry point), the trail if one is given."""
    words = [sys.executable, "-m", "scoper.record"]
    if trail:
        words += ["--trail", trail]
    return shlex.join([*words, "hook", "claude-code"])


@dataclass(frozen=True, slots=True)
class Outcome:
    """What install or uninstall did, in words for stderr."""

    path: Path
    message: str


def install(path: Path, command: str) -> Outcome:
    """Add scoper's hook entries to ``path`` (created when missing)."""
    backup = _backup(path)
    original = path.read_bytes() if path.exists() else None
    settings = _parse(path, original)
    if backup.exists() or _ours(settings):
        return Outcome(path, "scoper's hooks are already installed (uninstall first)")
    hooks = settings.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise InputError(str(path), '"hooks" is not an object')
    for event, matcher in EVENTS.items():
        group: dict[str, Any] = {"matcher": matcher} if matcher else {}
        group["hooks"] = [{"type": "command", "command": command, "timeout": TIMEOUT}]
        hooks.setdefault(event, []).append(group)
    backup.parent.mkdir(parents=True, exist_ok=True)
    backup.write_bytes(_MISSING if original is None else original)
    path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return Outcome(path, f"installed hooks for {', '.join(EVENTS)}")


def uninstall(path: Path) -> Outcome:
    """Remove scoper's entries: the exact original bytes when nothing else changed."""
    backup = _backup(path)
    current = path.read_bytes() if path.exists() else None
    settings = _parse(path, current)
    if not backup.exists():
        if not _ours(settings):
            return Outcome(path, "no scoper hooks to remove")
        _write(path, _without_ours(settings))
        return Outcome(path, "removed scoper's hooks (no backup to restore)")
    saved = backup.read_bytes()
    before = None if saved == _MISSING else saved
    if _without_ours(settings) == _without_ours(_parse(path, before)):
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(before)
        backup.unlink()
        return Outcome(path, "restored the settings as they were before install")
    _write(path, _without_ours(settings))
    backup.unlink()
    return Outcome(
        path,
        "removed scoper's hooks; the file was changed since install, so "
        "only scoper's entries were taken out",
    )


def _backup(path: Path) -> Path:
    return path.with_name(path.name + ".scoper-backup")


def _parse(path: Path, data: bytes | None) -> dict[str, Any]:
    if not data or not data.strip():
        return {}
    try:
        value = json.loads(data)
    except ValueError as exc:
        raise InputError(str(path), f"not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise InputError(str(path), "not a JSON object")
    return value


def _is_ours(hook: object) -> bool:
    return isinstance(hook, dict) and MARK.search(str(hook.get("command", ""))) is not None


def _ours(settings: dict[str, Any]) -> bool:
    hooks = settings.get("hooks")
    groups = (
        [g for v in hooks.values() if isinstance(v, list) for g in v]
        if isinstance(hooks, dict)
        else []
    )
    return any(_is_ours(h) for g in groups if isinstance(g, dict) for h in g.get("hooks", []))


def _without_ours(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings with scoper's hook groups (and the containers they alone made) removed."""
    out: dict[str, Any] = json.loads(json.dumps(settings))
    hooks = out.get("hooks")
    if not isinstance(hooks, dict):
        return out
    for event in list(hooks):
        groups = hooks[event]
        if not isinstance(groups, list):
            continue
        kept = [g for g in groups if not (isinstance(g, dict) and _all_ours(g))]
        if kept:
            hooks[event] = kept
        else:
            del hooks[event]
    if not hooks:
        del out["hooks"]
    return out


def _all_ours(group: dict[str, Any]) -> bool:
    inner = group.get("hooks")
    return isinstance(inner, list) and bool(inner) and all(_is_ours(h) for h in inner)


def _write(path: Path, settings: dict[str, Any]) -> None:
    path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
