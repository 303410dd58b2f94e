"""npm package-lock.json v1-v3: names from paths, aliases, git commits, groups, shrinkwrap."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoper.errors import InputError
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.npmlock import SOURCE, git_commit, name_from_path

DATA = Path(__file__).resolve().parents[2] / "data" / "npmlock"
SHA = "98e8ff1da1a89f93d1397a24d7413ed15421c139"


def test_v3_packages() -> None:
    records = SOURCE.parse(DATA / "package-lock.json", ParseContext(display="package-lock.json"))
    got = [(p.name, p.version, p.origin.line, p.groups, p.location) for p in records.packages]
    assert got == [
        ("@babel/code-frame", "7.0.0", 22, (), "node_modules/@babel/code-frame"),
        ("fsevents", "2.3.3", 34, ("dev", "optional"), "node_modules/fsevents"),
        ("is-number", "7.0.0", 44, (), "node_modules/is-number"),
        ("react", "18.3.1", 49, ("peer",), "node_modules/react"),
        ("string-width", "4.2.0", 54, (), "node_modules/string-width-cjs"),
        (
            "@babel/highlight",
            "7.0.0",
            60,
            ("bundled",),
            "node_modules/@babel/code-frame/node_modules/@babel/highlight",
        ),
        ("@acme/ui", "0.0.1", 65, (), "packages/ui"),
    ]
    assert all(p.ecosystem == "npm" for p in records.packages)
    assert [(s.origin.line, s.reason) for s in records.skipped] == [
        (7, "packages['']: the project itself"),
        (
            30,
            "packages['node_modules/@acme/ui']: link to 'packages/ui' (listed under its own path)",
        ),
    ]


def test_v3_hashes_commits_and_redaction() -> None:
    records = SOURCE.parse(DATA / "package-lock.json", ParseContext(display="package-lock.json"))
    by_name = {p.name: p for p in records.packages}
    assert by_name["@babel/code-frame"].hashes == (
        "sha512:39f0b6b9e99a9275ebf3b6dd2d4916a20ee762e96233d223e4751c6a3b1570c0"
        "a942b70b9adc516d515322a99c4a449e611045051c6cd85894a852432dd89e6c",
    )
    assert by_name["@babel/code-frame"].purl == "pkg:npm/%40babel/code-frame@7.0.0"
    is_number = by_name["is-number"]
    assert is_number.commit == SHA
    assert is_number.source_url == "git+https://***@github.com/jonschlinkert/is-number.git"
    assert "glpat" not in repr(records)
    assert by_name["string-width"].display_name == "string-width"


def test_v1_nested_alias_git_and_file() -> None:
    records = SOURCE.parse(DATA / "v1" / "package-lock.json", ParseContext(display="v1.json"))
    got = [(p.name, p.version, p.origin.line, p.groups, p.commit) for p in records.packages]
    assert got == [
        ("@babel/code-frame", "7.0.0", 7, (), None),
        ("postcss-calc", "7.0.1", 12, ("dev",), None),
        ("postcss", "7.0.16", 18, ("dev",), None),
        ("supports-color", "6.1.0", 23, ("dev", "optional"), None),
        ("raven-js", None, 33, (), "c2b377e7a254264fd4a1fe328e4e3cfc9e245570"),
        ("local-lib", None, 37, (), None),
    ]
    locations = [p.location for p in records.packages]
    assert locations[3] == (
        "node_modules/postcss-calc/node_modules/postcss/node_modules/supports-color"
    )
    assert locations[0] == "node_modules/babel-code-frame"
    assert records.packages[1].hashes == ("sha1:cb102df1c56f5123eab8b67cd7b98027a0279178",)
    assert records.packages[5].source_url == "file:libs/local-lib"
    assert records.skipped == []


def test_shrinkwrap_beside_wins() -> None:
    lock = SOURCE.parse(DATA / "both" / "package-lock.json", ParseContext(display="pl.json"))
    assert lock.packages == []
    assert len(lock.artifacts) == 1
    assert "npm-shrinkwrap.json in the same directory" in lock.skipped[0].reason
    shrink = SOURCE.parse(DATA / "both" / "npm-shrinkwrap.json", ParseContext(display="s.json"))
    assert [(p.name, p.version) for p in shrink.packages] == [("wrappy", "1.0.2")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("null", "expected a JSON object"),
        ('{"name": "x"}', "not an npm lockfile"),
        ("{", "invalid JSON"),
    ],
)
def test_bad_documents(tmp_path: Path, text: str, message: str) -> None:
    lock = tmp_path / "npm-shrinkwrap.json"
    lock.write_text(text)
    with pytest.raises(InputError, match=message):
        SOURCE.parse(lock, ParseContext(display="npm-shrinkwrap.json"))


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("node_modules/a", "a"),
        ("node_modules/@s/b", "@s/b"),
        ("node_modules/a/node_modules/@s/c", "@s/c"),
        ("deps/etag", "etag"),
        ("packages/@acme/ui", "@acme/ui"),
    ],
)
def test_name_from_path(path: str, name: str) -> None:
    assert name_from_path(path) == name


@pytest.mark.parametrize(
    ("spec", "commit"),
    [
        (f"git+ssh://git@github.com/a/b.git#{SHA}", SHA),
        (f"github:a/b#{SHA}", SHA),
        (f"https://codeload.github.com/a/b/tar.gz/{SHA}", SHA),
        (f"https://gitlab.com/a/b#{SHA}", SHA),
        ("github:a/b#main", None),
        (f"https://registry.npmjs.org/a/-/a-1.0.0.tgz#{SHA}", None),
    ],
)
def test_git_commit(spec: str, commit: str | None) -> None:
    assert git_commit(spec)[1] == commit


def test_sniff() -> None:
    assert SOURCE.sniff(Path("package-lock.json"), b"")
    assert SOURCE.sniff(Path("npm-shrinkwrap.json.gz"), b"")
    assert SOURCE.sniff(Path("lock.v2.json"), b'{\n  "name": "x",\n  "lockfileVersion": 2')
    assert not SOURCE.sniff(Path("Pipfile.lock"), b'{"_meta": {}}')
