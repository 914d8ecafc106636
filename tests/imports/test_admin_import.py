"""The Django admin's Import (django-import-export) runs the same import service."""

import re

from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from import_export.formats.base_formats import CSV

from imports.resources.members import MemberResource
from members.models import Member
from tests.factories import MemberFactory
from tests.imports.conftest import csv_bytes

HEADERS = ["code", "dni", "first_name", "last_name", "gender", "community", "joined_on"]
ROW = ["AC-0001", "44556677", "Rosa", "Núñez", "F", "Dos de Mayo", "2005-03-01"]


def csv_format_index():
    formats = site._registry[Member].get_import_formats()
    return next(i for i, f in enumerate(formats) if f is CSV)


def post_file(client, rows):
    return client.post(
        "/admin/members/member/import/",
        {
            "import_file": SimpleUploadedFile("socios.csv", csv_bytes(rows)),
            "format": csv_format_index(),
        },
    )


def test_admin_import_preview_then_confirm(admin_client_, community):
    preview = post_file(admin_client_, [HEADERS, ROW])
    assert preview.status_code == 200
    assert Member.objects.count() == 0
    hidden = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', preview.content.decode()))
    assert "import_file_name" in hidden, preview.content.decode()[:3000]

    done = admin_client_.post("/admin/members/member/process_import/", hidden, follow=True)
    assert done.status_code == 200
    member = Member.objects.get()
    assert (member.dni, member.community) == ("44556677", community)
    assert member.history.get().history_user.username == "admin"
    assert "1 new, 0 updated" in done.content.decode()


def test_admin_import_shows_row_errors_and_offers_no_confirm(admin_client_, community):
    MemberFactory(dni="44556677", code="X-1")
    bad = ["AC-0002", "4455", "Pedro", "Pérez", "Z", "Dos de Mayo", "2005-03-01"]
    preview = post_file(admin_client_, [HEADERS, ROW, bad])
    body = preview.content.decode()
    assert "A DNI has exactly 8 digits." in body
    assert "is not one of: F, M, X" in body
    assert "process_import" not in body  # no confirm form
    assert Member.objects.count() == 1


def test_export_imports_back_unchanged(admin_client_, community):
    MemberFactory(code="AC-0001", dni="44556677", community=community)
    exported = MemberResource().export()
    assert exported.headers[:3] == ["code", "dni", "first_name"]
    rows = [exported.headers, *([str(v) for v in row] for row in exported)]
    history = Member.history.count()

    preview = post_file(admin_client_, rows)

    assert "process_import" in preview.content.decode()
    hidden = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', preview.content.decode()))
    done = admin_client_.post("/admin/members/member/process_import/", hidden, follow=True)
    assert "0 new, 0 updated, 0 deleted and 1 skipped" in done.content.decode()
    assert Member.history.count() == history
