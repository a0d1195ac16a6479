"""The package's layers, read from its imports: no module imports one above it.

Every ``import`` in ``briefing/**/*.py`` counts, also one inside a function or under
``TYPE_CHECKING``: a lazy import is still a dependency, and a circle hidden in a function is
still a circle. Importing a submodule is not counted as importing its package's ``__init__``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "briefing"

# The facade and the surfaces over it: the algorithms below never reach up to them.
FACADE = ("briefing.corpus", "briefing.tools", "briefing.cli", "briefing.mcp_server", "briefing.langchain")
# What may use them: each other, the package's lazy ``Corpus`` export, the ``python -m briefing``
# entry, the stdio front of the MCP server, and the evaluations (which drive the public API as a
# user's script would).
ABOVE = (*FACADE, "briefing", "briefing.__main__", "briefing.mcp_stdio")
ABOVE_PACKAGES = ("briefing.evaluate",)


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def imports(path: Path, known: set[str], root: Path = PACKAGE) -> set[str]:
    """The package modules ``path`` imports: ``from briefing.store import dedup`` names the
    module ``briefing.store.dedup`` when there is one, else the package ``briefing.store``."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in found if m in known and m != name}


def graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    found = modules(package)
    return {name: imports(path, set(found), package) for name, path in found.items()}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected groups of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def reaching_up(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """``(module, facade module)`` for every import of the facade from a module below it."""
    def above(name: str) -> bool:
        return name in ABOVE or any(name == p or name.startswith(p + ".") for p in ABOVE_PACKAGES)

    return sorted((m, t) for m, targets in edges.items() if not above(m) for t in targets if t in FACADE)


def test_the_package_has_no_import_circle() -> None:
    assert circles(graph()) == []


def test_nothing_below_the_facade_imports_it_or_a_surface() -> None:
    assert reaching_up(graph()) == []


def test_the_import_reader_sees_lazy_and_type_checking_imports(tmp_path: Path) -> None:
    """A circle through an import inside a function, and a reach up to the facade under
    ``TYPE_CHECKING``, are both found."""
    pkg = tmp_path / "briefing"
    (pkg / "store").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "corpus.py").write_text("from briefing.store import sqlite\n")
    (pkg / "store" / "__init__.py").write_text("")
    (pkg / "store" / "sqlite.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from briefing.corpus import Corpus\n"
        "def later():\n    from briefing.store import search\n"
    )
    (pkg / "store" / "search.py").write_text("from .sqlite import later\n")
    edges = graph(pkg)
    assert circles(edges) == [["briefing.corpus", "briefing.store.search", "briefing.store.sqlite"]]
    assert edges["briefing.store.search"] == {"briefing.store.sqlite"}
    assert reaching_up(edges) == [("briefing.store.sqlite", "briefing.corpus")]


@pytest.mark.parametrize("module", ["briefing.brief", "briefing.summarize.pipeline", "briefing.store.sqlite"])
def test_the_algorithms_take_a_store_not_the_facade(module: str) -> None:
    """The brief and the summaries read a ``Store`` passed down to them (the circle
    brief → corpus → brief is gone)."""
    assert not graph()[module] & set(FACADE)
