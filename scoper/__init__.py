"""scoper: supply-chain exposure scoping.

Joins when a bad package version was live, which environments and sessions
installed or ran it, and which credentials those sessions held.

Library use: ``with scoper.Store.open(scoper.Settings.from_env(db="x.duckdb")) as store:
store.ingest([...]); store.scope("litellm-2025")``. ``Store`` and ``Settings`` load
lazily, so ``import scoper`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0.dev0"
__all__ = ["Settings", "Store", "__version__"]

if TYPE_CHECKING:
    from scoper.api import Store
    from scoper.settings import Settings


def __getattr__(name: str) -> object:
    """``scoper.Store`` and ``scoper.Settings``, imported on first use."""
    if name == "Store":
        from scoper.api import Store

        return Store
    if name == "Settings":
        from scoper.settings import Settings

        return Settings
    raise AttributeError(f"module 'scoper' has no attribute {name!r}")
