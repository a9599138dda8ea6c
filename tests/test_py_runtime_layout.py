"""py_runtime's layout, read from the source (no imports run): the core never imports a demo,
every module in py_runtime/demos/ is a demo named as the demo is, and no imports go in a circle.

Run as a script to print what it finds: python tests/test_py_runtime_layout.py
"""
from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "py_runtime"
DEMOS = "py_runtime.demos"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The py_runtime modules `path` imports, anywhere in it (a function's imports too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            submodules = {f"{base}.{alias.name}" for alias in node.names} & known.keys()
            found |= submodules
            if len(submodules) < len(node.names):      # a name from the package's __init__ itself
                found.add(base)
    return {m for m in found if m in known}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) - {name} for name, path in known.items()}


def core_imports_of_demos(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((m, d) for m, targets in edges.items() if not (m == DEMOS or m.startswith(DEMOS + "."))
                  for d in targets if d == DEMOS or d.startswith(DEMOS + "."))


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each once, found by a depth-first search."""
    found, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                found.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return found


def demo_modules() -> dict[str, str]:
    """Demo name -> the module its registry entry pre-renders with."""
    return {p.stem: tomllib.loads(p.read_text(encoding="utf-8"))["prerender"].partition(":")[0]
            for p in sorted((ROOT / "site_builder" / "demos").glob("*.toml"))}


def test_the_core_never_imports_a_demo():
    assert core_imports_of_demos(graph()) == []


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_every_demo_module_is_named_as_its_demo():
    registered = demo_modules()
    assert {name: f"{DEMOS}.{name.replace('-', '_')}" for name in registered} == registered
    in_folder = {p.stem for p in (PACKAGE / "demos").glob("*.py") if p.stem != "__init__"}
    assert in_folder == {name.replace("-", "_") for name in registered}


if __name__ == "__main__":
    edges = graph()
    print(f"{len(edges)} modules under py_runtime/, {sum(map(len, edges.values()))} imports between them")
    print("core modules importing py_runtime.demos:", core_imports_of_demos(edges) or "none")
    print("import cycles:", cycles(edges) or "none")
    unnamed = {n: m for n, m in demo_modules().items() if m != f"{DEMOS}.{n.replace('-', '_')}"}
    print("demos whose module is not named as the demo:", unnamed or "none")
    sys.exit(1 if core_imports_of_demos(edges) or cycles(edges) or unnamed else 0)
