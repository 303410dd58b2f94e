"""An install command's own time bound and index, from its arguments and environment.

``uv pip install --exclude-newer T`` / ``UV_EXCLUDE_NEWER``, pip's
``--uploaded-prior-to T`` / ``PIP_UPLOADED_PRIOR_TO`` bound what the resolver
saw. ``--index-url``/``-i``/``--extra-index-url``/``--index``/``--default-index``
and ``PIP_INDEX_URL``/``UV_INDEX_URL``/``UV_DEFAULT_INDEX``/``PIP_EXTRA_INDEX_URL``
pointing anywhere but pypi.org mean a mirror or proxy whose lag is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from scoper.times import parse_time

_BOUND_FLAGS = ("--exclude-newer", "--uploaded-prior-to")
_INDEX_FLAGS = ("--index-url", "-i", "--extra-index-url", "--index", "--default-index")
_BOUND_ENV = ("UV_EXCLUDE_NEWER", "PIP_UPLOADED_PRIOR_TO")
_INDEX_ENV = ("PIP_INDEX_URL", "UV_INDEX_URL", "UV_DEFAULT_INDEX", "PIP_EXTRA_INDEX_URL")
_PUBLIC_HOSTS = frozenset({"pypi.org", "pypi.python.org", "files.pythonhosted.org"})


@dataclass(frozen=True, slots=True)
class InstallOptions:
    """What the command says about time and where it looked."""

    exclude_newer: datetime | None = None
    mirrors: tuple[str, ...] = ()  # hosts of non-PyPI indexes

    @property
    def warning(self) -> str | None:
        """The report's warning for a mirror or proxy index, if any."""
        if not self.mirrors:
            return None
        hosts = ", ".join(self.mirrors)
        return (
            f"installed through a mirror or proxy index ({hosts}): its lag behind PyPI is "
            "unknown, so the inferred version may be older than PyPI's at that time"
        )


def install_options(argv: Sequence[str], env: Mapping[str, str] | None = None) -> InstallOptions:
    """Parse the time bound and index flags of one install command."""
    values = _flag_values(argv)
    env = env or {}
    bound = next((values[f] for f in _BOUND_FLAGS if f in values), None)
    bound = bound or next((env[k] for k in _BOUND_ENV if env.get(k)), None)
    urls = [values[f] for f in _INDEX_FLAGS if f in values]
    urls += [env[k] for k in _INDEX_ENV if env.get(k)]
    when = parse_time(bound, assume_utc=True) if bound else None
    return InstallOptions(when, tuple(mirror_hosts(urls)))


def mirror_hosts(urls: Sequence[str]) -> list[str]:
    """The hosts of index URLs that are not PyPI itself, sorted."""
    return sorted({h for u in urls if (h := _host(str(u))) and h not in _PUBLIC_HOSTS})


def lock_exclude_newer(lock_text: str) -> datetime | None:
    """uv.lock ``[options] exclude-newer``."""
    import tomllib

    try:
        options = tomllib.loads(lock_text).get("options", {})
    except tomllib.TOMLDecodeError:
        return None
    value = options.get("exclude-newer") if isinstance(options, dict) else None
    return parse_time(str(value), assume_utc=True) if value else None


def _flag_values(argv: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for index, arg in enumerate(argv):
        name, eq, value = arg.partition("=")
        if name in _BOUND_FLAGS + _INDEX_FLAGS:
            if not eq:
                value = argv[index + 1] if index + 1 < len(argv) else ""
            found.setdefault(name, value)
    return found


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None
