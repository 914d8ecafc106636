"""Member and plot imports: headers in both languages, encodings, errors per row, re-imports."""

import datetime

import pytest

from imports.readers import DataFileError, read_table
from imports.services import import_table
from members.models import Community, Member, Plot
from tests.factories import MemberFactory
from tests.imports.conftest import csv_bytes, messages, run, xlsx_bytes

SPANISH = [
    "Código de socio",
    "DNI",
    "Nombres",
    "Apellidos",
    "Sexo",
    "Comunidad",
    "Fecha de ingreso",
    "Orgánico",
    "Fecha orgánico",
]
ROSA = [
    "AC-0001",
    "44556677",
    "Rosa Elvira",
    "Núñez Tuanama",
    "mujer",
    "Dos de Mayo",
    "01/03/2005",
    "sí",
    "30/06/2010",
]
PEDRO = ["AC-0002", "44556678", "Pedro", "Pérez", "M", "dos de mayo", "2006-01-15", "no", ""]


def history_rows():
    return Member.history.count()


@pytest.mark.parametrize(
    "encoding,delimiter", [("utf-8", ","), ("utf-8-sig", ";"), ("latin-1", ";"), ("cp1252", "\t")]
)
def test_spanish_headers_in_any_encoding_and_separator(community, encoding, delimiter):
    content = csv_bytes([SPANISH, ROSA, PEDRO], delimiter=delimiter, encoding=encoding)
    report = import_table(kind="members", table=read_table(content))

    assert report.ok, messages(report)
    assert (report.created, report.updated, report.written) == (2, 0, True)
    rosa = Member.objects.get(dni="44556677")
    assert (rosa.first_name, rosa.last_name, rosa.gender) == ("Rosa Elvira", "Núñez Tuanama", "F")
    assert rosa.community == community
    assert rosa.joined_on == datetime.date(2005, 3, 1)
    assert rosa.organic_certified and rosa.organic_certified_on == datetime.date(2010, 6, 30)
    assert rosa.search_text == "nunez tuanama rosa elvira 44556677 ac-0001"  # surname first
    # Every created member has its "created" history row.
    assert list(rosa.history.values_list("history_type", flat=True)) == ["+"]


def test_english_headers_from_xlsx(community):
    rows = [
        ["code", "dni", "first_name", "last_name", "gender", "community", "joined_on"],
        ["AC-0001", 44556677, "Rosa", "Núñez", "F", "Dos de Mayo", datetime.date(2005, 3, 1)],
    ]
    report = import_table(kind="members", table=read_table(xlsx_bytes(rows)))

    assert report.ok, messages(report)
    assert Member.objects.get().dni == "44556677"


def test_reimport_changes_nothing_and_adds_no_history(community):
    assert run("members", [SPANISH, ROSA, PEDRO]).ok
    before = list(Member.objects.order_by("pk").values())
    history = history_rows()

    again = run("members", [SPANISH, ROSA, PEDRO])

    assert (again.created, again.updated, again.unchanged, again.ok) == (0, 0, 2, True)
    assert list(Member.objects.order_by("pk").values()) == before
    assert history_rows() == history


def test_existing_member_updated_by_dni_with_history(community, staff):
    member = MemberFactory(code="AC-0001", dni="44556677", first_name="Rosa", community=community)
    changed = [
        "AC-0001",
        "44556677",
        "Rosa Elvira",
        "Núñez Tuanama",
        "F",
        "Dos de Mayo",
        "2005-03-01",
        "no",
        "",
    ]

    report = run("members", [SPANISH, changed], user=staff)

    assert (report.created, report.updated) == (0, 1)
    member.refresh_from_db()
    assert member.first_name == "Rosa Elvira"
    assert member.search_text.startswith("nunez tuanama rosa elvira")
    latest = member.history.first()
    assert (latest.history_type, latest.history_user) == ("~", staff)


def test_one_bad_row_writes_nothing_and_names_row_and_column(community):
    bad = ["AC-0003", "4455667", "Ana", "Ruiz", "F", "Dos de Mayo", "2030-01-01", "quizá", ""]

    report = run("members", [SPANISH, ROSA, bad, PEDRO])

    assert not report.ok and not report.written
    assert Member.objects.count() == 0
    errors = messages(report)
    assert (3, "DNI", "A DNI has exactly 8 digits.") in errors
    assert (3, "Orgánico", "“quizá” is not yes or no (sí / no).") in errors
    assert report.error_rows == 1


def test_model_rules_reported_at_their_column(community):
    future = [
        "AC-0003",
        "44556679",
        "Ana",
        "Ruiz",
        "F",
        "Dos de Mayo",
        "2090-01-01",
        "no",
        "2010-01-01",
    ]

    report = run("members", [SPANISH, future])

    errors = messages(report)
    assert (2, "Fecha de ingreso", "The joining date cannot be in the future.") in errors
    assert (
        2,
        "Fecha orgánico",
        "A certification date needs the certification ticked.",
    ) in errors


