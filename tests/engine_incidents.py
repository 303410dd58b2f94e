"""The fixture incidents as their READMEs ingest and scope them, for the engine tests
(canonical Parquet round trip, DuckDB against Spark)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from scoper import api
from scoper.report import registry as reports
from scoper.report.base import RenderOptions, Subject
from scoper.scope.result import ScopeResult
from scoper.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
F = ROOT / "fixtures"
KEY = "engine-tests-fingerprint-key"
TRIVY_WORKFLOWS = "repo/.github/workflows"
NOW = "2026-06-01T00:00:00Z"


@dataclass(frozen=True)
class Incident:
    """One fixture incident: ingest steps ((paths, host)), the advisory, a mapping file."""

    name: str
    steps: tuple[tuple[tuple[Path, ...], str | None], ...]
    advisory: str
    identities: Path | None = None


INCIDENTS = (
    Incident("incident", (((F / "incident",), None),), "litellm-2025"),
    Incident(
        "incident-native",
        (
            ((F / "incident-native/dev-alice",), "dev-alice"),
            (
                tuple(F / p for p in ("incident-native/ci", "incident-native/dev-bob"))
                + tuple(F / p for p in ("incident-native/k8s", "incident-native/cloudtrail"))
                + (F / "incident/lockfiles", F / "incident/sbom"),
                None,
            ),
        ),
        "litellm-2025",
    ),
    Incident(
        "incident-identities",
        (
            ((F / "incident-identities/dev-carol",), "dev-carol"),
            (
                tuple(
                    F / "incident-identities" / p
                    for p in ("ci", "cloudtrail", "build-7", "k8s", "sbom")
                ),
                None,
            ),
        ),
        "litellm-2025",
        F / "incident-identities/identities.csv",
    ),
    Incident(
        "incident-trivy",
        (
            (
                tuple(
                    F / "incident-trivy" / p
                    for p in ("ci", "sbom", "k8s", "repo/.github/workflows")
                ),
                None,
            ),
        ),
        "trivy-action-2026",
    ),
)


def settings(db: Path) -> Settings:
    return Settings.from_env(db=str(db), fingerprint_key=KEY, now=NOW)


def build(incident: Incident, db: Path) -> Path:
    """Ingest ``incident`` into a new store at ``db``."""
    for paths, host in incident.steps:
        summary = api.ingest(list(paths), host=host, settings=settings(db))
        assert not summary.failed, [r.error for r in summary.failed]
    return db


def render_json(result: ScopeResult) -> str:
    renderer = reports.choose("json", Subject.SCOPE, terminal=False, output=None)
    out = io.StringIO()
    renderer.render(result, out, RenderOptions())
    return out.getvalue()


def scope_json(incident: Incident, db: Path) -> str:
    """The incident's scope JSON over the DuckDB store at ``db``."""
    found = api.scope(incident.advisory, settings=settings(db), identities=incident.identities)
    return render_json(found)
