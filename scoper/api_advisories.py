"""The library's advisory functions (bundled catalog plus OSV files) and the gate's policy
step; :mod:`scoper.api` re-exports them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scoper.api_imports import (
    ImportOutcome,
    Listing,
    find_stored,
    import_advisories,
    listing,
    validate_advisories,
)
from scoper.feeds.model import Advisory
from scoper.feeds.registry import AdvisoryRegistry, sources_for
from scoper.scope.check import CheckResult
from scoper.scope.check_gate import GateOutcome, gate
from scoper.settings import Settings

if TYPE_CHECKING:
    import requests

    from scoper.feeds.history import Synced

__all__ = [
    "ImportOutcome",
    "Listing",
    "advisories",
    "check_gate",
    "fetch_history",
    "find_advisory",
    "find_stored",
    "import_advisories",
    "listing",
    "sync_history",
    "validate_advisories",
]


def chosen(settings: Settings | None, **flags: Any) -> Settings:
    """``settings`` when given, else Settings from these flags and the environment."""
    return settings if settings is not None else Settings.from_env(**flags)


def advisories(
    extra: Sequence[Path] = (), settings: Settings | None = None
) -> tuple[Advisory, ...]:
    """Bundled advisories plus those in ``extra`` OSV files, folders or zips."""
    picked = chosen(settings, advisories=extra)
    return AdvisoryRegistry(sources_for(picked.advisories)).all()


def find_advisory(
    name: str, extra: Sequence[Path] = (), settings: Settings | None = None
) -> Advisory:
    """The advisory with id or alias ``name`` (exit 4 when there is none)."""
    picked = chosen(settings, advisories=extra)
    return AdvisoryRegistry(sources_for(picked.advisories)).require(name)


def check_gate(
    result: CheckResult,
    paths: Sequence[Path],
    *,
    settings: Settings | None = None,
    ignore_file: Path | None = None,
) -> GateOutcome:
    """Apply the ignore file (beside ``paths``/cwd, or ``ignore_file``) to a check result."""
    picked = chosen(settings)
    return gate(result, paths, advisories(settings=picked), picked, ignore_file)


def fetch_history(
    project: str,
    *,
    db: str | None = None,
    offline: bool = False,
    session: requests.Session | None = None,
    settings: Settings | None = None,
) -> int:
    """Fetch a PyPI project's release history (cached) into the store; returns the count.

    Scope uses it to infer which version an unpinned install picked when the advisory
    does not bundle the history. ``offline`` serves only the on-disk cache.
    """
    from scoper.api import Store  # the library object this module serves

    with Store.open(chosen(settings, db=db, offline=offline)) as store:
        return store.fetch_history(project, session)


def sync_history(
    advisory: str = "all",
    *,
    db: str | None = None,
    offline: bool = False,
    session: requests.Session | None = None,
    settings: Settings | None = None,
) -> list[Synced]:
    """``scoper advisories sync``: refresh release history for the advisories' packages."""
    from scoper.api import Store  # the library object this module serves

    with Store.open(chosen(settings, db=db, offline=offline)) as store:
        return store.sync_history(advisory, session)
