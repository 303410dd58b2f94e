"""pylock.toml (PEP 751): lenient reading, hashes tables, VCS commits, strict notes."""

from __future__ import annotations

from pathlib import Path

from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.pylock import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "pylock"


def test_packages_sources_and_hashes() -> None:
    records = SOURCE.parse(DATA / "pylock.toml", ParseContext(display="pylock.toml"))
    got = [(p.name, p.version, p.origin.line, p.commit, p.source_url) for p in records.packages]
    assert got == [
        ("litellm", "1.82.6", 11, None, "https://pypi.org/simple"),
        (
            "mleroc",
            "0.1.0",
            18,
            "735093f03c4d8be70bfaaae44074ac92d7419b6d",
            "https://github.com/Veggente/mleroc.git",
        ),
        ("vendored", None, 23, None, "vendor/vendored-2.0.tar.gz"),
    ]
    assert records.packages[0].hashes == (
        "sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
        "sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
    )
    assert records.packages[2].hashes == (
        "sha256:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6",
    )
    assert [(s.origin.line, s.reason) for s in records.skipped] == [
        (7, "packages[0]: the project itself (directory '.')"),
    ]


def test_strict_validation_failure_is_only_a_note() -> None:
    records = SOURCE.parse(DATA / "pylock.dev.toml", ParseContext(display="pylock.dev.toml"))
    (pytest_pkg,) = records.packages
    assert (pytest_pkg.name, pytest_pkg.version, pytest_pkg.origin.line) == ("pytest", "8.3.5", 4)
    assert len(pytest_pkg.hashes) == 2
    (note,) = records.skipped
    assert note.origin.line == 4
    assert note.reason.startswith("pylock: not strictly valid PEP 751")
    assert "path or url must be provided" in note.reason


def test_inline_packages_array(tmp_path: Path) -> None:
    lock = tmp_path / "pylock.toml"
    lock.write_text(
        'lock-version = "1.0"\ncreated-by = "pip"\npackages = [\n'
        '  { name = "six", version = "1.16.0", archive = { url = "https://x/six.tgz", '
        'hashes = { sha256 = "8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254" '
        "} } },\n]\n"
    )
    records = SOURCE.parse(lock, ParseContext(display="pylock.toml"))
    (six,) = records.packages
    assert (six.name, six.version, six.origin.line) == ("six", "1.16.0", 4)
    assert records.skipped == []


def test_sniff() -> None:
    assert SOURCE.sniff(Path("pylock.toml"), b"")
    assert SOURCE.sniff(Path("pylock.dev.toml"), b"")
    assert not SOURCE.sniff(Path("pylock.a.b.toml"), b"")
    assert SOURCE.sniff(Path("lock.toml"), b'lock-version = "1.0"\n[[packages]]\n')
    assert not SOURCE.sniff(Path("pdm.lock"), b"[[package]]\n")
