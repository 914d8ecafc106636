"""Spreadsheet bombs (issue 17, finding 5): each hostile file is refused with a clear message and
a 4xx, and nothing is written or kept. The files are those of bench/upload_bombs.py (which times
them at full size); here the two slow-to-build ones are smaller, with the limits lowered to match.
"""

import importlib.util
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import readers
from imports.importers.base import MAX_STORED_ERRORS
from imports.models import ImportUpload
from imports.readers import DataFileError, read_table
from members.models import Member
from tests.imports.conftest import run

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("upload_bombs", ROOT / "bench" / "upload_bombs.py")
bombs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bombs)


def declared_dimension(tmp_path):
    return bombs.xlsx(tmp_path / "dimension.xlsx", bombs.declared_dimension()).read_bytes()


def many_rows(tmp_path):
    return bombs.xlsx(tmp_path / "rows.xlsx", bombs.many_rows(rows=3_000)).read_bytes()


def shared_strings(tmp_path):
    strings = bombs.big_shared_strings(total_bytes=20 * 1024 * 1024)
    return bombs.xlsx(tmp_path / "ss.xlsx", bombs.header_only_sheet(), strings).read_bytes()


def wide_csv(tmp_path):
    return bombs.wide_csv()


BOMBS = [
    (declared_dimension, "has 16,384 columns; the limit is 1,000"),
    (many_rows, "The file has more than 1,000 rows"),
    (shared_strings, "xl/sharedStrings.xml of this workbook unpacks to 21 MB; the limit is 16 MB"),
    (wide_csv, "Line 1 has 1,000,000 columns; the limit is 1,000"),
]


@pytest.fixture
def low_row_limit(monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 1_000)


@pytest.mark.parametrize("build,message", BOMBS, ids=lambda v: getattr(v, "__name__", ""))
def test_reader_refuses_each_bomb(build, message, tmp_path, low_row_limit):
    with pytest.raises(DataFileError, match=message.replace("(", r"\(")):
        read_table(build(tmp_path))


@pytest.mark.parametrize("build,message", BOMBS, ids=lambda v: getattr(v, "__name__", ""))
def test_upload_of_a_bomb_is_a_400_and_keeps_nothing(
    build, message, staff_client, tmp_path, low_row_limit
):
    name = "bomb.csv" if build is wide_csv else "bomb.xlsx"
    response = staff_client.post(
        reverse("dataio:upload", args=["members"]),
        {"file": SimpleUploadedFile(name, build(tmp_path))},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Member.objects.count() == 0
    assert ImportUpload.objects.count() == 0
    assert storages["imports"].listdir("")[1] == []


def test_500_mb_of_shared_strings_refused_before_unpacking(monkeypatch, tmp_path):
    # The full-size file's check is its total: lowered here so that 20 MB stands for 500 MB.
    monkeypatch.setattr(readers, "MAX_XLSX_UNCOMPRESSED_BYTES", 10 * 1024 * 1024)
    with pytest.raises(DataFileError, match="This workbook unpacks to 21 MB; the limit is 10 MB"):
        read_table(shared_strings(tmp_path))


def test_rows_below_the_limit_are_read_with_their_own_line_numbers(tmp_path):
    content = bombs.xlsx(tmp_path / "ok.xlsx", bombs.many_rows(rows=500)).read_bytes()
    table = read_table(content)
    assert len(table.rows) == 500 and table.rows[0] == [1]
    # A blank line in a CSV is skipped, and the next row keeps its own line number.
    table = read_table(b"code\nA\n\nB\n")
    assert table.rows == [["A"], ["B"]] and table.row_numbers == [2, 4]


def test_stored_errors_are_capped_but_counted(db):
    header = [
        "Código de socio",
        "DNI",
        "Nombres",
        "Apellidos",
        "Sexo",
        "Comunidad",
        "Fecha de ingreso",
    ]
    rows = [header] + [
        [f"AC-{i:05d}", "bad", "Ana", "Ruiz", "F", "X", "2005-01-01"] for i in range(1_500)
    ]
    report = run("members", rows)
    assert len(report.errors) == MAX_STORED_ERRORS
    assert report.error_count > MAX_STORED_ERRORS and report.error_rows == 1_500
    assert Member.objects.count() == 0
