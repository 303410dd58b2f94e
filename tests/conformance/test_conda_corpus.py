"""The conda reader against SCALIBR's condameta expectations (the corpus).

Each ``lockfiles/conda/scalibr/*.expected.json`` is one ``conda-meta/<pkg>.json``
record. SCALIBR fails every fixture except ``valid``; scoper raises InputError on
the same ones. Names, versions and lines must match. One known difference:
SCALIBR labels the package with purl type ``pypi``; scoper keeps ecosystem
``conda`` (a conda package name is not a PyPI name).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import corpus_root

from scoper.errors import InputError
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.conda import SOURCE

SUBDIR = Path("lockfiles") / "conda" / "scalibr"


def fixtures() -> list[str]:
    root = corpus_root()
    if root is None or not (root / SUBDIR).is_dir():
        return ["corpus-missing"]
    found = (root / SUBDIR).glob("*.expected.json")
    return sorted(p.name.removesuffix(".expected.json") for p in found)


@pytest.mark.corpus
@pytest.mark.parametrize("fixture", fixtures())
def test_conda_meta_fixture(corpus: Path, fixture: str) -> None:
    if fixture == "corpus-missing":
        pytest.skip("lockfiles/conda/scalibr not in the corpus")
    folder = corpus / SUBDIR
    expected = json.loads((folder / f"{fixture}.expected.json").read_text())
    if expected["error"]:
        with pytest.raises(InputError):
            SOURCE.parse(folder / fixture, ParseContext(display=fixture))
        return
    records = SOURCE.parse(folder / fixture, ParseContext(display=fixture))
    got = [(p.name, p.version, p.origin.line) for p in records.packages]
    want = [
        (p["name"], p["version"], p["line"] if expected["line_checked"] else None)
        for p in expected["packages"]
    ]
    if not expected["line_checked"]:
        got = [(name, version, None) for name, version, _ in got]
    assert got == want
    assert all(p.ecosystem == "conda" for p in records.packages)