def test_duplicate_rows_in_the_file(community):
    report = run("members", [SPANISH, ROSA, PEDRO, ROSA])

    assert not report.ok
    assert (4, "DNI", "Row 2 of this file already has this record; keep one of the two.") in (
        messages(report)
    )
    assert Member.objects.count() == 0


def test_dni_of_another_member_named(community):
    MemberFactory(code="X-1", dni="44556677", first_name="Otra", last_name="Persona")
    clash = ["AC-0009", "44556677", "Rosa", "Núñez", "F", "Dos de Mayo", "2005-03-01", "", ""]
    MemberFactory(code="AC-0009", dni="11112222")

    report = run("members", [SPANISH, clash])

    assert any("belongs to" in m for _r, _c, m in messages(report))
    assert Member.objects.filter(dni="44556677").get().code == "X-1"


def test_unknown_community_unless_district_given(db):
    headers = ["code", "dni", "first_name", "last_name", "gender", "community", "joined_on"]
    report = run(
        "members", [headers, ["A1", "12345678", "Ana", "Ruiz", "F", "Nuevo", "2005-01-01"]]
    )
    assert messages(report)[0][1:] == (
        "community",
        "Unknown community “Nuevo”: check the spelling, or give its district to create it.",
    )

    report = run(
        "members",
        [
            [*headers, "Distrito"],
            ["A1", "12345678", "Ana", "Ruiz", "F", "Nuevo", "2005-01-01", "Huicungo"],
        ],
    )
    assert report.ok, messages(report)
    assert Community.objects.get(name="Nuevo").district == "huicungo"
    assert Member.objects.get().community.name == "Nuevo"


def test_wrong_headers_are_reported_before_any_row(db):
    report = run("members", [["codigo", "DNI", "Nombre", "Apelidos", "DNI"], ["1", "2", "3"]])

    errors = messages(report)
    assert (1, "DNI", "This column appears twice in the header.") in errors
    assert any(c == "Apelidos" and m.startswith("Unknown column.") for _r, c, m in errors)
    missing = {c for _r, c, m in errors if m.startswith("Missing column")}
    assert missing == {"last_name", "community"}  # code, gender and joining date may be left out


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "The file is empty."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "Old Excel files (.xls) are not supported"),
        (b"PK\x03\x04broken zip", "This file is not a readable XLSX workbook"),
        ("code,dni".encode("utf-16"), "This is not a CSV or XLSX file"),
    ],
)
def test_unreadable_files(content, message):
    with pytest.raises(DataFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_table(content)


def test_plots_by_code_update_and_reimport(db):
    member = MemberFactory(code="AC-0001")
    headers = [
        "Código de parcela",
        "Código de socio",
        "Uso de suelo",
        "Área (ha)",
        "Latitud",
        "Longitud",
    ]
    rows = [
        headers,
        ["P-1", "AC-0001", "cacao", "2,5", "-7,18", "-76,73"],
        ["P-2", "AC-0001", "bosque", "1.25", "", ""],
    ]
    assert run("plots", rows, delimiter=";").ok
    plot = Plot.objects.get(code="P-1")
    assert (plot.member, str(plot.area_ha), str(plot.latitude)) == (member, "2.50", "-7.180000")
    assert Plot.objects.get(code="P-2").land_use == "forest"

    again = run("plots", rows, delimiter=";")
    assert (again.unchanged, again.updated, again.created) == (2, 0, 0)

    rows[2][3] = "3"
    changed = run("plots", rows, delimiter=";")
    assert (changed.updated, changed.unchanged) == (1, 1)
    assert str(Plot.objects.get(code="P-2").area_ha) == "3.00"


def test_plot_outside_peru_and_unknown_member(db):
    MemberFactory(code="AC-0001")
    headers = ["code", "member_code", "land_use", "area_ha", "latitude", "longitude"]
    report = run(
        "plots",
        [
            headers,
            ["P-1", "AC-0001", "cacao", "2", "7.18", "-76.73"],
            ["P-2", "AC-9999", "cacao", "0", "", ""],
        ],
    )
    errors = messages(report)
    assert any(r == 2 and c == "latitude" and "outside Peru" in m for r, c, m in errors)
    assert (3, "member_code", "No member has the code AC-9999.") in errors
    assert Plot.objects.count() == 0


def test_a_dni_written_with_spaces_or_dots_is_read_whole(community):
    rows = [SPANISH, [*ROSA[:1], "44 556 677", *ROSA[2:]], [*PEDRO[:1], "44.556.678", *PEDRO[2:]]]
    report = import_table(kind="members", table=read_table(csv_bytes(rows)))
    assert report.ok, messages(report)
    assert set(Member.objects.values_list("dni", flat=True)) == {"44556677", "44556678"}
