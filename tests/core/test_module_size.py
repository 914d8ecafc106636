"""No module of ours is over 400 lines (issue 11): a module that long does more than one job, and
a newcomer reads it whole to change one part. Migrations are written by Django, not read."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400
# Not ours (installed packages, built assets) or not read by people (Django's migrations).
# Hidden folders are left out too: .git, .venv, and .venv-load that `make bench-load` makes.
LEFT_OUT = {"node_modules", "migrations", "staticfiles", "__pycache__"}


def left_out(part: str) -> bool:
    return part in LEFT_OUT or part.startswith(".")


def tracked_python_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not any(left_out(part) for part in path.relative_to(ROOT).parts)
    ]


def test_the_walk_finds_the_project_and_counts_lines():
    files = tracked_python_files()
    assert ROOT / "credits" / "year_ends.py" in files
    assert ROOT / "manage.py" in files
    assert not [path for path in files if "migrations" in path.parts]
    assert left_out(".venv-load") and left_out(".venv") and not left_out("credits")


def test_no_module_is_over_400_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in tracked_python_files()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these modules by what they do: {too_long}"
