"""Shared lockfile helpers: entry lines in TOML and JSON, hash forms, URL redaction."""

from __future__ import annotations

import pytest

from scoper.sources.packages import (
    commit_fragment,
    json_key_lines,
    normalise_hash,
    public_url,
    toml_entry_lines,
)

HEX = "8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254"


def test_toml_lines_skip_strings_comments_and_subtables() -> None:
    text = (
        'version = 1\n[[package]]\ndescription = """\nname = "fake"\n"""\nname = "a"\n'
        '[package.tool]\nname = "tool"\n\n[[ package ]]\n# name = "x"\nname_other = 1\n'
        "name = 'b' # comment\n[[package]]\nversion = \"3\"\n"
    )
    assert toml_entry_lines(text, "package", ["a", "b", None]) == [6, 13, 14]


def test_toml_lines_fall_back_to_inline_names() -> None:
    text = 'packages = [\n  { name = "one" },\n  {name="two"},\n]\n'
    assert toml_entry_lines(text, "packages", ["one", "two", "three"]) == [2, 3, None]


def test_json_key_lines_only_for_object_values() -> None:
    text = '{\n "a": {\n  "b": {"c": 1},\n  "list": [{"d": {}}],\n  "s": "{"\n },\n "e": {}\n}'
    assert json_key_lines(text) == {("a",): 2, ("a", "b"): 3, ("e",): 7}


def test_json_key_lines_escaped_keys() -> None:
    text = '{"x\\"y": {\n"z": {}}}'
    assert json_key_lines(text) == {('x"y',): 1, ('x"y', "z"): 2}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"sha256:{HEX.upper()}", f"sha256:{HEX}"),
        (f"sha256={HEX}", f"sha256:{HEX}"),
        ("sha1-yxAt8cVvUSPquLZ817mAJ6AnkXg=", "sha1:cb102df1c56f5123eab8b67cd7b98027a0279178"),
        ("sha512-not*base64", None),
        ("md5", None),
        (42, None),
    ],
)
def test_normalise_hash(value: object, expected: str | None) -> None:
    assert normalise_hash(value) == expected


def test_public_url_and_commit_fragment() -> None:
    assert public_url("https://user:tok@host/simple") == "https://***@host/simple"
    assert public_url("git+ssh://git@github.com/a/b") == "git+ssh://***@github.com/a/b"
    assert public_url("https://pypi.org/simple") == "https://pypi.org/simple"
    assert commit_fragment("https://x/r?rev=main#0123abcd") == ("https://x/r?rev=main", "0123abcd")
    assert commit_fragment("https://x/r#main") == ("https://x/r", None)
