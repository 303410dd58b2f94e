"""Known secret-token shapes (``secret_patterns.toml``), joined into one regex."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources


@cache
def shape_rules() -> dict[str, str]:
    """Rule id -> regex, as listed in the bundled data file."""
    data = resources.files("scoper.sources.audit.commands").joinpath("secret_patterns.toml")
    text = data.read_text("utf-8")
    return {rule["id"]: rule["regex"] for rule in tomllib.loads(text)["rules"]}


@cache
def shapes() -> re.Pattern[str]:
    """One alternation of every known shape; the whole match is the secret."""
    return re.compile("|".join(f"(?:{regex})" for regex in shape_rules().values()))


def mask_shapes(text: str, mask: str) -> str:
    """``text`` with every known token shape replaced by ``mask``."""
    return shapes().sub(mask, text)
