"""Fuzz every lockfile reader with mutated and truncated samples: only InputError may escape."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import ParseContext, Source
from scoper.sources.lockfiles import (
    npmlock,
    pdmlock,
    pipfilelock,
    pixi,
    poetrylock,
    pylock,
    uvlock,
)
from scoper.sources.lockfiles.manifests import package_json, pipfile, pyproject, setup_cfg

DATA = Path(__file__).resolve().parents[2] / "data"
CASES = [
    (uvlock.SOURCE, "uvlock/uv.lock", "uv.lock"),
    (poetrylock.SOURCE, "poetrylock/poetry.lock", "poetry.lock"),
    (poetrylock.SOURCE, "poetrylock/v1/poetry.lock", "poetry.lock"),
    (pipfilelock.SOURCE, "pipfilelock/Pipfile.lock", "Pipfile.lock"),
    (pdmlock.SOURCE, "pdmlock/pdm.lock", "pdm.lock"),
    (pdmlock.SOURCE, "pdmlock/old/pdm.lock", "pdm.lock"),
    (pylock.SOURCE, "pylock/pylock.toml", "pylock.toml"),
    (pylock.SOURCE, "pylock/pylock.dev.toml", "pylock.toml"),
    (npmlock.SOURCE, "npmlock/package-lock.json", "package-lock.json"),
    (npmlock.SOURCE, "npmlock/v1/package-lock.json", "npm-shrinkwrap.json"),
    (pixi.SOURCE, "pixi/v4-extras/pixi.lock", "pixi.lock"),
    (pixi.SOURCE, "pixi/v6-mixed/pixi.lock", "pixi.lock"),
    (pyproject.SOURCE, "pyproject/poetry-sample/pyproject.toml", "pyproject.toml"),
    (pyproject.SOURCE, "pyproject/flask/pyproject.toml", "pyproject.toml"),
    (pipfile.SOURCE, "pipfile/pipenv/Pipfile", "Pipfile"),
    (setup_cfg.SOURCE, "setup_cfg/pytest/setup.cfg", "setup.cfg"),
    (package_json.SOURCE, "package_json/chokidar/package.json", "package.json"),
]
VALUE_RE = re.compile(rb'"[^"\n]*"|\b\d+\b|\btrue\b')
REPLACEMENTS = [
    b"1",
    b"[]",
    b"{}",
    b"true",
    b'""',
    b"[1, {}]",
    b'"x"',
    b"null",
    b"-1.5e9",
    b'"sha256:zz"',
    b'"npm:@a@"',
    b'"."',
    b'"node_modules/"',
    b"[[]]",
    b"{ a = 1 }",
]


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """The sample after a few random edits: truncation, deletion, insertion, value swaps."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "delete", "insert", "swap", "swap"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "truncate":
            data = data[:at]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif kind == "insert":
            insert = draw(st.binary(max_size=8) | st.sampled_from(REPLACEMENTS))
            data = data[:at] + insert + data[at:]
        else:
            values = list(VALUE_RE.finditer(data))
            if values:
                hit = values[draw(st.integers(0, len(values) - 1))]
                data = data[: hit.start()] + draw(st.sampled_from(REPLACEMENTS)) + data[hit.end() :]
    return data


def run(source: Source, name: str, data: bytes) -> Records | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            return source.parse(path, ParseContext(display=name))
        except InputError:
            return None


@pytest.mark.parametrize(("source", "sample", "name"), CASES, ids=[c[1] for c in CASES])
def test_mutated_samples_parse_or_raise_input_error(source: Source, sample: str, name: str) -> None:
    original = (DATA / sample).read_bytes()
    assert run(source, name, original) is not None

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=mutated(original))
    def check(data: bytes) -> None:
        records = run(source, name, data)
        if records is not None:
            assert len(records.artifacts) == 1
            assert all(p.name == p.name.strip() for p in records.packages)

    check()
