"""The shape of ``src/coachctl``: no import circles, a core that knows nothing of the
terminal, and modules a reader can take in (issue 11).

Imports are read from the source with :mod:`ast`, so an import inside a function, or under
``TYPE_CHECKING``, counts as much as one at the top: a circle that only a lazy import keeps
from failing at start-up is still a circle for a reader. A package importing its own
submodules is fine as long as no submodule imports the package back (that would be a
circle too).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "coachctl"
MAX_LINES = 400
FRONT = ("coachctl.cli", "coachctl.render")
"""The terminal side: the commands, and the formats they print."""
ENTRY_POINTS = {"coachctl.__main__"}
"""``python -m coachctl``: it exists to start the CLI, so it is not core."""


def _modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - (node.level - 1)])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            targets = [module, *(f"{module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _is_front(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FRONT)


def test_the_checks_see_what_they_should() -> None:
    """The walk finds lazy imports, relative imports and packages' own submodules."""
    graph = _graph()
    assert "coachctl.cli" in graph["coachctl.__main__"]
    assert "coachctl.yamlsafe.walk" in graph["coachctl.yamlsafe"]
    assert "coachctl.yamlsafe" not in graph["coachctl.yamlsafe.walk"]
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles({"p": {"p.x"}, "p.x": set()}) == []


def test_no_import_circles() -> None:
    circles = _circles(_graph())
    assert circles == [], "import circles: " + "; ".join(" <-> ".join(c) for c in circles)


def test_the_core_imports_neither_render_nor_cli() -> None:
    bad = {name: sorted(t for t in targets if _is_front(t))
           for name, targets in _graph().items()
           if not _is_front(name) and name not in ENTRY_POINTS}
    bad = {name: targets for name, targets in bad.items() if targets}
    assert bad == {}, f"core modules importing coachctl.render or coachctl.cli: {bad}"


def test_no_module_is_over_400_lines() -> None:
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines())
             for name, path in _modules().items()}
    long = {name: n for name, n in sorted(sizes.items()) if n > MAX_LINES}
    assert long == {}, f"modules over {MAX_LINES} lines: {long}"
