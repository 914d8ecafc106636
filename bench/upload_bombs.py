"""Spreadsheet bombs (issue 17, finding 5): build the four hostile files, read each one with the
import reader in a fresh process, print its time and peak memory.

    .venv/bin/python bench/upload_bombs.py [--keep DIR]

Budget: each file refused with a message in under 5 s and 200 MB (peak resident memory of the
process, which includes Django itself: the baseline line shows how much that is).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
XML = '<?xml version="1.0" encoding="UTF-8"?>'
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PKG = "http://schemas.openxmlformats.org/package/2006"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'{XML}<Types xmlns="{PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'{XML}<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'{XML}<workbook xmlns="{SML}" xmlns:r="{DOC_REL}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'{XML}<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = f'{XML}<worksheet xmlns="{SML}">'
EMPTY_STRINGS = f'{XML}<sst xmlns="{SML}" count="0" uniqueCount="0"></sst>'


def xlsx(path: Path, sheet_chunks, strings_chunks=(EMPTY_STRINGS,)) -> Path:
    """A minimal workbook whose sheet and shared strings are streamed from chunks of text."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, chunks in (("xl/worksheets/sheet1.xml", sheet_chunks),
                             ("xl/sharedStrings.xml", strings_chunks)):  # fmt: skip
            with archive.open(name, "w", force_zip64=True) as part:
                for chunk in chunks:
                    part.write(chunk.encode())
    return path


def declared_dimension():
    yield SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>'
    yield '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'
    yield '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    yield "</sheetData></worksheet>"


def many_rows(rows=1_000_000):
    yield SHEET_HEAD + "<sheetData>"
    yield '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'
    for start in range(2, rows + 2, 10_000):
        yield "".join(
            f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>'
            for n in range(start, min(start + 10_000, rows + 2))
        )
    yield "</sheetData></worksheet>"


def header_only_sheet():
    yield SHEET_HEAD + '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    yield "</sheetData></worksheet>"


def big_shared_strings(total_bytes=500 * 1024 * 1024):
    yield f'{XML}<sst xmlns="{SML}">'
    block = "<si><t>" + "A" * (1024 * 1024 - 16) + "</t></si>"
    for _ in range(total_bytes // len(block)):
        yield block
    yield "</sst>"


def wide_csv(columns=1_000_000) -> bytes:
    return b"a," * (columns - 1) + b"a\n1\n"


def build(folder: Path) -> dict[str, Path]:
    csv_path = folder / "million-columns.csv"
    csv_path.write_bytes(wide_csv())
    return {
        "XLSX declaring A1:XFD1048576, one cell in the last row": xlsx(
            folder / "declared-dimension.xlsx", declared_dimension()
        ),
        "XLSX with 1,000,000 rows": xlsx(folder / "million-rows.xlsx", many_rows()),
        "XLSX with 500 MB of shared strings": xlsx(
            folder / "shared-strings.xlsx", header_only_sheet(), big_shared_strings()
        ),
        "CSV with 1,000,000 columns": csv_path,
    }


READ_ONE = """
import json, resource, sys, time
import django
django.setup()
from imports.readers import DataFileError, read_table
content = open(sys.argv[1], "rb").read() if sys.argv[1] != "-" else None
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
outcome = "baseline"
if content is not None:
    try:
        table = read_table(content)
        outcome = f"READ: {len(table.rows)} rows"
    except DataFileError as exc:
        outcome = f"refused: {exc}"
print(json.dumps({"seconds": time.perf_counter() - start, "outcome": outcome,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "baseline_mb": baseline / 1024}))
"""


def measure(path) -> dict:
    env = {"DJANGO_SETTINGS_MODULE": "acopagro.settings_test", "DEBUG": "0", "PATH": "/usr/bin"}
    result = subprocess.run(
        [sys.executable, "-c", READ_ONE, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="build the files in this folder and keep them")
    options = parser.parse_args()
    folder = Path(options.keep or tempfile.mkdtemp(prefix="acopagro-bombs-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    files = build(folder)
    print(f"built in {time.perf_counter() - started:.1f} s in {folder}")
    base = measure("-")
    print("| file | size | time (s) | peak memory (MB) | outcome |\n|---|---|---|---|---|")
    print(f"| (Django loaded, nothing read) | – | – | {base['peak_mb']:.0f} | – |")
    worst_s = worst_mb = 0.0
    for label, path in files.items():
        figures = measure(path)
        size = path.stat().st_size
        worst_s, worst_mb = max(worst_s, figures["seconds"]), max(worst_mb, figures["peak_mb"])
        print(
            f"| {label} | {size / 1024:,.1f} KB | {figures['seconds']:.2f} | "
            f"{figures['peak_mb']:.0f} | {figures['outcome']} |"
        )
    if not options.keep:
        for path in files.values():
            path.unlink()
        folder.rmdir()
    within = worst_s < 5 and worst_mb < 200
    print(f"worst: {worst_s:.2f} s, {worst_mb:.0f} MB: {'within' if within else 'OVER'} budget")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
