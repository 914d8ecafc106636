"""The member sheet an office keeps: DNI, names and community, Latin-1, semicolons, Spanish
headers. Codes are generated in the cooperative's pattern, gender and joining date filled in,
and every other rule stays: one bad DNI refuses the whole file, naming its row and column."""

from django.urls import reverse

from imports.readers import read_table
from imports.services import import_table
from members.models import Member
from tests.factories import CommunityFactory, MemberFactory
from tests.imports.conftest import messages

HEADER = "dni;nombres;apellidos;comunidad"
ROWS = [
    "44556677;Rosa Elvira;Núñez Tuanama;Dos de Mayo",
    "44556678;José;Pérez Ríos;Dos de Mayo",
    "4455667;Maribel;Sánchez Peña;Dos de Mayo",  # 7 digits: not a DNI
    "44556680;Ángel;Tuanama Satalaya;Dos de Mayo",
]


def office_sheet(rows) -> bytes:
    content = "\r\n".join([HEADER, *rows]).encode("latin-1")
    assert "Núñez".encode("latin-1") in content and b"\xc3" not in content  # not UTF-8
    return content


def run(rows, dry_run=False):
    return import_table(kind="members", table=read_table(office_sheet(rows)), dry_run=dry_run)


def test_bad_row_then_fixed_then_reimported(db):
    CommunityFactory(name="Dos de Mayo")
    MemberFactory(code="ACO-00041", dni="40000041")  # the codes already given

    refused = run(ROWS)
    assert not refused.ok and not refused.written
    assert messages(refused) == [(4, "dni", "A DNI has exactly 8 digits.")]
    assert Member.objects.count() == 1

    fixed = [row.replace("4455667;", "44556679;") for row in ROWS]
    preview = run(fixed, dry_run=True)
    assert preview.ok and preview.created == 4 and Member.objects.count() == 1
    filled = {(f.row, f.column, f.value) for f in preview.filled}
    assert (2, "code", "ACO-00042") in filled and (5, "code", "ACO-00045") in filled
    assert (2, "gender", "X (other / not stated)") in filled
    assert (2, "joined_on", "(blank)") in filled

    report = run(fixed)
    assert report.ok and report.written and report.created == 4
    rosa = Member.objects.get(dni="44556677")
    assert (rosa.code, rosa.first_name, rosa.last_name) == (
        "ACO-00042",
        "Rosa Elvira",
        "Núñez Tuanama",
    )
    assert rosa.gender == Member.Gender.OTHER and rosa.joined_on is None
    assert rosa.community.name == "Dos de Mayo"
    codes = dict(Member.objects.values_list("dni", "code"))
    assert codes["44556679"] == "ACO-00044" and codes["44556680"] == "ACO-00045"
    assert Member.history.filter(history_type="+").count() == 5

    Member.objects.filter(dni="44556678").update(gender="M")  # the office corrects a record
    history = Member.history.count()
    again = run(fixed)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert again.filled == []  # existing members keep their code, gender and date
    assert Member.objects.get(dni="44556678").gender == "M"
    assert Member.objects.count() == 5 and Member.history.count() == history


def test_codes_given_in_the_file_are_not_handed_out_again(db):
    CommunityFactory(name="Dos de Mayo")
    content = "codigo;dni;nombres;apellidos;comunidad\r\n;44556677;Rosa;Núñez;Dos de Mayo\r\n"
    content += "ACO-00001;44556678;José;Pérez;Dos de Mayo\r\n"
    report = import_table(kind="members", table=read_table(content.encode("latin-1")))
    assert report.ok, messages(report)
    assert dict(Member.objects.values_list("dni", "code")) == {
        "44556677": "ACO-00002",
        "44556678": "ACO-00001",
    }


def test_preview_page_lists_the_filled_values(staff_client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    CommunityFactory(name="Dos de Mayo")
    upload = SimpleUploadedFile("socios.csv", office_sheet(ROWS[:1]), "text/csv")
    response = staff_client.post(reverse("dataio:upload", args=["members"]), {"file": upload})
    assert response.status_code == 302
    body = staff_client.get(response.url).content.decode()
    assert "Values filled in by the import" in body
    assert "ACO-00001" in body and "X (other / not stated)" in body
    assert Member.objects.count() == 0
