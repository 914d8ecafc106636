"""A status is compared through its TextChoices, never as a bare string: a renamed or mistyped
value then fails at import instead of silently matching nothing. Read with `ast` from the code of
the credits, API, reports and dashboard apps (models' constraints included; migrations not)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("credits", "api", "reports", "dashboard")


def _is_status(name: str) -> bool:
    """`status`, `upload_status`, or a lookup through one: `status__in`, `block__status`."""
    return "status" in name.split("__") or name.endswith("_status")


def _is_text(node) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(_is_text(element) for element in node.elts)
    return False


def _name_of(node) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def status_literals(source: str) -> list[int]:
    """Lines where a status is compared with, or filtered on, a string literal."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_status(_name_of(side)) for side in sides) and any(map(_is_text, sides)):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg and _is_status(keyword.arg) and _is_text(keyword.value):
                    lines.append(keyword.value.lineno)
    return lines


def test_the_check_finds_the_literals_it_is_meant_to_find():
    source = (
        'a = block.status == "sold"\n'
        'b = Q(status="open")\n'
        'c = qs.filter(block__status__in=["sold", "retired"])\n'
        "d = block.status == Status.SOLD\n"
        "e = qs.filter(status=Status.OPEN, name='x')\n"
    )
    assert status_literals(source) == [1, 2, 3]


def test_no_status_is_compared_with_a_string_literal():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found += [
                f"{path.relative_to(ROOT)}:{line}" for line in status_literals(path.read_text())
            ]
    assert found == []
