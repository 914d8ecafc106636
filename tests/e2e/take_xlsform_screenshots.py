"""Pictures of the monitoring XLSForm for docs/data-import.md: its `survey` and `choices` sheets.

Builds a throwaway SQLite database with a small demo (40 members), downloads the form as the
staff page builds it (imports/xlsform.py), renders each sheet as an HTML table and saves it with
Debian's Chromium. Enketo (the web renderer of ODK forms) cannot be installed offline here: its
enketo-core package pulls a dependency from GitHub, and enketo-transformer needs a native libxslt
build; so the docs show the form's sheets instead.
Run: `.venv/bin/python tests/e2e/take_xlsform_screenshots.py`.
"""

import html
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SURVEY_COLUMNS = (
    "type",
    "name",
    "label::Español (es)",
    "label::English (en)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::Español (es)",
    "choice_filter",
    "calculation",
)
STYLE = """
body { font: 13px/1.35 system-ui, sans-serif; margin: 12px; color: #212529; }
h1 { font-size: 16px; margin: 0 0 8px; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ced4da; padding: 3px 6px; text-align: left; vertical-align: top;
         max-width: 260px; }
th { background: #198754; color: #fff; position: sticky; top: 0; }
tr:nth-child(even) td { background: #f1f8f4; }
td.group { font-weight: 600; }
"""


def build_form(tmp: str) -> bytes:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp}/xlsform.sqlite3"}
    path = Path(tmp) / "acopagro_monitoring.xlsx"

    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)

    manage("migrate", "--noinput", "-v0")
    manage("seed_demo", "--members", "40", "--seed", "7")
    script = (
        "from imports.xlsform import build_xlsform;"
        f"open({str(path)!r}, 'wb').write(build_xlsform())"
    )
    manage("shell", "-c", script)
    return path.read_bytes()


def survey_rows(rows: list) -> list:
    """The survey with its first species group only: the other groups repeat it."""
    kept, species_groups, skipping = [], 0, False
    for row in rows:
        kind, name = str(row[0] or ""), str(row[1] or "")
        if kind == "begin_group" and re.fullmatch(r"sp\d+", name):
            species_groups += 1
            skipping = species_groups > 1
            if species_groups == 2:
                kept.append(("…", "(one group like this per species)", *[""] * (len(row) - 2)))
        if not skipping:
            kept.append(row)
        if skipping and kind == "end_group":
            skipping = False
    return kept


def choice_rows(rows: list, per_list: int = 4) -> list:
    """The first few choices of each list (community, member, plot, species, loss_cause)."""
    kept, counts = [rows[0]], {}
    for row in rows[1:]:
        counts[row[0]] = counts.get(row[0], 0) + 1
        if counts[row[0]] <= per_list:
            kept.append(row)
        elif counts[row[0]] == per_list + 1:
            kept.append((row[0], "…", *[""] * (len(row) - 2)))
    return kept


def sheet_html(workbook, title: str, max_rows: int, columns: tuple[str, ...] = ()) -> str:
    rows = list(workbook[title].iter_rows(values_only=True))
    rows = survey_rows(rows) if title == "survey" else choice_rows(rows)
    keep = [i for i, h in enumerate(rows[0]) if not columns or h in columns]
    rows = [[row[i] for i in keep] for row in rows]
    header, data = rows[0], rows[1 : max_rows + 1]
    cells = "".join(f"<th>{html.escape(str(h or ''))}</th>" for h in header)
    body = []
    for row in data:
        kind = str(row[0] or "")
        css = ' class="group"' if kind.startswith(("begin_", "end_")) else ""
        tds = "".join(f"<td{css}>{html.escape(str(v if v is not None else ''))}</td>" for v in row)
        body.append(f"<tr>{tds}</tr>")
    more = len(rows) - 1 - len(data)
    note = f"<p>… {more} more rows</p>" if more > 0 else ""
    return (
        f"<!doctype html><meta charset='utf-8'><style>{STYLE}</style>"
        f"<h1>acopagro_monitoring.xlsx — sheet “{title}”</h1>"
        f"<table><tr>{cells}</tr>{''.join(body)}</table>{note}"
    )


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        workbook = load_workbook(io.BytesIO(build_form(tmp)))
    shots = {
        "xlsform-survey.png": sheet_html(workbook, "survey", 60, SURVEY_COLUMNS),
        "xlsform-choices.png": sheet_html(workbook, "choices", 60),
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        for name, page_html in shots.items():
            page.set_content(page_html)
            page.screenshot(path=OUT / name, full_page=True)
            print(f"docs/screenshots/{name}")
        browser.close()


if __name__ == "__main__":
    main()
