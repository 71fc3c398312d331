"""Every consult module imports on its own, and no two modules import each other at module level (issue #13)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import consult

PACKAGE_ROOT = Path(consult.__file__).parent

# Cycles that exist today and are being removed elsewhere: each entry is the set of modules of one cycle. The list
# only shrinks: a new cycle fails the first test, and an entry whose cycle is gone fails the second until removed.
KNOWN_CYCLES: list[frozenset[str]] = [
    # notifications ↔ discussions/meetings: issue #13 item 4, fixed on another branch.
]


def module_names() -> list[str]:
    """Every module in the consult package, by dotted name."""
    names = ["consult"]
    for info in pkgutil.walk_packages([str(PACKAGE_ROOT)], prefix="consult."):
        names.append(info.name)
    return sorted(names)


def module_path(name: str) -> Path:
    relative = Path(*name.split(".")[1:])
    package = PACKAGE_ROOT / relative / "__init__.py"
    return package if package.exists() else (PACKAGE_ROOT / relative).with_suffix(".py")


def is_type_checking_block(node: ast.stmt) -> bool:
    """`if TYPE_CHECKING:` imports never run, so they cannot form a cycle."""
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def top_level_imports(name: str, known: set[str]) -> set[str]:
    """The consult modules a module imports at module level (function-local imports are left out on purpose)."""
    tree = ast.parse(module_path(name).read_text(encoding="utf-8"))
    targets: set[str] = set()
    statements = [node for node in tree.body if not is_type_checking_block(node)]
    # Imports guarded by try/if at module level still run on import.
    for node in list(statements):
        if isinstance(node, (ast.If, ast.Try)):
            statements.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt))
    for node in statements:
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module in known:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            found = submodules & known
            targets.update(found or {node.module})
            if len(found) < len(submodules):
                targets.add(node.module)  # some names are attributes of the module itself
    targets.discard(name)
    return targets


def import_graph() -> dict[str, set[str]]:
    names = module_names()
    known = set(names)
    return {name: top_level_imports(name, known) for name in names}


def strongly_connected(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Tarjan's algorithm: the groups of modules that import each other, directly or through others."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []

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
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(frozenset(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def chain(graph: dict[str, set[str]], group: frozenset[str]) -> str:
    """One readable cycle inside a group: a -> b -> ... -> a (the shortest path back to the start)."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & group):
                if target == start:
                    return " -> ".join([*paths[node], start])
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    return ", ".join(sorted(group))


@pytest.mark.parametrize("name", module_names())
def test_every_module_imports_on_its_own(name):
    importlib.import_module(name)


def test_no_new_import_cycles():
    graph = import_graph()
    new = [group for group in strongly_connected(graph) if not any(group <= known for known in KNOWN_CYCLES)]
    assert not new, "import cycles:\n" + "\n".join(chain(graph, group) for group in new)


def test_the_known_cycles_still_exist():
    """A cycle that has been removed must leave the allow-list too, so it cannot come back unnoticed."""
    groups = strongly_connected(import_graph())
    gone = [known for known in KNOWN_CYCLES if not any(known & group for group in groups)]
    assert not gone, f"remove these from KNOWN_CYCLES, they no longer exist: {gone}"


def test_the_cycle_finder_reports_a_readable_chain():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    groups = strongly_connected(graph)
    assert groups == [frozenset({"a", "b", "c"})]
    assert chain(graph, groups[0]) == "a -> b -> c -> a"
