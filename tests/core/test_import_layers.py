"""The apps import one way only (docs/architecture.md), and no module imports itself back.

Every import statement of the project's own modules is read with `ast`, the lazy ones inside
functions included: an upward import hidden in a function breaks the layering just the same.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lower layers never import higher ones; apps of one layer do not import each other.
LAYERS = {
    "core": 0,
    "members": 1,
    "plantings": 2,
    "credits": 3,
    "reports": 4,
    "imports": 4,
    "api": 4,
    "dashboard": 5,
    "demo": 5,
    "acopagro": 6,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """The project modules that `path` imports (anywhere in the file)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            # The longest prefix that is one of our modules ("x.models.Foo" -> "x.models").
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    known = set(modules)
    return {name: imports_of(path, name, known) for name, path in modules.items()}


def app_of(module: str) -> str:
    return module.split(".")[0]


def upward_imports(graph) -> list[str]:
    wrong = []
    for module, targets in graph.items():
        for target in targets:
            source_app, target_app = app_of(module), app_of(target)
            if source_app != target_app and LAYERS[target_app] >= LAYERS[source_app]:
                wrong.append(f"{module} imports {target}")
    return sorted(wrong)


def cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_every_app_has_a_layer():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"acopagro"}
    assert apps == set(LAYERS)


def test_imports_run_downward_only():
    assert upward_imports(import_graph()) == []


def test_no_module_imports_itself_back():
    assert cycles(import_graph()) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"members.views": {"plantings.models"}}, ["members.views imports plantings.models"]),
        ({"reports.views": {"imports.readers"}}, ["reports.views imports imports.readers"]),
        ({"credits.views": {"members.models"}}, []),
    ],
)
def test_the_layer_check_sees_an_upward_or_sideways_import(graph, expected):
    assert upward_imports(graph) == expected


def test_the_cycle_check_sees_a_lazy_circle(tmp_path):
    graph = {"imports.services": {"imports.importers"}, "imports.importers": {"imports.services"}}
    assert cycles(graph) == [["imports.importers", "imports.services"]]


def test_lazy_imports_inside_functions_are_read(tmp_path):
    source = tmp_path / "admin.py"
    source.write_text("def f():\n    from plantings.admin import PlantingInline\n")
    found = imports_of(source, "members.admin", {"plantings.admin", "members.admin"})
    assert found == {"plantings.admin"}
