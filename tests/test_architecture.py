"""The shape of the code: no module of logview imports, directly or through others, a module
that imports it back (imports inside functions count too: they only hide a circle)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "logview"


def imports() -> dict[str, set[str]]:
    """Return each logview module's name and the logview modules it imports."""
    modules: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        modules[name] = found
    return {m: {d for d in deps if d in modules and d != m} for m, deps in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the groups of modules that reach each other (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_one_that_imports_it_back():
    graph = imports()
    assert "logview.core.reading.registry" in graph and "logview.core.reading.parsers.text" in graph
    assert circles(graph) == []


def test_the_circle_check_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# No module over 700 lines (issue 18): past that, a module holds more than one job.
MAX_LINES = 700


def test_no_module_is_longer_than_the_limit():
    longer = {}
    for path in ROOT.rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            longer[name] = lines
    assert not longer


# core/ is three packages by job (docs/architecture.md, "Layers"): `shared` is the table's
# layout and the helpers both others use; `reading` turns bytes into the table; `analysis`
# computes over the table. Neither of the two imports the other, and `shared` imports neither.
MAY_IMPORT = {
    "shared": {"shared"},
    "reading": {"reading", "shared"},
    "analysis": {"analysis", "shared"},
    "demo": {"demo", "shared"},
    # An investigation composes what the two make: the sources read, the analysis of them.
    "investigation": {"investigation", "reading", "analysis", "shared"},
    # The stages run past one machine: reading's parse and analysis' shapes, per partition.
    "cluster": {"cluster", "reading", "analysis", "shared"},
}


def test_core_packages_import_only_the_layers_below():
    crossings = []
    for module, deps in imports().items():
        parts = module.split(".")
        if parts[:2] != ["logview", "core"] or len(parts) < 3:
            continue
        for dep in deps:
            theirs = dep.split(".")
            if theirs[:2] == ["logview", "core"] and len(theirs) > 2:
                if theirs[2] not in MAY_IMPORT[parts[2]]:
                    crossings.append(f"{module} -> {dep}")
    assert crossings == []
    assert {
        p.name for p in (ROOT / "core").iterdir() if p.is_dir() and p.name != "__pycache__"
    } == set(MAY_IMPORT)
