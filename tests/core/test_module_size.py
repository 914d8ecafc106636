"""No module of ours is over 400 lines (issue 11): a module that long does more than one job, and
a newcomer reads it whole to change one part. Migrations are written by Django, not read."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400
# Not ours (installed packages, built assets) or not read by people (Django's migrations).
LEFT_OUT = {".venv", "node_modules", ".git", "migrations", "staticfiles", "__pycache__"}


def tracked_python_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not LEFT_OUT.intersection(path.relative_to(ROOT).parts)
    ]


def test_the_walk_finds_the_project_and_counts_lines():
    files = tracked_python_files()
    assert ROOT / "credits" / "year_ends.py" in files
    assert ROOT / "manage.py" in files
    assert not [path for path in files if "migrations" in path.parts]


def test_no_module_is_over_400_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in tracked_python_files()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these modules by what they do: {too_long}"
