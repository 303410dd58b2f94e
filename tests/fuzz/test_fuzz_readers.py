"""Every registered reader fed damaged copies of its seeds: Records or InputError, nothing else.

The registry is iterated, so a new reader is covered as soon as it is registered
and has a seed under tests/data. Short in CI (``SCOPER_FUZZ_EXAMPLES``, default 25
per reader); ``scripts/fuzz.py`` runs the same check for millions of inputs.
"""

from __future__ import annotations

import gzip
import json
import os
import random
from pathlib import Path

import pytest
from audit_fuzz import line_mutations
from fuzz_readers import Checker, Seed, build_input, reader, reader_names, seeds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sbom_fuzz import byte_mutations, json_mutations

EXAMPLES = int(os.environ.get("SCOPER_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CHECKER = Checker(load=True)  # damaged seeds are parsed and loaded, as by `scoper ingest`
PARSER = Checker()
READERS = [pytest.param(name, id=name) for name in reader_names()]


def test_every_reader_has_a_seed() -> None:
    """A registered reader with no sample it sniffs as its own would go unfuzzed."""
    assert [name for name in reader_names() if not seeds(name)] == []


@st.composite
def damaged(draw: st.DrawFn, seed: Seed, tmp: Path) -> Path:
    """A damaged copy of ``seed`` on disk: the shared mutation helpers or the fuzz engine."""
    rng = draw(st.randoms(use_true_random=False))
    if seed.path.is_dir():
        return build_input(rng, seed, tmp)
    data = seed.path.read_bytes()
    kinds = ["engine", "bytes", "lines"] + (["json"] if _is_json(data) else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "engine":
        return build_input(rng, seed, tmp)
    if kind == "bytes":
        payload = draw(byte_mutations(data))
    elif kind == "lines":
        payload = draw(line_mutations(data))
    else:
        payload = draw(json_mutations(json.loads(data)))
    folder = tmp / seed.path.parent.name
    folder.mkdir(exist_ok=True)
    (folder / seed.name).write_bytes(payload)
    return folder / seed.name


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("name", READERS)
def test_reader_survives_damaged_seeds(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        seed = data.draw(st.sampled_from(seeds(name)), label="seed")
        tmp = tmp_path_factory.mktemp("fuzz")
        path = data.draw(damaged(seed, tmp), label="input")
        failure = CHECKER.check(reader(name), path)
        assert failure is None, failure

    run()


def _hostile() -> dict[str, bytes]:
    deep_array = b"[" * 100_000 + b"]" * 100_000
    return {
        "deep-array": deep_array,
        "deep-object": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        "deep-in-document": b'{\n  "packages": ' + deep_array + b"\n}\n",
        "deep-second-line": b'{"a": 1}\n' + deep_array + b"\n",
        "deep-toml": b"version = 1\nx = " + deep_array + b"\n",
        "deep-toml-table": b"x = " + b"{a=" * 100_000 + b"1" + b"}" * 100_000 + b"\n",
        "deep-yaml": b"version: 1\npackage: " + deep_array + b"\n",
        "huge-number": b'{"version": ' + b"9" * 100_000 + b"}\n",
        "invalid-utf8": b'{"name": "\xff\xfe\xc3"}\n',
        "utf16": '{"name": "x"}\n'.encode("utf-16"),
        "nul": b"\x00" * 64,
        "empty": b"",
        "gzip-of-deep": gzip.compress(deep_array),
        "corrupt-gzip": gzip.compress(b'{"a": 1}\n' * 100)[:40],
    }


@pytest.mark.parametrize("name", READERS)
def test_reader_survives_hostile_files(name: str, tmp_path: Path) -> None:
    """Deep nesting, huge numbers, bad encodings and bad gzip under each seed's file name."""
    failures: dict[str, str] = {}
    for label, payload in _hostile().items():
        for seed in seeds(name)[:3]:
            folder = tmp_path / label / seed.path.parent.name
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / seed.name
            if seed.path.is_dir():
                path = build_input(random.Random(label), seed, folder)
                files = sorted(p for p in path.rglob("*") if p.is_file())
                member = next(path.rglob("METADATA"), None) or files[0]  # any folder reader
                member.write_bytes(payload)
            else:
                path.write_bytes(payload)
            failure = PARSER.check(reader(name), path)
            if failure is not None:
                failures[f"{label} as {seed.name}"] = failure.strip().splitlines()[-1]
    assert failures == {}
