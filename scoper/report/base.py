"""What every report format provides: the :class:`Renderer` protocol and its options."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TextIO

from scoper.errors import UsageError
from scoper.scope.check import CheckResult
from scoper.scope.result import ScopeResult

Result = ScopeResult | CheckResult


class Subject(StrEnum):
    """What a renderer can render: the answer of ``scoper scope`` or of ``scoper check``."""

    SCOPE = "scope"
    CHECK = "check"


class Entity(StrEnum):
    """The entity tables of a scope report, in report order."""

    SESSIONS = "sessions"
    HOSTS = "hosts"
    CREDENTIALS = "credentials"
    ENVIRONMENTS = "environments"
    CLEARED = "cleared"
    COVERAGE = "coverage"  # csv only on request: key/value rows, not in the stacked tables


class Threshold(StrEnum):
    """The lowest confidence that fails ``scoper check`` (``--fail-on``)."""

    CONFIRMED = "confirmed"
    LIKELY = "likely"
    POSSIBLE = "possible"


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Options a renderer may honour; the others ignore them.

    ``entity``: with csv, only that table. ``fail_on``: the lowest confidence that
    fails a check (marks findings as failing). ``cleared``: list negative evidence row by
    row (``--cleared``) instead of counts per reason (json, markdown, csv; html always lists).
    """

    entity: Entity | None = None
    fail_on: Threshold = Threshold.LIKELY
    cleared: bool = False


class Renderer(Protocol):
    """One output format: a name (``--format NAME``), what it renders, and how."""

    @property
    def name(self) -> str: ...

    @property
    def suffix(self) -> str: ...

    @property
    def media_type(self) -> str: ...

    @property
    def subjects(self) -> frozenset[Subject]: ...

    @property
    def summary(self) -> str: ...

    def render(self, result: Result, out: TextIO, options: RenderOptions) -> None:
        """Write ``result`` to ``out``."""


def subject_of(result: Result) -> Subject:
    """Which command produced ``result``."""
    return Subject.SCOPE if isinstance(result, ScopeResult) else Subject.CHECK


def scope_only(name: str, result: Result) -> ScopeResult:
    """``result`` as a scope result; a usage error for a renderer that renders only those."""
    if not isinstance(result, ScopeResult):
        raise UsageError(f"the {name} format renders scope results only")
    return result


def check_only(name: str, result: Result) -> CheckResult:
    """``result`` as a check result; a usage error for a renderer that renders only those."""
    if not isinstance(result, CheckResult):
        raise UsageError(f"the {name} format renders check results only")
    return result
