"""The resolver at a moment, one rule per test, over recorded PyPI simple-API responses."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scoper.feeds.pypi import ProjectFiles, files_from_simple
from scoper.scope.install_options import install_options, lock_exclude_newer
from scoper.scope.resolver import Moment, Outcome, resolve_at

RECORDED = Path(__file__).resolve().parent.parent / "data" / "feeds" / "recorded"


def recorded(name: str, project: str) -> ProjectFiles:
    body = json.loads((RECORDED / name).read_text())
    return files_from_simple(body, project, f"https://pypi.org/simple/{project}/")


DEMO = recorded("demo-simple.json", "demo")


def at(text: str, **kwargs: object) -> Moment:
    return Moment(datetime.fromisoformat(text).replace(tzinfo=UTC), **kwargs)  # type: ignore[arg-type]


def chosen(spec: str, moment: Moment, project: ProjectFiles = DEMO) -> str | None:
    return resolve_at(spec, project, moment).version


def test_pep440_ordering_picks_the_highest_admitted() -> None:
    assert chosen("", at("2026-03-25")) == "1.4"
    assert chosen("<1.4", at("2026-03-25")) == "1.3"
    assert chosen("~=1.0.0", at("2026-03-25")) == "1.0"


def test_files_uploaded_after_t_are_not_there_yet() -> None:
    assert chosen("", at("2026-02-10")) == "1.1"
    assert chosen("", at("2026-03-20T00:00:01")) == "1.4"  # its sdist is up, the wheel is not
    nothing = resolve_at("", DEMO, at("2025-12-31"))
    assert nothing.version is None and nothing.outcome == Outcome.NOTHING_YET


def test_prereleases_only_when_the_spec_asks_or_nothing_else_matches() -> None:
    assert chosen("", at("2026-04-02")) == "1.4"  # 2.0a1 is up but not asked for
    assert chosen(">=2.0a1", at("2026-04-02")) == "2.0a1"  # the spec names a pre-release
    assert chosen("", at("2026-04-02", pre=True)) == "2.0a1"  # --pre
    assert chosen(">1.1", at("2026-02-20")) == "1.2rc1"  # only a pre-release matches
    assert chosen(">1.1,<1.2", at("2026-02-20")) is None  # PEP 440: <1.2 excludes 1.2rc1


def test_yanked_is_skipped_unless_pinned_exactly() -> None:
    assert chosen("", at("2026-03-05")) == "1.1"  # 1.2 yanked, 1.2rc1 a pre-release
    assert chosen("==1.2", at("2026-03-05")) == "1.2"  # PEP 592: an exact pin still gets it
    assert chosen("===1.2", at("2026-03-05")) == "1.2"
    assert chosen(">=1.2,<1.3", at("2026-03-05")) is None


def test_requires_python_of_the_interpreter_when_known() -> None:
    assert chosen("", at("2026-03-15")) == "1.3"  # interpreter unknown: not excluded
    assert chosen("", at("2026-03-15", python="3.12.3")) == "1.3"
    assert chosen("", at("2026-03-15", python="3.11.9")) == "1.1"  # 1.3 needs >=3.12


def test_quarantined_project_has_nothing_installable() -> None:
    bad = recorded("badpkg-simple-quarantined.json", "badpkg")
    result = resolve_at("==0.1", bad, at("2026-03-05"))
    assert result.version is None and result.outcome == Outcome.QUARANTINED


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["uv", "pip", "install", "--exclude-newer", "2026-03-15T00:00:00Z", "demo"], {}),
        (["pip", "install", "--uploaded-prior-to=2026-03-15T00:00:00Z", "demo"], {}),
        (["pip", "install", "demo"], {"UV_EXCLUDE_NEWER": "2026-03-15T00:00:00Z"}),
        (["pip", "install", "demo"], {"PIP_UPLOADED_PRIOR_TO": "2026-03-15T00:00:00Z"}),
    ],
)
def test_the_commands_own_time_bound(argv: list[str], env: dict[str, str]) -> None:
    bound = install_options(argv, env).exclude_newer
    assert bound == datetime(2026, 3, 15, tzinfo=UTC)
    assert chosen("", at("2026-03-25")) == "1.4"
    assert chosen("", at("2026-03-25", exclude_newer=bound)) == "1.3"


def test_uv_lock_exclude_newer() -> None:
    lock = 'version = 1\n[options]\nexclude-newer = "2026-02-10T00:00:00Z"\n'
    bound = lock_exclude_newer(lock)
    assert bound == datetime(2026, 2, 10, tzinfo=UTC)
    assert chosen("", at("2026-03-25", exclude_newer=bound)) == "1.1"
    assert lock_exclude_newer("version = 1\n") is None


@pytest.mark.parametrize(
    ("argv", "env", "hosts"),
    [
        (["pip", "install", "-i", "https://art.corp/api/pypi/simple", "x"], {}, ("art.corp",)),
        (["pip", "install", "--index-url=https://devpi.lan/root/pypi/+simple/", "x"], {}, None),
        (["uv", "pip", "install", "x"], {"UV_INDEX_URL": "https://mirror.internal/simple"}, None),
        (["pip", "install", "x"], {"PIP_INDEX_URL": "https://pypi.org/simple"}, ()),
        (["pip", "install", "--extra-index-url", "https://pypi.org/simple", "x"], {}, ()),
    ],
)
def test_mirror_index_warns_that_its_lag_is_unknown(
    argv: list[str], env: dict[str, str], hosts: tuple[str, ...] | None
) -> None:
    options = install_options(argv, env)
    if hosts == ():
        assert options.mirrors == () and options.warning is None
        return
    assert options.warning is not None and "lag behind PyPI is unknown" in options.warning
    if hosts:
        assert options.mirrors == hosts


def test_invalid_spec_is_said_not_guessed() -> None:
    assert resolve_at("git+https://x", DEMO, at("2026-03-25")).outcome == Outcome.BAD_SPEC
