"""The test suite's own layout: no test imports another test module or a conftest by name.

Shared helpers live in support modules (tests/factories, tests/helpers.py, tests/<folder>/support.py,
tests/browser/keyboard.py, ...); fixtures reach tests through conftest.py, which pytest loads itself.
Importing a test module runs its tests twice (or hides them), and importing a conftest loads it twice.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _forbidden(name: str) -> bool:
    """A test module or a conftest, by a dotted module name."""
    return any(part == "conftest" or part.startswith("test_") for part in name.split("."))


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module (and name imported from one) that this file imports, with its line."""
    found = []
    package = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.append((node.lineno, base))
            if not _forbidden(base):  # names from a module: one of them may be a module itself
                found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def test_no_test_imports_a_test_module_or_a_conftest():
    offences = [
        f"{path.relative_to(TESTS.parent)}:{line} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, name in _imports(path)
        if name.startswith("tests") and _forbidden(name)
    ]
    assert not offences, "move shared helpers into a support module:\n" + "\n".join(offences)


def test_the_check_sees_each_way_of_importing():
    assert _forbidden("tests.browser.test_journeys")
    assert _forbidden("tests.joining.conftest")
    assert _forbidden("tests.invites.conftest.TUESDAY_10AM")
    assert not _forbidden("tests.browser.keyboard")
    assert not _forbidden("tests.factories.rounds")
