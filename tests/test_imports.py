"""The package's import graph has no cycle, and no stage imports a later one.

Every `import` and `from ... import` inside `src/svcaudit` that names a module of the package is an
edge, whether it sits at module level or inside a function: a function-local import only hides a
cycle from the interpreter's start-up, not from the design. A cycle fails the test, named module by
module. Imports under `if TYPE_CHECKING:` are left out: they never run, and naming a type in an
annotation is how two modules may refer to each other's types without depending on each other.

The stages (`STAGES`) are the package's folders in the order data flows through them; a module may
import its own stage and the stages before it, never one after it. A module at the package's top
level takes the stage `STAGES` gives it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import svcaudit

PACKAGE = "svcaudit"
PACKAGE_DIR = Path(svcaudit.__file__).parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module an ImportFrom names (its `from` part)."""
    if node.level == 0:
        return node.module or ""
    base = importer.split(".")
    # a module's own package is its parent; a package's `__init__` is its own package
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of `tree` that can run: all of it but the bodies of `if TYPE_CHECKING:`."""
    pending = [tree]
    while pending:
        node = pending.pop()
        yield node
        if is_type_checking_block(node):
            assert isinstance(node, ast.If)
            pending.extend(node.orelse)
            continue
        pending.extend(ast.iter_child_nodes(node))


def imported_modules(importer: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package modules `importer` imports anywhere in its body."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def add(name: str) -> None:
        # `import a.b.c` and `from a.b import c` both depend on the deepest module named
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name.startswith(PACKAGE + ".") and name != importer:
            found.add(name)

    for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = resolve(importer, is_package, node)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                add(submodule if submodule in modules else base)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = package_modules()
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


# The pipeline, first stage first: each may import only itself and the stages before it.
STAGES = (
    ("errors", "shares", "reasons", "runtime"),
    ("timecalc", "text"),
    ("intake",),
    ("checks",),
    ("standard",),
    ("results",),
    ("audit",),
    ("reporters",),
    ("initfrom",),
    ("cli", "__main__"),
)
STAGE_OF = {name: rank for rank, names in enumerate(STAGES) for name in names}


def stage(module: str) -> int | None:
    """The rank of a module's stage: its first name below the package; None for the package."""
    parts = module.split(".")
    return STAGE_OF[parts[1]] if len(parts) > 1 else None


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a later stage, as "importer -> imported"."""
    return sorted(
        f"{importer} -> {imported}"
        for importer, targets in graph.items()
        for imported in targets
        if stage(importer) is not None and stage(imported) is not None and stage(imported) > stage(importer)
    )


GRAPH_CASES = [
    # (source of svcaudit/pkg/mod.py, the package modules it depends on at run time)
    ("from . import sibling", {"svcaudit.pkg.sibling"}),
    ("from .sibling import name", {"svcaudit.pkg.sibling"}),
    ("from ..top import name", {"svcaudit.top"}),
    ("def late():\n    from .sibling import name", {"svcaudit.pkg.sibling"}),
    ("import svcaudit.pkg.sibling", {"svcaudit.pkg.sibling"}),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .sibling import name", set()),
    ("import os", set()),
]


@pytest.mark.parametrize("source, expected", GRAPH_CASES)
def test_the_walk_finds_runtime_imports_at_any_depth(tmp_path: Path, source: str, expected: set[str]) -> None:
    path = tmp_path / "mod.py"
    path.write_text(source, encoding="utf-8")
    modules = {
        name: tmp_path
        for name in ("svcaudit", "svcaudit.pkg", "svcaudit.pkg.mod", "svcaudit.pkg.sibling", "svcaudit.top")
    }
    assert imported_modules("svcaudit.pkg.mod", path, modules) == expected


def test_cycles_are_found_and_named() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycle() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles in svcaudit:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_every_module_has_a_stage() -> None:
    unplaced = sorted(name for name in package_modules() if name.count(".") >= 1 and name.split(".")[1] not in STAGE_OF)
    assert not unplaced, f"place these in STAGES: {unplaced}"


def test_an_upward_import_is_found() -> None:
    graph = {"svcaudit.intake.model": {"svcaudit.results.model"}, "svcaudit.cli.commands": {"svcaudit.errors"}}
    assert upward_imports(graph) == ["svcaudit.intake.model -> svcaudit.results.model"]


def test_no_stage_imports_a_later_one() -> None:
    found = upward_imports(import_graph())
    assert not found, "imports of a later stage:\n" + "\n".join(found)
