"""The package's layers import one way: no import cycle between its subpackages and top-level
modules (targetqa.checks, targetqa.compare, targetqa.cli, targetqa.commands …).

Every import statement counts, also those inside functions (imported lazily for start-up), so
that a cycle cannot hide behind a lazy import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import targetqa

PACKAGE = Path(targetqa.__file__).resolve().parent


def unit(module: str) -> str:
    """targetqa.compare.rules -> targetqa.compare; targetqa.cli -> targetqa.cli."""
    return ".".join(module.split(".")[:2])


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    rel = Path(*name.split(".")[1:]) if "." in name else Path()
    base = PACKAGE / rel
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports_of(path: Path) -> set[str]:
    """The targetqa modules a file imports (`from targetqa import x` counts x when x is a module)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found.add(source)
            found.update(f"{source}.{a.name}" for a in node.names if is_module(f"{source}.{a.name}"))
    return {m for m in found if m.startswith("targetqa.") and is_module(m)}


def layer_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        src = unit(module_name(path))
        if src == "targetqa":
            continue
        graph.setdefault(src, set()).update(u for u in map(unit, imports_of(path)) if u != src)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_between_subpackages():
    graph = layer_graph()
    assert {"targetqa.checks", "targetqa.compare", "targetqa.cli", "targetqa.commands"} <= set(graph)
    found = cycles(graph)
    detail = {c: sorted(graph[c] & set(comp)) for comp in found for c in comp}
    assert found == [], f"import cycles: {found}; edges inside them: {detail}"


def test_checks_and_compare_do_not_import_each_other_and_commands_not_cli():
    graph = layer_graph()
    assert "targetqa.compare" not in graph["targetqa.checks"]
    assert "targetqa.cli" not in graph["targetqa.commands"]


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
