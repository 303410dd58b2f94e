"""Shared SBOM field decoding: purls, digests, hashes, timestamps, entry lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoper.model import Origin, Package
from scoper.sources.sboms.fields import (
    build_package,
    decode_purl,
    entry_lines,
    image_name,
    normalise_digest,
    normalise_hash,
    parse_timestamp,
    path_in_text,
)

HEX = "2731251dc34951c0e50fcc643b4c5f74922dad1a5d98f302b504cf46cd5d9368"


@pytest.mark.parametrize(
    ("purl", "expected"),
    [
        ("pkg:pypi/PyYAML@6.0", ("PyPI", "pyyaml", "6.0")),
        ("pkg:pypi/rapid_client@0.0.0", ("PyPI", "rapid-client", "0.0.0")),
        ("pkg:npm/%40gar%2Fpromisify@1.1.3", ("npm", "@gar/promisify", "1.1.3")),
        ("pkg:npm/%40gar/promisify@1.1.3", ("npm", "@gar/promisify", "1.1.3")),
        ("pkg:maven/log4j/log4j@1.2.15", ("Maven", "log4j:log4j", "1.2.15")),
        ("pkg:golang/github.com/foo/bar@v1.2.3", ("Go", "github.com/foo/bar", "v1.2.3")),
        ("pkg:deb/debian/login@4.13?epoch=1", ("deb", "login", "1:4.13")),
        ("pkg:apk/alpine/musl@1.2.3-r4?distro=3.17.0", ("apk", "musl", "1.2.3-r4")),
        ("pkg:generic/some_company/flatbuffers@25.9.23", ("generic", "flatbuffers", "25.9.23")),
        ("pkg:pypi/ctx", ("PyPI", "ctx", None)),
    ],
)
def test_decode_purl(purl: str, expected: tuple[str, str, str | None]) -> None:
    parts = decode_purl(purl)
    assert parts is not None
    assert (parts.ecosystem, parts.name, parts.version) == expected


@pytest.mark.parametrize(
    "purl", ["a-purl-1", "pkg:", "pkg:pypi/", "pkg:/x", None, 7, ["pkg:pypi/x"]]
)
def test_decode_bad_purl(purl: object) -> None:
    assert decode_purl(purl) is None


def test_build_package_keeps_written_spelling_and_falls_back_to_generic() -> None:
    origin = Origin("f", 3)
    package = build_package("a", origin, purl="pkg:pypi/pyyaml@6.0", name="PyYAML", version="6.0")
    assert not isinstance(package, str)
    assert (package.name, package.display_name, package.origin) == ("pyyaml", "PyYAML", origin)
    odd = build_package(
        "a", origin, purl="pkg:maven/log4j/log4j@1.2.15", name="v1_2_15", version=None
    )
    assert not isinstance(odd, str) and odd.display_name == "log4j:log4j"
    bad = build_package("a", origin, purl="a-purl-1", name="package-1", version="NOASSERTION")
    assert not isinstance(bad, str)
    assert (bad.ecosystem, bad.purl, bad.version) == ("generic", None, None)
    assert (
        build_package("a", origin, purl=None, name="  ", version="1")
        == "no usable purl and no name"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"sha256:{HEX.upper()}", f"sha256:{HEX}"),
        (f"repo/img@sha256:{HEX}", f"sha256:{HEX}"),
        (f"sha256%3A{HEX}", f"sha256:{HEX}"),
        (HEX, f"sha256:{HEX}"),
        ("sha256:redacted", None),
        (f"sha256:{HEX[:-1]}", None),
        (None, None),
    ],
)
def test_normalise_digest(value: object, expected: str | None) -> None:
    assert normalise_digest(value) == expected


def test_image_name_and_hashes() -> None:
    assert (
        image_name(f"balenalib/amd64-alpine-python@sha256:{HEX}") == "balenalib/amd64-alpine-python"
    )
    assert image_name("alpine:3.15") == "alpine:3.15"
    assert normalise_hash("SHA-256", "ABCD") == "sha256:abcd"
    assert normalise_hash("SHA256", "abcd") == "sha256:abcd"
    assert normalise_hash("BLAKE2b-256", "ab") == "blake2b-256:ab"
    assert normalise_hash("SHA-1", "xyz") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-12-29T00:06:06.75951Z", datetime(2022, 12, 29, 0, 6, 6, 759510, tzinfo=UTC)),
        ("2021-08-25T14:20:30+02:00", datetime(2021, 8, 25, 12, 20, 30, tzinfo=UTC)),
        ("2023-04-28T15:44:16", datetime(2023, 4, 28, 15, 44, 16, tzinfo=UTC)),
        ("timestamp:redacted", None),
        ("redacted", None),
        ("2023-04-28", None),
        ("1970-01-01T00:00:00Z", None),
        (1682696656, None),
    ],
)
def test_parse_timestamp(value: object, expected: datetime | None) -> None:
    assert parse_timestamp(value) == expected


def test_path_in_text() -> None:
    syft = (
        "acquired package info from installed python package manifest file: /a/METADATA, /a/RECORD"
    )
    assert path_in_text(syft) == "/a/METADATA"
    assert path_in_text("built package from: musl 1.2.3-r4") is None
    assert path_in_text("Python") is None


def test_entry_lines_finds_object_starts_by_path() -> None:
    text = (
        '{"a": "{[\\"]}", "components": [\n  {"x": 1},\n  {\n   "components": [{"y": 2}]\n  }\n]}'
    )
    lines = entry_lines(text, lambda p: p.startswith("components"))
    assert lines == {"components[0]": 2, "components[1]": 3, "components[1].components[0]": 4}


@given(
    st.recursive(
        st.none() | st.integers() | st.text(alphabet='ab{}[]":,\\\n', max_size=6),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
        ),
        max_leaves=10,
    )
)
def test_entry_lines_agrees_with_json_paths(value: object) -> None:
    text = json.dumps({"root": value}, indent=1)
    lines = entry_lines(text, lambda p: True)
    assert set(lines) == set(_object_paths({"root": value}, ""))
    starts = [text.splitlines()[line - 1].rstrip().rstrip(",") for line in lines.values()]
    assert all(s.endswith(("{", "{}")) for s in starts)


def _object_paths(value: object, path: str) -> list[str]:
    found = [path] if isinstance(value, dict) else []
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else []
    )
    for key, child in children:
        child_path = (
            f"{path}[{key}]" if isinstance(value, list) else (f"{path}.{key}" if path else str(key))
        )
        found += _object_paths(child, child_path)
    return found


@pytest.mark.parametrize(
    ("version", "pinned", "spec"),
    [
        ("4.*.*", None, "4.*.*"),
        ("^1.2.3", None, "^1.2.3"),
        (">= 2.0, < 3", None, ">= 2.0, < 3"),
        ("~> 5.0", None, "~> 5.0"),
        ("257.8-1~deb13u2", "257.8-1~deb13u2", None),  # deb's tilde is part of a version
        ("1.82.7", "1.82.7", None),
    ],
)
def test_a_declared_range_is_a_spec_not_a_version(
    version: str, pinned: str | None, spec: str | None
) -> None:
    built = build_package("a", Origin("f"), purl=None, name="x", version=version)
    assert isinstance(built, Package)
    assert (built.version, built.spec) == (pinned, spec)


def test_githubactions_purls_are_github_actions() -> None:
    parts = decode_purl("pkg:githubactions/actions/checkout@4")
    assert parts is not None and (parts.ecosystem, parts.name) == (
        "GitHub Actions",
        "actions/checkout",
    )
