"""Known secret-token shapes (``secret_patterns.toml``), each run only where its keyword is."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class ShapeRule:
    """One token shape: the whole match is the secret; ``keywords`` gate the regex."""

    id: str
    regex: str
    keywords: tuple[str, ...]


@cache
def shape_rules() -> tuple[ShapeRule, ...]:
    """The rules of the bundled data file, in file order."""
    data = resources.files("scoper.sources.audit.commands").joinpath("secret_patterns.toml")
    rules = tomllib.loads(data.read_text("utf-8"))["rules"]
    return tuple(ShapeRule(r["id"], r["regex"], tuple(r["keywords"])) for r in rules)


@cache
def _keyword_scan() -> re.Pattern[str]:
    words = {word for rule in shape_rules() for word in rule.keywords}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=256)
def _combined(ids: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{r.regex})" for r in shape_rules() if r.id in ids))


def _candidates(lowered: str) -> frozenset[str]:
    found = set(_keyword_scan().findall(lowered))
    if not found:
        return frozenset()
    return frozenset(r.id for r in shape_rules() if any(w in lowered for w in r.keywords))


def mask_shapes(text: str, mask: str) -> str:
    """``text`` with every known token shape replaced by ``mask``."""
    ids = _candidates(text.lower())
    return _combined(ids).sub(mask, text) if ids else text
