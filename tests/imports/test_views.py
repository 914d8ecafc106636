"""The staff pages: upload -> preview -> confirm, per role; size and type limits; templates."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from imports import readers
from members.models import Member
from tests.imports.conftest import csv_bytes

HEADERS = [
    "Código de socio",
    "DNI",
    "Nombres",
    "Apellidos",
    "Sexo",
    "Comunidad",
    "Fecha de ingreso",
]
ROW = ["AC-0001", "44556677", "Rosa", "Núñez", "F", "Dos de Mayo", "2005-03-01"]


def upload(client, content, kind="members", name="socios.csv", **extra):
    return client.post(
        reverse("dataio:upload", args=[kind]),
        {"file": SimpleUploadedFile(name, content)},
        **extra,
    )


def test_anonymous_and_outsider_are_kept_out(client, outsider):
    url = reverse("dataio:upload", args=["members"])
    assert client.get(url).status_code == 302
    assert client.get(reverse("dataio:xlsform")).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert client.get(reverse("dataio:index")).status_code == 403
    assert client.get(reverse("dataio:template", args=["members", "csv"])).status_code == 403


def test_upload_preview_confirm(staff_client, community):
    response = upload(staff_client, csv_bytes([HEADERS, ROW]))
    assert response.status_code == 302
    preview = staff_client.get(response.url)
    body = preview.content.decode()
    assert "Every row is valid." in body and "Rosa Núñez (AC-0001)" in body
    assert Member.objects.count() == 0  # the preview writes nothing

    done = staff_client.post(response.url, {"confirm": "1"}, follow=True)
    assert Member.objects.get().dni == "44556677"
    assert "1 created, 0 updated, 0 unchanged" in done.content.decode()
    # Confirming again shows the one import's result and writes nothing more.
    again = staff_client.post(response.url, {"confirm": "1"}, follow=True)
    assert "1 created, 0 updated, 0 unchanged" in again.content.decode()
    assert Member.objects.count() == 1


def test_preview_lists_errors_and_offers_no_import(staff_client, community):
    bad = [*ROW[:1], "123", *ROW[2:]]
    response = upload(staff_client, csv_bytes([HEADERS, bad]))
    body = staff_client.get(response.url).content.decode()
    assert "A DNI has exactly 8 digits." in body
    assert "Import now" not in body
    assert staff_client.post(response.url, {"confirm": "1"}).status_code == 400
    assert Member.objects.count() == 0


def test_another_session_cannot_see_an_upload(staff_client, community, client, manager):
    response = upload(staff_client, csv_bytes([HEADERS, ROW]))
    other = client.__class__()
    other.force_login(manager)
    assert other.get(response.url).status_code == 404


def test_role_without_the_kind_permission_gets_403(staff_client):
    # Staff may not add species (nor import them); no such kind exists: 404, not 500.
    assert staff_client.get(reverse("dataio:upload", args=["species"])).status_code == 404
    assert staff_client.get(reverse("dataio:upload", args=["plantings"])).status_code == 200


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("socios.pdf", b"%PDF-1.4", "Only .csv, .txt, .xlsx, .zip files can be imported."),
        ("socios.csv", "code;dni".encode("utf-16"), "This is not a CSV or XLSX file"),
        ("socios.xlsx", b"PK\x03\x04garbage", "This file is not a readable XLSX workbook"),
    ],
)
def test_wrong_type_is_a_400_with_a_message(staff_client, name, content, message):
    response = upload(staff_client, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_oversized_file_is_a_400(staff_client, monkeypatch):
    monkeypatch.setattr(readers, "MAX_UPLOAD_BYTES", 1000)
    monkeypatch.setattr("imports.forms.MAX_UPLOAD_BYTES", 1000)
    response = upload(staff_client, b"code,dni\n" + b"x,1\n" * 500)
    assert response.status_code == 400
    assert "the limit is 1000" in response.content.decode()


def test_ajax_upload_answers_json(staff_client, community):
    ajax = {"headers": {"X-Requested-With": "XMLHttpRequest"}}
    ok = upload(staff_client, csv_bytes([HEADERS, ROW]), **ajax)
    assert ok.status_code == 200 and ok.json()["redirect"].startswith("/data/import/members/")
    refused = upload(staff_client, b"", **ajax)
    assert refused.status_code == 400 and refused.json()["errors"]


def test_large_preview_shows_counts_and_a_sample_only(staff_client, community):
    rows = [HEADERS] + [
        [f"AC-{i:05d}", f"{10000000 + i}", "Ana", f"Ruiz {i}", "F", "Dos de Mayo", "2005-03-01"]
        for i in range(300)
    ]
    rows[150][1] = "bad"
    response = upload(staff_client, csv_bytes(rows))
    body = staff_client.get(response.url).content.decode()
    assert "1 errors in 1 row" in body or "1 error" in body
    assert body.count("<tr>") < 40  # 20 sample rows, the error, headers: never 300 rows
    assert "First 20 valid rows of 300" in body


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_have_the_columns_and_an_example(staff_client, fmt):
    response = staff_client.get(
        reverse("dataio:template", args=["plantings", fmt]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    if fmt == "csv":
        header, example = response.content.decode("utf-8-sig").splitlines()
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        header, example = ([c.value or "" for c in row] for row in sheet.iter_rows(max_row=2))
        header, example = ",".join(header), ",".join(example)
    assert "trees_planted" in header or "Árboles plantados" in header
    assert "AC-0001-P1" in example


def test_xlsform_download(staff_client, plot):
    response = staff_client.get(reverse("dataio:xlsform"))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames == [
        "survey",
        "choices",
        "settings",
    ]
