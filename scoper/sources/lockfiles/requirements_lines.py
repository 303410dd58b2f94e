"""pip's requirements-file line grammar.

Physical lines become logical lines the way pip does it: backslash
continuations are joined first, then comments (``#`` at the start or after
whitespace) are removed, then ``${VAR}`` references are expanded. A logical
line is then split into the requirement part and its ``-x``/``--xyz`` options.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

COMMENT_RE = re.compile(r"(^|\s+)#.*$")
ENV_VAR_RE = re.compile(r"\$\{([A-Z0-9_]+)\}")

# long option name -> takes a value; short aliases below (pip's requirement-file options)
LONG_OPTIONS: dict[str, bool] = {
    "--index-url": True,
    "--extra-index-url": True,
    "--no-index": False,
    "--constraint": True,
    "--requirement": True,
    "--editable": True,
    "--find-links": True,
    "--no-binary": True,
    "--only-binary": True,
    "--prefer-binary": False,
    "--require-hashes": False,
    "--pre": False,
    "--trusted-host": True,
    "--use-feature": True,
    "--global-option": True,
    "--config-settings": True,
    "--hash": True,
    "--install-option": True,
}
SHORT_OPTIONS: dict[str, str] = {
    "i": "--index-url",
    "c": "--constraint",
    "r": "--requirement",
    "e": "--editable",
    "f": "--find-links",
    "C": "--config-settings",
}
_QUOTING = re.compile(r"[\"'\\]")
_SHLEX_SPACE = re.compile(r"[ \t\r\n]+")
PER_REQUIREMENT = frozenset({"--global-option", "--config-settings", "--hash", "--install-option"})


@dataclass(frozen=True, slots=True)
class LogicalLine:
    """One logical line: continuations joined, comment removed, variables expanded."""

    number: int  # 1-based number of its first physical line
    text: str


@dataclass(slots=True)
class ParsedLine:
    """A logical line split into its requirement text and its options, in order."""

    number: int
    requirement: str
    options: list[tuple[str, str | None]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def physical_lines(text: str) -> list[str]:
    """Lines as an editor numbers them (LF, CRLF, or old-Mac CR endings)."""
    if "\n" not in text and "\r" in text:
        return text.split("\r")
    return [line.removesuffix("\r") for line in text.split("\n")]


def joined_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Join backslash continuations like pip: a comment-only line ends a continuation."""
    start: int | None = None
    parts: list[str] = []
    for number, line in enumerate(lines, start=1):
        is_comment = COMMENT_RE.match(line) is not None
        if line.endswith("\\") and not is_comment:
            if not parts:
                start = number
            parts.append(line.strip("\\"))
            continue
        if is_comment:
            line = " " + line  # keeps the comment a comment after joining
        if parts and start is not None:
            yield start, "".join([*parts, line])
            parts = []
        else:
            yield number, line
    if parts and start is not None:
        yield start, "".join(parts)


def expand_env(text: str, environ: Mapping[str, str]) -> str:
    """Expand ``${VAR}`` (upper-case names only, like pip); unset variables stay as written."""
    return ENV_VAR_RE.sub(lambda m: environ.get(m.group(1)) or m.group(0), text)


def logical_lines(text: str, environ: Mapping[str, str]) -> Iterator[LogicalLine]:
    """The non-empty logical lines of a requirements file."""
    for number, line in joined_lines(physical_lines(text)):
        stripped = COMMENT_RE.sub("", line).strip()
        if stripped:
            yield LogicalLine(number, expand_env(stripped, environ))


def split_line(line: LogicalLine) -> ParsedLine:
    """Split at the first whitespace-separated token starting with ``-`` (pip's rule)."""
    tokens = re.split(r"(\s+)", line.text)
    for index in range(0, len(tokens), 2):
        if tokens[index].startswith("-"):
            requirement = "".join(tokens[:index]).strip()
            parsed = ParsedLine(line.number, requirement)
            _parse_options("".join(tokens[index:]), parsed)
            return parsed
    return ParsedLine(line.number, line.text.strip())


def _parse_options(text: str, parsed: ParsedLine) -> None:
    """Read ``--name=value``, ``--name value``, ``-xvalue`` and ``-x value`` options."""
    try:
        tokens = _tokens(text)
    except ValueError as exc:
        parsed.problems.append(f"cannot split options: {exc}")
        return
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token in ("-", "--") or not token.startswith("-"):
            parsed.problems.append(f"ignored text among options: {token!r}")
            continue  # pip ignores stray words after the options; we say so
        name, value, attached = _option_name(token)
        if name is None:
            parsed.problems.append(f"unknown or ambiguous option {token.split('=', 1)[0]!r}")
            continue
        if not LONG_OPTIONS[name]:
            parsed.options.append((name, None))
            continue
        if not attached:
            if index >= len(tokens):
                parsed.problems.append(f"option {name} needs a value")
                continue
            value = tokens[index]
            index += 1
        parsed.options.append((name, value))


def _tokens(text: str) -> list[str]:
    """``shlex.split(text)``; without quotes or backslashes (hashed locks' ``--hash=...``) that
    is a split at shlex's whitespace, done without the lexer (which cost most of a check)."""
    if _QUOTING.search(text):
        return shlex.split(text)
    return [token for token in _SHLEX_SPACE.split(text) if token]


def _option_name(token: str) -> tuple[str | None, str, bool]:
    """The long option a token names, its attached value, and whether one was attached."""
    if token.startswith("--"):
        written, sep, value = token.partition("=")
        if written in LONG_OPTIONS:
            return written, value, bool(sep)
        matches = [name for name in LONG_OPTIONS if name.startswith(written)]
        if len(matches) == 1:  # optparse accepts unique abbreviations, so pip does
            return matches[0], value, bool(sep)
        return None, "", False
    name = SHORT_OPTIONS.get(token[1:2])
    if name is None:
        return None, "", False
    return name, token[2:], len(token) > 2
