"""Regenerate ``release_history`` in the bundled advisories from PyPI and npm.

For each affected package listed in PLAN, fetch the project's release history
(PyPI: project JSON through :mod:`scoper.feeds.pypi`; npm: the registry
document's ``time`` object), keep the final releases the PLAN's specifier
admits, and add the advisory's bad versions that the registry no longer has
(deleted / unpublished) from the advisory's own facts: ``uploaded_at`` =
``live_from``, ``removed_at`` = ``conservative_until`` or ``live_until``.

Usage::

    python scripts/refresh_release_history.py [--only litellm-2025] [--offline]
        [--modified 2026-11-26T02:00:00Z]

Fetches go through scoper's cache (``$SCOPER_CACHE`` or ``~/.cache/scoper``);
``--offline`` rebuilds from the cache only. A package whose fetch fails keeps
no release_history and is reported on stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from scoper.errors import ScoperError
from scoper.feeds.fields import parse_time
from scoper.feeds.httpcache import JsonFetcher, default_cache_dir
from scoper.feeds.model import Release
from scoper.feeds.pypi import fetch_releases

ADVISORIES = Path(__file__).resolve().parent.parent / "advisories"
NPM_REGISTRY = "https://registry.npmjs.org"
_NPM_FINAL = re.compile(r"\d+\.\d+\.\d+\Z")
_NX = ">=20,<22"
_NX_PACKAGES = ("nx", "@nx/devkit", "@nx/js", "@nx/workspace", "@nx/node", "@nx/eslint")
_CHALK_DEBUG = {
    "chalk": ">=5,<6", "supports-hyperlinks": ">=4,<5", "chalk-template": ">=1,<2",
    "slice-ansi": ">=7,<8", "wrap-ansi": ">=9,<10", "has-ansi": ">=6,<7",
    "strip-ansi": ">=7,<8", "ansi-styles": ">=6,<7", "supports-color": ">=10,<11",
    "ansi-regex": ">=6,<7", "debug": ">=4,<5", "color-convert": ">=3,<4",
    "color-name": ">=2,<3", "is-arrayish": ">=0.3,<0.4", "simple-swizzle": ">=0.2,<0.3",
    "error-ex": ">=1,<2", "color-string": ">=2,<3", "backslash": ">=0.2,<0.3",
}  # fmt: skip
# advisory file stem -> {package name: which final releases to keep}
PLAN: dict[str, dict[str, str]] = {
    "litellm-2025": {"litellm": ">=1.80.0,<1.84"},
    "telnyx-2026": {"telnyx": ">=4.80,<4.89"},
    "ultralytics-2024": {"ultralytics": ">=8.3.0,<8.4"},
    "nx-2025": {
        **dict.fromkeys(_NX_PACKAGES, _NX),
        **dict.fromkeys(("@nx/key", "@nx/enterprise-cloud"), ">=3,<4"),
    },
    "chalk-debug-2025": _CHALK_DEBUG,
}


def npm_releases(name: str, fetcher: JsonFetcher) -> tuple[Release, ...]:
    """Final releases of an npm package with their publish times."""
    url = f"{NPM_REGISTRY}/{quote(name, safe='@')}"
    body = fetcher.get(url).body
    times = body.get("time") if isinstance(body, dict) else None
    if not isinstance(times, dict):
        raise ScoperError(f"{url}: no 'time' object")
    if "created" not in times:  # the registry's full document always has it; mirrors may not
        raise ScoperError(f"{url}: 'time' has no 'created' entry; not trusting its publish times")
    releases = [
        Release(version, parse_time(str(stamp)))
        for version, stamp in times.items()
        if _NPM_FINAL.match(version) and parse_time(str(stamp)) is not None
    ]
    return tuple(sorted(releases, key=lambda r: (r.uploaded_at, r.version)))


def is_final(version: str) -> bool:
    """A PEP 440 release without pre/dev/local parts."""
    try:
        parsed = Version(version)
    except InvalidVersion:
        return False
    return not parsed.is_prerelease and parsed.local is None


def history(affected: dict[str, Any], spec: str, fetcher: JsonFetcher) -> list[dict[str, Any]]:
    """The release_history entries of one affected package."""
    package = affected["package"]
    if package["ecosystem"] == "PyPI":
        fetched = fetch_releases(package["name"], fetcher)
    else:
        fetched = npm_releases(package["name"], fetcher)
    wanted = SpecifierSet(spec)
    kept = [r for r in fetched if is_final(r.version) and wanted.contains(r.version)]
    present = {r.version for r in kept}
    facts = affected["database_specific"]["scoper"].get("versions", {})
    for version, fact in facts.items():
        if version not in present:
            end = fact.get("conservative_until") or fact.get("live_until")
            kept.append(Release(version, parse_time(fact["live_from"]), False, parse_time(end)))
    kept.sort(key=lambda r: (r.uploaded_at or datetime.min.replace(tzinfo=UTC), r.version))
    return [_entry(r) for r in kept]


def _entry(release: Release) -> dict[str, Any]:
    entry: dict[str, Any] = {"version": release.version, "uploaded_at": _stamp(release.uploaded_at)}
    if release.yanked:
        entry["yanked"] = True
    if release.removed_at is not None:
        entry["removed_at"] = _stamp(release.removed_at)
    return entry


def _stamp(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def refresh(stem: str, fetcher: JsonFetcher, modified: str) -> bool:
    """Rewrite one advisory's release histories; True when the file changed."""
    path = ADVISORIES / f"{stem}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    before = json.dumps(record, sort_keys=True)
    for affected in record["affected"]:
        spec = PLAN[stem].get(affected["package"]["name"])
        extension = affected["database_specific"]["scoper"]
        if spec is None:
            continue
        try:
            extension["release_history"] = history(affected, spec, fetcher)
        except ScoperError as exc:
            print(f"{stem}: {affected['package']['name']}: left out: {exc}", file=sys.stderr)
            extension.pop("release_history", None)
    if json.dumps(record, sort_keys=True) == before:
        return False
    record["modified"] = modified
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(PLAN))
    parser.add_argument("--offline", action="store_true", help="use only the cache")
    parser.add_argument("--modified", help="RFC 3339 time for 'modified' (default: now)")
    args = parser.parse_args(argv)
    now = datetime.now(UTC).replace(microsecond=0)
    modified = args.modified or now.isoformat().replace("+00:00", "Z")
    fetcher = JsonFetcher(requests.Session(), default_cache_dir(), offline=args.offline)
    for stem in args.only or sorted(PLAN):
        changed = refresh(stem, fetcher, modified)
        print(f"{stem}: {'updated' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
