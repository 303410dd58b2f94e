"""Helpers shared by the installed-environment readers: prefixes, PEP 610 records, lines."""

from __future__ import annotations

import json

import pytest

from scoper.sources.environments.pip_records import array_entries, direct_url, environment_prefix


@pytest.mark.parametrize(
    ("site", "prefix"),
    [
        ("/srv/app/.venv/lib/python3.12/site-packages", "/srv/app/.venv"),
        ("/opt/conda/envs/ml/lib/python3.11/site-packages", "/opt/conda/envs/ml"),
        ("/usr/lib/python3/dist-packages", "/usr"),
        ("/usr/local/lib/python3.11/dist-packages", "/usr/local"),
        ("/usr/lib64/python3.9/site-packages", "/usr"),
        ("/home/ana/.local/lib/python3.13t/site-packages", "/home/ana/.local"),
        ("/opt/pypy/lib/pypy3.10/site-packages", "/opt/pypy"),
        ("C:\\Users\\ana\\venv\\Lib\\site-packages", "C:\\Users\\ana\\venv"),
        ("/opt/app/vendor", "/opt/app/vendor"),
        ("/srv/site-packages", "/srv/site-packages"),
    ],
)
def test_environment_prefix(site: str, prefix: str) -> None:
    assert environment_prefix(site) == prefix


def test_direct_url_vcs_archive_and_editable() -> None:
    vcs = direct_url(
        {
            "url": "https://user:s3cret@github.com/acme/tool.git",
            "vcs_info": {"vcs": "git", "commit_id": "270ced92c7942a3f0cdc2852668103722b05ceb3"},
        }
    )
    assert vcs.source_url == "https://***@github.com/acme/tool.git"
    assert vcs.commit == "270ced92c7942a3f0cdc2852668103722b05ceb3"
    archive = direct_url(
        {
            "url": "https://example.org/tool-1.0.tar.gz",
            "archive_info": {
                "hash": "sha256=AB" + "cd" * 31,
                "hashes": {"sha256": "ab" + "cd" * 31},
            },
        }
    )
    assert archive.hashes == ("sha256:ab" + "cd" * 31,)
    assert direct_url({"url": "file:///src", "dir_info": {"editable": True}}).editable
    assert direct_url({"vcs_info": {"commit_id": "main"}}).commit is None
    assert direct_url(["not", "an", "object"]).source_url is None


def test_array_entries_lines() -> None:
    text = json.dumps({"installed": [{"a": 1}, 2, {"b": {"c": 3}}]}, indent=2)
    got = [(place, line) for place, line, _ in array_entries(text, [1, 2, 3], "installed")]
    assert got == [("installed[0]", 3), ("installed[1]", None), ("installed[2]", 7)]
    bare = '[{"x": 1},\n {"y": 2}]'
    assert [line for _, line, _ in array_entries(bare, [1, 2], "")] == [1, 2]
