"""The package's shape: a pure core under a thin command line, reached through one door."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mentorctl"
CLI_MAY_IMPORT = {"mentorctl", "mentorctl.api", "mentorctl.model", "mentorctl.errors"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_import_cycles():
    modules = _modules()
    graph = {name: {m for m in _imports(path) if m in modules and m != name}
             for name, path in modules.items()}
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in graph[name]:
            assert state.get(target) != 1, "import cycle: " + " -> ".join(
                [*trail[trail.index(target):], target] if target in trail else [name, target])
            if target not in state:
                visit(target, [*trail, target])
        state[name] = 2

    for name in graph:
        if name not in state:
            visit(name, [name])


def test_core_never_imports_the_terminal_libraries():
    for name, path in _modules().items():
        if name.startswith("mentorctl.cli"):
            continue
        heavy = {m.split(".")[0] for m in _imports(path)} & {"typer", "rich", "click"}
        assert not heavy, f"{name} imports {heavy}"


def test_cli_reaches_the_core_only_through_the_api_and_holds_no_sql():
    sql = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")
    for name, path in _modules().items():
        if not name.startswith("mentorctl.cli"):
            continue
        core = {m for m in _imports(path) if m.startswith("mentorctl")
                and not m.startswith("mentorctl.cli")}
        core = {m for m in core if m not in CLI_MAY_IMPORT and
                m.rsplit(".", 1)[0] not in CLI_MAY_IMPORT - {"mentorctl"}}
        assert core <= {"mentorctl.__version__", "mentorctl.api"}, f"{name} imports {core}"
        assert not sql.search(path.read_text(encoding="utf-8")), f"SQL in {name}"


def test_no_file_over_500_lines():
    for name, path in _modules().items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 500, f"{name}: {lines} lines"
