"""Planting, survival-count and measurement imports; the field-form export; the command."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from imports.submissions import import_submissions
from imports.xlsform import build_xlsform
from members.models import Member
from plantings.models import MonitoringVisit, Planting, SurvivalCount, TreeMeasurement
from tests.factories import MemberFactory, PlantingFactory, PlotFactory
from tests.imports.conftest import csv_bytes, messages, run

PLANTING_HEADERS = [
    "Código de parcela",
    "Especie",
    "Fecha de siembra",
    "Árboles plantados",
    "Disposición",
]


def test_plantings_created_with_history_then_reimport_is_a_no_op(plot, caoba, staff):
    rows = [
        PLANTING_HEADERS,
        ["AC-0001-P1", "caoba", "15/11/2010", "250", "en líneas"],
        ["AC-0001-P1", "Swietenia macrophylla", "2011-02-01", "300", ""],
    ]
    report = run("plantings", rows, user=staff, delimiter=";")

    assert report.ok, messages(report)
    planting = Planting.objects.get(planted_on=datetime.date(2010, 11, 15))
    assert (planting.plot, planting.species, planting.trees_planted) == (plot, caoba, 250)
    assert planting.arrangement == "line" and planting.recorded_by == staff
    assert Planting.history.filter(history_user=staff).count() == 2

    history = Planting.history.count()
    again = run("plantings", rows, user=staff, delimiter=";")
    assert (again.unchanged, again.created, again.updated) == (2, 0, 0)
    assert Planting.history.count() == history


def test_plot_capacity_counts_the_rows_of_the_file(plot, caoba):
    # 2 ha x 1,600 trees/ha = 3,200 trees; each row alone fits, together they do not.
    rows = [
        PLANTING_HEADERS,
        ["AC-0001-P1", "Caoba", "2010-01-01", "2000", ""],
        ["AC-0001-P1", "Caoba", "2011-01-01", "1500", ""],
    ]
    report = run("plantings", rows)

    assert [(r, c) for r, c, _m in messages(report)] == [(3, "Árboles plantados")]
    assert "at most 3200 trees" in report.errors[0].message
    assert Planting.objects.count() == 0


def test_bad_planting_rows_each_reported(plot, caoba):
    Member.objects.filter(pk=plot.member_id).update(status="withdrawn")
    rows = [
        PLANTING_HEADERS,
        ["AC-0001-P1", "Caoba", "2001-01-01", "10", ""],
        ["NOPE", "Caoba", "2010-01-01", "10", ""],
        ["AC-0001-P1", "Roble", "2010-01-01", "diez", "zigzag"],
        ["AC-0001-P1", "Caoba", "2012-01-01", "0", ""],
    ]
    errors = messages(run("plantings", rows))

    assert (
        2,
        "Fecha de siembra",
        "The planting date cannot be before the programme started (2008-01-01).",
    ) in errors
    assert any(
        r == 2 and c == "Código de parcela" and "not an active member" in m for r, c, m in errors
    )
    assert (3, "Código de parcela", "No plot has the code NOPE.") in errors
    assert (4, "Especie", "Unknown species “Roble”.") in errors
    assert (4, "Árboles plantados", "“diez” is not a number.") in errors
    assert any(r == 4 and c == "Disposición" and "zigzag" in m for r, c, m in errors)
    assert any(r == 5 and c == "Árboles plantados" for r, c, _m in errors)
    assert Planting.objects.count() == 0


def test_duplicate_planting_rows(plot, caoba):
    row = ["AC-0001-P1", "Caoba", "2010-01-01", "10", ""]
    report = run("plantings", [PLANTING_HEADERS, row, row])
    assert messages(report) == [
        (3, "Fecha de siembra", "Row 2 of this file already has this record; keep one of the two.")
    ]


VISIT_HEADERS = [
    "plot_code",
    "visited_on",
    "technician",
    "species",
    "trees_alive",
    "trees_dead",
    "loss_cause",
]


def test_survival_counts_create_visits_and_check_planted(plot, caoba):
    PlantingFactory(
        plot=plot, species=caoba, trees_planted=300, planted_on=datetime.date(2010, 1, 1)
    )
    rows = [VISIT_HEADERS, ["AC-0001-P1", "2015-06-01", "Edwin", "Caoba", "250", "50", "sequía"]]
    report = run("visits", rows)
    assert report.ok, messages(report)
    count = SurvivalCount.objects.get()
    assert (count.trees_alive, count.trees_dead, count.loss_cause) == (250, 50, "drought")
    assert count.visit.visited_on == datetime.date(2015, 6, 1)
    assert MonitoringVisit.history.count() == 1 and SurvivalCount.history.count() == 1

    again = run("visits", rows)
    assert (again.unchanged, again.created, MonitoringVisit.objects.count()) == (1, 0, 1)

    too_many = [
        VISIT_HEADERS,
        ["AC-0001-P1", "2016-06-01", "Edwin", "Caoba", "301", "0", ""],
        ["AC-0001-P1", "2016-06-01", "Otro", "Cedro", "-1", "0", ""],
    ]
    errors = messages(run("visits", too_many))
    assert any(
        r == 2 and c == "trees_alive" and "more than the 300 trees" in m for r, c, m in errors
    )
    assert any(r == 3 and c == "technician" and "must agree" in m for r, c, m in errors)
    assert MonitoringVisit.objects.count() == 1  # the 2016 visit was rolled back


def test_measurements_bounds_and_reimport(plot, caoba):
    headers = [
        "Código de parcela",
        "Fecha de visita",
        "Técnico",
        "Especie",
        "Diámetro (cm)",
        "Altura (m)",
        "Placa",
    ]
    rows = [
        headers,
        ["AC-0001-P1", "2015-06-01", "Edwin", "Caoba", "12,5", "9", "T-1"],
        ["AC-0001-P1", "2015-06-01", "Edwin", "Caoba", "8", "6", ""],
    ]
    assert run("measurements", rows, delimiter=";").ok
    assert TreeMeasurement.objects.get(tree_tag="T-1").dbh_cm == Decimal("12.5")
    assert run("measurements", rows, delimiter=";").unchanged == 2
    assert TreeMeasurement.objects.count() == 2

    rows.append(["AC-0001-P1", "2015-06-01", "Edwin", "Caoba", "300", "70", "T-2"])
    errors = messages(run("measurements", rows, delimiter=";"))
    assert {(r, c) for r, c, _m in errors} == {(4, "Diámetro (cm)"), (4, "Altura (m)")}
    assert TreeMeasurement.objects.count() == 2


def kobo_export(plot, species, uuid, style="kobo"):
    sep = "/" if style == "kobo" else "-"
    group = f"sp{species.pk}"
    headers = [
        "start",
        f"visit{sep}community",
        f"visit{sep}plot",
        f"visit{sep}visited_on",
        f"visit{sep}technician",
        f"{group}{sep}{group}_alive",
        f"{group}{sep}{group}_dead",
        f"{group}{sep}{group}_loss_cause",
    ]
    row = [
        "2015-06-01T08:00:00.000-05:00",
        "c1",
        plot.code,
        "2015-06-01",
        "Edwin",
        "200",
        "0",
        "none",
    ]
    if style == "kobo":
        headers += [f"meta{sep}instanceID", "_uuid", "_submission_time"]
        row += [f"uuid:{uuid}", uuid, "2015-06-02T10:00:00"]
    else:
        headers += ["meta-instanceID", "KEY", "SubmissionDate"]
        row += [f"uuid:{uuid}", f"uuid:{uuid}", "2015-06-02T10:00:00.000Z"]
    return csv_bytes([headers, row])


@pytest.mark.parametrize("style", ["kobo", "odk-central"])
def test_field_form_export_never_duplicates_a_visit(plot, caoba, style):
    PlantingFactory(plot=plot, species=caoba, trees_planted=300)
    uuid = "3c1a2b4e-1111-4222-8333-444455556666"
    content = kobo_export(plot, caoba, uuid, style)

    report = import_submissions(content=content, dry_run=False)
    assert report.ok, messages(report)
    visit = MonitoringVisit.objects.get()
    assert visit.external_id == f"uuid:{uuid}"
    assert visit.survival_counts.get().trees_alive == 200

    again = import_submissions(content=content, dry_run=False)
    assert again.ok and again.unchanged == 1
    assert MonitoringVisit.objects.count() == 1 and SurvivalCount.objects.count() == 1


def test_xlsform_has_sheets_choices_and_constraints(plot, caoba):
    other = PlotFactory(member=MemberFactory(status="withdrawn"))
    workbook = load_workbook(io.BytesIO(build_xlsform()))
    assert workbook.sheetnames == ["survey", "choices", "settings"]

    survey = [
        dict(zip([c.value for c in workbook["survey"][1]], [c.value for c in row], strict=True))
        for row in workbook["survey"].iter_rows(min_row=2)
    ]
    by_name = {(r["type"], r["name"]): r for r in survey}
    assert by_name[("select_one member", "member")]["choice_filter"] == "community=${community}"
    assert by_name[("select_one plot", "plot")]["choice_filter"] == "member=${member}"
    assert by_name[("date", "visited_on")]["constraint"] == ". <= today()"
    dbh_rule = by_name[("decimal", "dbh_cm")]["constraint"]
    assert dbh_rule == ". >= 0.1 and . <= 250 and round(., 1) = ."
    height_rule = by_name[("decimal", "height_m")]["constraint"]
    assert height_rule == ". >= 0.1 and . <= 60 and round(., 1) = ."
    group = f"sp{caoba.pk}"
    assert (
        by_name[("integer", f"{group}_alive")]["constraint"]
        == f". >= 0 and . <= ${{{group}_planted}}"
    )
    assert by_name[("integer", f"{group}_dead")]["constraint"] == ". >= 0"
    assert ("begin_group", group) in by_name
    assert ("geoshape", "boundary") in by_name and ("geopoint", "location") in by_name

    choices = [[c.value for c in row] for row in workbook["choices"].iter_rows(min_row=2)]
    plots = {row[1]: row for row in choices if row[0] == "plot"}
    assert plots[plot.code][5] == f"m{plot.member_id}"
    assert other.code not in plots  # withdrawn members get no new visits on the phone
    members = {row[1]: row for row in choices if row[0] == "member"}
    assert members[f"m{plot.member_id}"][4] == f"c{plot.member.community_id}"
    assert f"sp{caoba.pk}" in {row[1] for row in choices if row[0] == "species"}
    settings = [c.value for c in workbook["settings"][2]]
    assert settings[1] == "acopagro_monitoring"


def test_command_dry_run_writes_nothing_then_imports(tmp_path, plot, caoba, capsys):
    path = tmp_path / "plantings.csv"
    path.write_bytes(csv_bytes([PLANTING_HEADERS, ["AC-0001-P1", "Caoba", "2010-01-01", "10", ""]]))

    call_command("import_data", "plantings", str(path), "--dry-run")
    assert "1 to create" in capsys.readouterr().out
    assert Planting.objects.count() == 0

    call_command("import_data", "plantings", str(path))
    assert Planting.objects.get().trees_planted == 10


def test_command_reports_errors_and_fails(tmp_path, plot, caoba):
    path = tmp_path / "plantings.csv"
    path.write_bytes(csv_bytes([PLANTING_HEADERS, ["AC-0001-P1", "Caoba", "2010-01-01", "-4", ""]]))
    with pytest.raises(CommandError, match="1 errors in 1 rows. Nothing was written."):
        call_command("import_data", "plantings", str(path))


def test_xlsform_keeps_formula_like_names_as_text(plot):
    Member.objects.filter(pk=plot.member_id).update(first_name="=cmd|' /C calc'!A0")
    workbook = load_workbook(io.BytesIO(build_xlsform()))
    cells = [c for row in workbook["choices"].iter_rows() for c in row if "cmd|" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)
