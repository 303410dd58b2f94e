"""uv.lock: sources, several versions of one name, groups, the skipped project roots."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from scoper.errors import InputError
from scoper.model import Package
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.uvlock import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "uvlock"


def parse(path: Path) -> tuple[dict[tuple[str, str | None], Package], list[str]]:
    return parse_named(path, path.name)


def parse_named(path: Path, name: str) -> tuple[dict[tuple[str, str | None], Package], list[str]]:
    records = SOURCE.parse(path, ParseContext(display=path.name))
    assert [a.name for a in records.artifacts] == [name]
    assert records.artifacts[0].kind == "lockfile"
    packages = {(p.name, p.version): p for p in records.packages}
    assert len(packages) == len(records.packages)
    return packages, [s.reason for s in records.skipped]


def test_versions_lines_and_skipped_roots() -> None:
    packages, skipped = parse(DATA / "uv.lock")
    assert sorted(packages) == [
        ("ike", "0.2.0"),
        ("iniconfig", "2.0.0"),
        ("litellm", "1.82.6"),
        ("numpy", "1.26.4"),
        ("numpy", "2.2.3"),
        ("pytest", "8.3.5"),
        ("tokenizers", "0.21.1"),
        ("uvicorn", "0.34.0"),
    ]
    assert packages[("numpy", "1.26.4")].origin.line == 87
    assert packages[("numpy", "2.2.3")].origin.line == 96
    assert packages[("litellm", "1.82.6")].origin.line == 70
    assert all(p.ecosystem == "PyPI" for p in packages.values())
    assert skipped == [
        "package[0]: the project itself or a workspace member (editable source '.')",
        "package[1]: the project itself or a workspace member (editable source 'packages/lib')",
    ]


def test_git_commit_hashes_and_redacted_source() -> None:
    packages, _ = parse(DATA / "uv.lock")
    ike = packages[("ike", "0.2.0")]
    assert ike.commit == "cd66602cd29f61a2d2e7fb995fef1e61708c034d"
    assert ike.source_url == "https://github.com/dzshn/ike?rev=main"
    litellm = packages[("litellm", "1.82.6")]
    assert litellm.hashes == (
        "sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
        "sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
    )
    assert litellm.source_url == "https://***@pypi.internal.example/simple"
    assert "s3cr3t" not in repr(packages)
    assert litellm.purl == "pkg:pypi/litellm@1.82.6"
    assert packages[("uvicorn", "0.34.0")].source_url == "vendor/uvicorn-0.34.0-py3-none-any.whl"


def test_groups_follow_extras_and_dev_groups_transitively() -> None:
    packages, _ = parse(DATA / "uv.lock")
    groups = {name: p.groups for (name, _), p in packages.items()}
    assert groups == {
        "ike": (),
        "litellm": (),
        "numpy": (),
        "tokenizers": (),
        "pytest": ("dev",),
        "iniconfig": ("dev",),
        "uvicorn": ("proxy",),
    }


def test_virtual_root_and_names_outside_blocks(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(
        'version = 1\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n'
        'source = { virtual = "." }\ndescription = """\nname = "fake"\n"""\n\n'
        '[[package]]\n# name = "commented"\nname = "Emoji_Lib"\nversion = "2.14.0"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
    )
    packages, skipped = parse(lock)
    assert list(packages) == [("emoji-lib", "2.14.0")]
    assert packages[("emoji-lib", "2.14.0")].display_name == "Emoji_Lib"
    assert packages[("emoji-lib", "2.14.0")].origin.line == 13
    assert skipped == ["package[0]: the project itself or a workspace member (virtual source '.')"]


def test_nameless_entry_is_skipped(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text('version = 1\n\n[[package]]\nversion = "1.0"\n')
    packages, skipped = parse(lock)
    assert packages == {}
    assert skipped == ["package[0]: entry is not a table with a name"]


@pytest.mark.parametrize(
    ("text", "place"),
    [("version = 1\n[[package]\n", "line 2"), ('version = 1\npackage = "x"\n', "package")],
)
def test_broken_files_raise_input_error(tmp_path: Path, text: str, place: str) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(text)
    with pytest.raises(InputError) as err:
        SOURCE.parse(lock, ParseContext(display="uv.lock"))
    assert err.value.place == place


def test_sniff() -> None:
    assert SOURCE.sniff(Path("uv.lock"), b"")
    assert SOURCE.sniff(Path("lock.toml"), b'version = 1\n[[package]]\nsource = { registry = "x" }')
    assert not SOURCE.sniff(Path("poetry.lock"), b'[[package]]\nname = "x"\n')


def test_gzipped_lockfile(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock.gz"
    lock.write_bytes(gzip.compress((DATA / "uv.lock").read_bytes()))
    assert SOURCE.sniff(lock, b"")
    packages, _ = parse_named(lock, "uv.lock")
    assert packages[("numpy", "2.2.3")].origin.line == 96
