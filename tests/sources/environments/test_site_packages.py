"""site-packages folders: distributions, environment prefix, .pth files, digest, fuzzing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sbom_fuzz import byte_mutations

from scoper.errors import InputError
from scoper.ingest import detect, iter_inputs
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.environments.site_packages import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "site_packages"
VENV = DATA / "app" / "venv"
SITE = VENV / "lib" / "python3.12" / "site-packages"
DISPLAY = "venv/lib/python3.12/site-packages"
COMMIT = "270ced92c7942a3f0cdc2852668103722b05ceb3"


def parse(path: Path = SITE) -> Records:
    return SOURCE.parse(path, ParseContext(display=DISPLAY, host="build-7"))


def test_distributions_versions_and_origins() -> None:
    records = parse()
    got = [(p.name, p.version, p.origin.file, p.origin.line, p.direct) for p in records.packages]
    assert got == [
        ("litellm", "1.82.8", f"{DISPLAY}/litellm-1.82.8.dist-info/METADATA", 3, True),
        ("old-pkg", "0.9", f"{DISPLAY}/old_pkg-0.9.egg-info", 3, None),
        ("six", "1.16.0", f"{DISPLAY}/six-1.16.0.dist-info/METADATA", 3, True),
        ("tiny-helper", "1.2.0", f"{DISPLAY}/tiny_helper-1.2.0.dist-info/METADATA", 3, None),
    ]
    litellm, _, _, helper = records.packages
    assert litellm.location == str(SITE / "litellm-1.82.8.dist-info")
    assert litellm.purl == "pkg:pypi/litellm@1.82.8"
    assert litellm.hashes == ()
    assert (helper.display_name, helper.commit) == ("Tiny_Helper", COMMIT)
    assert helper.source_url == "https://github.com/acme/tiny-helper.git"


def test_environment_artifact() -> None:
    (artifact,) = parse().artifacts
    assert (artifact.kind, artifact.key, artifact.host) == ("environment", "", "build-7")
    assert artifact.name == str(SITE)
    assert artifact.environment == str(VENV)


def test_pth_files_are_kept_with_digests_and_broken_metadata_is_reported() -> None:
    records = parse()
    reasons = {s.origin.file: s.reason for s in records.skipped}
    assert reasons == {
        f"{DISPLAY}/broken-0.1.dist-info/METADATA": (
            "broken-0.1.dist-info: METADATA has no Version header"
        ),
    }
    files = {(f.origin.file, f.kind, f.sha256) for f in records.files}
    assert files == {
        (
            f"{DISPLAY}/distutils-precedence.pth",
            "pth",
            "2638ce9e2500e572a5e0de7faed6661eb569d1b696fcba07b0dd223da5f5d224",
        ),
        (
            f"{DISPLAY}/litellm_init.pth",
            "pth",
            "3ac902d2c8d856e27dd7d64f86befa6c31610e99d84c083a849cf01b17850951",
        ),
    }


def test_egg_info_folder_missing_metadata_and_egg_link(tmp_path: Path) -> None:
    site = tmp_path / "lib" / "python3.11" / "site-packages"
    (site / "Acme.Lib-2.0-py3.11.egg-info").mkdir(parents=True)
    (site / "Acme.Lib-2.0-py3.11.egg-info" / "PKG-INFO").write_text(
        "Metadata-Version: 1.1\r\nName: Acme.Lib\r\nVersion: 2.0\r\n\r\nbody\r\n"
    )
    (site / "gone-1.0.dist-info").mkdir()
    (site / "acme-dev.egg-link").write_text("/home/dev/acme\n.\n")
    records = SOURCE.parse(site, ParseContext(display="site"))
    (package,) = records.packages
    assert (package.name, package.version, package.origin.line) == ("acme-lib", "2.0", 3)
    assert package.origin.file == "site/Acme.Lib-2.0-py3.11.egg-info/PKG-INFO"
    (egg_link,) = records.files
    assert (egg_link.kind, egg_link.path) == ("egg-link", str(site / "acme-dev.egg-link"))
    (reason,) = [s.reason for s in records.skipped]
    assert reason.startswith("gone-1.0.dist-info: cannot read METADATA: ")
    assert records.artifacts[0].environment == str(tmp_path)


def test_digest_is_stable_and_follows_metadata(tmp_path: Path) -> None:
    copy = tmp_path / "lib" / "python3.12" / "site-packages"
    shutil.copytree(SITE, copy)
    first = SOURCE.digest(copy)
    assert SOURCE.digest(copy) == first
    (copy / "six.py").write_text("# code changes do not matter\n")
    assert SOURCE.digest(copy) == first
    (copy / "litellm_init.pth").write_text("import base64\n")
    assert SOURCE.digest(copy) != first
    second = SOURCE.digest(copy)
    (copy / "six-1.16.0.dist-info" / "RECORD").write_text("six.py,,\n")
    assert SOURCE.digest(copy) != second
    assert SOURCE.digest(SITE) != SOURCE.digest(copy)  # another folder, another environment


def test_sniff_claims_site_dirs_and_dist_info_folders(tmp_path: Path) -> None:
    assert SOURCE.sniff(SITE, b"")
    assert not SOURCE.sniff(SITE / "six.py", b"")
    vendor = tmp_path / "vendor"
    (vendor / "six-1.16.0.dist-info").mkdir(parents=True)
    assert SOURCE.sniff(vendor, b"")
    checkout = tmp_path / "checkout"
    (checkout / "src" / "acme.egg-info").mkdir(parents=True)
    (checkout / "pyproject.toml").write_text("[project]\nname = 'acme'\n")
    assert not SOURCE.sniff(checkout / "src", b"")
    (checkout / "acme.egg-info").mkdir()
    assert not SOURCE.sniff(checkout, b"")
    assert not SOURCE.sniff(tmp_path, b"")
    (tmp_path / "site-packages").mkdir()
    assert SOURCE.sniff(tmp_path / "site-packages", b"")


def test_ingest_walk_yields_the_folder_whole() -> None:
    found = [path for path, _ in iter_inputs([DATA])]
    assert found == [SITE]
    assert detect(SITE).name == "site-packages"


def test_a_file_is_not_a_site_packages_folder() -> None:
    with pytest.raises(InputError, match="not a directory"):
        SOURCE.parse(SITE / "six.py", ParseContext(display="six.py"))


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
METADATA = (SITE / "litellm-1.82.8.dist-info" / "METADATA").read_bytes()
DIRECT_URL = (SITE / "tiny_helper-1.2.0.dist-info" / "direct_url.json").read_bytes()


@FUZZ
@given(
    metadata=byte_mutations(METADATA), direct=byte_mutations(DIRECT_URL), egg=st.binary(max_size=64)
)
def test_fuzzed_metadata_never_crashes(metadata: bytes, direct: bytes, egg: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site-packages"
        shutil.copytree(SITE, site)
        (site / "litellm-1.82.8.dist-info" / "METADATA").write_bytes(metadata)
        (site / "tiny_helper-1.2.0.dist-info" / "direct_url.json").write_bytes(direct)
        (site / "old_pkg-0.9.egg-info").write_bytes(egg)
        records = SOURCE.parse(site, ParseContext(display="site-packages"))
        SOURCE.digest(site)
    assert len(records.packages) + len(records.skipped) == 5
    assert len(records.files) == 2
    assert all(p.name and p.version for p in records.packages)
