"""Issue 11: the tests mirror the code. Every test module lives in the folder of the app it tests
(or in one of the cross-cutting folders), and every folder is a package, so two apps may each have
a test_admin.py without their test ids colliding."""

from pathlib import Path

from django.apps import apps

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
# Cross-cutting suites: the browser tests and the attacks on every page.
CROSS_CUTTING = {"e2e", "security"}


def project_apps() -> set[str]:
    """The project's own apps (those under the repository root) and its configuration package."""
    return {
        config.label for config in apps.get_app_configs() if Path(config.path).parent == ROOT
    } | {"acopagro"}


def test_no_test_module_sits_at_the_top_of_tests():
    assert sorted(p.name for p in TESTS.glob("test_*.py")) == []


def test_every_test_folder_is_an_app_or_a_cross_cutting_suite_and_a_package():
    folders = {p.parent.relative_to(TESTS) for p in TESTS.rglob("test_*.py")} - {Path(".")}
    assert sorted({f.parts[0] for f in folders} - project_apps() - CROSS_CUTTING) == []
    assert sorted(str(f) for f in folders if not (TESTS / f / "__init__.py").exists()) == []


def test_every_app_has_its_test_folder():
    assert sorted(a for a in project_apps() if not (TESTS / a).is_dir()) == []
