"""requirements.txt options are split as shlex splits them, with or without the lexer."""

from __future__ import annotations

import shlex

from hypothesis import given
from hypothesis import strategies as st

from scoper.sources.lockfiles.requirements_lines import _tokens

_TEXT = st.text(alphabet=" \t\r\n\x0b\x0c\u00a0-=:ab'\"\\", max_size=30)


@given(_TEXT)
def test_tokens_are_shlex_split(text: str) -> None:
    try:
        expected = shlex.split(text)
    except ValueError:
        expected = None
    try:
        got = _tokens(text)
    except ValueError:
        got = None
    assert got == expected


def test_hash_options_take_the_fast_path() -> None:
    line = " --hash=sha256:ab12 \t--hash sha256:cd34"
    assert _tokens(line) == ["--hash=sha256:ab12", "--hash", "sha256:cd34"]
