"""House rules of the tree: small modules, and no reader module that nothing registers."""

from __future__ import annotations

import ast
from pathlib import Path

from scoper.sources.registry import SOURCE_MODULES

PACKAGE = Path(__file__).resolve().parent.parent / "scoper"
MAX_LINES = 350


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The scoper modules ``path`` imports (``from a import b`` counts a.b when it exists)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {name for name in found if name.startswith("scoper.")}


def test_modules_stay_small() -> None:
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"modules over {MAX_LINES} lines: split them"


def test_every_source_module_is_registered_or_used_by_a_reader() -> None:
    files = {_module_name(p): p for p in (PACKAGE / "sources").rglob("*.py")}
    reached: set[str] = set()
    todo = ["scoper.sources.registry", *SOURCE_MODULES]
    while todo:
        name = todo.pop()
        if name in reached or name not in files:
            continue
        reached.add(name)
        todo.extend(_imports(files[name]))
    packages = {n for n, p in files.items() if p.name == "__init__.py"}
    assert set(files) - reached - packages == set(), "modules no registered reader imports"


def test_registry_modules_exist_once() -> None:
    assert len(SOURCE_MODULES) == len(set(SOURCE_MODULES))
    for name in SOURCE_MODULES:
        assert (PACKAGE.parent / (name.replace(".", "/") + ".py")).is_file(), name
