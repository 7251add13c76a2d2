"""The architecture holds: import-linter's contracts pass, packages form no cycle, and our own contract bites."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

from tests.architecture.contracts import FrontDoorContract

ROOT = Path(__file__).resolve().parents[2]


def test_every_import_linter_contract_is_kept():
    """`lint-imports` with the repository's .importlinter: every contract kept, none broken."""
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle in a directed graph, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_package_level_import_graph_has_no_cycle():
    """Squash matchmaker's children to one node each: the graph between them is acyclic."""
    graph = grimp.build_graph("matchmaker")
    children = sorted(graph.find_children("matchmaker"))
    edges: dict[str, set[str]] = {child: set() for child in children}
    for importer in children:
        for imported in children:
            if importer != imported and graph.direct_import_exists(
                importer=importer, imported=imported, as_packages=True
            ):
                edges[importer].add(imported)
    assert len(children) > 15
    assert _cycle(edges) is None, _cycle(edges)


def test_the_cycle_finder_finds_a_planted_cycle():
    """The check above could fail: a three-package loop is reported."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def _graph() -> grimp.ImportGraph:
    """Two features: `shop` (service, routes, prices) and `till`, plus the app factory."""
    graph = grimp.ImportGraph()
    for module in ("app", "app.factory", "app.shop", "app.shop.service", "app.shop.routes", "app.shop.prices",
                   "app.till", "app.till.service"):
        graph.add_module(module)
    graph.add_import(importer="app.factory", imported="app.shop.routes", line_number=1, line_contents="import")
    graph.add_import(importer="app.shop.routes", imported="app.shop.prices", line_number=2, line_contents="import")
    graph.add_import(importer="app.till.service", imported="app.shop.service", line_number=3, line_contents="import")
    return graph


def _contract() -> FrontDoorContract:
    """The front-door contract over the two features, the factory allowed anything."""
    return FrontDoorContract(
        name="front doors",
        session_options={"root_packages": ["app"]},
        contract_options={"type": "front_door", "front_door": "service", "features": ["app.shop", "app.till"],
                          "allowed_importers": ["app.factory"]},
    )


def test_front_door_contract_allows_service_calls_the_factory_and_a_feature_s_own_modules():
    """till -> shop.service, factory -> shop.routes and shop.routes -> shop.prices are all fine."""
    assert _contract().check(_graph(), verbose=False).kept


def test_front_door_contract_breaks_on_a_call_past_the_service():
    """till -> shop.prices goes past the front door: broken, naming the import."""
    graph = _graph()
    graph.add_import(importer="app.till.service", imported="app.shop.prices", line_number=9, line_contents="import")
    check = _contract().check(graph, verbose=False)
    assert not check.kept
    assert check.metadata["broken"] == [{"importer": "app.till.service", "imported": "app.shop.prices", "line": 9}]
