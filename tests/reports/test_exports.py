"""Downloads parse back to the numbers of the tables, with the filters applied and units shown."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.exports import safe_cell, to_csv
from reports.tables import Column, Table

pytestmark = pytest.mark.django_db


def get(client, slug, query):
    return client.get(reverse("reports:report", args=[slug]) + "?" + query)


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_of_plantings_by_species_with_a_filter(manager_client, known):
    response = get(manager_client, "plantings", "format=csv&table=by-species&land_use=cacao")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:3] == ["species", "scientific name", "trees planted"]
    assert header[3] == "share (%)"
    trees = {row[0]: int(row[2]) for row in rows}
    assert trees == {"Caoba T": 500, "Bolaina T": 700}  # P1 and P4 only (cacao)


def test_xlsx_of_survival_holds_every_table(manager_client, known):
    response = get(manager_client, "survival", "format=xlsx")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(workbook.sheetnames) == 3
    sheet = workbook[workbook.sheetnames[2]]  # by community
    header, *rows = list(sheet.values)
    assert header == ("community", "trees alive", "trees planted", "survival (%)", "latest visit")
    by_community = {row[0]: row[1:4] for row in rows}
    assert by_community["Pachiza Test"][:2] == (740, 1000)
    assert float(by_community["Huicungo Test"][2]) == 90.0


def test_members_csv_has_units_and_every_member(manager_client, known):
    header, *rows = csv_rows(get(manager_client, "members", "format=csv"))
    assert "area (ha)" in header and "survival (%)" in header
    assert [r[0] for r in rows] == ["K-001", "K-002", "K-003"]
    area = {r[0]: r[header.index("area (ha)")] for r in rows}
    assert area["K-003"] == "1.50"


def test_pdf_download(manager_client, known):
    response = get(manager_client, "community", f"format=pdf&community={known.a.pk}")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_formula_cells_are_neutralised(manager_client, known):
    known.m1.first_name = '=HYPERLINK("http://x")'
    known.m1.save()
    header, *rows = csv_rows(get(manager_client, "members", "format=csv"))
    name = {r[0]: r[1] for r in rows}["K-001"]
    assert name.startswith("'=HYPERLINK")
    response = get(manager_client, "members", "format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    names = [row[1] for row in list(sheet.values)[1:]]
    assert any(str(n).startswith("'=HYPERLINK") for n in names)


@pytest.mark.parametrize("value", ["=1+1", "+33", "-2", "@SUM(A1)", "\tx"])
def test_safe_cell_text(value):
    assert safe_cell(value) == "'" + value


def test_safe_cell_keeps_numbers():
    assert safe_cell(-2) == -2
    table = Table("t", "T", [Column("n", "n", "t")], [{"n": -5}])
    assert to_csv([table]).decode("utf-8-sig").splitlines() == ["n (t)", "-5"]


def test_chart_draws_the_table_numbers(manager_client, known):
    response = manager_client.get(reverse("reports:chart", args=["plantings", "by-species"]))
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "Caoba T" in svg and "700" in svg
    assert "kozea.github.io" not in svg  # no script from a CDN
