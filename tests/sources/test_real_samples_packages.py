"""Real public lockfiles, manifests and SBOMs (tests/data/*/README.md name their sources).

Package counts are checked against counts computed here from the raw file with a parser
of our own (tomllib, json, configparser, a URL regex), not through scoper.
"""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from pathlib import Path

import pytest

from scoper.inputs import detect
from scoper.model import Records
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[1] / "data"


def parse(rel: str) -> Records:
    path = DATA / rel
    return detect(path).parse(path, ParseContext(path.name))


# --- poetry.lock (python-poetry/poetry, MIT) ---------------------------------------------

POETRY = [
    "poetrylock/poetry-repo/poetry.lock",
    "poetrylock/poetry-with-path-dependency/poetry.lock",
    "poetrylock/poetry-up-to-date/poetry.lock",
    "poetrylock/poetry-old-lock-1.0/poetry.lock",
]


def toml_packages(rel: str) -> list[dict]:
    return tomllib.loads((DATA / rel).read_text())["package"]


@pytest.mark.parametrize("rel", POETRY)
def test_poetry_lock_every_package_with_its_version(rel: str) -> None:
    assert detect(DATA / rel).name == "poetry.lock"
    records = parse(rel)
    raw = toml_packages(rel)
    got = sorted((p.name, p.version) for p in records.packages)
    want = sorted((re.sub(r"[-_.]+", "-", t["name"]).lower(), t["version"]) for t in raw)
    assert got == want
    assert len(records.packages) == (DATA / rel).read_text().count("[[package]]")
    assert records.skipped == []


def test_poetry_lock_hashes_in_both_layouts() -> None:
    v2 = {p.name: p for p in parse("poetrylock/poetry-with-path-dependency/poetry.lock").packages}
    assert v2["certifi"].hashes == (
        "sha256:4ad3232f5e926d6718ec31cfc1fcadfde020920e278684144551c91769c7bc18",
        "sha256:35824b4c3a97115964b408844d64aa14db1cc518f6562e8d7261699d1350a9e3",
    )
    assert v2["bazz"].hashes == ()  # a directory dependency: no files
    [old] = parse("poetrylock/poetry-old-lock-1.0/poetry.lock").packages  # [metadata.files]
    assert (old.name, old.version, len(old.hashes)) == ("sampleproject", "1.3.1", 3)


def test_poetry_repo_lock_file_hashes_all_kept() -> None:
    rel = "poetrylock/poetry-repo/poetry.lock"
    raw = {t["name"].lower(): t for t in toml_packages(rel)}
    for package in parse(rel).packages:
        files = raw.get(package.display_name.lower(), raw.get(package.name, {})).get("files", [])
        assert set(package.hashes) == {f["hash"] for f in files}, package.name


# --- conda explicit (conda/conda-lock tests/zlib, MIT) -----------------------------------

CONDA = [f"conda/conda-lock-zlib/conda-{p}.lock" for p in ("linux-64", "osx-64", "win-64")]
URL = re.compile(
    r"^https://conda\.anaconda\.org/([^/]+)/([^/]+)/(.+?)-([^-]+)-([^-]+?)\.(?:tar\.bz2|conda)#([0-9a-f]{32})$"
)


@pytest.mark.parametrize("rel", CONDA)
def test_conda_explicit_every_url_a_package(rel: str) -> None:
    assert detect(DATA / rel).name == "conda"
    lines = (DATA / rel).read_text().splitlines()
    raw = [(n, m.groups()) for n, line in enumerate(lines, 1) if (m := URL.match(line))]
    assert raw and len(raw) == sum(1 for x in lines if x.startswith("https://"))
    records = parse(rel)
    got = [(p.origin.line, p.name, p.version, p.hashes) for p in records.packages]
    assert got == [(n, g[2], g[3], (f"md5:{g[5]}",)) for n, g in raw]
    for package, (_, g) in zip(records.packages, raw, strict=True):
        assert package.purl is not None
        assert f"channel={g[0]}" in package.purl and f"subdir={g[1]}" in package.purl
        assert f"build={g[4]}" in package.purl


# --- syft native JSON (anchore/syft, Apache-2.0) -----------------------------------------

SYFT = [
    "syft_json/cataloger-alpine-sbom.syft.json",
    "syft_json/TestDirectoryEncoder.golden.json",
    "syft_json/identify-schema-11.0.0.json",
]


@pytest.mark.parametrize("rel", SYFT)
def test_syft_json_every_artifact(rel: str) -> None:
    assert detect(DATA / rel).name == "syft-json"
    raw = json.loads((DATA / rel).read_text())["artifacts"]
    records = parse(rel)
    assert len(records.packages) == len(raw)
    assert sorted(p.version for p in records.packages) == sorted(a["version"] for a in raw)
    purls = {a["purl"] for a in raw if a.get("purl", "").startswith("pkg:")}
    assert purls <= {p.purl for p in records.packages}


def test_syft_alpine_cataloger_sbom() -> None:
    records = parse("syft_json/cataloger-alpine-sbom.syft.json")
    names = {p.name: p.version for p in records.packages}
    assert names["zlib"] == "1.2.12-r3" and names["busybox"] == "1.35.0-r17"
    assert {p.ecosystem for p in records.packages} == {"apk"}


def test_syft_directory_source_redacted_purl_falls_back_to_type() -> None:
    packages = {p.name: p for p in parse("syft_json/TestDirectoryEncoder.golden.json").packages}
    assert (packages["package-1"].ecosystem, packages["package-1"].version) == ("PyPI", "1.0.1")
    assert packages["package-2"].purl == "pkg:deb/debian/package-2@2.0.1"


# --- setup.cfg (pytest-dev/pluggy, MIT) --------------------------------------------------

PLUGGY = "setup_cfg/refused/pluggy/setup.cfg"  # see tests/data/setup_cfg/README.md


def raw_requirements(rel: str) -> dict[str, list[str]]:
    cfg = configparser.ConfigParser()
    cfg.read_string((DATA / rel).read_text())
    out = {
        key: [x.strip() for x in cfg["options"][key].splitlines() if x.strip()]
        for key in ("install_requires", "setup_requires")
    }
    for extra, value in cfg["options.extras_require"].items():
        out[extra] = [x.strip() for x in value.splitlines() if x.strip()]
    return out


def test_setup_cfg_pluggy_names_and_groups() -> None:
    assert detect(DATA / PLUGGY).name == "setup.cfg"
    raw = raw_requirements(PLUGGY)
    names = {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0]: key for key, rs in raw.items() for r in rs}
    got = {p.name: (p.groups or ("",))[0] for p in parse(PLUGGY).packages}
    assert got == {
        n: {"install_requires": "", "setup_requires": "setup"}.get(k, k) for n, k in names.items()
    }
    assert all(p.version is None for p in parse(PLUGGY).packages)  # ranges, never versions


def test_setup_cfg_pluggy_marker_without_space_kept_whole() -> None:
    records = parse(PLUGGY)
    assert records.skipped == []
    [meta] = [p for p in records.packages if p.name == "importlib-metadata"]
    assert meta.spec == ">=0.12"  # the marker is not part of the spec (as for pytest's)
