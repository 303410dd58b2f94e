"""conda: explicit locks, conda-lock.yml and conda-meta records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from sbom_fuzz import assert_only_input_errors, byte_mutations, json_mutations

from scoper.errors import InputError
from scoper.ingest import detect
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.conda import SOURCE, url_lines

DATA = Path(__file__).resolve().parents[2] / "data" / "conda"
EXPLICIT = DATA / "conda-linux-64.lock"
SPEC_FILE = DATA / "spec-file.txt"
LOCK = DATA / "conda-lock.yml"
META = DATA / "env" / "conda-meta" / "idna-3.4-pyhd8ed1ab_0.json"


def test_explicit_lock() -> None:
    records = SOURCE.parse(EXPLICIT, ParseContext(display="conda-linux-64.lock"))
    got = [(p.name, p.version, p.origin.line, p.hashes) for p in records.packages]
    assert got == [
        ("_libgcc_mutex", "0.1", 5, ("md5:d7c89558ba9fa0495403155b64376d81",)),
        ("ca-certificates", "2025.1.31", 6, ("md5:e74273d9fc5ab633d613cde474b55157",)),
        ("libgcc", "14.2.0", 7, ("md5:ef504d1acbd74b7cc6849ef8af47dd03",)),
        ("ld_impl_linux-64", "2.43", 8, ("md5:01f8d123c96816249efd255a31ad7712",)),
        ("python", "3.13.3", 9, ("md5:10622e12d649154af0bd76bcf33a7c5c",)),
        (
            "pip",
            "25.0.1",
            10,
            ("sha256:b1beb97b230321fc2ae692bd631cd65530c59686151af9d11aaa16df815f9ee8",),
        ),
    ]
    python = records.packages[4]
    assert python.ecosystem == "conda"
    assert python.purl == (
        "pkg:conda/python@3.13.3?build=hf636f53_101_cp313&channel=conda-forge&subdir=linux-64"
    )
    assert python.source_url == (
        "https://conda.anaconda.org/conda-forge/linux-64/python-3.13.3-hf636f53_101_cp313.conda"
    )
    assert [(a.kind, a.name) for a in records.artifacts] == [("lockfile", "conda-linux-64.lock")]
    assert records.skipped == []


def test_explicit_spec_file_masks_channel_tokens() -> None:
    records = SOURCE.parse(SPEC_FILE, ParseContext(display="spec-file.txt"))
    assert [(p.name, p.version, p.hashes) for p in records.packages] == [
        ("_libgcc_mutex", "0.1", ()),
        ("python", "3.11.10", ()),
        ("acme-tools", "2.1.0", ()),
    ]
    acme = records.packages[2]
    assert acme.source_url == (
        "https://conda.anaconda.org/t/***/acme/noarch/acme-tools-2.1.0-py_0.tar.bz2"
    )
    assert "channel=acme" in (acme.purl or "")
    assert [(s.origin.line, s.reason) for s in records.skipped] == [(9, "not a conda package URL")]


def test_conda_lock_yml() -> None:
    records = SOURCE.parse(LOCK, ParseContext(display="conda-lock.yml"))
    got = [(p.ecosystem, p.name, p.version, p.origin.line, p.groups) for p in records.packages]
    assert got == [
        ("conda", "_openmp_mutex", "4.5", 27, ()),
        ("conda", "_openmp_mutex", "4.5", 40, ()),
        ("conda", "python", "3.12.0", 52, ()),
        ("conda", "python_abi", "3.13", 65, ()),
        ("conda", "mypy", "1.15.0", 75, ("dev",)),
        ("PyPI", "certifi", "2023.7.22", 87, ()),
        ("PyPI", "litellm", "1.82.8", 97, ()),
    ]
    aarch64 = records.packages[1]
    assert aarch64.hashes == (
        "md5:6168d71addc746e8f2b8d57dfd2edcea",
        "sha256:3702bef2f0a4d38bd8288bbe54aace623602a1343c2cfbefd3fa188e015bebf0",
    )
    assert "subdir=linux-aarch64" in (aarch64.purl or "")
    assert records.packages[5].hashes == (
        "sha256:92d6037539857d8206b8f6ae472e8b77db8058fec5937a1ef3f54304089edbb9",
    )
    assert records.packages[6].purl == "pkg:pypi/litellm@1.82.8"
    assert [(s.origin.line, s.reason) for s in records.skipped] == [
        (107, "package[7]: entry has no name")
    ]


def test_conda_lock_keeps_versions_as_written(tmp_path: Path) -> None:
    lock = tmp_path / "conda-lock.yml"
    lock.write_text(
        "version: 1\npackage:\n"
        "- {name: python_abi, version: 3.10, manager: conda, platform: osx-arm64,"
        " categories: [main, test]}\n"
        "- name: odd\n  version: 1.0\n  manager: cargo\n"
    )
    records = SOURCE.parse(lock, ParseContext(display="conda-lock.yml"))
    (abi,) = records.packages
    assert (abi.version, abi.groups, abi.origin.line) == ("3.10", ("test",), 3)
    assert abi.purl == "pkg:conda/python_abi@3.10?subdir=osx-arm64"
    assert [s.reason for s in records.skipped] == ["package[1]: odd: unknown manager 'cargo'"]


@pytest.mark.parametrize(
    ("text", "message", "place"),
    [
        ("version: 1\nmetadata: {}\n", "no 'package' list", "package"),
        ("package:\n  - name: [x\n", "invalid YAML", "line 3"),
        ("- just\n- a list\n", "no 'package' list", "package"),
    ],
)
def test_bad_conda_lock_raises(tmp_path: Path, text: str, message: str, place: str) -> None:
    lock = tmp_path / "conda-lock.yml"
    lock.write_text(text)
    with pytest.raises(InputError, match=message) as caught:
        SOURCE.parse(lock, ParseContext(display="conda-lock.yml"))
    assert caught.value.place == place


def test_conda_meta_record() -> None:
    records = SOURCE.parse(META, ParseContext(display="conda-meta/idna.json", host="gpu-2"))
    (package,) = records.packages
    assert (package.ecosystem, package.name, package.version, package.origin.line) == (
        "conda",
        "idna",
        "3.4",
        22,
    )
    assert package.hashes == (
        "md5:34272b248891bddccc64479f9a7fffed",
        "sha256:9887c35c374ec1847f167292d3fde023cb4c994a4ceeec283072b95440131f09",
    )
    assert package.purl == "pkg:conda/idna@3.4?build=pyhd8ed1ab_0&channel=conda-forge&subdir=noarch"
    (artifact,) = records.artifacts
    assert (artifact.kind, artifact.host, artifact.environment) == (
        "environment",
        "gpu-2",
        str(DATA / "env"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("[1]", "JSON object"),
        ('{"name": "x"}', "no 'version'"),
        ('{"version": "1"}', "no 'name'"),
        ('{"name": ', "invalid JSON"),
    ],
)
def test_bad_conda_meta_raises(tmp_path: Path, text: str, message: str) -> None:
    record = tmp_path / "conda-meta" / "x-1-0.json"
    record.parent.mkdir()
    record.write_text(text)
    with pytest.raises(InputError, match=message):
        SOURCE.parse(record, ParseContext(display="x-1-0.json"))


def test_sniff_and_detect(tmp_path: Path) -> None:
    for sample in (EXPLICIT, SPEC_FILE, LOCK, META):
        assert detect(sample).name == "conda"
    render = tmp_path / "conda-linux-64.lock.yml"
    render.write_text("version: 1\nmetadata: {}\npackage:\n- name: x\n  manager: conda\n")
    assert detect(render).name == "conda"
    env = tmp_path / "environment.yml"
    env.write_text("name: ml\ndependencies:\n  - numpy=1.26\n")
    assert not SOURCE.sniff(env, env.read_bytes())
    assert not SOURCE.sniff(Path("x.json"), b'{"name": "x", "version": "1"}')


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LOCK_DOC = yaml.safe_load(LOCK.read_text())


@FUZZ
@given(payload=byte_mutations(EXPLICIT.read_bytes()))
def test_fuzzed_explicit(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "conda-linux-64.lock")


@FUZZ
@given(payload=byte_mutations(LOCK.read_bytes()))
def test_fuzzed_conda_lock_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "conda-lock.yml")


@FUZZ
@given(payload=json_mutations(LOCK_DOC))
def test_fuzzed_conda_lock_structure(payload: bytes) -> None:
    as_yaml = yaml.safe_dump(json.loads(payload)).encode()
    assert_only_input_errors(SOURCE, as_yaml, "conda-lock.yml")


@FUZZ
@given(payload=byte_mutations(META.read_bytes()))
def test_fuzzed_conda_meta_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "idna-3.4-pyhd8ed1ab_0.json")


@FUZZ
@given(payload=json_mutations(json.loads(META.read_bytes())))
def test_fuzzed_conda_meta_structure(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "idna-3.4-pyhd8ed1ab_0.json")


@pytest.mark.parametrize("name", ["conda-linux-64.lock", "urls.txt", "packages"])
def test_explicit_urls_without_the_marker(tmp_path: Path, name: str) -> None:
    text = EXPLICIT.read_text()
    urls = [line for line in text.splitlines() if line.startswith("https://")]
    bare = tmp_path / name
    bare.write_text("# platform: linux-64\n" + "\n".join(urls) + "\n")
    assert detect(bare).name == "conda"
    records = SOURCE.parse(bare, ParseContext(display=name))
    assert records.skipped == []
    assert [p.origin.line for p in records.packages] == list(range(2, len(urls) + 2))
    marked = SOURCE.parse(EXPLICIT, ParseContext(display=name)).packages
    assert [(p.name, p.version, p.hashes) for p in records.packages] == [
        (p.name, p.version, p.hashes) for p in marked
    ]


def test_url_lines_need_every_line_to_be_a_package_url() -> None:
    url = "https://conda.anaconda.org/conda-forge/noarch/idna-3.4-pyhd8ed1ab_0.conda"
    assert url_lines(f"{url}\n{url}#{'a' * 32}\n")
    assert url_lines(f"{url}\nhttps://conda.anaconda.org/conda-forge/noa")  # cut-off head
    assert not url_lines(f"{url}\nrequests==2.0\n")
    assert not url_lines("https://example.com/x.whl\n")
    assert not url_lines("# only comments\n")
