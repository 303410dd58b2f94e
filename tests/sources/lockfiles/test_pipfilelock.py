"""Pipfile.lock: sections to groups, ==versions, git refs, the skipped project itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoper.errors import InputError
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.pipfilelock import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "pipfilelock"


def test_sections_versions_lines_and_groups() -> None:
    records = SOURCE.parse(DATA / "Pipfile.lock", ParseContext(display="Pipfile.lock"))
    got = [(p.name, p.version, p.origin.line, p.groups, p.commit) for p in records.packages]
    assert got == [
        ("litellm", "1.82.6", 23, (), None),
        ("markupsafe", None, 32, (), "b36054111bc1e8bbadb5d0d60158feb72926f467"),
        ("requests", "2.32.3", 37, (), None),
        ("pytest", "8.3.5", 44, ("dev",), None),
        ("litellm", "1.82.6", 50, ("dev",), None),
        ("sphinx", "8.2.3", 55, ("docs",), None),
    ]
    assert [s.reason for s in records.skipped] == ["default.acme: the project itself (path '.')"]
    assert records.skipped[0].origin.line == 19
    litellm = records.packages[0]
    assert litellm.hashes == (
        "sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
        "sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
    )
    assert records.packages[1].source_url == "https://github.com/pallets/markupsafe"
    assert records.packages[2].display_name == "Requests"


def test_unpinned_version_keeps_spec(tmp_path: Path) -> None:
    lock = tmp_path / "Pipfile.lock"
    lock.write_text('{"_meta": {}, "default": {"six": {"version": ">=1.0"}}}')
    (six,) = SOURCE.parse(lock, ParseContext(display="Pipfile.lock")).packages
    assert (six.version, six.spec, six.origin.line) == (None, ">=1.0", 1)


def test_blank_file_is_empty(tmp_path: Path) -> None:
    lock = tmp_path / "Pipfile.lock"
    lock.write_text("\n")
    records = SOURCE.parse(lock, ParseContext(display="Pipfile.lock"))
    assert (records.packages, len(records.artifacts)) == ([], 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "expected a JSON object"),
        ('{"name": "x"}', "not a Pipfile.lock"),
        ('{"default": {"a": }', "invalid JSON"),
    ],
)
def test_bad_documents_raise(tmp_path: Path, text: str, message: str) -> None:
    lock = tmp_path / "Pipfile.lock"
    lock.write_text(text)
    with pytest.raises(InputError, match=message):
        SOURCE.parse(lock, ParseContext(display="Pipfile.lock"))


def test_bad_sections_and_entries_are_skipped(tmp_path: Path) -> None:
    lock = tmp_path / "Pipfile.lock"
    lock.write_text('{"_meta": {}, "default": [], "develop": {"x": "==1.0"}}')
    records = SOURCE.parse(lock, ParseContext(display="Pipfile.lock"))
    assert records.packages == []
    assert [s.reason for s in records.skipped] == [
        "default: section is not an object",
        "develop.x: entry is not an object with a name",
    ]


def test_sniff() -> None:
    assert SOURCE.sniff(Path("Pipfile.lock"), b"")
    assert SOURCE.sniff(Path("lock.json"), b'{"_meta": {"pipfile-spec": 6}}')
    assert not SOURCE.sniff(Path("package-lock.json"), b'{"lockfileVersion": 3}')
